"""The long-running service: polls and deliveries on one event loop, shared with the chat
clients, until SIGTERM.

APScheduler (AsyncIOScheduler) runs three jobs: claim the feeds that are due into the free poll
slots, deliver the outbox, and write the chats' digests that are due. Which feed is due and
which message goes next is decided in the database with leases, not in the scheduler, so
several workers can share one PostgreSQL (APScheduler 3 cannot share a job store between
processes). A poll renews its feed's lease
while it lives. Blocking work (parsing, the store) runs in threads; parsing and storing in
daemon threads that stop between documents when the service stops (see bot.pipeline).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import Deliverer
from bot.digests import Digests
from bot.pipeline.bounds import Claim, PollControl
from bot.pipeline.flow import Pipeline, PollBook
from bot.sources import FeedSpec, make_client
from bot.store import outbox as outbox_sql
from bot.store import sources as source_sql
from bot.telemetry import PollRounds

log = logging.getLogger(__name__)

POLL_TICK_SECONDS = 1.0  # how often due feeds are looked for: a feed waits at most this long
CLAIM_BATCH = 64
MAX_POLLS_IN_FLIGHT = 64
# A claim is a transaction that reads every due feed (about 10 ms at 10,000 feeds): with the
# slots taken, the next claim waits for a whole batch of free slots, or, when fewer free up,
# for this long without a poll ending (long polls hold the others).
SLOT_QUIET_SECONDS = 0.1
STOP_GRACE_SECONDS = 8.0
DELIVERY_TICK_SECONDS = 1.0
DIGEST_TICK_SECONDS = 5.0  # a digest goes out at most this long after its chat's time


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
        self._claiming: asyncio.Task[object] | None = None
        self._polls: dict[str, asyncio.Task[object]] = {}  # feed id -> its poll in flight
        self._slot_freed = asyncio.Event()
        self._last_freed = float("-inf")  # event loop time when a poll last ended
        self._unchanged: PollBook = []  # polls that brought nothing new, recorded together
        self._halt = threading.Event()  # read by the threads that store, between documents
        self._lease = timedelta(seconds=self.pipeline.settings.poll.lease_seconds)
        self._trusted = make_client(self.pipeline.settings.fetch)
        self._guarded = self.guarded_client()
        self._digests = Digests(self.pipeline.store, self.pipeline.rulebook, self.pipeline.clock)
        self._rounds = PollRounds(
            self.pipeline.metrics, self._last_queued, self.pipeline.settings.poll_seconds
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set; then finish what is in flight (bounded) and return."""
        settings = self.pipeline.settings
        await asyncio.to_thread(self.pipeline.register_feeds, self.feeds)
        scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop())
        jobs = _JobsInHand(scheduler)
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
        scheduler.add_job(
            self._tracked(self.write_digests), "interval", seconds=DIGEST_TICK_SECONDS,
            next_run_time=now, coalesce=True, max_instances=1, misfire_grace_time=60,
            id="digests",
        )  # fmt: skip
        await asyncio.to_thread(self._release_dead_claims)
        await asyncio.to_thread(self._rounds.begin)
        await asyncio.to_thread(self.pipeline.ingest_seeds)
        scheduler.start()
        log.info("tallywire %s running: %d feeds configured", self.worker, len(self.feeds))
        if self.on_start:
            await self.on_start()
        try:
            await stop.wait()
        finally:
            self._halt.set()
            self._slot_freed.set()
            self.deliverer.stopping = True
            await _shut_down(scheduler, jobs)
            await self._finish_in_flight()
            await self._let_go()
            with contextlib.suppress(Exception):  # the store is gone: the round goes unsaid
                await asyncio.to_thread(self._rounds.close)
            await self.close()
            log.info("tallywire %s stopped", self.worker)

    async def close(self) -> None:
        """Close the feed clients."""
        await self._trusted.aclose()
        await self._guarded.aclose()

    @property
    def polling(self) -> frozenset[str]:
        """The ids of the feeds being polled now."""
        return frozenset(self._polls)

    async def poll_due(self) -> None:
        """Start claiming due feeds into the free poll slots unless a claim is under way;
        return at once. Polls in flight go on meanwhile: a long one holds only its own slot."""
        if self._rounds.due(len(self._polls)):
            await asyncio.to_thread(self._rounds.close)
        if self._claiming is None or self._claiming.done():
            self._claiming = self._spawn(self.claim_due(), "claiming")

    async def claim_due(self) -> int:
        """Record the unchanged polls kept so far, then claim due feeds into the free slots (at
        most MAX_POLLS_IN_FLIGHT polls at once, CLAIM_BATCH a claim) and start their polls,
        until none is due or the service stops; the number of feeds claimed. Does not wait for
        the polls. A hung feed holds only its own slot (each fetch has its own deadline)."""
        await self._flush_unchanged()
        claimed = 0
        while (free := await self._free_slots()) > 0:
            records = await asyncio.to_thread(self._claim_feeds, min(free, CLAIM_BATCH))
            if not records:
                break
            claimed += len(records)
            for record in records:
                if not self._halt.is_set():  # else the claim is released on the way out
                    self._start_poll(record)
        return claimed

    async def poll_round(self) -> int:
        """Claim every due feed and poll it, as the service does tick after tick, and wait for
        the polls and their records; the number of feeds claimed."""
        claimed = await self.claim_due()
        while self._polls:
            await asyncio.wait(list(self._polls.values()))
        await self._flush_unchanged()
        return claimed

    async def deliver(self) -> None:
        """Start a delivery round unless one is still running; return at once."""
        if self._delivery is None or self._delivery.done():
            self._delivery = self._spawn(self.deliverer.drain(rounds=200), "delivery")

    async def write_digests(self) -> None:
        """Write the chats' digests that are due (quiet hours ended, a digest-mode chat's
        time came; bot.digests) and deliver them."""
        if await asyncio.to_thread(self._digests.write_due):
            await self.deliver()

    async def _free_slots(self) -> int:
        """The free poll slots, once there are enough to claim into: a batch's worth, or as
        many as there are once no poll has ended for SLOT_QUIET_SECONDS; 0 once the service
        stops."""
        loop = asyncio.get_running_loop()
        while not self._halt.is_set():
            free = MAX_POLLS_IN_FLIGHT - len(self._polls)
            quiet = loop.time() - self._last_freed
            if free >= CLAIM_BATCH or (free > 0 and quiet >= SLOT_QUIET_SECONDS):
                return free
            self._slot_freed.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SLOT_QUIET_SECONDS - quiet if free else None):
                    await self._slot_freed.wait()
        return 0

    def _start_poll(self, record: source_sql.SourceRecord) -> None:
        if record.id in self._polls:
            return  # still polling it (its lease had lapsed): the claim is renewed, not doubled
        task = self._spawn(self._poll_claimed(record), f"poll {record.id}")
        self._polls[record.id] = task
        task.add_done_callback(lambda _: self._poll_ended(record.id))

    def _poll_ended(self, feed_id: str) -> None:
        self._polls.pop(feed_id, None)
        self._last_freed = asyncio.get_running_loop().time()
        self._slot_freed.set()

    async def _poll_claimed(self, record: source_sql.SourceRecord) -> None:
        """Poll one claimed feed, renewing its claim while the poll lives."""
        spec = FeedSpec(
            record.id, record.url or "", record.label, record.interval_seconds, record.origin
        )
        claim = Claim(record.id, self.worker, self._lease)
        control = PollControl(halt=self._halt, claim=claim)
        heartbeat = asyncio.create_task(self._heartbeat(control, claim))
        try:
            client = self._guarded if spec.origin == "chat" else self._trusted
            report = await self.pipeline.poll(spec, client, record, self._unchanged, control)
        except Exception:
            log.exception("polling %s failed; it is tried again when its claim ends", spec.id)
            return
        finally:
            heartbeat.cancel()
        if report.ingested:
            log.debug("feed %s: %d documents", report.source_id, len(report.ingested))
            await self.deliver()
        if len(self._unchanged) >= CLAIM_BATCH:
            await self._flush_unchanged()

    async def _heartbeat(self, control: PollControl, claim: Claim) -> None:
        """Renew `claim` every third of its lease until cancelled; once it is found to be
        another worker's, tell the poll (it stops before its next document)."""
        while True:
            await asyncio.sleep(claim.lease.total_seconds() / 3)
            try:
                held = await asyncio.to_thread(self._renew, claim)
            except Exception:
                # The store is out of reach: the next beat tries again, and a document's own
                # transaction checks the claim anyway.
                log.warning("feed %s: its claim could not be renewed", claim.source_id)
                continue
            if not held:
                control.lost.set()
                return

    def _renew(self, claim: Claim) -> bool:
        with self.pipeline.store.transaction() as conn:
            return source_sql.renew_claim(
                conn, claim.source_id, claim.worker, self.pipeline.clock(), claim.lease
            )

    async def _flush_unchanged(self) -> None:
        """Record the unchanged polls kept so far, in one transaction."""
        # Copied and emptied, not replaced: polls in flight append to this very list.
        book = list(self._unchanged)
        self._unchanged.clear()
        if book:
            await asyncio.to_thread(self.pipeline.write_book, book, self.worker)

    async def _let_go(self) -> None:
        """At stop: record the unchanged polls, and release the claims still held (polls cut
        off by the stop), so that another worker, or this one restarted, polls those feeds at
        once."""
        try:
            await self._flush_unchanged()
            await asyncio.to_thread(self._release_own_claims)
        except Exception:
            log.warning("the feeds this worker was polling are left to their leases", exc_info=True)

    def _release_own_claims(self) -> None:
        with self.pipeline.store.transaction() as conn:
            source_sql.release_feed_claims(conn, [self.worker])

    def _release_dead_claims(self) -> None:
        with self.pipeline.store.transaction() as conn:
            dead = dead_local_workers(outbox_sql.claimants(conn))
            if outbox_sql.release_claims(conn, dead):
                log.info("took over the unfinished deliveries of %s", ", ".join(dead))
            dead = dead_local_workers(source_sql.feed_claimants(conn))
            if source_sql.release_feed_claims(conn, dead):
                log.info("took over the unfinished polls of %s", ", ".join(dead))

    def _last_queued(self) -> int:
        with self.pipeline.store.reading() as conn:
            return outbox_sql.last_id(conn)

    def _claim_feeds(self, limit: int) -> list[source_sql.SourceRecord]:
        with self.pipeline.store.transaction() as conn:
            return source_sql.claim_due_feeds(
                conn, self.worker, self.pipeline.clock(), self._lease, limit=limit
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


class _JobsInHand:
    """How many jobs the scheduler has handed to its executor and not seen end (its events)."""

    def __init__(self, scheduler: AsyncIOScheduler) -> None:
        self.count = 0
        ended = EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
        scheduler.add_listener(self._on_event, EVENT_JOB_SUBMITTED | ended)

    def _on_event(self, event: JobEvent) -> None:
        self.count += 1 if event.code == EVENT_JOB_SUBMITTED else -1


async def _shut_down(scheduler: AsyncIOScheduler, jobs: _JobsInHand) -> None:
    """Stop `scheduler` once the jobs it has handed out have run: its executor cancels the
    ones not yet started, and APScheduler logs each as an error with a CancelledError
    traceback (issue 16: a SIGTERM a second after start). Ours return at once when stopping."""
    scheduler.pause()
    deadline = asyncio.get_running_loop().time() + STOP_GRACE_SECONDS
    while jobs.count > 0 and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.01)
    scheduler.shutdown(wait=False)
