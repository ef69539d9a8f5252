"""What a chat gets when it subscribes: the current summary of each recent event, as the root of
that event's thread there.

Pure, except `open_threads`, which sequences the store work of `/subscribe` around the pure
steps. Later messages are fanned out to subscribers by the pipeline; the roots written here use
the same outbox keys the pipeline does ("<destination>|<event id>|root"), so the pipeline
replies in these threads and never writes a second root.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.compose import summary
from bot.ledger import EventView
from bot.queries import event_views
from bot.rulebook import Rulebook
from bot.store import Store
from bot.store import outbox as outbox_sql
from bot.store import subscriptions as subscription_sql
from bot.store.outbox import Outgoing
from bot.store.subscriptions import ALL

RECENT_DAYS = 7


def recent_views(
    views: Iterable[EventView], newest: date, days: int = RECENT_DAYS
) -> list[EventView]:
    """The events whose last day falls within the `days` days ending on `newest` (the newest
    document's day), or later; in the given order. Undated events are left out: nothing says
    they are current."""
    since = newest - timedelta(days=days - 1)
    return [v for v in views if v.event.last_date is not None and v.event.last_date >= since]


def opening_threads(
    destination: str,
    views: Iterable[EventView],
    rulebook: Rulebook,
    topics: frozenset[str] = frozenset({ALL}),
) -> list[Outgoing]:
    """A thread root per event of the subscribed `topics`: the event's current summary."""
    return [
        Outgoing(
            f"{destination}|{view.event.id}|root",
            destination,
            view.event.id,
            "root",
            summary(view.event, view.state, rulebook.headline_order(view.event.topic)),
        )
        for view in views
        if ALL in topics or view.event.topic in topics
    ]


@dataclass(frozen=True)
class Subscribed:
    """What `/subscribe` did: whether the destination is new, and how many threads it opened."""

    new: bool
    opened: int


def open_threads(
    store: Store,
    rulebook: Rulebook,
    destination: str,
    topics: frozenset[str],
    created_by: str,
    now: datetime,
    today: date,
) -> Subscribed:
    """Subscribe `destination` and write the roots of its recent events' threads to the outbox,
    in one transaction; a root written before (an earlier subscription) is not written again.
    `today` stands in for the newest document's day when the store has none. Blocking."""
    views: Sequence[EventView] = event_views(store, rulebook)
    recent = recent_views(views, store.newest_published() or today)
    roots = opening_threads(destination, recent, rulebook, topics)
    with store.transaction() as conn:
        new = subscription_sql.subscribe(conn, destination, topics, None, created_by, now)
        opened = outbox_sql.enqueue(conn, roots, now)
    return Subscribed(new, opened)
