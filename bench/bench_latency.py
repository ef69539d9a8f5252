"""Detection latency (issue 8, benchmark 4): an item published on the feed server -> its message
received by the fake chat server, with `tallywire run` as a real process.

    python bench/bench_latency.py [--quick] [--items 20] [--interval 10] [--feeds 3]

The feed server and the webhook chat server are threads of this process, so one clock
(time.monotonic) times both ends. The service runs as the end-to-end tests run it: a temporary
SQLite store, seeds off, a feeds file of a few feeds at a short poll interval, webhook spacing 0.
Once every feed has been polled, items are published one at a time on a random feed, each at a
random moment: after the previous message arrived, a pause drawn from zero to the feed's last
gap between two polls, so that it falls anywhere in the feed's actual poll cycle. Each item is
an air attack on its own day, so it opens a new event and yields a message whose title names
that day. The latency of an item is from just before its publication to the arrival of the
first message with its title.

Target (issue 8): detection latency p95 <= poll interval + 1 s.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script: python bench/bench_latency.py

from bench.common import Row, held_to, percentile  # noqa: E402
from tests.fakes.chat_server import ChatServer, Received  # noqa: E402
from tests.fakes.feed_server import FeedItem, FeedServer  # noqa: E402
from tests.fakes.service_harness import base_env, start, stop, wait_until  # noqa: E402

BENCHMARK = "latency"
FIRST_DAY = date(2025, 1, 6)
# An item whose message has not come after this many poll intervals counts as lost.
LOST_AFTER_INTERVALS = 4


class TimedChatServer(ChatServer):
    """The fake chat server, noting when (time.monotonic) each message arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[tuple[float, Received]] = []
        self._arrived = threading.Condition()

    def _accept(self, body: dict[str, object]) -> Received:
        received = super()._accept(body)
        at = time.monotonic()
        with self._arrived:
            self.arrivals.append((at, received))
            self._arrived.notify_all()
        return received

    def wait_for_title(self, prefix: str, timeout: float) -> float | None:
        """When the first message whose title starts with `prefix` arrived, waiting up to
        `timeout` seconds for it; None if it did not come."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for at, received in self.arrivals:
                    if received.title.startswith(prefix):
                        return at
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._arrived.wait(left)


@dataclass(frozen=True)
class Sample:
    """One published item: which feed, when, and how long until its message arrived."""

    path: str
    title: str
    published_at: float
    latency: float | None  # None: lost
    polled_after: float | None  # publication -> the feed's next poll reached the server


def attack_item(number: int, rng: random.Random) -> tuple[FeedItem, str]:
    """An air attack on its own day (a new event), and the title its message will carry."""
    day = FIRST_DAY + timedelta(days=3 * number)
    missiles, drones = rng.randint(3, 60), rng.randint(50, 480)
    shot_missiles, shot_drones = rng.randint(1, missiles), rng.randint(20, drones)
    when = f"{day.day} {day:%B %Y}"
    html = (
        f"<p>Russia attacked Ukraine overnight on {when} with {missiles} missiles and "
        f"{drones} drones, the air force said.</p><p>Air defences shot down {shot_missiles} "
        f"missiles and {shot_drones} drones, it added on Telegram.</p>"
    )
    published = datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC)
    item = FeedItem(
        f"Russia launches {drones} drones and {missiles} missiles at Ukraine",
        f"urn:bench:latency:{number}",
        f"https://wire.example/latency/{number}",
        html,
        published,
    )
    return item, f"Air attack on Ukraine, {when}"


def quiet_item(path: str) -> FeedItem:
    """A feed's first item: no figure, so the first poll alerts nobody."""
    return FeedItem(
        "Talks resume in Istanbul",
        f"urn:bench:quiet{path}",
        f"https://wire.example/quiet{path}",
        "<p>Diplomats said a ceasefire remained out of reach for now.</p>",
        datetime(2024, 12, 1, 9, tzinfo=UTC),
    )


def start_service(
    tmp: Path, name: str, urls: list[str], interval: int, chat_url: str, **env: str
) -> subprocess.Popen[bytes]:
    """`tallywire run` on a temporary SQLite store `<name>.db`, polling `urls` every `interval`
    seconds, sending to the webhook server at `chat_url` (`env`: more settings)."""
    settings = base_env(tmp, f"sqlite:///{tmp / f'{name}.db'}")
    rows = [f'[[feeds]]\nid = "feed{n:05d}"\nurl = "{url}"\n' for n, url in enumerate(urls)]
    (tmp / "config" / "feeds.toml").write_text("\n".join(rows))
    settings.update(
        TALLYWIRE_SEEDS="off",
        TALLYWIRE_POLL_SECONDS=str(interval),
        TALLYWIRE_WEBHOOK_URL=chat_url,
        TALLYWIRE_WEBHOOK_SPACING="0",
        LOG_LEVEL="WARNING",
        PORT="",
        **env,
    )
    return start(settings, tmp, name)


def poll_gap(feeds: FeedServer, path: str, interval: int) -> float:
    """The time between the last two polls of `path` (`interval` until there are two): a pause
    drawn from 0 to it puts the next publication anywhere in the feed's actual poll cycle,
    whether or not that cycle is the configured interval."""
    times = [r.at for r in feeds.requests(path)[-2:]]
    return times[1] - times[0] if len(times) == 2 else float(interval)


def measure(items: int, interval: int, feed_count: int, seed: int) -> tuple[list[Sample], float]:
    """Publish `items` items one at a time and time each to its message; also return the
    mean gap between two polls of one feed, as the feed server saw them."""
    rng = random.Random(seed)
    paths = [f"/wire{n}.xml" for n in range(feed_count)]
    samples: list[Sample] = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-latency-") as folder,
        FeedServer() as feeds,
        TimedChatServer() as chat,
    ):
        tmp = Path(folder)
        for path in paths:
            feeds.set_feed(path, [quiet_item(path)])
        urls = [feeds.url(path) for path in paths]
        service = start_service(
            tmp, "latency", urls, interval, chat.url, TALLYWIRE_FETCH_TIMEOUT="5"
        )
        try:
            settled = wait_until(lambda: all(feeds.requests(p) for p in paths), 60)
            if not settled:
                raise RuntimeError(f"the service never polled every feed; see {tmp}/latency.log")
            for number in range(items):
                path = rng.choice(paths)
                time.sleep(rng.uniform(0, poll_gap(feeds, path, interval)))
                item, title = attack_item(number, rng)
                published_at = time.monotonic()
                feeds.publish(path, item)
                arrived = chat.wait_for_title(title, LOST_AFTER_INTERVALS * interval)
                latency = None if arrived is None else arrived - published_at
                polls = [r.at - published_at for r in feeds.requests(path)]
                polled = next((wait for wait in polls if wait >= 0), None)
                samples.append(Sample(path, title, published_at, latency, polled))
        finally:
            code = stop(service)
        if code != 0:
            print(f"warning: tallywire run exited with {code}", file=sys.stderr)
        gaps = [
            b.at - a.at
            for p in paths
            for a, b in zip(feeds.requests(p), feeds.requests(p)[1:], strict=False)
        ]
    return samples, sum(gaps) / len(gaps) if gaps else 0.0


def rows_for(samples: list[Sample], interval: int, poll_gap: float) -> list[Row]:
    raw = [s.latency for s in samples if s.latency is not None]
    over = [value - interval for value in raw]
    lost = len(samples) - len(raw)
    waits = [s.polled_after for s in samples if s.polled_after is not None]
    work = [
        s.latency - s.polled_after
        for s in samples
        if s.latency is not None and s.polled_after is not None
    ]
    n = f"{len(raw)} items, poll interval {interval} s"
    return [
        Row(BENCHMARK, f"latency - interval, p50 ({n})", percentile(over, 0.50), "s"),
        Row(BENCHMARK, f"latency - interval, p95 ({n})", percentile(over, 0.95), "s"),
        Row(BENCHMARK, f"publish -> chat message, p50 ({n})", percentile(raw, 0.50), "s"),
        held_to(
            BENCHMARK,
            f"publish -> chat message, p95, held to interval + 1 s ({n})",
            percentile(raw, 0.95),
            "s",
            at_most=interval + 1,
        ),
        Row(BENCHMARK, "publish -> chat message, max", max(raw, default=0.0), "s"),
        Row(BENCHMARK, "of which publish -> next poll, p50", percentile(waits, 0.50), "s"),
        Row(BENCHMARK, "of which publish -> next poll, p95", percentile(waits, 0.95), "s"),
        Row(BENCHMARK, "of which poll -> chat message, p50", percentile(work, 0.50), "s"),
        Row(BENCHMARK, "of which poll -> chat message, p95", percentile(work, 0.95), "s"),
        held_to(BENCHMARK, "items whose message never came", lost, "items", at_most=0),
        Row(BENCHMARK, "mean gap between two polls of one feed", poll_gap, "s"),
    ]


def run(quick: bool, interval: int = 10, items: int | None = None, feeds: int = 3) -> list[Row]:
    """Publish 20 items (5 if `quick`) and report their detection latency."""
    samples, poll_gap = measure(items or (5 if quick else 20), interval, feeds, seed=8)
    return rows_for(samples, interval, poll_gap)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 items instead of 20")
    parser.add_argument("--items", type=int, default=None, help="items to publish")
    parser.add_argument("--interval", type=int, default=10, help="poll interval in seconds")
    parser.add_argument("--feeds", type=int, default=3, help="feeds the service polls")
    args = parser.parse_args()
    started = time.monotonic()
    for row in run(args.quick, args.interval, args.items, args.feeds):
        target = f"  target {row.target}: {'met' if row.met else 'NOT met'}" if row.target else ""
        print(f"{row.benchmark:8} {row.measure:62} {row.value:9.2f} {row.unit}{target}")
    print(f"({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
