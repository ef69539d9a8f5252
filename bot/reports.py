"""Reports: figures placed in an event, with who reported them and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.intervals import Interval, interval_of


@dataclass(frozen=True)
class Report:
    """One figure of one document, as the diff engine folds it into a tally.

    `source` is the name a reader knows the document by (its outlet, else its id); `phase` is
    the day of one phase of a swap, for the metrics counted per phase.
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

    @property
    def interval(self) -> Interval:
        return interval_of(self.value, self.qualifier)

    @property
    def topic(self) -> str:
        return topic_of(self.metric)


def topic_of(metric: str) -> str:
    """The topic a metric belongs to: "swap" for `swap.released`, "attack" for `attack.killed`."""
    return metric.split(".", 1)[0]
