"""/settings (issue 17): the text form parsed (pure, a table of cases) and every setting
changed through the command table over real stores, with who may change them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.commands.chat_settings import BUTTONS, Edit, SettingsError, apply, parse
from bot.commands.context import Caller, CommandContext
from bot.commands.dialects import Dialect
from bot.commands.table import dispatch
from bot.compose import Message
from bot.reconcile.rulebook import Rulebook
from bot.store import ChatSettings, Store
from bot.store import chat_settings as settings_sql
from bot.store import held as held_sql
from bot.store import outbox as outbox_sql
from bot.store import subscriptions as subscription_sql
from tests.commands.test_table import SETTINGS, FakeResolver

NOW = datetime(2025, 6, 1, 21, 30, tzinfo=UTC)  # 00:30 in Kyiv
ME = Caller("u1", "telegram:42", private=True, chat_admin=False)
MEMBER = Caller("u2", "telegram:-100", private=False, chat_admin=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("show", None),
        ("quiet 23:00-07:00 Europe/Kyiv", Edit("quiet", (time(23), time(7)), "Europe/Kyiv")),
        ("quiet 7:30-9:00", Edit("quiet", (time(7, 30), time(9)), None)),
        ("quiet off", Edit("quiet")),
        ("digest 08:00", Edit("digest", time(8), None)),
        ("digest 08:00 UTC", Edit("digest", time(8), "UTC")),
        ("digest off", Edit("digest")),
        ("alerts conflict milestone", Edit("alerts", frozenset({"conflict", "milestone"}))),
        ("ALERTS default", Edit("alerts", None)),
        ("breakthrough conflict", Edit("breakthrough", frozenset({"conflict"}))),
        ("breakthrough none", Edit("breakthrough", frozenset())),
        ("topics swap", Edit("topics", frozenset({"swap"}))),
        ("topics all", Edit("topics", frozenset({"all"}))),
        ("zone America/New_York", Edit("zone", zone="America/New_York")),
        ("charts on", Edit("charts", True)),
        ("Chart off", Edit("charts", False)),
    ],
)
def test_parse(text: str, expected: Edit | None) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("quiet 23:00", "start-end"),
        ("quiet 23:00-23:00", "other than their start"),
        ("quiet 25:00-07:00", "not a time of day"),
        ("quiet 23:00-07:00 Mars/Olympus", "not a time zone"),
        ("quiet 23:00-07:00 ../../etc/passwd", "not a time zone"),
        ("digest noon", "not a time of day"),
        ("digest", "time of day"),
        ("alerts panic", "change kinds"),
        ("alerts", "change kinds"),
        ("breakthrough everything", "change kinds"),
        ("topics weather", "swap, attack or all"),
        ("zone", "one time zone"),
        ("colour blue", "no setting 'colour'"),
        ("charts", "on or off"),
        ("charts daily", "on or off"),
    ],
)
def test_bad_text_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(SettingsError, match=says):
        parse(text)


def test_every_button_is_a_text_form_that_parses() -> None:
    actions = [b.action for row in BUTTONS for b in row]
    assert len(actions) >= 10 and all(len(a.encode()) <= 64 for a in actions)  # Telegram's limit
    assert all(a.startswith("settings ") and parse(a[9:]) is not None for a in actions)


def test_setting_hours_starts_their_count_now() -> None:
    quiet = apply(ChatSettings(), Edit("quiet", (time(23), time(7)), "Europe/Kyiv"), NOW)
    assert quiet == ChatSettings(
        time_zone="Europe/Kyiv", quiet=(time(23), time(7)), last_digest_at=NOW
    )
    assert apply(quiet, Edit("alerts", frozenset({"new"})), NOW).alert_kinds == {"new"}
    later = NOW + timedelta(hours=5)
    moved = apply(quiet, Edit("quiet", (time(22), time(6)), None), later)
    assert moved.quiet == (time(22), time(6)) and moved.last_digest_at == NOW, "count kept"
    daily = apply(moved, Edit("digest", time(8), "UTC"), later)
    assert daily.last_digest_at == NOW and daily.time_zone == "UTC"


def run(store: Store, caller: Caller, text: str, now: datetime = NOW) -> Message:
    ctx = CommandContext(
        store, Rulebook.from_settings(SETTINGS), SETTINGS, lambda: now, FakeResolver()
    )
    return asyncio.run(dispatch(ctx, caller, "settings", text))


def stored(store: Store, destination: str = ME.destination) -> ChatSettings:
    with store.reading() as conn:
        return settings_sql.get_settings(conn, destination)


def test_each_setting_changes_by_text_and_is_shown(store: Store) -> None:
    with store.transaction() as conn:
        subscription_sql.subscribe(conn, ME.destination, frozenset({"all"}), None, "u1", NOW)
    shown = run(store, ME, "")
    assert "Quiet hours: off" in shown.lines and "Digest: off" in shown.lines
    assert shown.buttons == BUTTONS
    assert stored(store) == ChatSettings()
    run(store, ME, "quiet 23:00-07:00 Europe/Kyiv")
    assert stored(store).quiet == (time(23), time(7))
    assert stored(store).time_zone == "Europe/Kyiv"
    run(store, ME, "breakthrough conflict milestone")
    assert stored(store).breakthrough == {"conflict", "milestone"}
    run(store, ME, "alerts conflict milestone")
    assert stored(store).alert_kinds == {"conflict", "milestone"}
    run(store, ME, "digest 08:00")
    assert stored(store).digest_at == time(8)
    run(store, ME, "zone UTC")
    assert stored(store).time_zone == "UTC"
    reply = run(store, ME, "topics swap")
    assert "Topics: swap" in reply.lines
    with store.reading() as conn:
        assert subscription_sql.get_subscription(conn, ME.destination).topics == {"swap"}  # type: ignore[union-attr]
    assert "Digest: daily at 08:00" in reply.lines and "Quiet hours: 23:00-07:00" in reply.lines
    assert "Charts in event threads: off" in reply.lines
    reply = run(store, ME, "charts on")
    assert stored(store).charts is True and "Charts in event threads: on" in reply.lines
    for text in ("digest off", "quiet off", "alerts default", "breakthrough none", "charts off"):
        run(store, ME, text)
    assert stored(store) == ChatSettings(time_zone="UTC", last_digest_at=NOW)
    bad = run(store, ME, "quiet 23:00-07:00 Nowhere/City")
    assert bad.failed and "not a time zone" in bad.title


def test_only_a_groups_admins_change_its_settings(store: Store) -> None:
    refused = run(store, MEMBER, "quiet 23:00-07:00")
    assert refused.failed and "settings" in refused.title
    assert stored(store, MEMBER.destination) == ChatSettings()


def test_turning_quiet_hours_off_sends_what_was_held_as_one_digest(store: Store) -> None:
    with store.transaction() as conn:
        subscription_sql.subscribe(conn, ME.destination, frozenset({"all"}), None, "u1", NOW)
    run(store, ME, "quiet 23:00-07:00 Europe/Kyiv")
    with store.transaction() as conn:
        item = outbox_sql.Outgoing("k", ME.destination, "e1", "reply", Message("m"), held=True)
        outbox_sql.enqueue(conn, [item], NOW)
    run(store, ME, "quiet off")
    with store.reading() as conn:
        assert held_sql.held_count(conn, ME.destination, NOW) == 0
        waiting = outbox_sql.pending(conn, [ME.destination])
    assert [(i.role, i.status) for i in waiting] == [("digest", "pending")]


def test_replies_write_settings_as_the_callers_platform_does(store: Store) -> None:
    slack = Caller("U1", "slack:D1", private=True, chat_admin=False,
                   dialect=Dialect("slack", "/tallywire "))  # fmt: skip
    note = run(store, slack, "").note
    assert note == "Change one with a button, or type /tallywire settings NAME VALUE."
    wrong = run(store, slack, "digest noon")
    assert "/tallywire settings digest 08:00" in wrong.title and wrong.failed
