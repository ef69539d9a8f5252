"""Issue 7's "done when", end to end: `tallywire run` in Slack's HTTP mode as a process,
slack_sdk pointed at the fake Web API, slash commands and events signed as Slack signs them,
the seeds published one by one on a local feed server."""

from __future__ import annotations

import json
import signal
import socket
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer
from tests.fakes.service_harness import free_port, outbox_rows, settled, start, stop, wait_until
from tests.fakes.slack_api import BOT_USER, SlackApi
from tests.fakes.slack_harness import (
    APP_TOKEN,
    BOT_TOKEN,
    FORM,
    SIGNING_SECRET,
    command_body,
    event_body,
    post,
    signed_headers,
    slack_env,
    slash,
)
from tests.fakes.telegram_harness import FEED_PATH, seed_items

# How long a service may take to listen: start-up checks authenticate with the fake Slack API
# and migrate the store first, which on a busy machine takes more than a few seconds. A bound,
# not a wait: a quick start goes on at once.
START_SECONDS = 30

CHANNEL, ADMIN, MEMBER = "C0NEWS", "U0ADMIN", "U0MEMBER"


@pytest.fixture
def api() -> Iterator[SlackApi]:
    with SlackApi(BOT_TOKEN) as fake:
        fake.users[ADMIN] = {"is_admin": True}
        yield fake


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.set_feed(FEED_PATH, [])
        yield server


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'slack.db'}"


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def answer(url: str, api: SlackApi, command: str, text: str, user: str = ADMIN) -> str:
    """Send a slash command; the text of its answer through response_url."""
    started = time.monotonic()
    response, response_url = slash(url, api, command, text, CHANNEL, user)
    assert response.status_code == 200, response.text
    assert time.monotonic() - started < 3, "not acked within 3 s"
    assert wait_until(lambda: api.responded(response_url), 20), f"no answer to {command} {text}"
    return str(api.responded(response_url)[0]["text"])


def mention(url: str, api: SlackApi, text: str, ts: str, event_id: str, retry: int = 0) -> int:
    event = {
        "type": "app_mention", "user": MEMBER, "text": f"<@{BOT_USER}> {text}",
        "ts": ts, "channel": CHANNEL, "event_ts": ts,
    }  # fmt: skip
    body = event_body(event, event_id)
    headers = signed_headers(body, "application/json")
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return post(url, body, headers).status_code


def alerts(api: SlackApi) -> list:  # type: ignore[type-arg]
    return [p for p in api.posts_to(CHANNEL) if p.metadata]


def test_a_channel_subscribes_asks_and_gets_each_event_as_a_thread(
    api: SlackApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/slack/events"
    service = start(slack_env(tmp_path, api, db, feeds.url(FEED_PATH), port), tmp_path)
    try:
        assert wait_until(lambda: listening(port), START_SECONDS), "PORT is not listened on"
        refused = answer(url, api, "/tallywire", "subscribe", user=MEMBER)
        assert "Only workspace admins" in refused
        assert "Subscribed this chat" in answer(url, api, "/tallywire", "subscribe")
        for item in seed_items():
            feeds.publish(FEED_PATH, item)
            time.sleep(2.5)
        assert wait_until(lambda: settled(db), 90)
        swaps = answer(url, api, "/swaps", "")
        attacks = answer(url, api, "/attacks", "2025-05-24")
        for retry in (0, 1, 2):  # Slack retrying the same event: answered once
            assert mention(url, api, "how many prisoners have been exchanged?",
                           "1748100000.000100", "Ev0Q1", retry) == 200  # fmt: skip
        assert wait_until(lambda: api.answers_in_thread(CHANNEL, "1748100000.000100"), 15)
        time.sleep(1.5)
        question = api.answers_in_thread(CHANNEL, "1748100000.000100")
    finally:
        started = time.monotonic()
        assert stop(service, signal.SIGTERM) == 0
        assert time.monotonic() - started < 10
    assert "1,000 of 1,000" in swaps and "390" in swaps
    assert "128 shot down" in attacks and "250 drones" in attacks
    assert len(question) == 1 and "1,000" in question[0].text
    posts = alerts(api)
    roots = [p for p in posts if p.thread_ts is None]
    replies = [p for p in posts if p.thread_ts is not None]
    keys = {k for k, role, _ in outbox_rows(db) if role == "root" and k.startswith("slack:")}
    assert len(roots) == len(keys) >= 5, "one parent per event"
    assert len({p.text.split("\n", 1)[0] for p in roots}) == len(roots)
    assert replies and all(p.thread_ts in {r.ts for r in roots} for p in replies)
    assert sum(len(r.edits) for r in roots) > 0, "no parent was updated with chat.update"
    assert all(r.blocks for r in roots)
    assert api.violations == []
    log = (tmp_path / "service.log").read_text()
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log


def test_forged_and_stale_requests_are_refused(
    api: SlackApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/slack/events"
    service = start(slack_env(tmp_path, api, db, feeds.url(FEED_PATH), port), tmp_path)
    try:
        assert wait_until(lambda: listening(port), START_SECONDS)
        body = command_body("/tallywire", "subscribe", CHANNEL, ADMIN, api.response_url())
        unsigned = post(url, body, {"Content-Type": FORM})
        wrong = post(url, body, signed_headers(body, FORM, secret="not-the-secret"))
        stale = post(url, body, signed_headers(body, FORM, timestamp=int(time.time()) - 301))
        statuses = {unsigned.status_code, wrong.status_code, stale.status_code}
        assert statuses <= {401, 403}, statuses
        time.sleep(1)
        assert not api.calls_of("users.info") and not any(api.responses.values())
        good = post(url, body, signed_headers(body, FORM))
        assert good.status_code == 200
        assert wait_until(lambda: any(api.responses.values()), 10)
    finally:
        assert stop(service) == 0


def test_under_429s_a_minute_of_errors_and_a_restart_every_alert_arrives_once(
    api: SlackApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/slack/events"
    env = slack_env(tmp_path, api, db, feeds.url(FEED_PATH), port, LOG_LEVEL="INFO")
    service = start(env, tmp_path)
    try:
        assert wait_until(lambda: listening(port), START_SECONDS)
        assert "Subscribed" in answer(url, api, "/tallywire", "subscribe all")
        api.fail(429, times=3, retry_after=2)
        for item in seed_items():
            feeds.publish(FEED_PATH, item)
        assert wait_until(lambda: len(alerts(api)) >= 4, 40)
        api.fail(500, seconds=60)
        time.sleep(5)
        assert stop(service) == 0
        service = start(env, tmp_path)
        assert wait_until(lambda: settled(db), 200), "the backlog was not delivered"
    finally:
        assert stop(service) == 0
    posts = alerts(api)
    sent = [k for k, role, status in outbox_rows(db) if role != "edit" and status == "sent"]
    assert len(posts) == len(sent), "an alert was lost or doubled"
    keys = Counter(json.dumps(p.metadata, sort_keys=True) for p in posts)
    assert [k for k, n in keys.items() if n > 1] == []
    assert any(c.status == 429 for c in api.calls) and any(c.status == 500 for c in api.calls)
    assert api.violations == []


def test_a_channel_the_app_was_removed_from_is_disabled(
    api: SlackApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/slack/events"
    service = start(slack_env(tmp_path, api, db, feeds.url(FEED_PATH), port), tmp_path)
    try:
        assert wait_until(lambda: listening(port), START_SECONDS)
        assert "Subscribed" in answer(url, api, "/tallywire", "subscribe")
        api.fail(error="not_in_channel", times=1000, methods=("chat.postMessage",))
        feeds.publish(FEED_PATH, seed_items()[0])
        assert wait_until(lambda: any(s == "disabled" for _, _, s in outbox_rows(db)), 30), (
            "the destination was not disabled"
        )
    finally:
        assert stop(service) == 0
    assert len(api.calls_of("chat.postMessage")) == 1


def test_with_an_app_token_it_connects_in_socket_mode_and_serves_no_route(
    feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    with SlackApi(BOT_TOKEN, app_token=APP_TOKEN) as api:
        port = free_port()
        env = slack_env(
            tmp_path, api, db, feeds.url(FEED_PATH), port,
            SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="",
        )  # fmt: skip
        service = start(env, tmp_path)
        try:
            assert wait_until(lambda: api.calls_of("apps.connections.open"), 15)
            assert all(c.token == APP_TOKEN for c in api.calls_of("apps.connections.open"))
            assert wait_until(lambda: listening(port), START_SECONDS)
            body = command_body("/swaps", "", CHANNEL, ADMIN, api.response_url())
            assert post(url_of(port), body, signed_headers(body, FORM)).status_code == 404
        finally:
            started = time.monotonic()
            assert stop(service) == 0
            assert time.monotonic() - started < 10
        log = (tmp_path / "service.log").read_text()
        assert APP_TOKEN not in log and APP_TOKEN.split("-")[-1] not in log


def url_of(port: int) -> str:
    return f"http://127.0.0.1:{port}/slack/events"
