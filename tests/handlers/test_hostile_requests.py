"""Issue 12, points 3 and 5, end to end: `tallywire run` as a process serving Slack's HTTP mode
or Telegram's webhook on 127.0.0.1, sent what an attacker would send.

Forged requests are refused with one short log line, their repeats held back: twenty forged
1 MB Slack requests once added 20 MB to the log. A timestamp that is not a number gets 401, not
a 500 with a traceback. A body behind the right signature or secret that is not a payload gets
400 and one log line, never a 500.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.feed_server import FeedServer
from tests.fakes.service_harness import free_port, start, stop, wait_until
from tests.fakes.slack_api import SlackApi
from tests.fakes.slack_harness import (
    BOT_TOKEN,
    FORM,
    SIGNING_SECRET,
    command_body,
    signed_headers,
    slack_env,
)
from tests.fakes.telegram_api import TelegramApi
from tests.fakes.telegram_harness import FEED_PATH, TOKEN, telegram_env

FORGED = 20
MEGABYTE = 1_000_000
MARK = "FORGEDBODYMARK"
HOOK_SECRET = "s3cret-Value_1"
JSON = "application/json"


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.set_feed(FEED_PATH, [])
        yield server


def sign(body: bytes, kind: str, stamp: str | None = None) -> dict[str, str]:
    """Slack's headers for raw `body` bytes, signed with the right secret."""
    stamp = str(int(time.time())) if stamp is None else stamp
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256)
    return {
        "Content-Type": kind,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


def send(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST `body`; the status. Header values go as UTF-8 bytes, as an attacker may send."""
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    return httpx.post(url, content=body, headers=raw, timeout=20).status_code


def raw_status(port: int, request: bytes) -> bytes:
    """Send `request` as bytes on a new connection; the status line answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        return conn.recv(64).split(b"\r\n", 1)[0]


# Requests aiohttp cannot parse: it logged each as an ERROR with a traceback
NOT_HTTP = [
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n",
    b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
    b"Transfer-Encoding: chunked\r\n\r\nzzzzz",
]


def forged_body() -> bytes:
    head = command_body("/tallywire", "subscribe", "C0NEWS", "U0ADMIN", "http://127.0.0.1:9/r")
    return (head + "&text2=" + MARK * (MEGABYTE // len(MARK))).encode()


# Bodies that are not a Slack payload, each signed correctly.
MALFORMED_SLACK = [
    (b"{not json", JSON),
    (b"[1, 2, 3]", JSON),
    (b'"x"', JSON),
    (b"[" * 100_000 + b"]" * 100_000, JSON),
    (b"payload=not-json", FORM),
    (b"payload=%5B1%2C2%5D", FORM),  # payload=[1,2]
    (b"\xff\xfe\xfd", FORM),  # not UTF-8
    (b'{"type": "event_callback", "authorizations": "abc"}', JSON),
    (b'{"type": "event_callback", "authorizations": [5]}', JSON),
]


def test_forged_and_malformed_slack_requests_are_refused_in_one_short_line(
    feeds: FeedServer, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/slack/events"
    db = f"sqlite:///{tmp_path / 'slack.db'}"
    with SlackApi(BOT_TOKEN) as api:
        service = start(slack_env(tmp_path, api, db, feeds.url(FEED_PATH), port), tmp_path)
        log = tmp_path / "service.log"
        try:
            assert wait_until(lambda: "HTTP mode, events" in log.read_text(), 15)
            body = forged_body()
            before = log.stat().st_size
            forged = [
                send(url, body, signed_headers(body.decode(), FORM, secret="not-the-secret"))
                for _ in range(FORGED)
            ]
            time.sleep(0.5)
            per_request = (log.stat().st_size - before) / FORGED
            stamps = ["abc", "1e9", "", "+1748100000", "0x10", "١٧٤٨١٠٠٠٠٠", "9" * 40]
            bad_stamps = [send(url, b"x=1", sign(b"x=1", FORM, stamp=s)) for s in stamps]
            odd_signature = send(url, b"x=1", sign(b"x=1", FORM) | {"X-Slack-Signature": "v0=é"})
            malformed = [send(url, raw, sign(raw, kind)) for raw, kind in MALFORMED_SLACK]
            not_http = [raw_status(port, raw) for raw in NOT_HTTP for _ in range(5)]
            good_body = command_body("/swaps", "", "C0NEWS", "U0ADMIN", api.response_url())
            good = send(url, good_body.encode(), signed_headers(good_body, FORM))
        finally:
            assert stop(service) == 0
    text = log.read_text()
    assert forged == [401] * FORGED
    assert per_request < 1024, f"{per_request:.0f} bytes of log per forged request"
    assert MARK not in text
    assert bad_stamps == [401] * len(stamps)  # a 500 with a traceback each, before issue 12
    assert odd_signature == 401
    assert malformed == [400] * len(MALFORMED_SLACK)
    assert not_http == [b"HTTP/1.0 400 Bad Request"] * len(NOT_HTTP) * 5
    assert good == 200
    assert "Traceback" not in text
    refusals = [line for line in text.splitlines() if "Slack request" in line]
    assert 1 <= len(refusals) <= 4, refusals  # the repeats held back and counted
    assert all(len(line) < 400 for line in refusals)


MALFORMED_UPDATES = [
    b"[]",
    b'"x"',
    b"{}",
    b"not json",
    b'{"update_id": "x"}',
    b'{"update_id": 1, "message": "x"}',
    b'{"update_id": 1, "message": {"chat": 5}}',
    b"[" * 100_000 + b"]" * 100_000,
    b"\xff\xfe",
]


def test_forged_and_malformed_telegram_webhook_requests_are_refused_in_one_short_line(
    feeds: FeedServer, tmp_path: Path
) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    db = f"sqlite:///{tmp_path / 'telegram.db'}"
    with TelegramApi(TOKEN) as api:
        env = telegram_env(
            tmp_path, api, db, feeds.url(FEED_PATH), PORT=str(port),
            TELEGRAM_WEBHOOK_URL=hook, TELEGRAM_WEBHOOK_SECRET=HOOK_SECRET,
        )  # fmt: skip
        service = start(env, tmp_path)
        log = tmp_path / "service.log"
        try:
            assert wait_until(lambda: api.webhook.get("secret_token") == HOOK_SECRET, 15)
            body = (MARK * (MEGABYTE // len(MARK))).encode()
            before = log.stat().st_size
            forged = [
                send(hook, body, {"X-Telegram-Bot-Api-Secret-Token": "wrong"})
                for _ in range(FORGED)
            ]
            time.sleep(0.5)
            per_request = (log.stat().st_size - before) / FORGED
            right = {"X-Telegram-Bot-Api-Secret-Token": HOOK_SECRET, "Content-Type": JSON}
            # A header byte that is not UTF-8: aiohttp keeps it as a surrogate
            odd_secret = httpx.post(
                hook, content=b"[]", timeout=10,
                headers=[(b"X-Telegram-Bot-Api-Secret-Token", b"\xff" + HOOK_SECRET.encode())],
            ).status_code  # fmt: skip
            malformed = [send(hook, raw, right) for raw in MALFORMED_UPDATES]
            update = {"update_id": 1, "message": {"message_id": 5, "date": 0, "text": "hi",
                      "chat": {"id": 42, "type": "private", "first_name": "u"}}}  # fmt: skip
            good = send(hook, json.dumps(update).encode(), right)
        finally:
            assert stop(service) == 0
    text = log.read_text()
    assert forged == [403] * FORGED
    assert per_request < 1024, f"{per_request:.0f} bytes of log per forged request"
    assert MARK not in text
    assert odd_secret == 403
    assert malformed == [400] * len(MALFORMED_UPDATES)
    assert good == 200
    assert "Traceback" not in text
