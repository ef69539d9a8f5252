"""Delivery: from the outbox to the channels, roots before replies, edits coalesced."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime

from bot.channels import Channel, address_of, channel_name
from bot.errors import DeliveryError
from bot.store import Store
from bot.store import outbox as outbox_sql
from bot.store.outbox import OutboxItem

log = logging.getLogger(__name__)


async def deliver_pending(
    store: Store, channels: Mapping[str, Channel], clock: Callable[[], datetime]
) -> Counter[str]:
    """Send every pending message whose channel is at hand; return counts by outcome.

    A reply waits until its thread's root is sent. An edit with a later edit of the same summary
    behind it is skipped ("superseded"): only the newest summary is shown.
    """
    outcomes: Counter[str] = Counter()
    with store.transaction() as conn:
        items = outbox_sql.pending(conn)
    for item in items:
        channel = channels.get(channel_name(item.destination))
        if channel is None:
            continue
        outcome = await _deliver(store, channel, item, clock)
        outcomes[outcome] += 1
    return outcomes


async def _deliver(
    store: Store, channel: Channel, item: OutboxItem, clock: Callable[[], datetime]
) -> str:
    address = address_of(item.destination)
    with store.transaction() as conn:
        root = outbox_sql.thread_root(conn, item.destination, item.event_id)
        if item.role == "edit" and outbox_sql.has_newer_edit(conn, item):
            outbox_sql.finish(conn, item.id, "superseded", clock())
            return "superseded"
    if item.role != "root" and root is None:
        return "waiting"
    try:
        platform_id = None
        if item.role == "edit" and root is not None:
            await channel.edit(address, root, item.message)
        else:
            platform_id = await channel.send(
                address, item.message, root if item.role == "reply" else None
            )
    except DeliveryError as exc:
        log.warning("delivery to %s failed: %s", item.destination, exc)
        return "failed"
    with store.transaction() as conn:
        outbox_sql.finish(conn, item.id, "sent", clock(), platform_id)
        if item.role == "root" and platform_id is not None:
            outbox_sql.set_thread_root(conn, item.destination, item.event_id, platform_id)
    return "sent"
