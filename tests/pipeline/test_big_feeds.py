"""Hostile big feeds against `tallywire run` as a process (issue 12, point 2): a 100,000-item feed
(4 MB), four feeds of one 4.5 MB item, a feed stopped mid-ingest, and a slow 20,000-item feed
across a short lease with two workers on PostgreSQL.

Each shows the other feeds polled on time while the big one is ingested, the service stopping
within 10 s of SIGTERM, and its peak memory; the figures are printed (`pytest -s`), and held to
bounds generous enough for a loaded 2-core machine. The PostgreSQL cases are skipped, saying so,
without TALLYWIRE_TEST_DATABASE_URL.
"""

from __future__ import annotations

import itertools
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.store.database import open_engine
from bot.store.schema import documents, sources
from tests.fakes.chat_server import ChatServer
from tests.fakes.feed_server import FeedItem, FeedServer, huge_item_feed, many_items_feed
from tests.fakes.service_harness import duplicates, service_env, start, stop, wait_until

SMALL_INTERVAL = 1  # seconds: the feed that must stay on time
WINDOW = 12.0  # seconds over which the small feed's polls are counted
ON_TIME_SHARE = 0.5  # of the polls expected in the window, at least (about 1.0 when idle)
STOP_SECONDS = 10.0  # the README's promise
RSS_BOUND_MB = 400  # the issue measured 382 MB for one 4.5 MB item, 455 MB for four


@pytest.fixture
def db(database_url: str) -> str:
    """A fresh store: a SQLite file, or a PostgreSQL schema when one is given."""
    return database_url


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.set_feed("/small", [SMALL_ITEM])
        yield server


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


SMALL_ITEM = FeedItem(
    "At least 12 killed in Odesa",
    "small-1",
    "https://small.example/1",
    "<p>At least 12 people were killed in Odesa overnight.</p>",
    datetime(2025, 6, 3, 7, tzinfo=UTC),
)


def configure(tmp: Path, chat: ChatServer, db: str, feeds: dict[str, tuple[str, int]], **extra: str
              ) -> dict[str, str]:  # fmt: skip
    """The service's environment: `feeds` (id -> url, interval) in its feeds.toml, no seeds."""
    env = service_env(tmp, chat, db, TALLYWIRE_SEEDS="off", LOG_LEVEL="INFO", **extra)
    rows = [
        f'[[feeds]]\nid = "{feed_id}"\nurl = "{url}"\ninterval = {interval}\n'
        for feed_id, (url, interval) in feeds.items()
    ]
    (tmp / "config" / "feeds.toml").write_text("\n".join(rows))
    return env


def peak_rss_mb(process: subprocess.Popen[bytes]) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc status")


def stored(db: str, source: str) -> int:
    """Documents the store holds from `source`; 0 while the service has not made its store."""
    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            query = select(func.count()).select_from(documents)
            return int(conn.execute(query.where(documents.c.source_id == source)).scalar_one())
    except (OperationalError, ProgrammingError):
        return 0
    finally:
        engine.dispose()


def source_rows(db: str) -> dict[str, dict[str, object]]:
    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(sources)).mappings().all()
        return {str(row["id"]): dict(row) for row in rows}
    finally:
        engine.dispose()


def small_polls_in_window(feeds: FeedServer) -> tuple[int, float]:
    """The small feed's polls over WINDOW seconds, and how many its interval would give."""
    before = len(feeds.requests("/small"))
    time.sleep(WINDOW)
    return len(feeds.requests("/small")) - before, WINDOW / SMALL_INTERVAL


def sigterm_after_fetch(
    process: subprocess.Popen[bytes], feeds: FeedServer, path: str, delay: float
) -> float:
    """Wait for the server to finish answering a new request to `path`, then `delay` seconds
    (the parse, so that the signal lands in the ingest), send SIGTERM; seconds to exit."""
    seen = len(feeds.requests(path))
    assert wait_until(lambda: len(feeds.requests(path)) > seen, 60), f"{path} was not polled"
    assert feeds.requests(path)[seen].finished.wait(30)
    time.sleep(delay)
    started = time.monotonic()
    assert stop(process, signal.SIGTERM, timeout=60) == 0
    return time.monotonic() - started


def report(name: str, **figures: object) -> None:
    print(f"\n[{name}] " + ", ".join(f"{key}={value}" for key, value in figures.items()))


def test_a_100000_item_feed_holds_up_no_other_feed(
    feeds: FeedServer, chat: ChatServer, db: str, tmp_path: Path
) -> None:
    feeds.rolling("/big", 100_000, step=200)  # its newest 200 are new at each poll
    env = configure(tmp_path, chat, db, {
        "big": (feeds.url("/big"), 3), "small": (feeds.url("/small"), SMALL_INTERVAL),
    })  # fmt: skip
    service = start(env, tmp_path)
    try:
        assert wait_until(lambda: stored(db, "big") > 0, 90), "the big feed was never ingested"
        polls, expected = small_polls_in_window(feeds)
        peak = peak_rss_mb(service)
        stop_seconds = sigterm_after_fetch(service, feeds, "/big", 0.8)
    finally:
        if service.poll() is None:
            service.kill()
    log = (tmp_path / "service.log").read_text()
    rows = source_rows(db)
    report(
        "100,000 items", db=db.split(":")[0], small_polls=polls, expected=expected,
        big_polls=len(feeds.requests("/big")), big_documents=stored(db, "big"),
        peak_rss_mb=round(peak), stop_seconds=round(stop_seconds, 2),
        big_status=rows["big"]["last_status"],
    )  # fmt: skip
    assert polls >= ON_TIME_SHARE * expected, f"the small feed was polled {polls} times"
    assert stop_seconds < STOP_SECONDS
    assert peak < RSS_BOUND_MB
    assert "99,800 older items dropped" in log  # the cap, one line a poll, with the reason
    assert rows["big"]["last_status"] in ("ok", "partial")
    assert rows["big"]["claimed_by"] is None and rows["small"]["claimed_by"] is None


def test_four_feeds_of_one_huge_item_hold_up_no_other_feed(
    feeds: FeedServer, chat: ChatServer, db: str, tmp_path: Path
) -> None:
    paths = [f"/huge{n}" for n in range(4)]
    for n, path in enumerate(paths):
        feeds.serve(path, huge_item_feed(4_500_000, guid=f"huge-{n}"))
    env = configure(tmp_path, chat, db, {
        **{f"huge{n}": (feeds.url(path), 3) for n, path in enumerate(paths)},
        "small": (feeds.url("/small"), SMALL_INTERVAL),
    })  # fmt: skip
    service = start(env, tmp_path)
    try:
        assert wait_until(lambda: all(stored(db, f"huge{n}") for n in range(4)), 90)
        polls, expected = small_polls_in_window(feeds)
        peak = peak_rss_mb(service)
        stop_seconds = sigterm_after_fetch(service, feeds, paths[0], 0.2)
    finally:
        if service.poll() is None:
            service.kill()
    log = (tmp_path / "service.log").read_text()
    rows = source_rows(db)
    report(
        "4 x 4.5 MB item", db=db.split(":")[0], small_polls=polls, expected=expected,
        huge_polls=sum(len(feeds.requests(p)) for p in paths), peak_rss_mb=round(peak),
        stop_seconds=round(stop_seconds, 2),
    )  # fmt: skip
    assert polls >= ON_TIME_SHARE * expected, f"the small feed was polled {polls} times"
    assert stop_seconds < STOP_SECONDS
    assert peak < RSS_BOUND_MB
    assert "read for figures up to their first 100,000 characters" in log
    assert all(rows[f"huge{n}"]["last_status"] in ("ok", "partial") for n in range(4))
    assert duplicates(chat) == 0


def test_sigterm_mid_ingest_stops_within_10_s_and_the_next_run_goes_on(
    feeds: FeedServer, chat: ChatServer, db: str, tmp_path: Path
) -> None:
    # The cap raised so that one poll's ingest lasts far longer than the grace before exit.
    total = 5000
    feeds.serve("/big", many_items_feed(total, prefix="Strike"))
    env = configure(
        tmp_path, chat, db, {"big": (feeds.url("/big"), 600)},
        TALLYWIRE_POLL_MAX_ITEMS=str(total), TALLYWIRE_POLL_BUDGET="600",
    )  # fmt: skip
    service = start(env, tmp_path)
    try:
        assert wait_until(lambda: stored(db, "big") >= 50, 90), "the ingest never got going"
        started = time.monotonic()
        assert stop(service, signal.SIGTERM, timeout=60) == 0
        stop_seconds = time.monotonic() - started
    finally:
        if service.poll() is None:
            service.kill()
    first_run = stored(db, "big")
    row = source_rows(db)["big"]
    assert row["last_status"] == "partial" and row["claimed_by"] is None
    assert row["etag"] is None  # validators as sent: the next fetch brings the whole feed
    service = start(env, tmp_path, "again")
    try:
        assert wait_until(lambda: stored(db, "big") > first_run + 50, 90), "no second run"
    finally:
        assert stop(service, signal.SIGTERM, timeout=60) == 0
    log = (tmp_path / "service.log").read_text()
    report(
        "stop mid-ingest", db=db.split(":")[0], stored_before_stop=first_run, of=total,
        stop_seconds=round(stop_seconds, 2), big_requests=len(feeds.requests("/big")),
    )  # fmt: skip
    assert stop_seconds < STOP_SECONDS
    assert 0 < first_run < total
    assert f"stored {first_run} of {total} documents before the service is stopping" in log
    assert len(feeds.requests("/big")) == 2  # due at once after the restart, not after 600 s


def test_two_workers_never_ingest_one_poll_of_a_slow_feed_across_a_short_lease(
    pg_url: str, feeds: FeedServer, chat: ChatServer, tmp_path: Path
) -> None:
    interval, lease, seconds = 15, 2, 6  # the fetch alone outlasts the lease three times
    feeds.slowly("/slow", many_items_feed(20_000, prefix="Shelling"), seconds)
    env = configure(
        tmp_path, chat, pg_url,
        {"slow": (feeds.url("/slow"), interval), "small": (feeds.url("/small"), SMALL_INTERVAL)},
        TALLYWIRE_POLL_LEASE=str(lease),
    )  # fmt: skip
    workers = [start(env, tmp_path, "one"), start(env, tmp_path, "two")]
    try:
        assert wait_until(lambda: stored(pg_url, "slow") > 0, 60)
        polls, expected = small_polls_in_window(feeds)
        assert wait_until(lambda: len(feeds.requests("/slow")) >= 3, 3 * interval)
        assert feeds.requests("/slow")[-1].finished.wait(30)
        time.sleep(3)  # the last poll's ingest
        peaks = [peak_rss_mb(worker) for worker in workers]
    finally:
        codes = [stop(worker) for worker in workers]
    starts = [r.at for r in feeds.requests("/slow")]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    rows = source_rows(pg_url)
    logs = "".join((tmp_path / f"{name}.log").read_text() for name in ("one", "two"))
    report(
        "slow 20,000 items, 2 workers, lease 2 s", slow_fetches=len(starts),
        gaps=[round(g, 1) for g in gaps], slow_documents=stored(pg_url, "slow"),
        small_polls=polls, expected=expected, peak_rss_mb=[round(p) for p in peaks],
    )  # fmt: skip
    assert codes == [0, 0]
    assert min(gaps) > interval - 1, f"the slow feed was fetched twice in one poll: {gaps}"
    assert stored(pg_url, "slow") == 200  # its 200 newest, each stored once
    assert "claim passed to another worker" not in logs
    assert rows["slow"]["last_status"] == "ok" and rows["slow"]["claimed_by"] is None
    assert polls >= ON_TIME_SHARE * expected
    assert duplicates(chat) == 0
