"""Two workers on one PostgreSQL: every message delivered once, no feed polled twice in one
interval (issue 5). Skipped, and says so, without TALLYWIRE_TEST_DATABASE_URL."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.fakes.chat_server import ChatServer
from tests.fakes.feed_server import FeedItem, FeedServer
from tests.fakes.service_harness import (
    duplicates,
    in_thread_order,
    sent_posts,
    service_env,
    settled,
    start,
    stop,
    wait_until,
)

INTERVAL = 4
FEEDS = ("/a", "/b")


def test_two_workers_deliver_once_and_poll_each_feed_once_per_interval(
    pg_url: str, tmp_path: Path
) -> None:
    with FeedServer() as feeds, ChatServer() as chat:
        day = datetime(2025, 6, 3, 7, tzinfo=UTC)
        feeds.set_feed(
            "/a",
            [
                FeedItem(
                    "Russia launched 472 drones overnight",
                    "a1",
                    "https://a.example/1",
                    "<p>Russia launched 472 drones and 7 missiles overnight.</p>",
                    day,
                )
            ],
        )
        feeds.set_feed(
            "/b",
            [
                FeedItem(
                    "At least 12 killed in Odesa",
                    "b1",
                    "https://b.example/1",
                    "<p>At least 12 people were killed in Odesa overnight.</p>",
                    day,
                )
            ],
        )
        env = service_env(
            tmp_path, chat, pg_url,
            TALLYWIRE_FEEDS=f"{feeds.url('/a')},{feeds.url('/b')}",
            TALLYWIRE_POLL_SECONDS=str(INTERVAL),
        )  # fmt: skip
        workers = [start(env, tmp_path, "one"), start(env, tmp_path, "two")]
        started = time.monotonic()
        try:
            assert wait_until(lambda: settled(pg_url), 90)
            time.sleep(max(0.0, 3 * INTERVAL - (time.monotonic() - started)))
            # On a loaded machine settling can take longer than those three intervals: wait
            # for a second poll of each feed, so that there is a gap to measure.
            assert wait_until(lambda: all(len(feeds.requests(p)) >= 2 for p in FEEDS), 60)
        finally:
            codes = [stop(worker) for worker in workers]
        assert codes == [0, 0]

        assert duplicates(chat) == 0, "a message was delivered twice"
        assert sorted(chat.keys()) == sorted(sent_posts(pg_url))
        assert in_thread_order(chat)
        for path in FEEDS:
            times = [r.at for r in feeds.requests(path)]
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert len(times) >= 2, f"{path} was polled only {len(times)} times"
            assert min(gaps) > INTERVAL - 1, f"{path} was polled twice in one interval: {gaps}"
