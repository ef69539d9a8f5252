"""Events: which happening each figure belongs to.

Each night's air attack on one country is its own event, dated by the morning it ended. A
prisoner exchange in phases over several days under one deal is one event; a swap figure joins
the swap whose phases lie within a week of its day. A figure without a date joins the event its
document is about: the day most of the document's dated figures of that topic give, else the
document's publication day; one of an earlier event the text does not date (Figure.earlier)
joins an undated event of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.extract import Figure
from bot.reconcile.reports import Report, topic_of

SWAP_WINDOW = timedelta(days=7)
PHASED = frozenset({"swap.released"})  # metrics counted per phase of a swap


@dataclass(frozen=True)
class Event:
    """A swap or an attack. `side` is the country attacked (None for swaps)."""

    id: str
    topic: str
    side: str | None
    first_date: date | None
    last_date: date | None

    def covers(self, day: date) -> bool:
        """Whether a swap figure of `day` belongs to this swap."""
        if self.first_date is None or self.last_date is None:
            return False
        return self.first_date - SWAP_WINDOW <= day <= self.last_date + SWAP_WINDOW

    def widened(self, day: date | None) -> Event:
        """This event stretched to include `day`."""
        if day is None:
            return self
        first = min(d for d in (self.first_date, day) if d is not None)
        last = max(d for d in (self.last_date, day) if d is not None)
        return replace(self, first_date=first, last_date=last)


@dataclass(frozen=True)
class Provenance:
    """Where a document's figures come from: its id, the name readers know it by, its day."""

    document_id: str
    source: str
    published: date | None
    reported_at: datetime


def place_figures(
    figures: Sequence[Figure], provenance: Provenance, known: Sequence[Event]
) -> tuple[list[Report], list[Event]]:
    """The figures as reports in events, and the events created or widened for them."""
    events = {event.id: event for event in known}
    touched: dict[str, Event] = {}
    reports = []
    for figure in figures:
        if figure.earlier:  # an earlier, undated event: its own, apart from the document's
            day, apart = None, f"{provenance.document_id}-earlier"
        else:
            day = figure.event_date or _document_day(figures, figure, provenance.published)
            apart = provenance.document_id
        event = _event_for(figure, day, apart, events)
        event = event.widened(day)
        events[event.id] = touched[event.id] = event
        reports.append(
            Report(
                metric=figure.metric,
                value=figure.value,
                qualifier=figure.qualifier,
                side=figure.side,
                event_date=figure.event_date,
                document_id=provenance.document_id,
                source=provenance.source,
                reported_at=provenance.reported_at,
                evidence=figure.evidence,
                event_id=event.id,
                phase=figure.event_date if figure.metric in PHASED else None,
                claimant=figure.claimant,
                place=figure.place,
            )
        )
    return reports, list(touched.values())


def _document_day(figures: Sequence[Figure], figure: Figure, published: date | None) -> date | None:
    topic = topic_of(figure.metric)
    days = Counter(
        f.event_date
        for f in figures
        if f.event_date
        and topic_of(f.metric) == topic
        and (topic == "swap" or f.side == figure.side)
    )
    if days:
        # The most reported day; among equals the latest, as news leads with the newest.
        return max(days, key=lambda d: (days[d], d))
    return published


def _event_for(
    figure: Figure, day: date | None, document_id: str, events: dict[str, Event]
) -> Event:
    topic = topic_of(figure.metric)
    if topic == "swap":
        candidates = [e for e in events.values() if e.topic == "swap" and day and e.covers(day)]
        if candidates and day:
            return min(candidates, key=lambda e: (_distance(e, day), e.id))
        event_id = f"swap-{day.isoformat()}" if day else f"swap-{document_id}"
        return events.get(event_id) or Event(event_id, "swap", None, None, None)
    side = figure.side or "unknown"
    event_id = f"{topic}-{side}-{day.isoformat() if day else document_id}"
    return events.get(event_id) or Event(event_id, topic, figure.side, None, None)


def _distance(event: Event, day: date) -> int:
    assert event.first_date is not None and event.last_date is not None
    if event.first_date <= day <= event.last_date:
        return 0
    return min(abs((event.first_date - day).days), abs((day - event.last_date).days))
