"""The long-running service: polls and deliveries on one event loop, shared with the chat
clients, until SIGTERM.

APScheduler (AsyncIOScheduler) runs two jobs: claim the feeds that are due and poll them, and
deliver the outbox. Which feed is due and which message goes next is decided in the database
with leases, not in the scheduler, so several workers can share one PostgreSQL (APScheduler 3
cannot share a job store between processes). Blocking work (parsing, the store) runs in threads.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import Deliverer
from bot.feedconfig import FeedSpec
from bot.fetch import make_client
from bot.pipeline import Pipeline, PollBook
from bot.store import outbox as outbox_sql
from bot.store import sources as source_sql

log = logging.getLogger(__name__)

POLL_LEASE = timedelta(minutes=2)
POLL_TICK_SECONDS = 1.0  # how often due feeds are looked for: a feed waits at most this long
CLAIM_BATCH = 64
MAX_POLLS_IN_FLIGHT = 64
STOP_GRACE_SECONDS = 8.0
DELIVERY_TICK_SECONDS = 1.0


def worker_name() -> str:
    """This process's name in leases and logs: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def dead_local_workers(workers: Sequence[str]) -> list[str]:
    """The workers of this host whose process is gone (a crash, a kill -9): their leases need
    not be waited out. Workers of other hosts are left to their leases."""
    host = socket.gethostname()
    dead = []
    for worker in workers:
        name, _, pid = worker.rpartition(":")
        if name == host and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            dead.append(worker)
    return dead


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Service:
    """Polls, reconciles and delivers until told to stop."""

    pipeline: Pipeline
    deliverer: Deliverer
    feeds: Sequence[FeedSpec]
    guarded_client: Callable[[], httpx.AsyncClient]
    worker: str = "worker"
    on_start: Callable[[], Awaitable[None]] | None = None

    def __post_init__(self) -> None:
        self._busy: set[asyncio.Task[object]] = set()
        self._delivery: asyncio.Task[object] | None = None
        self._polling: asyncio.Task[object] | None = None
        self._trusted = make_client(self.pipeline.settings.fetch)
        self._guarded = self.guarded_client()

    async def run(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set; then finish what is in flight (bounded) and return."""
        settings = self.pipeline.settings
        await asyncio.to_thread(self.pipeline.register_feeds, self.feeds)
        scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop())
        now = datetime.now().astimezone()
        scheduler.add_job(
            self._tracked(self.poll_due), "interval", seconds=POLL_TICK_SECONDS, next_run_time=now,
            coalesce=True, max_instances=1, misfire_grace_time=max(settings.poll_seconds, 30),
            id="poll",
        )  # fmt: skip
        scheduler.add_job(
            self._tracked(self.deliver), "interval", seconds=DELIVERY_TICK_SECONDS,
            next_run_time=now, coalesce=True, max_instances=1, misfire_grace_time=30,
            id="deliver",
        )  # fmt: skip
        await asyncio.to_thread(self._release_dead_claims)
        await asyncio.to_thread(self.pipeline.ingest_seeds)
        scheduler.start()
        log.info("tallywire %s running: %d feeds configured", self.worker, len(self.feeds))
        if self.on_start:
            await self.on_start()
        try:
            await stop.wait()
        finally:
            self.deliverer.stopping = True
            scheduler.shutdown(wait=False)
            await self._finish_in_flight()
            await self.close()
            log.info("tallywire %s stopped", self.worker)

    async def close(self) -> None:
        """Close the feed clients."""
        await self._trusted.aclose()
        await self._guarded.aclose()

    async def poll_due(self) -> None:
        """Start a polling round unless one is still running; return at once."""
        if self._polling is None or self._polling.done():
            self._polling = self._spawn(self.poll_round(), "polling")

    async def poll_round(self) -> int:
        """Claim the feeds that are due, a batch at a time, and poll them, at most
        MAX_POLLS_IN_FLIGHT at once, until none is due; the number of feeds claimed. A hung
        feed holds only its own slot (each fetch has its own deadline)."""
        slots = asyncio.Semaphore(MAX_POLLS_IN_FLIGHT)
        batches: set[asyncio.Task[object]] = set()
        claimed = 0
        while not self.deliverer.stopping:
            records = await asyncio.to_thread(self._claim_feeds)
            if not records:
                break
            claimed += len(records)
            for _ in records:
                await slots.acquire()
            batch = self._spawn(self._poll_batch(records, slots), "poll batch")
            batches.add(batch)
            batch.add_done_callback(batches.discard)
        if batches:
            await asyncio.wait(batches)
        return claimed

    async def _poll_batch(
        self, records: list[source_sql.SourceRecord], slots: asyncio.Semaphore
    ) -> None:
        """Poll one claimed batch; what brought nothing new is recorded in one transaction."""
        unchanged: PollBook = []

        async def one(record: source_sql.SourceRecord) -> None:
            spec = FeedSpec(
                record.id, record.url or "", record.label, record.interval_seconds, record.origin
            )
            try:
                await self._poll(spec, record, unchanged)
            except Exception:
                log.exception("polling %s failed; it is tried again when its claim ends", spec.id)
            finally:
                slots.release()

        await asyncio.gather(*(one(record) for record in records))
        await asyncio.to_thread(self.pipeline.write_book, unchanged)

    async def deliver(self) -> None:
        """Start a delivery round unless one is still running; return at once."""
        if self._delivery is None or self._delivery.done():
            self._delivery = self._spawn(self.deliverer.drain(rounds=200), "delivery")

    async def _poll(
        self, spec: FeedSpec, record: source_sql.SourceRecord, unchanged: PollBook
    ) -> None:
        client = self._guarded if spec.origin == "chat" else self._trusted
        report = await self.pipeline.poll(spec, client, record, unchanged)
        if report.ingested:
            log.info("feed %s: %d documents", report.source_id, len(report.ingested))
            await self.deliver()

    def _release_dead_claims(self) -> None:
        with self.pipeline.store.transaction() as conn:
            dead = dead_local_workers(outbox_sql.claimants(conn))
            if outbox_sql.release_claims(conn, dead):
                log.info("took over the unfinished deliveries of %s", ", ".join(dead))

    def _claim_feeds(self) -> list[source_sql.SourceRecord]:
        with self.pipeline.store.transaction() as conn:
            return source_sql.claim_due_feeds(
                conn, self.worker, self.pipeline.clock(), POLL_LEASE, limit=CLAIM_BATCH
            )

    def _tracked(self, job: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            try:
                await job()
            except Exception:
                log.exception("job %s failed; it runs again at its next tick", job.__name__)

        run.__name__ = job.__name__
        return run

    def _spawn(self, work: Awaitable[object], name: str) -> asyncio.Task[object]:
        async def run() -> object:
            try:
                return await work
            except Exception:
                log.exception("%s failed; it is tried again at its next tick", name)
                return None

        task = asyncio.create_task(run(), name=name)
        self._busy.add(task)
        task.add_done_callback(self._busy.discard)
        return task

    async def _finish_in_flight(self) -> None:
        if not self._busy:
            return
        _, pending = await asyncio.wait(self._busy, timeout=STOP_GRACE_SECONDS)
        for task in pending:
            task.cancel()  # what is unsent stays in the outbox; its lease expires
        if pending:
            log.warning("stopped %d unfinished jobs; their work is left in the store", len(pending))
