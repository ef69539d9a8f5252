"""The outbox: every message is written here, under an idempotency key, before it is sent."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, func, insert, select, update

from bot.messages import Message, Quote
from bot.store.schema import outbox, threads

ROLES = ("root", "reply", "edit")


@dataclass(frozen=True)
class Outgoing:
    """A message to write to the outbox. `role`: the thread's `root` (the event's summary), a
    `reply` in the thread, or an `edit` of the root."""

    key: str
    destination: str
    event_id: str
    role: str
    message: Message


@dataclass(frozen=True)
class OutboxItem:
    """A message in the outbox, with its delivery state."""

    id: int
    key: str
    destination: str
    event_id: str
    role: str
    message: Message
    status: str
    attempts: int


def enqueue(conn: Connection, items: Sequence[Outgoing], now: datetime) -> int:
    """Write the messages whose keys are not in the outbox yet; return how many were written."""
    if not items:
        return 0
    known = set(
        conn.execute(select(outbox.c.key).where(outbox.c.key.in_([i.key for i in items]))).scalars()
    )
    fresh = [i for i in items if i.key not in known]
    if fresh:
        conn.execute(
            insert(outbox),
            [
                {
                    "key": i.key,
                    "destination": i.destination,
                    "event_id": i.event_id,
                    "role": i.role,
                    "payload": encode(i.message),
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                }
                for i in fresh
            ],
        )
    return len(fresh)


def pending(conn: Connection, destinations: Sequence[str] | None = None) -> list[OutboxItem]:
    """The messages not yet sent, in the order they were written."""
    query = select(outbox).where(outbox.c.status == "pending").order_by(outbox.c.id)
    if destinations is not None:
        query = query.where(outbox.c.destination.in_(destinations))
    return [_item(row) for row in conn.execute(query)]


def has_newer_edit(conn: Connection, item: OutboxItem) -> bool:
    """Whether a later edit of the same summary waits: this one need not be sent."""
    newer = conn.execute(
        select(outbox.c.id).where(
            outbox.c.destination == item.destination,
            outbox.c.event_id == item.event_id,
            outbox.c.role == "edit",
            outbox.c.status == "pending",
            outbox.c.id > item.id,
        )
    ).first()
    return newer is not None


def finish(
    conn: Connection,
    item_id: int,
    status: str,
    now: datetime,
    platform_id: str | None = None,
    error: str | None = None,
) -> None:
    """Record how delivering an item ended: sent, superseded, uncertain or failed."""
    conn.execute(
        update(outbox)
        .where(outbox.c.id == item_id)
        .values(
            status=status,
            sent_at=now,
            platform_id=platform_id,
            error=error,
            attempts=outbox.c.attempts + 1,
        )
    )


def thread_root(conn: Connection, destination: str, event_id: str) -> str | None:
    """The platform's id of the event's root message at this destination, if it was sent."""
    return conn.execute(
        select(threads.c.root_platform_id).where(
            threads.c.destination == destination, threads.c.event_id == event_id
        )
    ).scalar()


def set_thread_root(conn: Connection, destination: str, event_id: str, platform_id: str) -> None:
    """Remember the root message of an event's thread at a destination."""
    conn.execute(
        insert(threads).values(
            destination=destination, event_id=event_id, root_platform_id=platform_id
        )
    )


def has_root(conn: Connection, destination: str, event_id: str) -> bool:
    """Whether the event's root message was written to the outbox for this destination."""
    found = conn.execute(
        select(outbox.c.id).where(
            outbox.c.destination == destination,
            outbox.c.event_id == event_id,
            outbox.c.role == "root",
        )
    ).first()
    return found is not None


def counts(conn: Connection) -> dict[tuple[str, str], int]:
    """How many outbox messages there are per (role, status)."""
    rows = conn.execute(
        select(outbox.c.role, outbox.c.status, func.count()).group_by(
            outbox.c.role, outbox.c.status
        )
    )
    return {(role, status): n for role, status, n in rows}


def encode(message: Message) -> str:
    """A message as JSON text for the outbox."""
    return json.dumps(
        {
            "title": message.title,
            "lines": list(message.lines),
            "quotes": [[q.text, q.source] for q in message.quotes],
            "note": message.note,
        },
        ensure_ascii=False,
    )


def decode(payload: str) -> Message:
    """A message back from its outbox JSON."""
    data = json.loads(payload)
    return Message(
        data["title"],
        tuple(data["lines"]),
        tuple(Quote(t, s) for t, s in data["quotes"]),
        data["note"],
    )


def _item(row: Row[tuple[object, ...]]) -> OutboxItem:
    return OutboxItem(
        row.id,
        row.key,
        row.destination,
        row.event_id,
        row.role,
        decode(row.payload),
        row.status,
        row.attempts,
    )
