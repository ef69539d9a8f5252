"""Issue 6's "done when", end to end: `tallywire run` as a process, python-telegram-bot pointed
at the fake Bot API, the seeds published one by one on a local feed server."""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.commands import TROUBLE
from tests.fakes.feed_server import FeedServer
from tests.fakes.service_harness import free_port, outbox_rows, settled, start, stop, wait_until
from tests.fakes.telegram_api import BOT_USERNAME, TelegramApi, parse_html
from tests.fakes.telegram_harness import FEED_PATH, TOKEN, seed_items, telegram_env

USER = 42
GROUP = -1001500
MEMBER, ADMIN = 7, 8


@pytest.fixture
def api() -> Iterator[TelegramApi]:
    with TelegramApi(TOKEN) as fake:
        yield fake


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.set_feed(FEED_PATH, [])
        yield server


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'telegram.db'}"


def ask(api: TelegramApi, chat: int, user: int, text: str, **how: object) -> str:
    """Send `text` as the user and return the bot's answer to it (its parts joined)."""
    message_id = api.user_sends(chat, user, text, **how)  # type: ignore[arg-type]
    assert wait_until(lambda: api.answers_to(chat, message_id), 20), f"no answer to {text!r}"
    time.sleep(0.3)  # the rest of a long answer
    return "\n".join(parse_html(m.text)[0] for m in api.answers_to(chat, message_id))


def telegram_roots(db: str, destination: str) -> set[str]:
    return {k for k, role, _ in outbox_rows(db) if role == "root" and k.startswith(destination)}


def test_a_private_chat_subscribes_asks_and_gets_each_event_as_a_thread(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    service = start(telegram_env(tmp_path, api, db, feeds.url(FEED_PATH)), tmp_path)
    try:
        assert wait_until(lambda: api.calls_of("getUpdates"), 15), "the bot does not poll"
        assert "Subscribed this chat" in ask(api, USER, USER, "/subscribe")
        for item in seed_items():
            feeds.publish(FEED_PATH, item)
            time.sleep(2.5)
        assert wait_until(lambda: settled(db), 90)
        swaps = ask(api, USER, USER, "/swaps")
        attacks = ask(api, USER, USER, "/attacks 2025-05-24")
        question = ask(api, USER, USER, "how many drones were shot down on May 24?")
    finally:
        started = time.monotonic()
        assert stop(service, signal.SIGTERM) == 0
        assert time.monotonic() - started < 10
    assert "1,000 of 1,000" in swaps and "390" in swaps
    assert "128 shot down" in attacks and "250 drones" in attacks
    assert "128 drones shot down" in question
    posts = api.alerts_to(USER)
    roots = [m for m in posts if m.reply_to is None]
    replies = [m for m in posts if m.reply_to is not None]
    assert len(roots) == len(telegram_roots(db, f"telegram:{USER}|")) >= 5
    assert len({m.text.split("\n", 1)[0] for m in roots}) == len(roots), "one root per event"
    assert replies and all(m.reply_to in {r.message_id for r in roots} for m in replies)
    assert sum(len(m.edits) for m in roots) > 0, "no summary was edited as tallies changed"
    assert api.calls_of("setMyCommands")
    assert api.violations == []
    log = (tmp_path / "service.log").read_text()
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


def test_only_a_groups_admins_subscribe_it_and_a_mention_is_a_question(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    api.admins[(GROUP, ADMIN)] = "administrator"
    service = start(telegram_env(tmp_path, api, db, feeds.url(FEED_PATH)), tmp_path)
    try:
        assert wait_until(lambda: api.calls_of("getUpdates"), 15)
        refused = ask(api, GROUP, MEMBER, f"/subscribe@{BOT_USERNAME} swap")
        assert "Only this group's admins" in refused
        assert not telegram_roots(db, f"telegram:{GROUP}|")
        assert "Subscribed this chat" in ask(api, GROUP, ADMIN, "/subscribe swap")
        not_for_me = api.user_sends(GROUP, MEMBER, "nice weather")
        answer = ask(api, GROUP, MEMBER, f"@{BOT_USERNAME} how many prisoners were exchanged?")
        assert answer
        assert not api.answers_to(GROUP, not_for_me)
    finally:
        assert stop(service) == 0
    assert api.violations == []


def test_under_429s_a_minute_of_500s_and_a_restart_every_alert_arrives_once(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    env = telegram_env(tmp_path, api, db, feeds.url(FEED_PATH), LOG_LEVEL="INFO")
    service = start(env, tmp_path)
    try:
        assert wait_until(lambda: api.calls_of("getUpdates"), 15)
        assert "Subscribed" in ask(api, USER, USER, "/subscribe")
        api.fail(429, times=3, retry_after=2)
        for item in seed_items():
            feeds.publish(FEED_PATH, item)
        assert wait_until(lambda: len(api.messages_to(USER)) >= 4, 30)
        api.fail(500, seconds=60, methods=("sendMessage", "editMessageText", "getUpdates"))
        time.sleep(5)
        assert stop(service) == 0
        service = start(env, tmp_path)
        assert wait_until(lambda: settled(db), 200), "the backlog was not delivered"
    finally:
        assert stop(service) == 0
    posts = api.alerts_to(USER)
    sent_keys = [k for k, role, status in outbox_rows(db) if role != "edit" and status == "sent"]
    assert len(posts) == len(sent_keys), "an alert was lost or doubled"
    assert not [t for t, n in Counter(m.text for m in posts).items() if n > 1]
    assert any(c.status == 429 for c in api.calls) and any(c.status == 500 for c in api.calls)
    assert api.violations == []


def test_a_409_conflict_does_not_stop_the_bot(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    api.fail(409, times=3, methods=("getUpdates",))
    service = start(telegram_env(tmp_path, api, db, feeds.url(FEED_PATH)), tmp_path)
    try:
        assert "Welcome to Tallywire" in ask(api, USER, USER, "/start")
        assert service.poll() is None
    finally:
        assert stop(service) == 0
    assert "409 Conflict" in (tmp_path / "service.log").read_text()


def test_webhook_mode_refuses_a_missing_or_wrong_secret(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    env = telegram_env(
        tmp_path, api, db, feeds.url(FEED_PATH), PORT=str(port),
        TELEGRAM_WEBHOOK_URL=hook, TELEGRAM_WEBHOOK_SECRET="s3cret-Value_1",
    )  # fmt: skip
    service = start(env, tmp_path)
    update = {
        "update_id": 1,
        "message": {
            "message_id": 5, "date": 0, "text": "/help",
            "chat": {"id": USER, "type": "private", "first_name": "u"},
            "from": {"id": USER, "is_bot": False, "first_name": "u"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }  # fmt: skip
    try:
        assert wait_until(lambda: api.webhook.get("secret_token") == "s3cret-Value_1", 15)
        assert api.webhook["url"] == hook
        assert not api.calls_of("getUpdates"), "webhook mode does not poll"
        missing = httpx.post(hook, json=update, timeout=5)
        wrong = httpx.post(
            hook, json=update, timeout=5, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
        )
        assert (missing.status_code, wrong.status_code) == (403, 403)
        assert not api.answers_to(USER, 5)
        right = httpx.post(
            hook, json=update, timeout=5,
            headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Value_1"},
        )  # fmt: skip
        assert right.status_code == 200
        assert wait_until(lambda: api.answers_to(USER, 5), 10)
    finally:
        assert stop(service) == 0


def test_an_update_that_fails_is_answered_and_logged_and_the_next_is_served(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    api.usernames["@mychannel"] = -1002600
    api.garbled.add("getChat")  # "ok", with a chat python-telegram-bot cannot read
    service = start(telegram_env(tmp_path, api, db, feeds.url(FEED_PATH)), tmp_path)
    try:
        assert wait_until(lambda: api.calls_of("getUpdates"), 15)
        failed = ask(api, USER, USER, "/subscribe @mychannel swap")
        after = ask(api, USER, USER, "/help")
    finally:
        assert stop(service) == 0
    assert failed == TROUBLE
    assert after.startswith("Tallywire commands")
    log = (tmp_path / "service.log").read_text()
    assert log.count("Telegram: an update failed") == 1 and "Traceback" in log
    assert api.violations == []
