"""Issue 17's "done when" on Telegram, end to end: `tallywire run` as a process against the fake
Bot API. Quiet hours hold the alerts of the seeds and deliver one digest when they end, across
a restart in between, once; a digest-mode chat gets one message at its time; /settings changes
each setting with a button (an inline keyboard's callback query) and with text."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.store.database import open_engine
from bot.store.schema import chat_settings
from tests.fakes.feed_server import FeedServer
from tests.fakes.service_harness import outbox_rows, settled, start, stop, wait_until
from tests.fakes.telegram_api import TelegramApi, parse_html
from tests.fakes.telegram_harness import FEED_PATH, seed_items, telegram_env
from tests.handlers.test_telegram_service import USER, api, ask, db, feeds

__all__ = ["api", "db", "feeds"]  # the fixtures, shared with the service's tests


def minute_after(seconds: float) -> datetime:
    """The first whole minute (UTC) at least `seconds` from now."""
    soon = datetime.now(UTC) + timedelta(seconds=seconds)
    return soon.replace(second=0, microsecond=0) + timedelta(minutes=1)


def stored_settings(db: str, destination: str) -> dict[str, object]:
    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                select(chat_settings).where(chat_settings.c.destination == destination)
            ).first()
        return dict(row._mapping) if row else {}
    finally:
        engine.dispose()


def publish_seeds(feeds: FeedServer, db: str) -> None:
    for item in seed_items():
        feeds.publish(FEED_PATH, item)
        time.sleep(2.5)
    assert wait_until(lambda: settled(db), 90)


def digests_of(db: str) -> list[tuple[str, str]]:
    return [(k, s) for k, r, s in outbox_rows(db) if r == "digest"]


def test_quiet_hours_hold_alerts_and_end_in_one_digest_across_a_restart(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    env = telegram_env(tmp_path, api, db, feeds.url(FEED_PATH))
    service = start(env, tmp_path)
    end = minute_after(50)
    begin = end - timedelta(hours=2)
    try:
        assert wait_until(lambda: api.calls_of("getUpdates"), 15)
        assert "Subscribed" in ask(api, USER, USER, "/subscribe")
        quiet = f"/settings quiet {begin:%H:%M}-{end:%H:%M} UTC"
        assert f"Quiet hours: {begin:%H:%M}-{end:%H:%M}" in ask(api, USER, USER, quiet)
        publish_seeds(feeds, db)
        held = [s for k, r, s in outbox_rows(db) if k.startswith(f"telegram:{USER}|")]
        assert held and set(held) == {"held"}
        assert api.alerts_to(USER) == [], "an alert went out in quiet hours"
        assert stop(service) == 0
        service = start(env, tmp_path, "restarted")
        assert datetime.now(UTC) < end, "too slow: the quiet hours ended before the restart"
        wait = (end - datetime.now(UTC)).total_seconds() + 30
        assert wait_until(lambda: api.alerts_to(USER), wait), "no digest at the quiet end"
        time.sleep(7)  # more than a digest tick: a second digest would be written by now
    finally:
        assert stop(service) == 0
    posts = api.alerts_to(USER)
    assert len(posts) == 1
    text = parse_html(posts[0].text)[0]
    assert text.startswith("While it was quiet: 4 events changed")
    assert "1,000" in text and "Milestone" in text
    assert digests_of(db) == [(f"telegram:{USER}|digest|{end.isoformat()}", "sent")]
    assert {s for k, r, s in outbox_rows(db) if r != "digest"} == {"folded"}
    assert api.violations == []


def test_a_digest_mode_chat_gets_one_message_at_its_time(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    service = start(telegram_env(tmp_path, api, db, feeds.url(FEED_PATH)), tmp_path)
    at = minute_after(35)
    try:
        assert wait_until(lambda: api.calls_of("getUpdates"), 15)
        assert "Subscribed" in ask(api, USER, USER, "/subscribe")
        assert f"Digest: daily at {at:%H:%M}" in ask(
            api, USER, USER, f"/settings digest {at:%H:%M}"
        )
        publish_seeds(feeds, db)
        assert api.alerts_to(USER) == []
        wait = (at - datetime.now(UTC)).total_seconds() + 30
        assert wait_until(lambda: api.alerts_to(USER), wait), "no digest at its time"
        time.sleep(7)
    finally:
        assert stop(service) == 0
    posts = api.alerts_to(USER)
    assert len(posts) == 1 and parse_html(posts[0].text)[0].startswith("Daily digest: 4 events")
    assert stored_settings(db, f"telegram:{USER}")["last_digest_at"] is not None
    assert digests_of(db) == [(f"telegram:{USER}|digest|{at.isoformat()}", "sent")]


def test_settings_change_with_buttons_and_with_text(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    service = start(telegram_env(tmp_path, api, db, feeds.url(FEED_PATH)), tmp_path)
    destination = f"telegram:{USER}"
    try:
        assert wait_until(lambda: api.calls_of("getUpdates"), 15)
        assert "Subscribed" in ask(api, USER, USER, "/subscribe")
        asked = api.user_sends(USER, USER, "/settings")
        assert wait_until(lambda: api.answers_to(USER, asked), 20)
        shown = api.answers_to(USER, asked)[0]
        assert wait_until(lambda: shown.markups[-1] is not None, 10)
        keyboard = shown.markups[-1]["inline_keyboard"]  # type: ignore[index]
        actions = [b["callback_data"] for row in keyboard for b in row]
        assert "settings quiet 23:00-07:00" in actions and "settings digest off" in actions
        expected = {
            "settings quiet 23:00-07:00": ("quiet_start", "23:00"),
            "settings breakthrough conflict milestone": ("breakthrough", "conflict,milestone"),
            "settings alerts conflict milestone": ("alert_kinds", "conflict,milestone"),
            "settings digest 08:00": ("digest_at", "08:00"),
            "settings topics swap": None,
            "settings digest off": ("digest_at", None),
        }
        for n, (action, column) in enumerate(expected.items(), 1):
            api.user_presses(USER, USER, shown.message_id, action)
            assert wait_until(lambda n=n: len(api.calls_of("answerCallbackQuery")) == n, 20)
            if column is not None:
                assert stored_settings(db, destination)[column[0]] == column[1], action
        assert "Topics: swap" in parse_html(shown.edits[-1])[0]
        assert shown.markups[-1] == shown.markups[1], "the edits keep the buttons"
        by_text = ask(api, USER, USER, "/settings zone Europe/Kyiv")
        assert "Time zone: Europe/Kyiv" in by_text
        assert stored_settings(db, destination)["time_zone"] == "Europe/Kyiv"
        assert "not a time zone" in ask(api, USER, USER, "/settings zone Mars/Base")
    finally:
        assert stop(service) == 0
    assert api.violations == []


def test_a_channel_named_in_a_private_chat_is_set_by_text_and_by_button(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    channel, stranger = -1001234567890, 99
    api.usernames["@mychannel"] = channel
    api.chat_types[channel] = "channel"
    api.admins[(channel, USER)] = "administrator"
    service = start(telegram_env(tmp_path, api, db, feeds.url(FEED_PATH)), tmp_path)
    try:
        assert wait_until(lambda: api.calls_of("getUpdates"), 15)
        refused = ask(api, stranger, stranger, "/settings @mychannel quiet 23:00-07:00")
        asked = api.user_sends(USER, USER, "/settings @mychannel quiet 23:00-07:00")
        assert wait_until(lambda: api.answers_to(USER, asked), 20)
        shown = api.answers_to(USER, asked)[0]
        assert wait_until(lambda: shown.markups[-1] is not None, 10)
        keyboard = shown.markups[-1]["inline_keyboard"]  # type: ignore[index]
        actions = [b["callback_data"] for row in keyboard for b in row]
        after_text = dict(stored_settings(db, f"telegram:{channel}"))
        api.user_presses(USER, USER, shown.message_id, f"settings {channel} quiet off")
        assert wait_until(lambda: api.calls_of("answerCallbackQuery"), 20)
        after_press = stored_settings(db, f"telegram:{channel}")
    finally:
        assert stop(service) == 0
    assert refused.startswith("Only @mychannel's admins")
    assert parse_html(shown.text)[0].startswith("Settings for @mychannel")
    assert f"settings {channel} quiet off" in actions and all(
        a.startswith(f"settings {channel} ") for a in actions
    )
    assert after_text["quiet_start"] == "23:00" and after_press["quiet_start"] is None
    assert "Quiet hours: off" in parse_html(shown.edits[-1])[0]
    assert stored_settings(db, f"telegram:{USER}") == {}, "the private chat's own are untouched"
    assert api.violations == []
