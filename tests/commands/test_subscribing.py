"""Subscriptions: the store's contract (SQLite, and PostgreSQL when given), the pure choice of
the events a new subscriber gets, and the thread roots written for them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.commands.subscribing import open_threads, opening_threads, recent_views
from bot.commands.views import EventView, event_views
from bot.compose.threads import summary
from bot.pipeline.flow import Pipeline
from bot.reconcile.engine import EventState
from bot.reconcile.events import Event
from bot.reconcile.rulebook import Rulebook
from bot.resources import shipped_dir
from bot.settings import Settings
from bot.sources.seeds import seed_documents
from bot.store import Store
from bot.store import outbox as outbox_sql
from bot.store import subscriptions as sql
from bot.store.subscriptions import Subscription

SETTINGS = Settings.from_env({})
RULEBOOK = Rulebook.from_settings(SETTINGS)
MAY = {d: date(2025, 5, d) for d in range(1, 32)}


def view(event_id: str, topic: str, last: date | None, first: date | None = None) -> EventView:
    event = Event(event_id, topic, "ukraine" if topic == "attack" else None, first or last, last)
    return EventView(event, EventState(event_id, ()))


# --- Subscription.wants --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("topics", "topic", "wanted"),
    [
        ({"all"}, "swap", True),
        ({"all"}, "attack", True),
        ({"all"}, "casualties", True),
        ({"swap"}, "swap", True),
        ({"swap"}, "attack", False),
        ({"swap", "attack"}, "attack", True),
        ({"attack"}, "swap", False),
    ],
)
def test_wants(topics: set[str], topic: str, wanted: bool) -> None:
    assert Subscription("telegram:1", frozenset(topics), None, True, None).wants(topic) is wanted


# --- The store -----------------------------------------------------------------------------


def test_subscribe_is_new_once_and_resubscribing_updates_and_reenables(
    store: Store, now: datetime
) -> None:
    later = now + timedelta(hours=1)
    with store.transaction() as conn:
        assert sql.subscribe(conn, "telegram:-1", frozenset({"swap"}), None, "42", now) is True
        sql.disable(conn, "telegram:-1", "bot was blocked", now)
        assert sql.get_subscription(conn, "telegram:-1") == Subscription(
            "telegram:-1", frozenset({"swap"}), None, False, "bot was blocked"
        )
        assert sql.enabled_subscriptions(conn) == []
        assert (
            sql.subscribe(conn, "telegram:-1", frozenset({"all"}), "conflict", "7", later) is False
        )
        assert sql.get_subscription(conn, "telegram:-1") == Subscription(
            "telegram:-1", frozenset({"all"}), "conflict", True, None
        )


def test_topics_round_trip(store: Store, now: datetime) -> None:
    with store.transaction() as conn:
        sql.subscribe(conn, "slack:C1", frozenset({"swap", "attack"}), None, "U1", now)
        sql.subscribe(conn, "slack:C2", frozenset({"all", "swap"}), None, "U1", now)
        sql.subscribe(conn, "slack:C3", frozenset(), None, "U1", now)
        got = {s.destination: s.topics for s in sql.enabled_subscriptions(conn)}
    assert got == {
        "slack:C1": frozenset({"swap", "attack"}),
        "slack:C2": frozenset({"all"}),
        "slack:C3": frozenset({"all"}),
    }


def test_unsubscribe(store: Store, now: datetime) -> None:
    with store.transaction() as conn:
        sql.subscribe(conn, "telegram:5", frozenset({"all"}), None, "5", now)
        assert sql.unsubscribe(conn, "telegram:5") is True
        assert sql.unsubscribe(conn, "telegram:5") is False
        assert sql.get_subscription(conn, "telegram:5") is None


def test_enabled_subscriptions_are_ordered_and_skip_disabled(store: Store, now: datetime) -> None:
    with store.transaction() as conn:
        for destination in ("telegram:3", "slack:C9", "telegram:1"):
            sql.subscribe(conn, destination, frozenset({"all"}), None, None, now)
        sql.disable(conn, "telegram:3", "kicked", now)
        assert [s.destination for s in sql.enabled_subscriptions(conn)] == [
            "slack:C9",
            "telegram:1",
        ]
        assert sql.subscription_counts(conn) == {True: 2, False: 1}


def test_a_migrated_group_keeps_its_subscription_under_the_new_id(
    store: Store, now: datetime
) -> None:
    # Telegram: a group that becomes a supergroup answers with migrate_to_chat_id.
    with store.transaction() as conn:
        sql.subscribe(conn, "telegram:-123", frozenset({"attack"}), None, "9", now)
        sql.disable(conn, "telegram:-123", "group migrated", now)
        assert sql.move(conn, "telegram:-123", "telegram:-100123", now) is True
        assert sql.get_subscription(conn, "telegram:-123") is None
        assert sql.get_subscription(conn, "telegram:-100123") == Subscription(
            "telegram:-100123", frozenset({"attack"}), None, True, None
        )
        assert sql.move(conn, "telegram:-123", "telegram:-100123", now) is False


def test_moving_onto_a_subscribed_destination_keeps_that_one(store: Store, now: datetime) -> None:
    with store.transaction() as conn:
        sql.subscribe(conn, "telegram:-1", frozenset({"attack"}), None, None, now)
        sql.subscribe(conn, "telegram:-1001", frozenset({"swap"}), None, None, now)
        assert sql.move(conn, "telegram:-1", "telegram:-1001", now) is True
        assert [(s.destination, s.topics) for s in sql.enabled_subscriptions(conn)] == [
            ("telegram:-1001", frozenset({"swap"}))
        ]


# --- recent_views and opening_threads (pure) ----------------------------------------------


@pytest.mark.parametrize(
    ("last", "recent"),
    [
        (MAY[25], True),  # the newest document's day
        (MAY[19], True),  # the 7th day back
        (MAY[18], False),  # the 8th
        (MAY[27], True),  # dated after the newest document
        (None, False),  # undated: nothing says it is current
    ],
)
def test_recent_views_are_the_last_seven_days(last: date | None, recent: bool) -> None:
    views = [view("e", "attack", last)]
    assert recent_views(views, MAY[25]) == (views if recent else [])


def test_recent_views_keep_order_and_honour_days() -> None:
    views = [view("a", "swap", MAY[20]), view("b", "attack", MAY[24]), view("c", "attack", MAY[23])]
    assert [v.event.id for v in recent_views(views, MAY[24], days=2)] == ["b", "c"]


@pytest.mark.parametrize(
    ("topics", "expected"),
    [
        ({"all"}, ["swap-1", "attack-1"]),
        ({"swap"}, ["swap-1"]),
        ({"attack"}, ["attack-1"]),
        ({"swap", "attack"}, ["swap-1", "attack-1"]),
    ],
)
def test_opening_threads_are_roots_of_the_subscribed_topics(
    topics: set[str], expected: list[str]
) -> None:
    views = [view("swap-1", "swap", MAY[24]), view("attack-1", "attack", MAY[24])]
    roots = opening_threads("slack:C1", views, RULEBOOK, frozenset(topics))
    assert [(r.key, r.destination, r.event_id, r.role) for r in roots] == [
        (f"slack:C1|{e}|root", "slack:C1", e, "root") for e in expected
    ]
    assert [r.message for r in roots] == [
        summary(v.event, v.state, RULEBOOK.headline_order(v.event.topic), names=RULEBOOK.naming)
        for v in views
        if v.event.id in expected
    ]


def test_opening_threads_default_to_every_topic() -> None:
    views = [view("swap-1", "swap", MAY[24]), view("attack-1", "attack", MAY[24])]
    assert len(opening_threads("console", views, RULEBOOK)) == 2


# --- open_threads over the replayed seeds ---------------------------------------------------


@pytest.fixture
def replayed(store: Store, now: datetime) -> Store:
    Pipeline(store, SETTINGS, lambda: now, RULEBOOK).ingest(seed_documents(shipped_dir("seeds")))
    return store


def roots_for(store: Store, destination: str) -> list[tuple[str, str]]:
    with store.transaction() as conn:
        return [(i.key, i.role) for i in outbox_sql.pending(conn, [destination])]


def test_open_threads_writes_a_root_per_recent_event_once(replayed: Store, now: datetime) -> None:
    views = event_views(replayed, RULEBOOK)
    newest = replayed.newest_published()
    assert newest is not None
    recent = recent_views(views, newest)
    assert len(recent) >= 3  # the exchange and the two night attacks of the seeds
    first = open_threads(replayed, RULEBOOK, "telegram:42", frozenset({"all"}), "42", now, MAY[24])
    assert (first.new, first.opened) == (True, len(recent))
    expected = [(f"telegram:42|{v.event.id}|root", "root") for v in recent]
    assert roots_for(replayed, "telegram:42") == expected
    again = open_threads(replayed, RULEBOOK, "telegram:42", frozenset({"swap"}), "42", now, MAY[24])
    assert (again.new, again.opened) == (False, 0)
    assert roots_for(replayed, "telegram:42") == expected


def test_open_threads_for_one_topic(replayed: Store, now: datetime) -> None:
    done = open_threads(replayed, RULEBOOK, "slack:C7", frozenset({"swap"}), "U1", now, MAY[24])
    swaps = [v for v in event_views(replayed, RULEBOOK) if v.event.topic == "swap"]
    assert done.opened == len(swaps) == 1
    assert roots_for(replayed, "slack:C7") == [(f"slack:C7|{swaps[0].event.id}|root", "root")]


def test_open_threads_on_an_empty_store(store: Store, now: datetime) -> None:
    done = open_threads(store, RULEBOOK, "console", frozenset({"all"}), "me", now, MAY[24])
    assert (done.new, done.opened) == (True, 0)
    with store.transaction() as conn:
        assert sql.get_subscription(conn, "console") is not None
