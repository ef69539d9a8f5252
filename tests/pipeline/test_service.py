"""The service as a PaaS runs it: `tallywire run` in its own process, against a fake chat
channel server that fails on command (issue 5's "done when")."""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.chat_server import ChatServer
from tests.fakes.service_harness import (
    duplicates,
    free_port,
    in_thread_order,
    outbox_rows,
    sent_posts,
    service_env,
    settled,
    start,
    stop,
    wait_until,
)

OUTAGE_SECONDS = 60


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'service.db'}"


def test_the_chat_server_down_for_a_minute_then_back(
    chat: ChatServer, db: str, tmp_path: Path
) -> None:
    chat.down()
    service = start(service_env(tmp_path, chat, db), tmp_path)
    try:
        assert wait_until(
            lambda: len(outbox_rows(db)) > 0 if (tmp_path / "service.db").exists() else False, 30
        )
        time.sleep(OUTAGE_SECONDS)
        assert chat.messages == []
        chat.up()
        assert wait_until(lambda: settled(db), 90), "the backlog was not delivered after the outage"
    finally:
        assert stop(service) == 0
    assert sorted(chat.keys()) == sorted(sent_posts(db))
    assert duplicates(chat) == 0
    assert in_thread_order(chat)


def test_killed_ten_times_nothing_is_lost(chat: ChatServer, db: str, tmp_path: Path) -> None:
    chat.slow(0.05)  # a platform's round trip, so that kills land mid-delivery
    env = service_env(tmp_path, chat, db)
    rng = random.Random(20251121)
    kills = 0
    for _ in range(10):
        service = start(env, tmp_path)
        time.sleep(rng.uniform(0.8, 3.0))
        service.kill()
        service.wait(timeout=10)
        kills += 1
    service = start(env, tmp_path)
    try:
        assert wait_until(lambda: settled(db), 60)
    finally:
        assert stop(service) == 0
    assert set(chat.keys()) == sent_posts(db), "a message was lost"
    # The only window for a duplicate: the platform accepted, the process died before
    # recording it; at most one message per kill is in flight on the one destination.
    assert duplicates(chat) <= kills
    assert in_thread_order(chat)


def test_sigterm_during_delivery_exits_cleanly_and_the_rest_follows(
    chat: ChatServer, db: str, tmp_path: Path
) -> None:
    chat.slow(0.3)
    env = service_env(tmp_path, chat, db)
    service = start(env, tmp_path)
    assert wait_until(lambda: len(chat.messages) >= 3, 30)
    started = time.monotonic()
    assert stop(service, signal.SIGTERM) == 0
    assert time.monotonic() - started < 10
    assert not settled(db), "everything went out before the signal: the test proves nothing"
    chat.slow(0)
    service = start(env, tmp_path)
    try:
        assert wait_until(lambda: settled(db), 60)
    finally:
        assert stop(service) == 0
    assert sorted(chat.keys()) == sorted(sent_posts(db))
    assert duplicates(chat) == 0
    assert in_thread_order(chat)


def test_429_and_500_are_retried_and_nothing_doubles(
    chat: ChatServer, db: str, tmp_path: Path
) -> None:
    chat.fail(429, times=2, retry_after=1)
    chat.fail(500, times=3)
    service = start(service_env(tmp_path, chat, db), tmp_path)
    try:
        assert wait_until(lambda: settled(db), 60)
    finally:
        assert stop(service) == 0
    assert sorted(chat.keys()) == sorted(sent_posts(db))
    assert duplicates(chat) == 0


def test_healthz_and_metrics_answer(chat: ChatServer, db: str, tmp_path: Path) -> None:
    port = free_port()
    service = start(service_env(tmp_path, chat, db, PORT=str(port)), tmp_path)
    try:
        assert wait_until(lambda: settled(db), 60)

        def get(path: str) -> httpx.Response | None:
            try:
                return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=3)
            except httpx.HTTPError:
                return None

        assert wait_until(lambda: (r := get("/healthz")) is not None and r.status_code == 200, 20)
        health = get("/healthz")
        assert health is not None and health.json()["store"] is True
        metrics = get("/metrics")
        assert metrics is not None and metrics.status_code == 200
        assert 'tallywire_deliveries_total{result="sent"}' in metrics.text
        assert "tallywire_outbox_backlog 0" in metrics.text
    finally:
        assert stop(service) == 0
