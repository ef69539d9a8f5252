"""Many fake feeds served from a process of their own, so the server's work is never counted
in the measured process's CPU time.

    python -m bench.feed_farm --feeds 1000 --items 5      # prints the port, then serves

Feed i is at /feed/<i>.xml: `--items` news-length articles with HTML bodies, a news flow made
from the wire-style sentences of bench_extract (see `Articles`); with `--one-day`, every article
reports the same night, its counts a few units apart from the others' (`--jitter`). It
serves until its standard input closes; a line "publish <i>" on standard input adds one new
article to feed i (its ETag and Last-Modified move, so the next poll gets a 200).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from typing import Self

from bench.bench_extract import CITIES, FIGURE_TEMPLATES, FILLER, WEEKDAYS
from bench.common import REPO
from tests.fakes.feed_server import FeedItem, FeedServer

START = date(2025, 5, 1)
ARTICLES_PER_DAY = 40  # across all feeds: a busy news day about one war
SWAP_EVERY_DAYS = 10  # prisoner exchanges come every week or few; air attacks every night
SWAP_TEMPLATES = [t for t in FIGURE_TEMPLATES if "prisoners" in t or "defenders" in t]
ATTACK_TEMPLATES = [t for t in FIGURE_TEMPLATES if t not in SWAP_TEMPLATES]


@dataclass(frozen=True)
class Day:
    """What happened on one day: the figures every article about it reports (give or take)."""

    day: date
    values: dict[str, object]


def news_day(day: date, rng: random.Random) -> Day:
    """The day's true figures, in the keys of bench_extract's FIGURE_TEMPLATES."""
    drones = rng.randint(50, 450)
    downed = rng.randint(drones // 2, drones)
    shot = rng.randint(downed // 2, downed)
    values = {
        "m": rng.randint(1, 40), "d": drones, "md": rng.randint(1, 30), "dd": downed,
        "ds": shot, "dj": downed - shot, "k": rng.randint(1, 25), "i": rng.randint(2, 90),
        "s": rng.choice([84, 150, 205, 307, 390]), "t": rng.randint(400, 1200),
        "rd": rng.randint(10, 300), "p": rng.choice(["three", "four", "six", "12"]),
        "f": rng.choice(["two", "five", "9"]), "h": rng.randint(2, 9),
        "c": rng.choice(["two", "three", "four"]), "city": rng.choice(CITIES),
        "wd": WEEKDAYS[day.weekday()],
    }  # fmt: skip
    return Day(day, values)


class Articles:
    """An endless, reproducible news flow: each day's articles report that night's attack
    figures (a toll now and then revised upwards), and on a swap day the exchange too, in the
    wording of wire reports, among paragraphs with no figure: about 3 KB an article with its
    HTML markup, 4 to 7 figures.

    `per_day` articles a day (a huge number: all of one night, as when outlets everywhere
    cover one big attack); `jitter`: each count of an article off the day's by up to that many
    units either way, as outlets' figures differ."""

    def __init__(self, seed: int = 11, per_day: int = ARTICLES_PER_DAY, jitter: int = 0) -> None:
        self._rng = random.Random(seed)
        self._days: dict[int, Day] = {}
        self._count = 0
        self._per_day = per_day
        self._jitter = jitter

    def next(self, feed: int) -> FeedItem:
        self._count += 1
        n, rng = self._count, self._rng
        index = n // self._per_day
        if index not in self._days:
            self._days[index] = news_day(START + timedelta(days=index), rng)
        today = self._days[index]
        values = dict(today.values)
        if self._jitter:
            for key, value in today.values.items():
                if isinstance(value, int) and value > self._jitter:
                    values[key] = value + rng.randint(-self._jitter, self._jitter)
        if rng.random() < 0.2:  # a later report of a rising toll
            values["k"] = int(str(values["k"])) + rng.randint(1, 4)
        templates = rng.sample(ATTACK_TEMPLATES, rng.randint(2, 3))
        if index % SWAP_EVERY_DAYS == 3:
            templates[-1] = rng.choice(SWAP_TEMPLATES)
        figures = [t.format(**values) for t in templates]
        filler = rng.choices(FILLER, k=rng.randint(12, 20))
        paragraphs = figures[:1] + filler[:2] + figures[1:] + filler[2:]
        published = datetime.combine(today.day, time(6), UTC) + timedelta(minutes=n % 600)
        return FeedItem(
            title=f"Russia strikes {values['city']} overnight, report {n}",
            guid=f"urn:bench:{feed}:{n}",
            link=f"https://wire.test/{feed}/{n}",
            html=article_html(paragraphs, rng),
            published=published,
        )


def article_html(paragraphs: list[str], rng: random.Random) -> str:
    """An article as news sites put it in a feed: paragraphs, a photo and a link."""
    parts = [f'<figure><img src="https://img.wire.test/{rng.randrange(10**6)}.jpg" alt="">'
             "<figcaption>Photo: Wire staff</figcaption></figure>"]  # fmt: skip
    for number, paragraph in enumerate(paragraphs):
        shown = escape(paragraph)
        if number == 1:
            shown += ' <a href="https://wire.test/live">Follow our live coverage</a>.'
        parts.append(f"<p>{shown}</p>")
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--one-day", action="store_true", help="every article of one night")
    parser.add_argument("--jitter", type=int, default=0, help="counts off by up to this many")
    args = parser.parse_args()
    articles = Articles(per_day=10**9 if args.one_day else ARTICLES_PER_DAY, jitter=args.jitter)
    with FeedServer() as server:
        for feed in range(args.feeds):
            server.set_feed(f"/feed/{feed}.xml", [articles.next(feed) for _ in range(args.items)])
        print(server.port, flush=True)
        for line in sys.stdin:
            command, _, feed = line.partition(" ")
            if command == "publish":
                server.publish(f"/feed/{int(feed)}.xml", articles.next(int(feed)))
                print("ok", flush=True)
    return 0


class FeedProcess:
    """A feed server script of bench/ run as a child process, which prints its port first and
    then answers one line for each command line it reads; it stops when its input closes."""

    def __init__(self, script: str, feeds: int, *options: str) -> None:
        self.feeds = feeds
        self._child = subprocess.Popen(
            [sys.executable, "-m", f"bench.{script}", "--feeds", str(feeds), *options],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO,
        )  # fmt: skip
        assert self._child.stdout is not None
        self.port = int(self._child.stdout.readline())

    def url(self, feed: int) -> str:
        return f"http://127.0.0.1:{self.port}/feed/{feed}.xml"

    def ask(self, command: str) -> str:
        """Send one command line; its one-line answer."""
        assert self._child.stdin is not None and self._child.stdout is not None
        self._child.stdin.write(f"{command}\n")
        self._child.stdin.flush()
        return self._child.stdout.readline()

    def close(self) -> None:
        if self._child.stdin:
            self._child.stdin.close()
        try:
            self._child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FeedFarm(FeedProcess):
    """This module as a child process: `with FeedFarm(1000, 5) as farm:`."""

    def __init__(self, feeds: int, items: int, *options: str) -> None:
        super().__init__("feed_farm", feeds, "--items", str(items), *options)

    def publish(self, feed: int) -> None:
        """Add one new article to feed `feed`; returns once it is served."""
        self.ask(f"publish {feed}")


if __name__ == "__main__":
    sys.exit(main())
