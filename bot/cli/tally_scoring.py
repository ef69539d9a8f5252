"""The end-to-end score of the tallies: how many true event tallies the product shows right,
how many of the tallies it shows are right, disputes flagged and forbidden figures shown,
counted as the shared scorer (`../shared/tools/score_tallies.py`) counts them, with the rules
of `bot.cli.tally_rules`.

Pure: rows in (true tallies, NOT figures, the product's `tallies --json` rows), a `TallyScore`
out; `format_tally_score` gives the lines to print, the last one the scorer's last line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cli.tally_rules import (
    Bounds,
    Row,
    ShownTally,
    TrueTally,
    covers_claims,
    match,
    meets,
    shows_forbidden,
)


@dataclass(frozen=True)
class TallyScore:
    """What the scorer counts. `missed` are the true tallies not shown right; `wrong` the
    shown tallies that are wrong, each with why; `set_aside` the shown ones that assert
    nothing (no interval, or suspect)."""

    right: int
    true_total: int
    disputed_flagged: int
    disputed_total: int
    forbidden: int
    missed: tuple[TrueTally, ...]
    wrong: tuple[tuple[ShownTally, str], ...]
    set_aside: int
    shown_total: int

    @property
    def asserted(self) -> int:
        """The shown tallies that state a figure."""
        return self.shown_total - self.set_aside

    @property
    def precise(self) -> int:
        """The shown tallies that state a figure and are not wrong."""
        return self.asserted - len(self.wrong)


def score_tallies(
    true_rows: Sequence[Row], not_rows: Sequence[Row], shown_rows: Sequence[Row]
) -> TallyScore:
    """Score the product's tallies (`shown_rows`) against the true ones and the NOT figures."""
    truths = [TrueTally.of(row) for row in true_rows]
    shown = [ShownTally.of(row) for row in shown_rows]
    forbidden = {
        i: reason
        for i, tally in enumerate(shown)
        if tally.asserts and (reason := _forbidden_reason(tally, not_rows))
    }
    usable = [tally for i, tally in enumerate(shown) if tally.asserts and i not in forbidden]
    right = [_is_right(truth, usable) for truth in truths]
    wrong: list[tuple[ShownTally, str]] = []
    for i, tally in enumerate(shown):
        reason = forbidden.get(i) or (_wrong_reason(tally, truths) if tally.asserts else None)
        if reason:
            wrong.append((tally, reason))
    return TallyScore(
        right=sum(right),
        true_total=len(truths),
        disputed_flagged=sum(1 for t, ok in zip(truths, right, strict=True) if ok and t.disputed),
        disputed_total=sum(1 for t in truths if t.disputed),
        forbidden=len(forbidden),
        missed=tuple(t for t, ok in zip(truths, right, strict=True) if not ok),
        wrong=tuple(wrong),
        set_aside=sum(1 for tally in shown if not tally.asserts),
        shown_total=len(shown),
    )


def _forbidden_reason(tally: ShownTally, not_rows: Sequence[Row]) -> str | None:
    row = next((row for row in not_rows if shows_forbidden(tally, row)), None)
    return None if row is None else f"FORBIDDEN {row.get('value')}: {row.get('why')}"


def _is_right(truth: TrueTally, usable: Sequence[ShownTally]) -> bool:
    consistent = [
        tally for tally in usable if match(truth, tally) and meets(tally.interval, truth.interval)
    ]
    if truth.disputed:
        return any(covers_claims(tally, truth) for tally in consistent)
    return bool(consistent)


def _wrong_reason(tally: ShownTally, truths: Sequence[TrueTally]) -> str | None:
    """Why an asserting tally that shows no forbidden figure is wrong, or None if it is not."""
    matched = [truth for truth in truths if match(truth, tally)]
    if not matched:
        return "no true tally for this event, metric and side"
    # A tally of "each side" must meet a true tally of every side it stands for.
    sides = {truth.side for truth in matched} if tally.side == "both" else {None}
    if all(
        any(
            meets(tally.interval, truth.interval)
            for truth in matched
            if tally.side != "both" or truth.side == side
        )
        for side in sides
    ):
        return None
    wanted = sorted({f"{_shown(truth.interval)} ({truth.date or 'undated'})" for truth in matched})
    return f"true: {', '.join(wanted)}"


def _shown(interval: Bounds) -> str:
    low, high = interval
    if low is None:
        return "?"
    if high is None:
        return f">={low}"
    return str(low) if low == high else f"{low}..{high}"


def summary_line(result: TallyScore) -> str:
    """The scorer's last line: "tallies: recall R/N (x.xx), precision P/M (x.xx), disputed
    flagged D/K, forbidden shown F"."""
    recall = result.right / result.true_total if result.true_total else 0.0
    precision = result.precise / result.asserted if result.asserted else 0.0
    return (
        f"tallies: recall {result.right}/{result.true_total} ({recall:.2f}), "
        f"precision {result.precise}/{result.asserted} ({precision:.2f}), "
        f"disputed flagged {result.disputed_flagged}/{result.disputed_total}, "
        f"forbidden shown {result.forbidden}"
    )


def format_tally_score(result: TallyScore) -> str:
    """The missed true tallies and the wrong shown ones, a line each, then `summary_line`."""
    lines = [f"MISSED true tallies ({len(result.missed)}):"]
    lines += [
        f"  {t.topic}{'-' + t.country if t.country else ''} {t.date or 'undated'} {t.metric} "
        f"{t.side or '-'} {_shown(t.interval)}{' disputed' if t.disputed else ''}"
        for t in result.missed
    ]
    lines.append(f"WRONG shown tallies ({len(result.wrong)}):")
    lines += [
        f"  {s.event} {s.metric} {s.side or '-'} {_shown(s.interval)} {s.status}: {why}"
        for s, why in result.wrong
    ]
    lines.append(summary_line(result))
    return "\n".join(lines)
