"""The rules by which a product tally stands for a true event tally, as the shared scorer
(`../shared/tools/score_tallies.py`) applies them; `bot.cli.tally_scoring` counts with them.

Pure. `TrueTally.of(row)` reads a line of a true-tallies file (topic, country, event_date,
date_window, metric, side, value/qualifier or low/high, disputed, claims, docs);
`ShownTally.of(row)` a line of `tallywire tallies --json` (event, phase, event_date, metric,
side, low, high, status, sources, and any claims it lists). Neither raises on a missing or
malformed field: it reads as absent, as the scorer reads it.

- `match(true, shown)`: the same topic, country (attacks), metric and side ("both" on either
  side stands for Ukraine and Russia), and the same day; or the shown tally is undated and
  comes from one of the true tally's documents; a true tally without a day matches an undated
  shown one from its documents, or one dated inside its date window from them.
- `is_right(true, shown)`: the intervals meet; for a disputed true tally, the shown one is a
  conflict that meets one of the claims, and every claim is among those it lists (if it lists).
- `shows_forbidden(shown, row)`: the shown tally gives a figure no tally may show (a row of the
  NOT file: value, qualifier, metric_it_might_be_taken_as, docs).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SIDES = ("ukraine", "russia")
CONFLICT = frozenset({"conflict", "conflicting", "disputed", "contested"})
SUSPECT = frozenset({"suspect"})
DETAIL_KEYS = ("claims", "disputed", "alternatives", "conflicts", "conflicting", "others")

Bounds = tuple[int | None, int | None]  # low (None: no interval), high (None: open)
Row = Mapping[str, Any]


def number(value: object) -> int | None:
    """A whole number, rounded; None for null, booleans, text that is no number, inf, NaN."""
    if value is None or isinstance(value, bool):
        return None
    try:
        found = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isinf(found) or math.isnan(found):
        return None
    return round(found)


def side_of(value: object) -> str | None:
    """A side, lower-cased; None for null, "", "none", "null" or "-"."""
    if value is None:
        return None
    text = str(value).strip().lower()
    return None if text in ("", "none", "null", "-") else text


def day_of(value: object) -> str | None:
    """The ISO day a value starts with ("2025-05-24..."), else None."""
    if not value:
        return None
    text = str(value).strip()
    return text[:10] if len(text) >= 10 and text[4] == "-" else None


def stem(value: object) -> str:
    """A document id from a path or a name: its base name without ".txt"."""
    name = os.path.basename(str(value))
    return name[:-4] if name.endswith(".txt") else name


def bounds(value: object, qualifier: object) -> Bounds:
    """A reported number as an interval, as design.md reads qualifiers (about: -10 % .. +10 %,
    rounded outwards; nearly: -10 % .. the number)."""
    found = number(value)
    if found is None:
        return None, None
    hedge = str(qualifier or "exact").lower()
    if hedge == "at_least":
        return found, None
    if hedge == "more_than":
        return found + 1, None
    if hedge == "about":
        return found * 9 // 10, -(-found * 11 // 10)
    if hedge == "nearly":
        return found * 9 // 10, found
    if hedge == "up_to":
        return 0, found
    return found, found


def meets(one: Bounds, other: Bounds) -> bool:
    """Whether two intervals share a number; an interval without a low meets nothing."""
    (low1, high1), (low2, high2) = one, other
    if low1 is None or low2 is None:
        return False
    return low1 <= (math.inf if high2 is None else high2) and low2 <= (
        math.inf if high1 is None else high1
    )


def _sources(value: object) -> frozenset[str]:
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return frozenset(stem(item) for item in items)


@dataclass(frozen=True)
class ShownTally:
    """A tally the product shows. `date` is its phase's day, else its event's; `others` the
    intervals of the other claims its row lists (None when it lists none)."""

    event: str
    topic: str
    country: str | None
    metric: object
    side: str | None
    date: str | None
    interval: Bounds
    status: str
    sources: frozenset[str]
    others: tuple[Bounds, ...] | None

    @classmethod
    def of(cls, row: Row) -> ShownTally:
        event = str(row.get("event") or row.get("event_id") or "")
        parts = event.split("-", 2)
        topic = parts[0].lower() if parts[0] else str(row.get("topic") or "").lower()
        country = None
        if topic == "attack":
            country = side_of(parts[1]) if len(parts) > 1 else side_of(row.get("country"))
        low, high = number(row.get("low")), number(row.get("high"))
        return cls(
            event=event,
            topic=topic,
            country=country,
            metric=row.get("metric"),
            side=side_of(row.get("side")),
            date=day_of(row.get("phase")) or day_of(row.get("event_date")),
            interval=(0 if low is None and high is not None else low, high),
            status=str(row.get("status") or "").lower(),
            sources=_sources(row.get("sources") or []),
            others=_listed_claims(row),
        )

    @property
    def asserts(self) -> bool:
        """Whether it states a figure: it has an interval and is not set aside as suspect."""
        return self.interval[0] is not None and self.status not in SUSPECT


def _listed_claims(row: Row) -> tuple[Bounds, ...] | None:
    found: list[Bounds] = []
    for key in DETAIL_KEYS:
        items = row.get(key)
        if isinstance(items, list):
            found += [claim for item in items if (claim := _claim_bounds(item)) is not None]
    return tuple(found) or None


def _claim_bounds(item: object) -> Bounds | None:
    if isinstance(item, dict):
        if number(item.get("value")) is not None:
            return bounds(item["value"], item.get("qualifier"))
        if number(item.get("low")) is not None:
            return number(item["low"]), number(item.get("high"))
        return None
    value = number(item)
    return None if value is None else (value, value)


@dataclass(frozen=True)
class TrueTally:
    """A true event tally. `window` is the first and last day an undated event may have;
    `claims` the intervals of a disputed tally's claims."""

    topic: str
    country: str | None
    date: str | None
    window: tuple[str | None, str | None] | None
    metric: object
    side: str | None
    interval: Bounds
    docs: frozenset[str]
    disputed: bool
    claims: tuple[Bounds, ...]

    @classmethod
    def of(cls, row: Row) -> TrueTally:
        topic = str(row.get("topic") or "").lower()
        window = row.get("date_window") or None
        low, high = number(row.get("low")), number(row.get("high"))
        if low is None:
            low, high = bounds(row.get("value"), row.get("qualifier"))
        return cls(
            topic=topic,
            country=side_of(row.get("country")) if topic == "attack" else None,
            date=day_of(row.get("event_date")),
            window=(day_of(window[0]), day_of(window[1])) if window and len(window) == 2 else None,
            metric=row.get("metric"),
            side=side_of(row.get("side")),
            interval=(low, high),
            docs=_sources(row.get("docs") or []),
            disputed=bool(row.get("disputed")),
            claims=tuple(bounds(c.get("value"), c.get("qualifier")) for c in _claims(row)),
        )


def _claims(row: Row) -> list[Mapping[str, Any]]:
    return [claim for claim in row.get("claims") or [] if isinstance(claim, dict)]


def sides_match(true_side: str | None, shown_side: str | None) -> bool:
    """The same side, or "both" on one side and Ukraine or Russia on the other."""
    if true_side == shown_side:
        return True
    return (shown_side == "both" and true_side in SIDES) or (
        true_side == "both" and shown_side in SIDES
    )


def match(true: TrueTally, shown: ShownTally) -> str | None:
    """How `shown` can stand for `true`: "exact", "split/undated", "undated", "window", or
    None when it cannot."""
    if true.topic != shown.topic or true.metric != shown.metric:
        return None
    if not sides_match(true.side, shown.side):
        return None
    if true.topic == "attack" and true.country != shown.country:
        return None
    from_docs = bool(shown.sources & true.docs)
    if true.date:
        if shown.date == true.date:
            return "exact"
        return "split/undated" if shown.date is None and from_docs else None
    if shown.date is None and from_docs:
        return "undated"
    if true.window and shown.date and from_docs:
        first, last = true.window
        if first is not None and last is not None and first <= shown.date <= last:
            return "window"
    return None


def shows_forbidden(shown: ShownTally, row: Row) -> bool:
    """Whether `shown` gives the figure of a NOT row: a metric it might be taken as, from one
    of its documents, with its value as a bound, or inside a narrow interval (a quarter of the
    value, plus one)."""
    metrics = row.get("metric_it_might_be_taken_as")
    metrics = [metrics] if isinstance(metrics, str) else list(metrics or [])
    if shown.metric not in metrics or not (shown.sources & _sources(row.get("docs") or [])):
        return False
    value, (low, high) = number(row.get("value")), shown.interval
    if value is None or low is None:
        return False
    edges = {value, value + 1} if (row.get("qualifier") or "") == "more_than" else {value}
    if low in edges or high in edges:
        return True
    return high is not None and low <= value <= high and high - low <= 0.25 * value + 1


def covers_claims(shown: ShownTally, true: TrueTally) -> bool:
    """Whether `shown` flags the dispute of `true`: a conflict meeting the true interval and one
    of its claims, and, when it lists the other claims, showing every claim."""
    if shown.status not in CONFLICT or not meets(shown.interval, true.interval):
        return False
    if not any(meets(shown.interval, claim) for claim in true.claims):
        return False
    if shown.others is None:
        return True
    listed = (shown.interval, *shown.others)
    return all(any(meets(claim, one) for one in listed) for claim in true.claims)
