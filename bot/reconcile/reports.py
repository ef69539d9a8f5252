"""Reports: figures placed in an event, with who reported them and when."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import cached_property
from typing import Any

from bot.reconcile.intervals import Interval, interval_of

PER_SIDE = ("ukraine", "russia")  # the sides a swap report of "each side" counts for


@dataclass(frozen=True)
class Report:
    """One figure of one document, as the diff engine folds it into a tally.

    `source` is the name a reader knows the document by (its outlet, else its id); `phase` is
    the day of one phase of a swap, for the metrics counted per phase. `claimant` is who the
    text says gives the count (the figure's, None for the outlet's own report); `place` the
    place the count is a part for, None when it counts the whole event.
    """

    metric: str
    value: int
    qualifier: str
    side: str | None
    event_date: date | None
    document_id: str
    source: str
    reported_at: datetime
    evidence: str
    event_id: str
    phase: date | None = None
    claimant: str | None = None
    place: str | None = None

    @cached_property
    def interval(self) -> Interval:
        # Computed once per report: the engine asks for it at every comparison. A frozen
        # dataclass without slots keeps it in the instance's dict, outside eq, hash and repr.
        return interval_of(self.value, self.qualifier)

    @cached_property
    def per_side(self) -> tuple[Report, ...]:
        """A swap report of "each side" as one report for Ukraine and one for Russia alike;
        any other report as itself. Kept, so that the engine copies each report once."""
        if self.side != "both":
            return (self,)
        return tuple(self.replaced(side=side) for side in PER_SIDE)

    def replaced(self, **changes: Any) -> Report:
        """`dataclasses.replace(self, **changes)` in half the time: the engine copies every
        report of "each side", and every report it moves to another day."""
        return Report(**{**{name: getattr(self, name) for name in _FIELD_NAMES}, **changes})

    @property
    def topic(self) -> str:
        return topic_of(self.metric)


_FIELD_NAMES = tuple(f.name for f in fields(Report))


def topic_of(metric: str) -> str:
    """The topic a metric belongs to: "swap" for `swap.released`, "attack" for `attack.killed`."""
    return metric.split(".", 1)[0]
