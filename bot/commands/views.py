"""Reading the ledger: events with their reconciled state (`EventView`), for answers and
`tallies`."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection

from bot.reconcile import Event, EventState, Report, Rulebook, Rules, reconcile_event
from bot.store import Store, ledger


@dataclass(frozen=True)
class EventView:
    """One event with its reconciled state (tallies, checks, running totals)."""

    event: Event
    state: EventState


def event_views(
    store: Store,
    rulebook: Rulebook,
    topic: str | None = None,
    day: date | None = None,
    states: EventStates | None = None,
    since: date | None = None,
) -> list[EventView]:
    """Every event (of `topic`, covering `day`, or lasting until `since` or later, if given),
    oldest first, with its state rebuilt from the reports that count now; only those events are
    read. With `states`, the same views, read and reconciled again only for the events that
    changed since `states` last read them."""
    if states is not None:
        return [
            view
            for view in states.views(store, rulebook)
            if (topic is None or view.event.topic == topic)
            and (day is None or _covers(view, day))
            and (since is None or (view.event.last_date or date.min) >= since)
        ]
    with store.reading() as conn:
        if day or since:
            first, last = (day, day) if day else (since or date.min, date.max)
            found = ledger.events_between(conn, first, last, topic)
            events = [e for e in found if since is None or (e.last_date or date.min) >= since]
        else:
            events = ledger.all_events(conn, topic)
        reports = ledger.active_reports(conn, [e.id for e in events])
    return _reconciled(events, reports, rulebook)


def _covers(view: EventView, day: date) -> bool:
    first, last = view.event.first_date, view.event.last_date
    return first is not None and last is not None and first <= day <= last


def _reconciled(
    events: Iterable[Event], reports: Iterable[Report], rulebook: Rulebook
) -> list[EventView]:
    """The events that have reports, each with the state its reports give."""
    by_event = defaultdict(list)
    for report in reports:
        by_event[report.event_id].append(report)
    return [
        EventView(event, reconcile_event(event.id, by_event[event.id], rulebook.rules))
        for event in events
        if by_event[event.id]
    ]


class EventStates:
    """The reconciled state of every event, kept between answers.

    An answer first reads the ledger's mark (bot.store.ledger.ledger_mark); while it has not
    moved, the views kept are the store's. When it has, the events' revisions are read, and
    only the events whose revision moved are read and reconciled again, from their reports
    then. With many figures in the store an answer so costs one small read, not a read and a
    reconciling of every report; the first use reads them all (in batches of STALE_BATCH
    events). The views are those `event_views` gives without it. One per process, passed in
    (`CommandContext` holds it); safe to share between threads.
    """

    STALE_BATCH = 200

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._basis: tuple[Store, Rules] | None = None
        self._mark: tuple[int, int] | None = None
        # event id -> (the revision it was read at, its view; None without reports)
        self._kept: dict[str, tuple[int, EventView | None]] = {}
        self._views: list[EventView] = []

    def views(self, store: Store, rulebook: Rulebook) -> list[EventView]:
        """Every event that has reports, oldest first (undated last), with its current state."""
        with self._lock:
            if self._basis != (store, rulebook.rules):
                self._basis, self._mark, self._kept = (store, rulebook.rules), None, {}
            with store.reading() as conn:
                mark = ledger.ledger_mark(conn)
                if mark != self._mark:
                    self._refresh(conn, rulebook)
                    # The mark was read first: a write landing after it moves it again.
                    self._mark = mark
            return list(self._views)

    def _refresh(self, conn: Connection, rulebook: Rulebook) -> None:
        revisions = ledger.revisions(conn)
        stale = sorted(i for i, revision in revisions.items() if self._revision(i) != revision)
        kept = {i: self._kept[i] for i in revisions.keys() - set(stale)}
        for start in range(0, len(stale), self.STALE_BATCH):
            batch = stale[start : start + self.STALE_BATCH]
            events = ledger.events_by_id(conn, batch)
            reports = ledger.active_reports(conn, batch)
            fresh = {v.event.id: v for v in _reconciled(events.values(), reports, rulebook)}
            kept.update((i, (revisions[i], fresh.get(i))) for i in batch)
        self._kept = kept
        found = (view for _, view in kept.values() if view is not None)
        self._views = sorted(found, key=lambda view: ledger.event_order(view.event))

    def _revision(self, event_id: str) -> int | None:
        found = self._kept.get(event_id)
        return found[0] if found else None


def news_today(store: Store, clock_today: date) -> date:
    """The day that "today", "yesterday" and year-less dates count from: the clock's, unless the
    store's news is older (a replay of past articles), then the day after its newest document."""
    newest = store.newest_published()
    if newest is None:
        return clock_today
    return min(clock_today, newest + timedelta(days=1))
