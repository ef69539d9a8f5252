"""Issue 12, point 4, end to end: a DEBUG run of `tallywire run` with every secret set grepped
line by line for each secret; none may appear.

The run is Telegram in webhook mode (the fake Bot API; python-telegram-bot logs each setWebhook
with its secret_token at DEBUG), Slack in Socket Mode with a signing secret too (the fake Web
API; its WebSocket URL refuses connections, so the adapter retries and logs), the webhook channel
on a URL with a password (the fake chat server), the seeds replayed and delivered, commands sent
through the webhook, and the Bot API failing now and then. The database URL carries a password
when a PostgreSQL test database is given (it trusts loopback, so any password is taken).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
import pytest

from bot.settings import normalize_database_url
from tests.conftest import PG_ENV, _postgres_schema
from tests.fakes.chat_server import ChatServer
from tests.fakes.service_harness import base_env, free_port, start, stop, wait_until
from tests.fakes.slack_api import SlackApi
from tests.fakes.slack_harness import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from tests.fakes.telegram_api import TelegramApi
from tests.fakes.telegram_harness import TOKEN

HOOK_SECRET = "wh-Secret_7d1e9c2b"
HOOK_PASSWORD = "chatPass-5f3a9"
DB_PASSWORD = "dbPass-c0ffee42"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """(the database URL, the secrets in it): PostgreSQL with a password if given, else SQLite."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield f"sqlite:///{tmp_path / 'secrets.db'}", []
        return
    for url in _postgres_schema(normalize_database_url(base)):
        parts = urlsplit(url)
        netloc = f"{parts.username or 'postgres'}:{quote(DB_PASSWORD)}@{parts.hostname}"
        if parts.port:
            netloc += f":{parts.port}"
        yield urlunsplit(parts._replace(netloc=netloc)), [DB_PASSWORD]


def update(update_id: int, text: str) -> bytes:
    return json.dumps({
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 0, "text": text,
            "chat": {"id": 42, "type": "private", "first_name": "u"},
            "from": {"id": 42, "is_bot": False, "first_name": "u"},
            "entities": [{"type": "bot_command", "offset": 0, "length": text.find(" ") % 99}],
        },
    }).encode()  # fmt: skip


def test_no_secret_reaches_the_log_of_a_debug_run(
    database: tuple[str, list[str]], tmp_path: Path
) -> None:
    db, db_secrets = database
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    with (
        TelegramApi(TOKEN) as telegram,
        SlackApi(BOT_TOKEN, APP_TOKEN) as slack,
        ChatServer() as chat,
    ):
        chat_url = chat.url.replace("http://", f"http://tally:{HOOK_PASSWORD}@")
        env = base_env(tmp_path, db)
        env.update(
            LOG_LEVEL="DEBUG",
            PORT=str(port),
            TALLYWIRE_POLL_SECONDS="1",
            TALLYWIRE_WEBHOOK_URL=chat_url,
            TALLYWIRE_WEBHOOK_SPACING="0",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=telegram.base_url,
            TELEGRAM_WEBHOOK_URL=hook,
            TELEGRAM_WEBHOOK_SECRET=HOOK_SECRET,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_APP_TOKEN=APP_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.base_url,
        )
        telegram.fail(500, times=2, methods=("setWebhook",))
        service = start(env, tmp_path)
        try:
            assert wait_until(lambda: telegram.webhook.get("secret_token") == HOOK_SECRET, 30)
            assert wait_until(lambda: slack.calls_of("apps.connections.open"), 15)
            right = {"X-Telegram-Bot-Api-Secret-Token": HOOK_SECRET}
            for n, text in enumerate(["/start", "/subscribe", f"/addfeed {chat_url}/x"], 1):
                status = httpx.post(hook, content=update(n, text), headers=right, timeout=10)
                assert status.status_code == 200
            assert wait_until(lambda: len(telegram.answers_to(42, 3)) > 0, 20)
            assert wait_until(lambda: len(chat.messages) > 0, 30), "the seeds were not delivered"
            time.sleep(2)  # Socket Mode's retries, more polls
        finally:
            assert stop(service) == 0
    log = (tmp_path / "service.log").read_text()
    secrets = {
        TOKEN, TOKEN.split(":")[1], HOOK_SECRET, BOT_TOKEN, APP_TOKEN, SIGNING_SECRET,
        HOOK_PASSWORD, *db_secrets,
    }  # fmt: skip
    lines = log.splitlines()
    assert len(lines) > 50, "the run logged too little to prove anything"
    leaks = [(secret, line) for line in lines for secret in secrets if secret in line]
    assert leaks == []
    # The lines that held them before issue 12 are there, redacted
    assert "'secret_token': '<redacted>'" in log
    assert "/bot<redacted>/" in log or "bot<redacted>" in log
