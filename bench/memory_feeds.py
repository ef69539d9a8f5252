"""Many fake feeds in a process of their own, for the memory benchmark (bench/bench_memory.py):
the server's threads then never load the measured process nor share its CPU time.

    python bench/memory_feeds.py --feeds 1000 --items 3 --publish-every 2

Feed i is at /feed/<i>.xml, with `--items` articles of about 1.5 KB of news-like HTML (the
background paragraphs of bench_extract: quotes, context, captions), which the first poll parses,
stores and runs the extractor over. They hold no figure on purpose: a thousand feeds' articles
with figures all landing in the same week's few events make each event hold hundreds of
conflicting reports, and the store's reconciliation of such an event grows with its reports
(about 27 ms a document at first, 124 ms by the 600th), which would time that and not memory.
Every `--publish-every` seconds one random feed gains an article about an air attack on a day
of its own (a new event, so the service writes and delivers a message), so that the whole
pipeline works on throughout; every other poll gets a 304. It prints its port, then answers
each line on standard input:

    count   -> "<cycles> <requests> <feeds>": the fewest requests any one feed has had (the
               polling cycles completed), the requests received in all, and how many feeds
               have been polled at all
    quit    -> exits (so does the end of standard input)
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script: python bench/memory_feeds.py

from bench.bench_extract import FILLER  # noqa: E402
from tests.fakes.feed_server import FeedItem, FeedServer  # noqa: E402

FIRST_DAY = date(2025, 3, 1)


def feed_path(feed: int) -> str:
    return f"/feed/{feed}.xml"


class Articles:
    """A reproducible supply of feed items."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._count = 0
        self._attacks = 0
        self._lock = threading.Lock()

    def background(self, feed: int) -> FeedItem:
        """A news-length article of background paragraphs, with no figure."""
        with self._lock:
            self._count += 1
            n = self._count
            paragraphs = self._rng.sample(FILLER, 6)
        published = datetime(2025, 2, 20, 6, tzinfo=UTC) + timedelta(hours=n % 160)
        return self._item(feed, n, f"Background {n}", paragraphs, published)

    def attack(self, feed: int) -> FeedItem:
        """An air attack on a day no other article names: a new event, one message."""
        with self._lock:
            self._count += 1
            self._attacks += 1
            rng, n = self._rng, self._count
            day = FIRST_DAY + timedelta(days=self._attacks)
            missiles, drones = rng.randint(3, 60), rng.randint(50, 480)
            filler = rng.sample(FILLER, 3)
        when = f"{day.day} {day:%B %Y}"
        lead = (
            f"Russia attacked Ukraine overnight on {when} with {missiles} missiles and "
            f"{drones} drones, the air force said."
        )
        published = datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC)
        return self._item(feed, n, f"Air attack, {when}", [lead, *filler], published)

    def _item(
        self, feed: int, n: int, title: str, paragraphs: list[str], published: datetime
    ) -> FeedItem:
        html = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        return FeedItem(
            title, f"urn:bench:memory:{feed}:{n}", f"https://wire.test/{feed}/{n}", html, published
        )


def cycles(server: FeedServer, feeds: int) -> tuple[int, int, int]:
    """(the fewest requests any feed has had, all requests so far, feeds polled at all)."""
    seen = Counter(r.path for r in server.requests())
    polls = [seen.get(feed_path(f), 0) for f in range(feeds)]
    return min(polls), seen.total(), sum(1 for n in polls if n)


def publish_now_and_then(
    server: FeedServer,
    articles: Articles,
    feeds: int,
    every: float,
    stop: threading.Event,
    seed: int,
) -> None:
    rng = random.Random(seed)
    while not stop.wait(every):
        feed = rng.randrange(feeds)
        server.publish(feed_path(feed), articles.attack(feed))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=3, help="articles in each feed at first")
    parser.add_argument("--publish-every", type=float, default=2.0, help="seconds; 0: never")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    articles = Articles(args.seed)
    stop = threading.Event()
    with FeedServer() as server:
        for feed in range(args.feeds):
            server.set_feed(feed_path(feed), [articles.background(feed) for _ in range(args.items)])
        if args.publish_every > 0:
            threading.Thread(
                target=publish_now_and_then,
                args=(server, articles, args.feeds, args.publish_every, stop, args.seed + 1),
                daemon=True,
            ).start()
        print(server.port, flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "count":
                print(*cycles(server, args.feeds), flush=True)
            elif command == "quit":
                break
        stop.set()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
