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

from bot.channels import Channel, address_of, channel_name
from bot.errors import DeliveryError, DestinationGone, RetryableDelivery, UncertainDelivery
from bot.ratelimit import RateLimiter
from bot.store import Store
from bot.store import outbox as outbox_sql
from bot.store import subscriptions as subscription_sql
from bot.store.outbox import OutboxItem

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300.0
WAIT_FOR_ROOT = timedelta(seconds=1)


class Counts(Protocol):
    """Where delivery outcomes are counted (bot.metrics.Metrics)."""

    def count(self, name: str, amount: int = 1, **labels: str) -> None: ...


@dataclass
class Deliverer:
    """Sends what the outbox holds for the channels at hand."""

    store: Store
    channels: Mapping[str, Channel]
    clock: Callable[[], datetime]
    worker: str = "worker"
    metrics: Counts | None = None
    lease: timedelta = timedelta(seconds=30)  # longer than one send may take (10 s timeout)
    batch: int = 100
    concurrency: int = 25
    _limiters: dict[str, RateLimiter] = field(default_factory=dict)
    last_round: float = 0.0  # time.monotonic() of the last delivery round, for /healthz
    stopping: bool = False  # set on SIGTERM: finish the sends in hand, claim no more

    async def deliver_once(self) -> Counter[str]:
        """Claim a batch of messages (the oldest of each destination) and send them."""
        self.last_round = time.monotonic()
        items = await asyncio.to_thread(self._claim)
        outcomes: Counter[str] = Counter()
        gate = asyncio.Semaphore(self.concurrency)

        async def one(item: OutboxItem) -> None:
            async with gate:
                outcome = await self._deliver(item)
            outcomes[outcome] += 1
            if self.metrics is not None:
                self.metrics.count("tallywire_deliveries_total", result=outcome)

        await asyncio.gather(*(one(item) for item in items))
        return outcomes

    async def drain(self, rounds: int = 1000) -> Counter[str]:
        """Deliver until nothing more can be sent now (for the CLI and tests)."""
        total: Counter[str] = Counter()
        for _ in range(rounds):
            if self.stopping:
                break
            outcomes = await self.deliver_once()
            total += outcomes
            if not outcomes or set(outcomes) <= {"waiting", "retried"}:
                break
        return total

    def _claim(self) -> list[OutboxItem]:
        with self.store.transaction() as conn:
            items = outbox_sql.claim_heads(conn, self.worker, self.clock(), self.lease, self.batch)
            mine = [i for i in items if channel_name(i.destination) in self.channels]
            for item in items:
                if item not in mine:  # another worker has that channel: give it back at once
                    outbox_sql.retry_later(conn, item.id, self.clock(), None)
        return mine

    async def _deliver(self, item: OutboxItem) -> str:
        channel = self.channels[channel_name(item.destination)]
        root, superseded = await asyncio.to_thread(self._thread_state, item)
        if superseded or (item.role == "edit" and root == ""):
            await asyncio.to_thread(self._finish, item, "superseded", None, None)
            return "superseded"
        if item.role != "root" and root is None:
            await asyncio.to_thread(self._retry, item, self.clock() + WAIT_FOR_ROOT, None)
            return "waiting"
        address = address_of(item.destination)
        await self._limiter(channel).wait(item.destination, channel.spacing(address))
        try:
            platform_id = await self._send(channel, address, item, root or None)
        except DeliveryError as exc:
            return await self._failed(channel, item, exc)
        await asyncio.to_thread(self._finish, item, "sent", platform_id, None)
        return "sent"

    async def _send(
        self, channel: Channel, address: str, item: OutboxItem, root: str | None
    ) -> str | None:
        if item.role == "edit" and root is not None:
            await channel.edit(address, root, item.message)
            return None
        reply_to = root if item.role == "reply" else None
        return await channel.send(address, item.message, reply_to, item.key)

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

    def _thread_state(self, item: OutboxItem) -> tuple[str | None, bool]:
        with self.store.transaction() as conn:
            root = outbox_sql.thread_root(conn, item.destination, item.event_id)
            superseded = item.role == "edit" and outbox_sql.has_newer_edit(conn, item)
        return root, superseded

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


def _backoff(attempts: int) -> float:
    return min(2.0 ** min(attempts, 16), MAX_BACKOFF_SECONDS)


async def deliver_pending(
    store: Store, channels: Mapping[str, Channel], clock: Callable[[], datetime]
) -> Counter[str]:
    """Deliver everything that can be sent now, as one worker."""
    return await Deliverer(store, channels, clock).drain()
