"""Issue 17's help that fits the platform, end to end: `tallywire run` against the fake Bot API
and the fake Slack API, each answering in its own command syntax, unknown commands answered with
the closest one, Telegram's /start welcome and command menu, a named channel named back."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.commands import COMMANDS
from tests.fakes.feed_server import FeedServer
from tests.fakes.service_harness import free_port, start, stop, wait_until
from tests.fakes.slack_api import SlackApi
from tests.fakes.slack_harness import BOT_TOKEN, slack_env, slash
from tests.fakes.telegram_api import BOT_USERNAME, TelegramApi, parse_html
from tests.fakes.telegram_harness import FEED_PATH, TOKEN, telegram_env

USER, GROUP, CHANNEL_ID, MEMBER = 42, -1001500, -1002600, 7
SLACK_CHANNEL, SLACK_ADMIN, SLACK_MEMBER = "C0NEWS", "U0ADMIN", "U0MEMBER"
LISTED = [c for c in COMMANDS if c.listed]


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.set_feed(FEED_PATH, [])
        yield server


def telegram_answer(api: TelegramApi, chat: int, user: int, text: str) -> str:
    message_id = api.user_sends(chat, user, text)
    assert wait_until(lambda: api.answers_to(chat, message_id), 20), f"no answer to {text!r}"
    time.sleep(0.3)  # the rest of a long answer
    return "\n".join(parse_html(m.text)[0] for m in api.answers_to(chat, message_id))


def test_telegram_speaks_telegram(feeds: FeedServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'telegram.db'}"
    with TelegramApi(TOKEN) as api:
        api.usernames["@mychannel"] = CHANNEL_ID
        api.chat_types[CHANNEL_ID] = "channel"
        api.admins[(CHANNEL_ID, USER)] = "administrator"
        service = start(telegram_env(tmp_path, api, db, feeds.url(FEED_PATH)), tmp_path)
        try:
            assert wait_until(lambda: api.calls_of("getUpdates"), 15), "the bot does not poll"
            welcome = telegram_answer(api, USER, USER, "/start")
            helped = telegram_answer(api, USER, USER, "/help")
            unknown = telegram_answer(api, USER, USER, "/frobnicate")
            near = telegram_answer(api, USER, USER, "/subscibe swap")
            addressed = telegram_answer(api, GROUP, MEMBER, f"/frobnicate@{BOT_USERNAME}")
            bare = api.user_sends(GROUP, MEMBER, "/frobnicate")
            other_bot = api.user_sends(GROUP, MEMBER, "/frobnicate@SomeOtherBot")
            named = telegram_answer(api, USER, USER, "/subscribe @mychannel swap")
            time.sleep(1.0)  # what the group's other commands would have got by now
            menu = api.calls_of("setMyCommands")
        finally:
            assert stop(service) == 0
        assert not api.answers_to(GROUP, bare) and not api.answers_to(GROUP, other_bot)
        assert api.violations == []
    lines = welcome.splitlines()
    assert lines[0] == "Welcome to Tallywire" and "/subscribe" in lines[3]
    assert [line for line in lines if line.startswith("/")] == helped.splitlines()[1:]
    assert helped.splitlines()[1:] == [f"/{c.usage}: {c.help}" for c in LISTED]
    assert "/tallywire" not in helped
    assert unknown.startswith("There is no command /frobnicate.") and "/swaps" in unknown
    assert near.startswith("There is no command /subscibe. Did you mean /subscribe?")
    assert addressed.startswith("There is no command /frobnicate.")
    assert named.startswith("Subscribed @mychannel to swap")
    commands = menu[-1].params["commands"]
    listed = json.loads(commands) if isinstance(commands, str) else commands
    assert [c["command"] for c in listed] == [c.name for c in LISTED]  # type: ignore[index, union-attr]


def test_slack_speaks_slack(feeds: FeedServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'slack.db'}"
    port = free_port()
    url = f"http://127.0.0.1:{port}/slack/events"

    def answer(text: str, user: str = SLACK_ADMIN) -> str:
        response, response_url = slash(url, api, "/tallywire", text, SLACK_CHANNEL, user)
        assert response.status_code == 200, response.text
        assert wait_until(lambda: api.responded(response_url), 20), f"no answer to {text!r}"
        return str(api.responded(response_url)[0]["text"])

    with SlackApi(BOT_TOKEN) as api:
        api.users[SLACK_ADMIN] = {"is_admin": True}
        service = start(slack_env(tmp_path, api, db, feeds.url(FEED_PATH), port), tmp_path)
        try:
            assert wait_until(lambda: listening(port), 30), "PORT is not listened on"
            helped = answer("help")
            unknown = answer("frobnicate")
            near = answer("atacks May 24")
            refused = answer("subscribe", user=SLACK_MEMBER)
        finally:
            assert stop(service) == 0
    commands = helped.splitlines()[1:]
    assert commands == [f"/tallywire {c.usage}: {c.help}" for c in LISTED]
    assert unknown.startswith("There is no command /tallywire frobnicate.")
    assert "/tallywire swaps" in unknown and "/tallywire help says" in unknown
    assert near.startswith(
        "There is no command /tallywire atacks. Did you mean /tallywire attacks?"
    )
    assert refused == "Only workspace admins or Tallywire's operators can subscribe it."


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
