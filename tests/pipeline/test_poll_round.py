"""A polling round: every due feed is claimed and polled, batch after batch, once each; the
feeds that brought nothing new are recorded together."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.delivery.deliverer import Deliverer
from bot.pipeline.flow import Pipeline
from bot.pipeline.service import CLAIM_BATCH, Service
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.sources.feeds import FeedSpec
from bot.sources.fetch import make_client
from bot.store import PollRecord, Store
from bot.store import sources as source_sql
from tests.fakes.feed_server import FeedItem, FeedServer

REPO = Path(__file__).resolve().parents[2]
FEEDS = CLAIM_BATCH + 6  # more than one claim's worth


def register(store: Store, names: tuple[str, ...], now: datetime) -> None:
    for name in names:
        store.register_source(
            source_id=name, kind="feed", url=f"https://x.test/{name}", label=name,
            origin="config", interval_seconds=None, now=now,
        )  # fmt: skip


async def test_a_round_polls_every_due_feed_once_then_none(store: Store, now: datetime) -> None:
    clock = [now]
    settings = Settings(config_dirs=(REPO / "config",), poll_seconds=600)
    pipeline = Pipeline(store, settings, lambda: clock[0], Rulebook.from_settings(settings))
    with FeedServer() as server:
        item = FeedItem("Calm night", "urn:calm", "https://wire.test/calm", "<p>Quiet.</p>", now)
        specs = []
        for n in range(FEEDS):
            server.set_feed(f"/{n}.xml", [] if n else [item])
            specs.append(FeedSpec(f"feed{n:03d}", server.url(f"/{n}.xml"), f"feed {n}"))
        pipeline.register_feeds(specs)
        service = Service(
            pipeline, Deliverer(store, {}, lambda: clock[0]), specs,
            lambda: make_client(settings.fetch),
        )  # fmt: skip
        try:
            assert await service.poll_round() == FEEDS
            assert await service.poll_round() == 0  # nothing is due again before its interval
            assert len(server.requests()) == FEEDS
            clock[0] += timedelta(seconds=601)
            assert await service.poll_round() == FEEDS
        finally:
            await service.close()
    polled = {r.id: r for r in store.sources()}
    assert {polled[s.id].last_status for s in specs} == {"not_modified"}
    # polled a second late: the next poll counts from when it was due, one interval after the first
    assert all(polled[s.id].next_poll_at == now + timedelta(seconds=1200) for s in specs)
    assert all(polled[s.id].etag for s in specs)  # the validators of the first poll were kept
    assert store.documents_by_source() == {"feed000": 1}


def test_several_polls_are_recorded_in_one_go(store: Store, now: datetime) -> None:
    register(store, ("a", "b"), now)
    later = now + timedelta(minutes=10)
    store.record_polls(
        [("a", PollRecord("not_modified", next_poll_at=later)),
         ("b", PollRecord("error", error="HTTP 500", next_poll_at=later))],
        now,
    )  # fmt: skip
    a, b = store.source("a"), store.source("b")
    assert a is not None and b is not None
    assert (a.last_status, a.consecutive_errors, a.next_poll_at) == ("not_modified", 0, later)
    assert (b.last_status, b.consecutive_errors, b.last_error) == ("error", 1, "HTTP 500")


def test_a_claim_takes_due_feeds_once(store: Store, now: datetime) -> None:
    register(store, ("a", "b", "c"), now)
    lease = timedelta(minutes=2)
    with store.transaction() as conn:
        first = source_sql.claim_due_feeds(conn, "w1", now, lease, limit=2)
    with store.transaction() as conn:
        second = source_sql.claim_due_feeds(conn, "w2", now, lease, limit=5)
    with store.transaction() as conn:
        third = source_sql.claim_due_feeds(conn, "w3", now, lease, limit=5)
    assert [r.id for r in first] == ["a", "b"]
    assert [r.id for r in second] == ["c"]
    assert third == []
    with store.transaction() as conn:  # once the lease has run out, a feed may be claimed again
        again = source_sql.claim_due_feeds(conn, "w3", now + lease * 2, lease, limit=5)
    assert [r.id for r in again] == ["a", "b", "c"]
