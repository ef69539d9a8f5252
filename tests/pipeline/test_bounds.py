"""A poll's work is bounded, and a feed's claim is one worker's (issue 12: a 100,000-item feed
held up every other feed for 513 s, SIGTERM took 375 s, and two workers ingested one poll).

The pure parts (when to stop, what to record) are tables; the rest calls the pipeline and the
service's steps directly, against a real feed server and the store on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.delivery.deliverer import Deliverer
from bot.errors import LeaseLost
from bot.pipeline.bounds import Claim, PollControl, StopReason, poll_record, stop_reason
from bot.pipeline.flow import Pipeline, Progress
from bot.pipeline.service import Service
from bot.reconcile.rulebook import Rulebook
from bot.settings import PollLimits, Settings
from bot.sources.documents import Document
from bot.sources.feeds import FeedSpec
from bot.sources.fetch import Validators, make_client
from bot.sources.polling import PollOutcome
from bot.store import PollRecord, Store
from bot.store import sources as source_sql
from tests.fakes.feed_server import FeedItem, FeedServer

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2025, 6, 3, 7, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


@pytest.mark.parametrize(
    ("halted", "lost", "done", "elapsed", "expected"),
    [
        (False, False, 0, 0.0, None),
        (False, False, 0, 99.0, None),  # the first document always goes in: progress
        (False, False, 3, 29.9, None),
        (False, False, 3, 30.0, "time_budget"),
        (True, False, 0, 0.0, "stopping"),  # stopping ends it before anything is stored
        (True, False, 3, 99.0, "stopping"),
        (False, True, 0, 0.0, "lease_lost"),
        (True, True, 3, 99.0, "lease_lost"),  # a lost claim says most: the poll is not ours
    ],
)
def test_when_a_poll_stops_storing(
    halted: bool, lost: bool, done: int, elapsed: float, expected: StopReason | None
) -> None:
    assert (
        stop_reason(halted=halted, lost=lost, done=done, elapsed=elapsed, budget=30.0) == expected
    )


SENT = Validators('"old"', "Mon, 02 Jun 2025 07:00:00 GMT")
FETCHED = PollOutcome("ok", validators=Validators('"new"', "Tue, 03 Jun 2025 07:00:00 GMT"))


@pytest.mark.parametrize(
    ("outcome", "cut_short", "expected"),
    [
        # stored everything: the new validators, due one interval after it was due
        (FETCHED, None,
         PollRecord("ok", None, '"new"', FETCHED.validators.last_modified,
                    NOW - timedelta(seconds=5) + timedelta(minutes=10))),
        # cut short: "partial", the validators it sent (the next fetch is a full 200), due now
        (FETCHED, "time_budget",
         PollRecord("partial", None, '"old"', SENT.last_modified, NOW)),
        (FETCHED, "stopping",
         PollRecord("partial", None, '"old"', SENT.last_modified, NOW)),
        # a failure counts towards the backoff, from the third in a row
        (PollOutcome("error", validators=SENT, error="HTTP 500"), None,
         PollRecord("error", "HTTP 500", '"old"', SENT.last_modified,
                    NOW - timedelta(seconds=5) + timedelta(minutes=20))),
    ],
)  # fmt: skip
def test_what_a_poll_records(
    outcome: PollOutcome, cut_short: StopReason | None, expected: PollRecord
) -> None:
    recorded = poll_record(
        outcome, cut_short, sent=SENT, now=NOW, due=NOW - timedelta(seconds=5), interval=600,
        errors_in_a_row=3,
    )  # fmt: skip
    assert recorded == expected


# --- Storing within bounds -------------------------------------------------------------------


def article(n: int) -> Document:
    text = f"Russia launched {100 + n} drones at Ukraine overnight, the air force said."
    return Document(f"d{n}", "wire", text, title=text, guid=f"g{n}", published=date(2025, 6, 3))


def pipeline_for(
    store: Store, clock: Callable[[], datetime], limits: PollLimits | None = None
) -> Pipeline:
    settings = Settings(config_dirs=(REPO / "config",), poll=limits or PollLimits())
    return Pipeline(store, settings, clock, Rulebook.from_settings(settings))


async def eventually(condition: Callable[[], bool]) -> bool:
    """Whether `condition` holds within 10 s, looked at every 20 ms."""
    for _ in range(500):
        if condition():
            return True
        await asyncio.sleep(0.02)
    return condition()


def ticking(step: float) -> Callable[[], float]:
    """A monotonic timer that moves `step` seconds each time it is read."""
    counter = itertools.count()
    return lambda: next(counter) * step


def register(store: Store, feed_id: str, url: str = "https://x.test/feed") -> None:
    store.register_source(
        source_id=feed_id, kind="feed", url=url, label=feed_id, origin="config",
        interval_seconds=None, now=NOW,
    )  # fmt: skip


def claim(store: Store, worker: str, now: datetime) -> list[str]:
    with store.transaction() as conn:
        return [r.id for r in source_sql.claim_due_feeds(conn, worker, now, LEASE, limit=10)]


def test_the_time_budget_stops_storing_between_documents(store: Store) -> None:
    pipeline = pipeline_for(store, lambda: NOW, PollLimits(budget_seconds=30.0))
    control = PollControl(timer=ticking(10.0))  # 10 s a document
    progress = pipeline.ingest_bounded([article(n) for n in range(6)], control)
    assert (len(progress.ingested), progress.left, progress.reason) == (3, 3, "time_budget")
    assert store.documents_by_source() == {"wire": 3}


def test_waiting_for_another_polls_write_turn_does_not_spend_the_budget(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers do not take turns in the process")
    pipeline = pipeline_for(store, lambda: NOW, PollLimits(budget_seconds=0.3))
    holding, release = threading.Event(), threading.Event()

    def other_poll() -> None:  # a long write transaction of another poll
        with store.transaction():
            holding.set()
            release.wait(10)

    other = threading.Thread(target=other_poll)
    other.start()
    assert holding.wait(10)
    stored: list[Progress] = []
    poll = threading.Thread(
        target=lambda: stored.append(pipeline.ingest_bounded([article(n) for n in range(3)],
                                                            PollControl()))
    )  # fmt: skip
    poll.start()
    time.sleep(0.6)  # the poll waits twice its budget for its first turn
    release.set()
    for thread in (other, poll):
        thread.join(10)
    assert [(len(p.ingested), p.reason) for p in stored] == [(3, None)]


def test_a_halt_stops_storing_before_the_next_document(store: Store) -> None:
    pipeline = pipeline_for(store, lambda: NOW)
    control = PollControl()
    reads = itertools.count()

    def timer() -> float:
        if next(reads) == 3:  # before and after documents 1 and 2
            control.halt.set()
        return 0.0

    control.timer = timer
    progress = pipeline.ingest_bounded([article(n) for n in range(6)], control)
    assert (len(progress.ingested), progress.left, progress.reason) == (2, 4, "stopping")


def test_each_document_renews_the_claim_and_stops_once_it_is_anothers(store: Store) -> None:
    register(store, "wire")
    clock = [NOW]
    pipeline = pipeline_for(store, lambda: clock[0])
    assert claim(store, "w1", NOW) == ["wire"]
    mine = Claim("wire", "w1", LEASE)
    clock[0] = NOW + LEASE - timedelta(seconds=1)
    pipeline.ingest_one(article(1), mine)  # renews: the claim now lasts a lease from here
    assert claim(store, "w2", NOW + LEASE + timedelta(seconds=1)) == []
    assert claim(store, "w2", clock[0] + LEASE + timedelta(seconds=1)) == ["wire"]
    with pytest.raises(LeaseLost):
        pipeline.ingest_one(article(2), mine)
    control = PollControl(claim=mine)
    progress = pipeline.ingest_bounded([article(3), article(4)], control)
    assert (progress.ingested, progress.left, progress.reason) == ((), 2, "lease_lost")
    assert control.lost.is_set()
    assert store.documents_by_source() == {"wire": 1}  # nothing after the claim passed on


def test_a_claim_that_lapsed_unclaimed_is_taken_up_again(store: Store) -> None:
    register(store, "wire")
    assert claim(store, "w1", NOW) == ["wire"]
    with store.transaction() as conn:
        assert source_sql.renew_claim(conn, "wire", "w1", NOW + LEASE * 3, LEASE)
        assert not source_sql.renew_claim(conn, "wire", "w2", NOW + LEASE * 3, LEASE)


def test_a_poll_is_recorded_only_by_the_worker_holding_the_claim(store: Store) -> None:
    register(store, "a")
    register(store, "b")
    assert claim(store, "w1", NOW) == ["a", "b"]
    later = NOW + timedelta(minutes=10)
    assert not store.record_poll("a", PollRecord("ok", next_poll_at=later), NOW, "w2")
    store.record_polls([("b", PollRecord("not_modified", next_poll_at=later))], NOW, "w2")
    assert {r.id: r.last_status for r in store.sources()} == {"a": None, "b": None}
    assert store.record_poll("a", PollRecord("ok", next_poll_at=later), NOW, "w1")
    store.record_polls([("b", PollRecord("not_modified", next_poll_at=later))], NOW, "w1")
    assert {r.id: r.last_status for r in store.sources()} == {"a": "ok", "b": "not_modified"}
    assert claim(store, "w2", NOW) == []  # recorded: released, and not due before `later`


def test_claims_are_released_by_worker(store: Store) -> None:
    for name in ("a", "b", "c"):
        register(store, name)
    with store.transaction() as conn:
        source_sql.claim_due_feeds(conn, "w1", NOW, LEASE, limit=2)
        source_sql.claim_due_feeds(conn, "w2", NOW, LEASE, limit=2)
        assert sorted(source_sql.feed_claimants(conn)) == ["w1", "w2"]
        assert source_sql.release_feed_claims(conn, ["w1"]) == 2
        assert source_sql.feed_claimants(conn) == ["w2"]
    assert claim(store, "w3", NOW) == ["a", "b"]


# --- A poll cut short, then resumed ----------------------------------------------------------


async def test_a_poll_cut_short_is_partial_and_the_next_one_stores_the_rest(store: Store) -> None:
    clock = [NOW]
    pipeline = pipeline_for(store, lambda: clock[0], PollLimits(budget_seconds=30.0))
    items = [
        FeedItem(f"Russia launched {100 + n} drones overnight", f"g{n}", f"https://w.test/{n}",
                 f"<p>Air defences shot down {50 + n} of them.</p>", NOW)
        for n in range(5)
    ]  # fmt: skip
    with FeedServer() as server:
        served = server.set_feed("/feed", items)
        spec = FeedSpec("wire", server.url("/feed"), "wire")
        pipeline.register_feeds([spec])
        async with make_client(pipeline.settings.fetch) as client:
            cut = await pipeline.poll(spec, client, control=PollControl(timer=ticking(10.0)))
            first = store.source("wire")
            clock[0] += timedelta(seconds=1)
            rest = await pipeline.poll(spec, client)
        requests = server.requests("/feed")
    assert (cut.status, len(cut.ingested)) == ("partial", 3)
    assert first is not None
    assert (first.last_status, first.etag, first.next_poll_at) == ("partial", None, NOW)
    # the second fetch was not conditional, so the whole feed came back: three duplicates
    assert "if-none-match" not in requests[1].headers
    assert [i.stored.kind for i in rest.ingested] == ["duplicate"] * 3 + ["new"] * 2
    second = store.source("wire")
    assert second is not None
    assert (second.last_status, second.etag) == ("ok", served.etag)
    assert pipeline.metrics.value("tallywire_feed_items_skipped_total", reason="time_budget") == 2


async def test_the_item_cap_keeps_the_newest_and_counts_the_rest(store: Store) -> None:
    pipeline = pipeline_for(store, lambda: NOW, PollLimits(max_items=3))
    items = [
        FeedItem(f"Item {n}", f"g{n}", f"https://w.test/{n}", "", NOW - timedelta(days=n))
        for n in range(20)
    ]
    with FeedServer() as server:
        server.set_feed("/feed", items[::-1])  # oldest first
        spec = FeedSpec("wire", server.url("/feed"), "wire")
        pipeline.register_feeds([spec])
        async with make_client(pipeline.settings.fetch) as client:
            report = await pipeline.poll(spec, client)
    assert [i.document.title for i in report.ingested] == ["Item 2", "Item 1", "Item 0"]
    assert report.status == "ok"
    assert pipeline.metrics.value("tallywire_feed_items_skipped_total", reason="item_cap") == 17
    assert pipeline.metrics.value("tallywire_polls_total", status="ok") == 1


# --- The service: a long poll holds only its own slot ----------------------------------------


async def test_feeds_are_claimed_and_polled_while_a_long_poll_is_in_flight(store: Store) -> None:
    clock = [NOW]
    pipeline = pipeline_for(store, lambda: clock[0])
    with FeedServer() as server:
        server.slowly("/slow", b"<rss version='2.0'><channel><title>S</title></channel></rss>", 8.0)
        server.set_feed("/fast", [])
        specs = [
            FeedSpec("slow", server.url("/slow"), "slow"),
            FeedSpec("fast", server.url("/fast"), "fast", interval_seconds=1),
        ]
        pipeline.register_feeds(specs)
        service = Service(
            pipeline, Deliverer(store, {}, lambda: clock[0]), specs,
            lambda: make_client(pipeline.settings.fetch),
        )  # fmt: skip
        try:
            assert await service.claim_due() == 2
            for count in range(1, 4):
                assert await eventually(lambda: "fast" not in service.polling)
                assert len(server.requests("/fast")) == count
                clock[0] += timedelta(seconds=2)
                assert await service.claim_due() == 1  # the fast feed again, not the slow one
            assert await eventually(lambda: "fast" not in service.polling)
            slow = server.requests("/slow")
            assert len(slow) == 1 and not slow[0].finished.is_set()  # still in flight
            assert len(server.requests("/fast")) == 4
            server.close()  # cuts the slow answer short: its poll ends as an error
            await service.poll_round()
        finally:
            await service.close()
    assert {r.id: r.last_status for r in store.sources()} == {
        "fast": "not_modified",
        "slow": "error",
    }
