"""What a chat gets when it subscribes: the current summary of each recent event, as the root of
that event's thread there.

Pure, except `open_threads`, which sequences the store work of `/subscribe` around the pure
steps. Later messages are fanned out to subscribers by the pipeline; the roots written here use
the same outbox keys the pipeline does ("<destination>|<event id>|root"), so the pipeline
replies in these threads and never writes a second root.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.commands.context import Caller, CommandContext, WrongUsage, plural
from bot.commands.views import EventView, event_views
from bot.compose import Message, summary
from bot.reconcile import Rulebook
from bot.store import ALL, Outgoing, Store
from bot.store import outbox as outbox_sql
from bot.store import subscriptions as subscription_sql

RECENT_DAYS = 7
TOPICS = ("swap", "attack")
_TOPIC_WORDS = {
    "all": "all",
    "swap": "swap",
    "swaps": "swap",
    "attack": "attack",
    "attacks": "attack",
}


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
            summary(
                view.event,
                view.state,
                rulebook.headline_order(view.event.topic),
                names=rulebook.naming,
            ),
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
    newest = store.newest_published() or today
    # Only the recent events are read and reconciled: a large store's others cost seconds.
    since = newest - timedelta(days=RECENT_DAYS - 1)
    views: Sequence[EventView] = event_views(store, rulebook, since=since)
    recent = recent_views(views, newest)
    roots = opening_threads(destination, recent, rulebook, topics)
    with store.transaction() as conn:
        new = subscription_sql.subscribe(conn, destination, topics, None, created_by, now)
        opened = outbox_sql.enqueue(conn, roots, now)
    return Subscribed(new, opened)


# --- The commands -------------------------------------------------------------------------


def parse_topics(text: str) -> frozenset[str] | None:
    """The topics `/subscribe` was given ("swap", "attack", "all", or several); all when none;
    None when a word is not a topic."""
    words = text.replace(",", " ").casefold().split()
    topics = {_TOPIC_WORDS.get(word) for word in words}
    if None in topics:
        return None
    found = frozenset(t for t in topics if t)
    return frozenset({"all"}) if not found or "all" in found else found


def topics_text(topics: frozenset[str]) -> str:
    """ "swap and attack" for every topic, else the topics in TOPICS order."""
    chosen = TOPICS if "all" in topics else [t for t in TOPICS if t in topics]
    return " and ".join(chosen)


async def subscribe(ctx: CommandContext, caller: Caller, text: str) -> Message:
    topics = parse_topics(text)
    if topics is None:
        raise WrongUsage
    now = ctx.clock()
    done = await asyncio.to_thread(
        open_threads,
        ctx.store,
        ctx.rulebook,
        caller.destination,
        topics,
        caller.user_id,
        now,
        now.date(),
    )
    what = topics_text(topics)
    chat, command = caller.chat, caller.dialect.command
    events = plural(done.opened, "current event")
    follow = "follows as a thread" if done.opened == 1 else "follow as threads"
    if done.new and done.opened:
        title = f"Subscribed {chat} to {what}: {events} {follow}."
    elif done.new:
        title = f"Subscribed {chat} to {what}: new events will follow as threads."
    else:
        title = f"{_sentence_start(chat)}'s subscription now covers {what}."
        if done.opened:
            title += f" {events.capitalize()} {follow}."
    return Message(title, note=f"{command('unsubscribe')} stops them.")


async def unsubscribe(ctx: CommandContext, caller: Caller, text: str) -> Message:
    def remove() -> bool:
        with ctx.store.transaction() as conn:
            return subscription_sql.unsubscribe(conn, caller.destination)

    chat = caller.chat
    if await asyncio.to_thread(remove):
        return Message(f"Unsubscribed {chat}: no new threads will be posted here.")
    return Message(
        f"{_sentence_start(chat)} was not subscribed.",
        note=f"{caller.dialect.command('subscribe')} starts the threads.",
    )


def _sentence_start(chat: str) -> str:
    """A chat's name at the start of a sentence: "This chat", "@mychannel"."""
    return chat[:1].upper() + chat[1:]
