"""Issue 12, point 6, end to end: a 30 s database outage logs fewer than 20 lines, and the
service recovers from it.

Before, it logged 263 tracebacks in 30 s while connections were refused. `tallywire run` runs as
a process on PostgreSQL through a TCP forwarder (tests/fakes/tcp_proxy.py) that is taken down
for 30 s: connections refused, those open cut. Every line written from the outage's start until
the service has stopped is counted, the late counts written at exit included.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.settings import normalize_database_url
from tests.conftest import PG_ENV, _postgres_schema
from tests.fakes.chat_server import ChatServer
from tests.fakes.feed_server import FeedServer
from tests.fakes.service_harness import duplicates, service_env, settled, start, stop, wait_until
from tests.fakes.tcp_proxy import TcpProxy
from tests.fakes.telegram_harness import FEED_PATH, seed_items

OUTAGE_SECONDS = 30
LINE_LIMIT = 20

pytestmark = pytest.mark.skipif(
    not os.environ.get(PG_ENV),
    reason=f"PostgreSQL: {PG_ENV} is not set, so the database outage test did not run",
)


def through(url: str, port: int) -> str:
    """`url` with its host and port replaced by 127.0.0.1:`port`."""
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{port}"))


@pytest.fixture
def direct() -> Iterator[str]:
    """A throwaway schema's URL, straight to the database."""
    yield from _postgres_schema(normalize_database_url(os.environ[PG_ENV]))


def test_a_30_second_database_outage_logs_fewer_than_20_lines(direct: str, tmp_path: Path) -> None:
    target = urlsplit(direct)
    items = seed_items()
    log = tmp_path / "service.log"
    with (
        TcpProxy(target.hostname or "127.0.0.1", target.port or 5432) as proxy,
        ChatServer() as chat,
        FeedServer() as feeds,
    ):
        feeds.set_feed(FEED_PATH, items[:2])
        env = service_env(
            tmp_path, chat, through(direct, proxy.port), LOG_LEVEL="INFO",
            TALLYWIRE_SEEDS="off", TALLYWIRE_FEEDS=feeds.url(FEED_PATH), TALLYWIRE_POLL_SECONDS="1",
        )  # fmt: skip
        service = start(env, tmp_path)
        try:
            assert wait_until(lambda: settled(direct) and bool(chat.messages), 60)
            delivered = len(chat.messages)
            mark = log.stat().st_size
            proxy.down()
            feeds.publish(FEED_PATH, items[2])  # news that arrives during the outage
            time.sleep(OUTAGE_SECONDS)
            assert service.poll() is None, "the service died in the outage"
            proxy.up()
            assert wait_until(lambda: len(chat.messages) > delivered, 60), "no recovery"
            assert wait_until(lambda: settled(direct), 60)
        finally:
            assert stop(service) == 0
        assert duplicates(chat) == 0
    lines = log.read_bytes()[mark:].decode().splitlines()
    failures = [line for line in lines if "OperationalError" in line]
    held = sum(int(n) for n in re.findall(r"\(and (\d+) more like it", "\n".join(lines)))
    assert len(lines) < LINE_LIMIT, "\n".join(lines)
    assert "Traceback" not in "\n".join(lines)
    # The outage was seen, many times over, and counted rather than written
    assert len(failures) + held >= OUTAGE_SECONDS, "\n".join(lines)
