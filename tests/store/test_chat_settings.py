"""Per-chat settings and held messages in the store (issue 17), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.compose import Message
from bot.store import ChatSettings, Outgoing, Store, move_destination
from bot.store import chat_settings as settings_sql
from bot.store import held as held_sql
from bot.store import outbox as outbox_sql
from bot.store import subscriptions as subscription_sql

NOW = datetime(2025, 6, 1, 21, 30, tzinfo=UTC)
KYIV_NIGHTS = ChatSettings(
    alert_kinds=frozenset({"conflict", "milestone"}),
    time_zone="Europe/Kyiv",
    quiet=(time(23, 0), time(7, 0)),
    breakthrough=frozenset({"milestone"}),
    digest_at=time(0, 0),  # midnight is a time like any other
    last_digest_at=NOW,
    charts=True,
)


def test_settings_round_trip_and_default(store: Store) -> None:
    with store.transaction() as conn:
        assert settings_sql.get_settings(conn, "telegram:1") == ChatSettings()
        settings_sql.put_settings(conn, "telegram:1", KYIV_NIGHTS, NOW)
    with store.reading() as conn:
        assert settings_sql.get_settings(conn, "telegram:1") == KYIV_NIGHTS
    with store.transaction() as conn:
        settings_sql.put_settings(conn, "telegram:1", ChatSettings(), NOW)
        assert settings_sql.get_settings(conn, "telegram:1", lock=True) == ChatSettings()
        assert settings_sql.settings_by_destination(conn) == {"telegram:1": ChatSettings()}


def test_only_enabled_subscriptions_with_a_schedule_are_scheduled(store: Store) -> None:
    with store.transaction() as conn:
        for n in (1, 2, 3):
            subscription_sql.subscribe(conn, f"slack:C{n}", frozenset({"all"}), None, "u", NOW)
        settings_sql.put_settings(conn, "slack:C1", KYIV_NIGHTS, NOW)
        settings_sql.put_settings(conn, "slack:C2", ChatSettings(time_zone="UTC"), NOW)
        settings_sql.put_settings(conn, "slack:C3", KYIV_NIGHTS, NOW)
        subscription_sql.disable(conn, "slack:C3", "gone", NOW)
        assert settings_sql.scheduled(conn) == [("slack:C1", KYIV_NIGHTS)]
        settings_sql.mark_digest(conn, "slack:C1", datetime(2025, 6, 2, 4, tzinfo=UTC))
        assert settings_sql.get_settings(conn, "slack:C1").last_digest_at == datetime(
            2025, 6, 2, 4, tzinfo=UTC
        )


@pytest.mark.parametrize(
    ("name", "valid"),
    [("Europe/Kyiv", True), ("UTC", True), ("Mars/Base", False), ("../etc/passwd", False),
     ("", False), ("/etc/localtime", False)],
)  # fmt: skip
def test_valid_zone(name: str, valid: bool) -> None:
    assert settings_sql.valid_zone(name) is valid


def held(key: str, destination: str, role: str = "reply") -> Outgoing:
    return Outgoing(key, destination, "e1", role, Message(key), held=True)


def test_held_messages_are_never_claimed_and_fold_into_a_digest(store: Store) -> None:
    with store.transaction() as conn:
        outbox_sql.enqueue(
            conn,
            [held("a|root", "telegram:1", "root"), held("a|reply", "telegram:1"),
             held("a|edit", "telegram:1", "edit")],
            NOW,
        )  # fmt: skip
        assert outbox_sql.claim_heads(conn, "w", NOW, NOW - NOW, 10) == []
        assert held_sql.root_held(conn, "telegram:1", "e1")
        assert held_sql.held_count(conn, "telegram:1", NOW) == 3
        assert held_sql.fold_held(conn, "telegram:1", NOW, NOW) == 3
        assert held_sql.held_count(conn, "telegram:1", NOW) == 0
        assert not outbox_sql.has_root(conn, "telegram:1", "e1"), "a folded root is dropped"
        assert outbox_sql.counts(conn) == {("reply", "folded"): 1, ("edit", "folded"): 1}


def test_a_released_thread_goes_out_root_first(store: Store) -> None:
    with store.transaction() as conn:
        outbox_sql.enqueue(
            conn, [held("b|root", "slack:C1", "root"), held("b|edit", "slack:C1", "edit")], NOW
        )
        assert held_sql.release_thread(conn, "slack:C1", "e1") == 2
        claimed = outbox_sql.claim_heads(conn, "w", NOW, NOW - NOW, 10)
        assert [(i.key, i.status) for i in claimed] == [("b|root", "pending")]


def test_a_moved_chat_keeps_its_settings_and_held_messages(store: Store) -> None:
    with store.transaction() as conn:
        subscription_sql.subscribe(conn, "telegram:-5", frozenset({"all"}), None, "u", NOW)
        settings_sql.put_settings(conn, "telegram:-5", KYIV_NIGHTS, NOW)
        outbox_sql.enqueue(conn, [held("c|reply", "telegram:-5")], NOW)
        move_destination(conn, "telegram:-5", "telegram:-1005", NOW)
        assert settings_sql.get_settings(conn, "telegram:-1005") == KYIV_NIGHTS
        assert settings_sql.get_settings(conn, "telegram:-5") == ChatSettings()
        assert held_sql.held_count(conn, "telegram:-1005", NOW) == 1
        assert outbox_sql.close_destination(conn, "telegram:-1005", "disabled", NOW, "gone") == 1
        assert held_sql.held_count(conn, "telegram:-1005", NOW) == 0
