"""The outbox: every message is written here, under an idempotency key, before it is sent."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Row, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.compose import Message, Quote
from bot.store.schema import outbox, threads
from bot.store.sources import as_utc

ROLES = ("root", "reply", "edit", "digest", "chart")


@dataclass(frozen=True)
class Outgoing:
    """A message to write to the outbox. `role`: the thread's `root` (the event's summary), a
    `reply` in the thread, an `edit` of the root, a chat's `digest` (issue 17), or a `chart`
    reply, drawn when it is sent (bot.pipeline.charted). `held`: kept
    back for the chat's next digest (quiet hours, digest mode: bot.store.held), not sent."""

    key: str
    destination: str
    event_id: str
    role: str
    message: Message
    held: bool = False


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
    created_at: datetime | None = None  # when it was written to the outbox


def enqueue(conn: Connection, items: Sequence[Outgoing], now: datetime) -> int:
    """Write the messages whose keys are not in the outbox yet; return how many were written.

    A key another transaction wrote meanwhile (a /subscribe while a poll stores, two workers
    on PostgreSQL) is skipped by the database, not raised: the message is there either way."""
    if not items:
        return 0
    rows = [
        {
            "key": i.key,
            "destination": i.destination,
            "event_id": i.event_id,
            "role": i.role,
            "payload": encode(i.message),
            "status": "held" if i.held else "pending",
            "attempts": 0,
            "created_at": now,
        }
        for i in items
    ]
    new = _insert(conn.dialect.name).on_conflict_do_nothing(index_elements=[outbox.c.key])
    return len(conn.execute(new.returning(outbox.c.id), rows).all())


def _insert(dialect: str) -> postgresql.Insert | sqlite.Insert:
    return postgresql.insert(outbox) if dialect == "postgresql" else sqlite.insert(outbox)


def last_id(conn: Connection) -> int:
    """The id of the newest message written to the outbox; 0 when it is empty. Ids only grow,
    so the difference of two readings is how many messages were written between them."""
    return int(conn.execute(select(func.coalesce(func.max(outbox.c.id), 0))).scalar_one())


def claim_heads(
    conn: Connection, worker: str, now: datetime, lease: timedelta, limit: int
) -> list[OutboxItem]:
    """Claim the oldest pending message of up to `limit` destinations, each for `lease`.

    Only a destination's oldest pending message is eligible, so a thread's messages go out one
    at a time and in order, whichever worker sends them. A claim is a conditional update (a
    lease that expires if the worker dies); on PostgreSQL the rows are also locked with
    SKIP LOCKED so that workers claiming at once pass each other by.
    """
    heads = (
        select(func.min(outbox.c.id))
        .where(outbox.c.status == "pending")
        .group_by(outbox.c.destination)
    )
    free = or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now)
    due = or_(outbox.c.next_attempt_at.is_(None), outbox.c.next_attempt_at <= now)
    candidates = (
        conn.execute(
            select(outbox.c.id)
            .where(outbox.c.id.in_(heads), outbox.c.status == "pending", free, due)
            .order_by(outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        .scalars()
        .all()
    )
    claimed = []
    for item_id in candidates:
        taken = conn.execute(
            update(outbox)
            .where(outbox.c.id == item_id, outbox.c.status == "pending", free)
            .values(claimed_until=now + lease, claimed_by=worker)
        )
        if taken.rowcount == 1:
            claimed.append(item_id)
    if not claimed:
        return []
    rows = conn.execute(select(outbox).where(outbox.c.id.in_(claimed)).order_by(outbox.c.id))
    return [_item(row) for row in rows]


@dataclass(frozen=True)
class ThreadState:
    """Where a claimed message stands in its thread: `root`, the platform's id of the thread's
    root ("" when the root went out uncertain, None while it is not sent); `superseded`, an
    edit that a later pending edit of the same root makes needless."""

    root: str | None
    superseded: bool


def thread_states(conn: Connection, items: Sequence[OutboxItem]) -> dict[int, ThreadState]:
    """The ThreadState of each item, by id, in at most two queries (not two per item).

    Read at claim time, it stays true until the item is sent: an item is claimed only as its
    destination's oldest pending message, so the root it needs is already sent.
    """
    if not items:
        return {}
    destinations = sorted({i.destination for i in items})
    roots = {
        (destination, event): root
        for destination, event, root in conn.execute(
            select(threads.c.destination, threads.c.event_id, threads.c.root_platform_id).where(
                threads.c.destination.in_(destinations),
                threads.c.event_id.in_(sorted({i.event_id for i in items})),
            )
        )
    }
    newest = _newest_edits(conn, [i for i in items if i.role == "edit"])
    return {
        i.id: ThreadState(
            roots.get((i.destination, i.event_id)),
            i.role == "edit" and newest.get((i.destination, i.event_id), i.id) > i.id,
        )
        for i in items
    }


def _newest_edits(conn: Connection, edits: Sequence[OutboxItem]) -> dict[tuple[str, str], int]:
    """The id of the newest pending edit of each (destination, event) of `edits`."""
    if not edits:
        return {}
    rows = conn.execute(
        select(outbox.c.destination, outbox.c.event_id, func.max(outbox.c.id))
        .where(
            outbox.c.role == "edit",
            outbox.c.status == "pending",
            outbox.c.destination.in_(sorted({e.destination for e in edits})),
        )
        .group_by(outbox.c.destination, outbox.c.event_id)
    )
    return {(destination, event): newest for destination, event, newest in rows}


def release_claims(conn: Connection, workers: Sequence[str]) -> int:
    """Give back the claims of these workers (known dead): their messages go out again."""
    if not workers:
        return 0
    released = conn.execute(
        update(outbox)
        .where(outbox.c.claimed_by.in_(workers), outbox.c.status == "pending")
        .values(claimed_until=None, claimed_by=None)
    )
    return released.rowcount


def claimants(conn: Connection) -> list[str]:
    """The workers holding claims on pending messages."""
    query = select(outbox.c.claimed_by).where(
        outbox.c.claimed_by.is_not(None), outbox.c.status == "pending"
    )
    return sorted(set(conn.execute(query).scalars()))


def retry_later(conn: Connection, item_id: int, when: datetime, error: str | None) -> None:
    """Put a claimed message back, to be tried again at `when`."""
    conn.execute(
        update(outbox)
        .where(outbox.c.id == item_id)
        .values(
            next_attempt_at=when,
            claimed_until=None,
            claimed_by=None,
            error=error,
            attempts=outbox.c.attempts + (1 if error else 0),
        )
    )


def close_destination(
    conn: Connection, destination: str, status: str, now: datetime, error: str
) -> int:
    """Mark every pending or held message of a destination with `status` (it is gone); return
    how many."""
    closed = conn.execute(
        update(outbox)
        .where(outbox.c.destination == destination, outbox.c.status.in_(("pending", "held")))
        .values(status=status, error=error, sent_at=now, claimed_until=None)
    )
    return closed.rowcount


def backlog(conn: Connection) -> int:
    """How many messages wait to be sent."""
    return conn.execute(select(func.count()).where(outbox.c.status == "pending")).scalar_one()


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


def by_destination(conn: Connection, statuses: Sequence[str]) -> dict[tuple[str, str], int]:
    """How many outbox messages there are per (destination, status), for these statuses."""
    rows = conn.execute(
        select(outbox.c.destination, outbox.c.status, func.count())
        .where(outbox.c.status.in_(statuses))
        .group_by(outbox.c.destination, outbox.c.status)
    )
    return {(destination, status): n for destination, status, n in rows}


def oldest_pending(conn: Connection) -> datetime | None:
    """When the oldest message still waiting to be sent was written; None when none waits."""
    found = conn.execute(
        select(func.min(outbox.c.created_at)).where(outbox.c.status == "pending")
    ).scalar_one()
    if found is None or found.tzinfo is not None:
        return found
    return found.replace(tzinfo=UTC)  # SQLite hands back naive datetimes stored as UTC


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
        as_utc(row.created_at),
    )
