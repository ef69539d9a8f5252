"""Scoring extraction against gold figures (figures.md, "How extraction is scored").

Per document, the set of (metric, value, qualifier) found is compared with the gold set (a
repeated mention counts once); precision, recall and F1 are micro-averaged over documents, per
metric and overall. Strict scoring also requires the event date to match where the gold gives
one: a found key counts when one of its dates is one of the gold's dates for that key. The
side-keyed score adds `side` to the key, (metric, value, qualifier, side), null being a side of
its own ("more than 300 prisoners were swapped" has none).

`load_gold` and `load_json_lines` read files; everything else here is pure.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.errors import ConfigError, TallywireError
from bot.extract.figures import Figure

Key = tuple[str, int, str]
SidedKey = tuple[str, int, str, str | None]
Row = Mapping[str, object]


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives, with P/R/F1 (0 where undefined)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True)
class Mismatch:
    """A figure that went wrong: a miss, a false figure, or a found key with the wrong date."""

    source: str
    metric: str
    value: int
    qualifier: str
    event_date: str | None
    evidence: str
    expected_date: str | None = None


@dataclass(frozen=True)
class Score:
    """Counts per metric, loose and strict, and what went wrong; `overall_side` the overall
    counts with the side in the key."""

    loose: Mapping[str, Counts]
    strict: Mapping[str, Counts]
    misses: tuple[Mismatch, ...]
    false_figures: tuple[Mismatch, ...]
    wrong_dates: tuple[Mismatch, ...]
    overall_side: Counts = Counts()

    @property
    def overall_loose(self) -> Counts:
        return sum(self.loose.values(), Counts())

    @property
    def overall_strict(self) -> Counts:
        return sum(self.strict.values(), Counts())


def load_gold(path: Path) -> list[dict[str, object]]:
    """The gold figures of a JSON-lines file, one object a line (blank lines skipped).

    Raises ConfigError naming the file and line when a line is not a figure.
    """
    rows = _numbered_json_lines(path)
    for number, row in rows:
        if not {"source", "metric", "value", "qualifier"} <= row.keys():
            raise ConfigError(f"{path}:{number}: a figure needs source, metric, value, qualifier")
    return [row for _, row in rows]


def load_json_lines(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines file (gold figures, true tallies, NOT figures), blank
    lines skipped. Raises TallywireError when the file cannot be read as UTF-8 text, and
    ConfigError naming the file and line when a line is not a JSON object."""
    return [row for _, row in _numbered_json_lines(path)]


def _numbered_json_lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TallywireError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise TallywireError(f"cannot read {path}: not UTF-8 text ({exc.reason})") from exc
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: not JSON: {exc.msg}") from exc
        if not isinstance(row, dict):
            raise ConfigError(f"{path}:{number}: not a JSON object")
        rows.append((number, row))
    return rows


def score(
    gold: Iterable[Row], predicted: Iterable[Figure | Row], documents: Collection[str] | None = None
) -> Score:
    """The score of `predicted` against `gold`, over `documents` (default: every document named
    on either side)."""
    found = [p.as_json() if isinstance(p, Figure) else p for p in predicted]
    expected = list(gold)
    docs = (
        set(documents) if documents is not None else {str(r["source"]) for r in [*expected, *found]}
    )
    loose: dict[str, Counts] = {}
    strict: dict[str, Counts] = {}
    misses: list[Mismatch] = []
    false_figures: list[Mismatch] = []
    wrong_dates: list[Mismatch] = []
    sided = Counts()
    for doc in sorted(docs):
        want = _by_key(r for r in expected if r["source"] == doc)
        got = _by_key(r for r in found if r["source"] == doc)
        sided += _sided(want, got)
        for key in sorted(want.keys() | got.keys()):
            hit, dated = _judge(want.get(key, []), got.get(key, []))
            _add(loose, key[0], hit, key in got, key in want)
            _add(strict, key[0], dated, key in got, key in want)
            if key not in got:
                misses.append(_mismatch(want[key][0]))
            elif key not in want:
                false_figures.append(_mismatch(got[key][0]))
            elif not dated:
                wrong_dates.append(_mismatch(got[key][0], _dates(want[key])))
    return Score(
        MappingProxyType(loose),
        MappingProxyType(strict),
        tuple(misses),
        tuple(false_figures),
        tuple(wrong_dates),
        sided,
    )


def _by_key(rows: Iterable[Row]) -> dict[Key, list[Row]]:
    out: dict[Key, list[Row]] = {}
    for row in rows:
        key = (str(row["metric"]), int(str(row["value"])), str(row["qualifier"]))
        out.setdefault(key, []).append(row)
    return out


def _sided(want: Mapping[Key, list[Row]], got: Mapping[Key, list[Row]]) -> Counts:
    """The counts of one document with the side added to each key."""
    wanted = _sided_keys(want)
    found = _sided_keys(got)
    tp = len(wanted & found)
    return Counts(tp, len(found) - tp, len(wanted) - tp)


def _sided_keys(by_key: Mapping[Key, list[Row]]) -> set[SidedKey]:
    return {
        (*key, None if row.get("side") is None else str(row["side"]))
        for key, rows in by_key.items()
        for row in rows
    }


def _judge(want: list[Row], got: list[Row]) -> tuple[bool, bool]:
    """(loose match, strict match) of one key of one document."""
    if not want or not got:
        return False, False
    gold_dates = {d for d in (r.get("event_date") for r in want) if d is not None}
    found_dates = {r.get("event_date") for r in got}
    return True, not gold_dates or bool(gold_dates & found_dates)


def _add(table: dict[str, Counts], metric: str, matched: bool, found: bool, wanted: bool) -> None:
    tp = int(matched)
    delta = Counts(tp, int(found) - tp, int(wanted) - tp)
    table[metric] = table.get(metric, Counts()) + delta


def _mismatch(row: Row, expected_date: str | None = None) -> Mismatch:
    date = row.get("event_date")
    return Mismatch(
        source=str(row["source"]),
        metric=str(row["metric"]),
        value=int(str(row["value"])),
        qualifier=str(row["qualifier"]),
        event_date=str(date) if date is not None else None,
        evidence=str(row.get("evidence", "")),
        expected_date=expected_date,
    )


def _dates(rows: list[Row]) -> str:
    return ", ".join(
        sorted({str(r["event_date"]) for r in rows if r.get("event_date") is not None})
    )


def format_score(result: Score) -> str:
    """The score as a reader wants it: a table per metric, then the misses, the false figures
    and the wrong dates with their documents and evidence, and last the overall lines (loose,
    strict, then with the side in the key)."""
    lines = [
        f"{'metric':28} {'loose P':>8} {'R':>6} {'F1':>6}   {'strict P':>8} {'R':>6} {'F1':>6}"
        f"   {'tp':>3} {'fp':>3} {'fn':>3}"
    ]
    for metric in sorted(result.loose):
        lo, st = result.loose[metric], result.strict[metric]
        lines.append(
            f"{metric:28} {lo.precision:8.3f} {lo.recall:6.3f} {lo.f1:6.3f}   "
            f"{st.precision:8.3f} {st.recall:6.3f} {st.f1:6.3f}   {lo.tp:3} {lo.fp:3} {lo.fn:3}"
        )
    lines += _section("misses (in the gold, not found)", result.misses)
    lines += _section("false figures (found, not in the gold)", result.false_figures)
    lines += _section(
        "wrong dates (strict only: found with another event_date)", result.wrong_dates
    )
    lines.append("")
    lines.append(_overall("loose ", result.overall_loose))
    lines.append(_overall("strict", result.overall_strict))
    lines.append(_overall("side  ", result.overall_side))
    return "\n".join(lines)


def _section(title: str, items: tuple[Mismatch, ...]) -> list[str]:
    out = ["", f"{title}: {len(items)}"]
    for item in items:
        date = item.event_date or "null"
        expected = f" (gold: {item.expected_date})" if item.expected_date else ""
        out.append(
            f"  {item.source}  {item.metric} {item.value} {item.qualifier} {date}{expected}\n"
            f'      "{_clip(item.evidence)}"'
        )
    return out


def _overall(name: str, counts: Counts) -> str:
    return (
        f"overall {name}  P={counts.precision:.3f} R={counts.recall:.3f} F1={counts.f1:.3f}"
        f"  (tp {counts.tp}, fp {counts.fp}, fn {counts.fn})"
    )


def _clip(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
