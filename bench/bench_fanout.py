"""Fan-out (issue 8, benchmark 5): one alert to many chats, at the platforms' ceilings.

    python -m bench.bench_fanout [--quick]

`tallywire run` runs as a process, as in production, against the fake Bot API and the fake
Slack Web API in their enforcing mode (`throttle=True`: a send over a limit is answered 429
and not posted), the articles published on a local feed server, the subscriptions written to
its store (SQLite) before it starts.

- Telegram: 1,000 private chats (quick: 100) subscribed, one article that makes one event: one
  message per chat. The ceiling is Telegram's 30 messages a second overall.
- Slack: 100 channels subscribed, ten articles (quick: three) each making an event of its own:
  ten thread parents per channel. The ceiling is chat.postMessage's one message a second per
  channel, 100 a second over 100 channels, which the default overall pace (10 a second, as
  Slack's workspace-wide limit is unstated) does not try to reach: it is run with
  TALLYWIRE_SLACK_PER_SECOND=100, and at the default pace (on two messages a channel; quick:
  50 channels, one each) to show what the default costs.

The achieved rate is (messages - 1) / seconds from the first accepted message to the last; the
429s are every answer 429 the fakes gave. Target: >= 90% of each ceiling, zero 429s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import Row, held_to  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store import subscriptions as subscription_sql  # noqa: E402
from bot.store.subscriptions import ALL  # noqa: E402
from tests.fakes.feed_server import FeedItem, FeedServer  # noqa: E402
from tests.fakes.service_harness import free_port, start, stop, wait_until  # noqa: E402
from tests.fakes.slack_api import SlackApi  # noqa: E402
from tests.fakes.slack_harness import BOT_TOKEN, slack_env  # noqa: E402
from tests.fakes.telegram_api import OVERALL_PER_SECOND, TelegramApi  # noqa: E402
from tests.fakes.telegram_harness import FEED_PATH, TOKEN, telegram_env  # noqa: E402

NAME = "fanout"
FIRST_DAY = date(2025, 6, 1)
STARTUP_SECONDS = 30.0
TARGET_SHARE = 90.0
SLACK_CHANNELS = 100
SLACK_RAISED = 100  # TALLYWIRE_SLACK_PER_SECOND: one a second for each of the 100 channels


@dataclass(frozen=True)
class Fanout:
    """What one run delivered: (accept time, destination) of each message, in order, and the
    429s the fake answered."""

    posts: list[tuple[float, str]]
    rejected: int

    @property
    def seconds(self) -> float:
        return self.posts[-1][0] - self.posts[0][0] if len(self.posts) > 1 else 0.0

    @property
    def rate(self) -> float:
        return (len(self.posts) - 1) / self.seconds if self.seconds else 0.0

    def busiest_second(self) -> int:
        """The most messages accepted within any one second."""
        window: deque[float] = deque()
        most = 0
        for at, _ in self.posts:
            window.append(at)
            while at - window[0] >= 1.0:
                window.popleft()
            most = max(most, len(window))
        return most

    def gaps(self) -> list[float]:
        """The times between two messages in a row to one destination."""
        last: dict[str, float] = {}
        found = []
        for at, destination in self.posts:
            if destination in last:
                found.append(at - last[destination])
            last[destination] = at
        return found


def articles(count: int) -> list[FeedItem]:
    """`count` articles, each the report of one attack on a day of its own: one event each."""
    items = []
    for n in range(count):
        day = FIRST_DAY + timedelta(days=2 * n)
        text = (
            f"Russia launched {400 + n} drones and {7 + n} missiles at Ukraine overnight, "
            "the air force said."
        )
        link = f"https://wire.test/fanout/{n}"
        items.append(FeedItem(text, f"fanout-{n}", link, f"<p>{text}</p>", day))
    return items


def subscribe(database_url: str, destinations: list[str]) -> None:
    """Subscribe every destination to every topic, in the store the service will open."""
    store = Store.open(database_url)
    now = datetime.now(UTC)
    try:
        with store.transaction() as conn:
            for destination in destinations:
                subscription_sql.subscribe(conn, destination, frozenset({ALL}), None, "bench", now)
    finally:
        store.close()


@dataclass(frozen=True)
class Run:
    """How to drive one service: when it is up, what to publish, how many posts to await."""

    ready: Callable[[], bool]
    publish: Callable[[], None]
    delivered: Callable[[], int]
    expected: int


def run_service(env: dict[str, str], tmp: Path, run: Run, budget: float) -> None:
    """Start the service, publish once it is ready, wait for the expected posts (at most
    `budget` seconds), stop it."""
    service = start(env, tmp)
    try:
        if not wait_until(run.ready, STARTUP_SECONDS):
            raise RuntimeError(f"the service did not start; see {tmp / 'service.log'}")
        run.publish()
        wait_until(lambda: run.delivered() >= run.expected, budget, step=0.2)
    finally:
        stop(service, timeout=30)


def telegram_fanout(chats: int) -> Fanout:
    """One alert to `chats` private chats through `tallywire run` and PTB."""
    with tempfile.TemporaryDirectory() as folder, TelegramApi(TOKEN, throttle=True) as api:
        tmp = Path(folder)
        db = f"sqlite:///{tmp / 'fanout.db'}"
        subscribe(db, [f"telegram:{10_000 + n}" for n in range(chats)])
        with FeedServer() as feeds:
            feeds.set_feed(FEED_PATH, [])
            env = telegram_env(tmp, api, db, feeds.url(FEED_PATH), LOG_LEVEL="WARNING")
            run = Run(
                ready=lambda: bool(api.calls_of("getUpdates")),
                publish=lambda: feeds.set_feed(FEED_PATH, articles(1)),
                delivered=lambda: len(api.sent),
                expected=chats,
            )
            run_service(env, tmp, run, budget=chats / 10 + 30)
        posts = sorted((m.at, str(m.chat_id)) for m in api.sent)
        return Fanout(posts, sum(1 for c in api.calls if c.status == 429))


def slack_fanout(channels: int, per_channel: int, per_second: int | None) -> Fanout:
    """`per_channel` alerts to each of `channels` channels through `tallywire run` and
    slack_sdk, with TALLYWIRE_SLACK_PER_SECOND = `per_second` (None: the default)."""
    with tempfile.TemporaryDirectory() as folder, SlackApi(BOT_TOKEN, throttle=True) as api:
        tmp = Path(folder)
        db = f"sqlite:///{tmp / 'fanout.db'}"
        subscribe(db, [f"slack:C{n:05d}" for n in range(channels)])
        pace = {"TALLYWIRE_SLACK_PER_SECOND": str(per_second)} if per_second else {}
        with FeedServer() as feeds:
            feeds.set_feed(FEED_PATH, [])
            port = free_port()
            env = slack_env(tmp, api, db, feeds.url(FEED_PATH), port, LOG_LEVEL="WARNING", **pace)
            run = Run(
                ready=lambda: bool(api.calls_of("auth.test")),
                publish=lambda: feeds.set_feed(FEED_PATH, articles(per_channel)),
                delivered=lambda: len(api.posted),
                expected=channels * per_channel,
            )
            run_service(env, tmp, run, budget=channels * per_channel / 5 + 30)
        posts = sorted((p.at, p.channel) for p in api.posted)
        return Fanout(posts, sum(1 for c in api.calls if c.status == 429))


def rows_for(
    label: str, found: Fanout, ceiling: float, expected: int, *, held: bool = True
) -> list[Row]:
    """The rows of one run: what went out, how fast as a share of `ceiling` (held to 90%
    when `held`), and the 429s (held to none)."""
    share = 100.0 * found.rate / ceiling
    measure = f"{label}: share of the {ceiling:g}/s ceiling"
    return [
        held_to(NAME, f"{label}: messages", len(found.posts), "messages", at_least=expected),
        Row(NAME, f"{label}: first to last message", found.seconds, "s"),
        Row(NAME, f"{label}: achieved rate", found.rate, "messages/s"),
        held_to(NAME, measure, share, "%", at_least=TARGET_SHARE) if held else
        Row(NAME, measure, share, "%"),
        held_to(NAME, f"{label}: 429s received", found.rejected, "429s", at_most=0),
    ]  # fmt: skip


def run(quick: bool) -> list[Row]:
    """Telegram at its overall ceiling; Slack at the per-channel one, raised and default."""
    chats = 100 if quick else 1000
    per_channel = 3 if quick else 10
    default_channels, default_per_channel = (50, 1) if quick else (SLACK_CHANNELS, 2)

    telegram = telegram_fanout(chats)
    label = f"Telegram, {chats} chats"
    rows = rows_for(label, telegram, OVERALL_PER_SECOND, chats)
    rows.append(Row(NAME, f"{label}: busiest second", telegram.busiest_second(), "messages"))

    raised = slack_fanout(SLACK_CHANNELS, per_channel, SLACK_RAISED)
    label = f"Slack, {SLACK_CHANNELS} ch x {per_channel}, {SLACK_RAISED}/s"
    rows += rows_for(label, raised, SLACK_CHANNELS, SLACK_CHANNELS * per_channel)
    gaps = raised.gaps() or [0.0]
    rows.append(Row(NAME, f"{label}: least gap in a channel", min(gaps), "s"))
    rows.append(Row(NAME, f"{label}: mean gap in a channel", statistics.fmean(gaps), "s"))

    default = slack_fanout(default_channels, default_per_channel, None)
    label = f"Slack, {default_channels} ch x {default_per_channel}, default pace"
    expected = default_channels * default_per_channel
    rows += rows_for(label, default, default_channels, expected, held=False)
    return rows


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    started = time.monotonic()
    for row in run(quick):
        verdict = "" if row.met is None else ("  met" if row.met else "  MISSED")
        print(f"{row.measure:<58} {row.value:>8.2f} {row.unit:<11} {row.target}{verdict}")
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
