"""Reading the ledger: events with their reconciled state, for answers and `tallies`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from bot.ledger import EventView
from bot.reconcile import reconcile_event
from bot.rulebook import Rulebook
from bot.store import Store, ledger


def event_views(
    store: Store, rulebook: Rulebook, topic: str | None = None, day: date | None = None
) -> list[EventView]:
    """Every event (of `topic`, covering `day` if given), oldest first, with its state rebuilt
    from the reports that count now."""
    with store.transaction() as conn:
        events = (
            ledger.events_between(conn, day, day, topic) if day else ledger.all_events(conn, topic)
        )
        reports = ledger.active_reports(conn, [e.id for e in events])
    by_event = defaultdict(list)
    for report in reports:
        by_event[report.event_id].append(report)
    return [
        EventView(event, reconcile_event(event.id, by_event[event.id], rulebook.rules))
        for event in events
        if by_event[event.id]
    ]


def news_today(store: Store, clock_today: date) -> date:
    """The day that "today", "yesterday" and year-less dates count from: the clock's, unless the
    store's news is older (a replay of past articles), then the day after its newest document."""
    newest = store.newest_published()
    if newest is None:
        return clock_today
    return min(clock_today, newest + timedelta(days=1))
