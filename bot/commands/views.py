"""Reading the ledger: events with their reconciled state (`EventView`), for answers and
`tallies`."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from bot.reconcile import Event, EventState, Report, Rulebook, Rules, reconcile_event
from bot.store import Store, ledger

log = logging.getLogger(__name__)


class EventView:
    """One event with its reconciled state (tallies, checks, running totals): given, or
    reconciled when first asked for (`later`), so that an answer reconciles only the events
    whose state it reads. Equal when their events and states are."""

    __slots__ = ("_later", "_state", "event")

    def __init__(
        self,
        event: Event,
        state: EventState | None = None,
        later: Callable[[], EventState] | None = None,
    ) -> None:
        if state is None and later is None:
            raise ValueError("an EventView needs its state or the means to reconcile it")
        self.event = event
        self._state = state
        self._later = later

    @property
    def state(self) -> EventState:
        if self._state is None:
            assert self._later is not None
            self._state = self._later()  # two threads at once reconcile the same state
            self._later = None
        return self._state

    @property
    def reconciled(self) -> bool:
        """Whether the state is at hand (given, or reconciled already)."""
        return self._state is not None

    def fill(self, state: EventState) -> None:
        """Give the state reconciled elsewhere, unless it was reconciled meanwhile."""
        if self._state is None:
            self._state, self._later = state, None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventView):
            return NotImplemented
        return (self.event, self.state) == (other.event, other.state)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"EventView({self.event!r})"


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
    only the events whose revision moved are read again: their days at once (in batches of
    STALE_BATCH events), their reports and state when an answer first reads that state (an
    answer about one night reconciles that night, not the year). With many figures in the store
    an answer so costs one small read, not a read and a reconciling of every report. The views
    are those `event_views` gives without it, their states read a moment later. One per
    process, passed in (`CommandContext` holds it); safe to share between threads.
    """

    STALE_BATCH = 200
    WARM_AT_LEAST = 32  # states not read yet that are reconciled in the background

    def __init__(self, warm: bool = True) -> None:
        self._lock = threading.Lock()
        self._basis: tuple[Store, Rules] | None = None
        self._mark: tuple[int, int] | None = None
        # event id -> (the revision it was read at, its view; None without reports)
        self._kept: dict[str, tuple[int, EventView | None]] = {}
        self._views: list[EventView] = []
        self._warm = warm
        self._warming: threading.Thread | None = None

    def views(self, store: Store, rulebook: Rulebook) -> list[EventView]:
        """Every event that has reports, oldest first (undated last), with its current state.
        When WARM_AT_LEAST states or more are not read yet (after a start), they are reconciled
        in a thread of their own meanwhile (unless made with `warm=False`), in batches, so
        that a later answer about every event finds them."""
        with self._lock:
            if self._basis != (store, rulebook.rules):
                self._basis, self._mark, self._kept = (store, rulebook.rules), None, {}
            with store.reading() as conn:
                mark = ledger.ledger_mark(conn)
                if mark != self._mark:
                    self._refresh(store, conn, rulebook)
                    # The mark was read first: a write landing after it moves it again.
                    self._mark = mark
            views = list(self._views)
            cold = [view for view in views if not view.reconciled]
            # A few (the events a new article changed) are left to the answers that read them.
            warm = self._warm and len(cold) >= self.WARM_AT_LEAST
            if warm and not (self._warming and self._warming.is_alive()):
                self._warming = threading.Thread(
                    target=_warm, args=(store, rulebook, cold), name="warm-states", daemon=True
                )
                self._warming.start()
            return views

    def warmed(self, timeout: float | None = None) -> bool:
        """Wait for the background reconciling to end (at most `timeout` seconds); whether it
        did."""
        warming = self._warming
        if warming is not None:
            warming.join(timeout)
        return warming is None or not warming.is_alive()

    def _refresh(self, store: Store, conn: Connection, rulebook: Rulebook) -> None:
        revisions = ledger.revisions(conn)
        stale = sorted(i for i, revision in revisions.items() if self._revision(i) != revision)
        kept = {i: self._kept[i] for i in revisions.keys() - set(stale)}
        for start in range(0, len(stale), self.STALE_BATCH):
            batch = stale[start : start + self.STALE_BATCH]
            events = ledger.events_by_id(conn, batch)
            counted = ledger.events_with_reports(conn, batch)
            for i in batch:
                view = (
                    EventView(events[i], later=_later(store, rulebook, i)) if i in counted else None
                )
                kept[i] = (revisions[i], view)
        self._kept = kept
        found = (view for _, view in kept.values() if view is not None)
        self._views = sorted(found, key=lambda view: ledger.event_order(view.event))

    def _revision(self, event_id: str) -> int | None:
        found = self._kept.get(event_id)
        return found[0] if found else None


def _later(store: Store, rulebook: Rulebook, event_id: str) -> Callable[[], EventState]:
    """Reconciles the event from its reports that count when called: a view's state read."""

    def reconcile() -> EventState:
        with store.reading() as conn:
            reports = ledger.active_reports(conn, [event_id])
        return reconcile_event(event_id, reports, rulebook.rules)

    return reconcile


def _warm(store: Store, rulebook: Rulebook, views: Sequence[EventView]) -> None:
    """Reconcile the states of `views` not read yet, EventStates.STALE_BATCH events a read.
    Gives up quietly when the store does (closed, or gone at a shutdown): an answer that
    reads a state still reconciles it itself."""
    batch_size = EventStates.STALE_BATCH
    for start in range(0, len(views), batch_size):
        batch = [view for view in views[start : start + batch_size] if not view.reconciled]
        if not batch:
            continue
        try:
            with store.reading() as conn:
                reports = ledger.active_reports(conn, [view.event.id for view in batch])
        except SQLAlchemyError as exc:
            log.debug("warming the answers' states stopped: %s", exc)
            return
        events = [view.event for view in batch]
        fresh = {v.event.id: v.state for v in _reconciled(events, reports, rulebook)}
        for view in batch:
            if view.event.id in fresh:  # one left without reports meanwhile is read when asked
                view.fill(fresh[view.event.id])


def news_today(store: Store, clock_today: date) -> date:
    """The day that "today", "yesterday" and year-less dates count from: the clock's, unless the
    store's news is older (a replay of past articles), then the day after its newest document."""
    newest = store.newest_published()
    if newest is None:
        return clock_today
    return min(clock_today, newest + timedelta(days=1))
