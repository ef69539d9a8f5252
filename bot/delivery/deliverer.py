"""Delivery: from the outbox to the channels, once each, in thread order, within the limits.

Policy (reliability.md): what certainly failed (connection refused, 429, 5xx) is retried with
backoff, after the platform's retry_after when it gives one; a read timeout after sending is
recorded as "uncertain" and not resent, since no platform takes an idempotency key; a
destination the platform says is gone is disabled with all its pending messages. A worker that
dies leaves its claims to expire, and another worker sends the messages again: the one window
for a duplicate is a crash after the platform accepted and before "sent" was recorded.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.compose import Message
from bot.delivery.channel import Channel, address_of, channel_name
from bot.delivery.pacing import RateLimiter
from bot.errors import DeliveryError, DestinationGone, RetryableDelivery, UncertainDelivery
from bot.store import OutboxItem, Store, ThreadState
from bot.store import outbox as outbox_sql
from bot.store import subscriptions as subscription_sql

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300.0
WAIT_FOR_ROOT = timedelta(seconds=1)
STOP_CHECK_SECONDS = 0.25  # how soon a message waiting for its slot sees a SIGTERM


# Draws a "chart" outbox item's picture when it is sent (bot.commands.event_chart, passed in by
# bot.app): the message to send, carrying the image; None when there is nothing to chart.
ChartRenderer = Callable[[OutboxItem], Message | None]


class Counts(Protocol):
    """Where delivery outcomes are counted (bot.telemetry.Metrics)."""

    def count(self, name: str, amount: float = 1, **labels: str) -> None: ...

    def observe(self, name: str, seconds: float, **labels: str) -> None: ...


@dataclass
class Deliverer:
    """Sends what the outbox holds for the channels at hand.

    Pacing: each channel type has one RateLimiter (its `per_second` overall, its `spacing` per
    destination). A claimed message reserves its slot at once and waits for it outside the
    concurrency gate, which bounds only the requests in the air. While the claimed messages go
    out, the next ones are claimed (once `refill` of those in hand are done), so the limiter's
    queue never runs dry between batches and no slot is lost to a claim or a slow last send.

    A "chart" item (bot.pipeline.charted) is drawn by `charts` when it is sent and posted as a
    reply in its thread; without `charts`, or with nothing to chart, its text goes alone.
    """

    store: Store
    channels: Mapping[str, Channel]
    clock: Callable[[], datetime]
    worker: str = "worker"
    metrics: Counts | None = None
    lease: timedelta = timedelta(seconds=30)  # longer than one send may take (10 s timeout)
    batch: int = 100  # messages in hand at most (claimed, not yet done)
    concurrency: int = 25  # requests in the air at most
    refill: int = 25  # claim again once this many of the messages in hand are done
    charts: ChartRenderer | None = None
    _limiters: dict[str, RateLimiter] = field(default_factory=dict)
    last_round: float = 0.0  # time.monotonic() of the last claim, for /healthz
    stopping: bool = False  # set on SIGTERM: finish the sends in hand, claim no more

    async def deliver_once(self) -> Counter[str]:
        """Claim one batch of messages (the oldest of each destination) and send them."""
        self.last_round = time.monotonic()
        heads = await asyncio.to_thread(self._claim, self.batch)
        outcomes: Counter[str] = Counter()
        gate = asyncio.Semaphore(self.concurrency)
        await asyncio.gather(*(self._one(item, state, gate, outcomes) for item, state in heads))
        return outcomes

    async def drain(self, rounds: int = 1000) -> Counter[str]:
        """Deliver until nothing more can be sent now, claiming at most `rounds` times (for
        the service's delivery job, the CLI and tests)."""
        outcomes: Counter[str] = Counter()
        gate = asyncio.Semaphore(self.concurrency)
        in_hand: set[asyncio.Task[None]] = set()
        try:
            for _ in range(rounds):
                if self.stopping:
                    break
                self.last_round = time.monotonic()
                heads = await asyncio.to_thread(self._claim, self.batch - len(in_hand))
                for item, state in heads:
                    in_hand.add(asyncio.create_task(self._one(item, state, gate, outcomes)))
                if not in_hand:
                    break
                await _until_done(in_hand, min(self.refill, len(in_hand)))
            await _until_done(in_hand, len(in_hand))
        except asyncio.CancelledError:
            for task in in_hand:
                task.cancel()  # what is unsent stays claimed until its lease ends
            raise
        except Exception:
            await asyncio.gather(*in_hand, return_exceptions=True)
            raise
        return outcomes

    def _claim(self, limit: int) -> list[tuple[OutboxItem, ThreadState]]:
        if limit <= 0:
            return []
        with self.store.transaction() as conn:
            items = outbox_sql.claim_heads(conn, self.worker, self.clock(), self.lease, limit)
            mine = [i for i in items if channel_name(i.destination) in self.channels]
            for item in items:
                if item not in mine:  # another worker has that channel: give it back at once
                    outbox_sql.retry_later(conn, item.id, self.clock(), None)
            states = outbox_sql.thread_states(conn, mine)
        return [(item, states[item.id]) for item in mine]

    async def _one(
        self,
        item: OutboxItem,
        state: ThreadState,
        gate: asyncio.Semaphore,
        outcomes: Counter[str],
    ) -> None:
        outcome = await self._deliver(item, state, gate)
        outcomes[outcome] += 1
        if self.metrics is not None:
            self.metrics.count("tallywire_deliveries_total", result=outcome)
            if outcome == "sent" and item.created_at is not None:
                waited = (self.clock() - item.created_at).total_seconds()
                channel = channel_name(item.destination)
                self.metrics.observe("tallywire_delivery_latency_seconds", waited, channel=channel)

    async def _deliver(self, item: OutboxItem, state: ThreadState, gate: asyncio.Semaphore) -> str:
        channel = self.channels[channel_name(item.destination)]
        if state.superseded or (item.role == "edit" and state.root == ""):
            await asyncio.to_thread(self._finish, item, "superseded", None, None)
            return "superseded"
        if item.role in ("reply", "edit", "chart") and state.root is None:  # a digest has none
            await asyncio.to_thread(self._retry, item, self.clock() + WAIT_FOR_ROOT, None)
            return "waiting"
        address = address_of(item.destination)
        outcome = await self._wait_for_slot(channel, item, channel.spacing(address))
        if outcome:
            return outcome
        async with gate:
            try:
                platform_id = await self._send(channel, address, item, state.root or None)
            except DeliveryError as exc:
                return await self._failed(channel, item, exc)
            finally:  # the destination's next slot counts from the answer, not the request
                self._limiter(channel).ended(item.destination)
        await asyncio.to_thread(self._finish, item, "sent", platform_id, None)
        return "sent"

    async def _wait_for_slot(self, channel: Channel, item: OutboxItem, spacing: float) -> str:
        """Wait for the item's send slot; "" when it has come. A slot further off than half
        the lease is not reserved ("deferred": the claim is given back, to be made again nearer
        the time, so that it never outlives its lease); a worker told to stop gives its claim
        back too ("released")."""
        limiter = self._limiter(channel)
        if limiter.delay(item.destination, spacing) > self.lease.total_seconds() / 2:
            later = self.clock() + self.lease / 4
            await asyncio.to_thread(self._retry, item, later, None)
            return "deferred"
        deadline = time.monotonic() + limiter.reserve(item.destination, spacing)
        while not self.stopping and (left := deadline - time.monotonic()) > 0:
            await asyncio.sleep(min(left, STOP_CHECK_SECONDS))
        if self.stopping:
            await asyncio.to_thread(self._retry, item, self.clock(), None)
            return "released"
        return ""

    async def _send(
        self, channel: Channel, address: str, item: OutboxItem, root: str | None
    ) -> str | None:
        if item.role == "edit" and root is not None:
            await channel.edit(address, root, item.message)
            return None
        reply_to = root if item.role in ("reply", "chart") else None
        message = item.message
        if item.role == "chart" and self.charts is not None:
            drawn = await asyncio.to_thread(self._draw, self.charts, item)
            message = drawn or message
        return await channel.send(address, message, reply_to, item.key)

    @staticmethod
    def _draw(charts: ChartRenderer, item: OutboxItem) -> Message | None:
        """The chart `item` names, drawn; None (its text goes alone) when drawing fails, so
        that a chart that cannot be drawn never blocks its thread."""
        try:
            return charts(item)
        except Exception:  # a bug in drawing: logged with its traceback, the text still goes
            log.exception("the chart of %s could not be drawn", item.key)
            return None

    async def _failed(self, channel: Channel, item: OutboxItem, exc: DeliveryError) -> str:
        if isinstance(exc, RetryableDelivery):
            delay = exc.retry_after if exc.retry_after is not None else _backoff(item.attempts)
            if exc.retry_after is not None:
                self._limiter(channel).hold(item.destination, exc.retry_after)
            log.warning(
                "delivery to %s will be retried in %.0f s: %s", item.destination, delay, exc
            )
            await asyncio.to_thread(
                self._retry, item, self.clock() + timedelta(seconds=delay), str(exc)
            )
            return "retried"
        if isinstance(exc, UncertainDelivery):
            log.warning("delivery to %s is uncertain, not resent: %s", item.destination, exc)
            await asyncio.to_thread(self._finish, item, "uncertain", None, str(exc))
            return "uncertain"
        if isinstance(exc, DestinationGone):
            log.warning("%s is gone, its subscription is disabled: %s", item.destination, exc)
            await asyncio.to_thread(self._close, item, str(exc))
            return "disabled"
        log.error("delivery to %s failed for good: %s", item.destination, exc)
        await asyncio.to_thread(self._finish, item, "failed", None, str(exc))
        return "failed"

    def _finish(
        self, item: OutboxItem, status: str, platform_id: str | None, error: str | None
    ) -> None:
        with self.store.transaction() as conn:
            outbox_sql.finish(conn, item.id, status, self.clock(), platform_id, error)
            if item.role == "root" and status in ("sent", "uncertain"):
                # An uncertain root has no id to reply to: replies then go out unthreaded.
                outbox_sql.set_thread_root(conn, item.destination, item.event_id, platform_id or "")

    def _retry(self, item: OutboxItem, when: datetime, error: str | None) -> None:
        with self.store.transaction() as conn:
            outbox_sql.retry_later(conn, item.id, when, error)

    def _close(self, item: OutboxItem, reason: str) -> None:
        with self.store.transaction() as conn:
            outbox_sql.close_destination(conn, item.destination, "disabled", self.clock(), reason)
            subscription_sql.disable(conn, item.destination, reason, self.clock())

    def _limiter(self, channel: Channel) -> RateLimiter:
        key = type(channel).__name__
        if key not in self._limiters:
            self._limiters[key] = RateLimiter(channel.per_second)
        return self._limiters[key]


async def _until_done(tasks: set[asyncio.Task[None]], count: int) -> None:
    """Wait until `count` of `tasks` are done, taking them out of the set; raise the first
    error one of them raised."""
    done_so_far = 0
    while done_so_far < count and tasks:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        tasks.difference_update(done)
        done_so_far += len(done)
        failed = [error for task in done if (error := task.exception()) is not None]
        if failed:
            raise failed[0]


def _backoff(attempts: int) -> float:
    return min(2.0 ** min(attempts, 16), MAX_BACKOFF_SECONDS)


async def deliver_pending(
    store: Store, channels: Mapping[str, Channel], clock: Callable[[], datetime]
) -> Counter[str]:
    """Deliver everything that can be sent now, as one worker."""
    return await Deliverer(store, channels, clock).drain()
