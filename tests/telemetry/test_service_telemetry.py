"""What `tallywire run` shows of itself, as a process (issue 16, "done when"): a scrape after a
run over the seeds and a local feed shows every counter above zero, and an idle service logs
one INFO line per poll round and no library's chatter."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.telemetry.metrics import COUNTERS, HISTOGRAMS
from tests.fakes.chat_server import ChatServer
from tests.fakes.feed_server import FeedItem, FeedServer
from tests.fakes.service_harness import free_port, service_env, start, stop, wait_until

ROUND_SECONDS = 2  # TALLYWIRE_POLL_SECONDS: the length of a poll round
IDLE_SECONDS = 10.0

ITEMS = [
    FeedItem(
        "Drone strike on Sumy",
        "wire-1",
        "https://wire.test/1",
        "<p>Russia launched 84 drones at Sumy overnight, the air force said. "
        "Air defences shot down 61 of them.</p>",
        datetime(2025, 6, 4, 6, tzinfo=UTC),
    ),
    FeedItem(
        "Two killed in Kherson shelling",
        "wire-2",
        "https://wire.test/2",
        "<p>Two people were killed and five injured in Kherson shelling, the regional "
        "governor said on Wednesday.</p>",
        datetime(2025, 6, 4, 7, tzinfo=UTC),
    ),
    FeedItem(
        "Older item",
        "wire-0",
        "https://wire.test/0",
        "<p>A quiet night in Kyiv.</p>",
        datetime(2025, 6, 3, 7, tzinfo=UTC),
    ),
]


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.set_feed("/wire", ITEMS)
        server.fail("/gone", 500)
        yield server


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


def configure(tmp: Path, chat: ChatServer, feeds: dict[str, str], **extra: str) -> dict[str, str]:
    """The service's environment, with `feeds` (id -> url) polled every second."""
    env = service_env(tmp, chat, f"sqlite:///{tmp / 'service.db'}", **extra)
    rows = [f'[[feeds]]\nid = "{id}"\nurl = "{url}"\ninterval = 1\n' for id, url in feeds.items()]
    (tmp / "config" / "feeds.toml").write_text("\n".join(rows))
    return env


def scrape(port: int) -> dict[str, float]:
    """Each family of /metrics (by its name as the parser gives it: no `_total`) and the sum of
    its `_total` samples, or of its `_count` samples for a histogram; {} while not answering."""
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=3).text
    except httpx.HTTPError:
        return {}
    sums: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        kept = [s.value for s in family.samples if s.name.endswith(("_total", "_count"))]
        sums[family.name] = sum(kept) if kept else sum(s.value for s in family.samples)
    return sums


def family(name: str) -> str:
    return name.removesuffix("_total")


def test_a_scrape_after_a_run_over_the_seeds_and_a_feed_has_every_counter_above_zero(
    feeds: FeedServer, chat: ChatServer, tmp_path: Path
) -> None:
    port = free_port()
    env = configure(
        tmp_path, chat, {"wire": feeds.url("/wire"), "gone": feeds.url("/gone")},
        TALLYWIRE_SEEDS="on", TALLYWIRE_POLL_MAX_ITEMS="2", PORT=str(port),
    )  # fmt: skip
    expected = [family(s.name) for s in (*COUNTERS, *HISTOGRAMS)]
    service = start(env, tmp_path)
    try:
        moved = wait_until(lambda: all(scrape(port).get(name, 0) > 0 for name in expected), 60)
        found = scrape(port)
    finally:
        assert stop(service) == 0
    assert moved, {name: found.get(name) for name in expected}
    assert {name: found[name] > 0 for name in expected} == dict.fromkeys(expected, True)
    assert found["process_cpu_seconds"] > 0  # the process collector, in the service's registry
    assert found["tallywire_up"] == 1


def test_an_idle_service_logs_one_info_line_a_poll_round(
    feeds: FeedServer, chat: ChatServer, tmp_path: Path
) -> None:
    env = configure(
        tmp_path, chat, {"wire": feeds.url("/wire")},
        LOG_LEVEL="INFO", TALLYWIRE_POLL_SECONDS=str(ROUND_SECONDS),
    )  # fmt: skip
    service = start(env, tmp_path)
    began = time.monotonic()
    try:
        assert wait_until(lambda: len(feeds.requests("/wire")) >= 3, 30)  # polled, then 304s
        time.sleep(max(0.0, IDLE_SECONDS - (time.monotonic() - began)))
    finally:
        assert stop(service) == 0
    ran = time.monotonic() - began
    lines = (tmp_path / "service.log").read_text().splitlines()
    info = [line for line in lines if " INFO " in line]
    rounds = [line for line in info if "poll round: " in line]
    others = [line for line in info if line not in rounds]
    assert [line for line in lines if " INFO " not in line] == []
    assert [line for line in info if not re.search(r" INFO (bot|tallywire)[.:]", line)] == []
    assert 2 <= len(rounds) <= ran / ROUND_SECONDS + 2, rounds
    assert all(re.search(r"poll round: \d+ polls; documents", line) for line in rounds)
    assert len(others) <= 4, others  # seeds off, running, stopped
    assert len(feeds.requests("/wire")) > len(rounds)  # a round holds several polls
