"""Sources in the store: which feeds there are, and how each one's last polls went."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Row, and_, bindparam, insert, or_, select, update

from bot.store.schema import sources


@dataclass(frozen=True)
class SourceRecord:
    """A source as stored, with its poll state."""

    id: str
    kind: str
    url: str | None
    label: str
    origin: str
    interval_seconds: int | None
    enabled: bool
    etag: str | None
    last_modified: str | None
    last_polled_at: datetime | None
    last_status: str | None
    last_error: str | None
    error_count: int
    consecutive_errors: int
    next_poll_at: datetime | None


@dataclass(frozen=True)
class PollRecord:
    """What one poll of a source came to, to be written to its row."""

    status: str
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = None


def register_source(
    conn: Connection,
    *,
    source_id: str,
    kind: str,
    url: str | None,
    label: str,
    origin: str,
    interval_seconds: int | None,
    now: datetime,
) -> None:
    """Add the source, or bring its url, label and interval up to date if it is there."""
    exists = conn.execute(select(sources.c.id).where(sources.c.id == source_id)).first()
    if exists:
        conn.execute(
            update(sources)
            .where(sources.c.id == source_id)
            .values(url=url, label=label, interval_seconds=interval_seconds, enabled=True)
        )
        return
    conn.execute(
        insert(sources).values(
            id=source_id,
            kind=kind,
            url=url,
            label=label,
            origin=origin,
            interval_seconds=interval_seconds,
            enabled=True,
            error_count=0,
            consecutive_errors=0,
            created_at=now,
        )
    )


def record_poll(
    conn: Connection,
    source_id: str,
    poll: PollRecord,
    now: datetime,
    claimed_by: str | None = None,
) -> bool:
    """Write one poll's outcome and release the feed's claim: validators kept on success, error
    counters moved on failure. With `claimed_by`, only while the claim is that worker's (a
    worker whose lease passed to another must not write over that one's poll); whether it was
    written."""
    values: dict[str, object] = {
        "last_polled_at": now,
        "last_status": poll.status,
        "next_poll_at": poll.next_poll_at,
        "claimed_until": None,
        "claimed_by": None,
    }
    if poll.error is None:
        values.update(consecutive_errors=0, last_error=None)
        if poll.etag is not None or poll.last_modified is not None:
            values.update(etag=poll.etag, last_modified=poll.last_modified)
    else:
        values.update(
            last_error=poll.error,
            error_count=sources.c.error_count + 1,
            consecutive_errors=sources.c.consecutive_errors + 1,
        )
    statement = update(sources).where(sources.c.id == source_id)
    if claimed_by is not None:
        statement = statement.where(sources.c.claimed_by == claimed_by)
    return conn.execute(statement.values(**values)).rowcount == 1


def record_polls(
    conn: Connection,
    polls: Sequence[tuple[str, PollRecord]],
    now: datetime,
    claimed_by: str | None = None,
) -> None:
    """Write several polls' outcomes at once, as `record_poll` would one by one (`claimed_by`
    too): the polls that failed one by one, the others in one statement (with or without new
    validators)."""
    clean: dict[bool, list[dict[str, object]]] = {True: [], False: []}
    for source_id, poll in polls:
        if poll.error is not None:
            record_poll(conn, source_id, poll, now, claimed_by)
            continue
        validated = poll.etag is not None or poll.last_modified is not None
        clean[validated].append(
            {"source_id": source_id, "status": poll.status, "next": poll.next_poll_at,
             "etag": poll.etag, "last_modified": poll.last_modified}
        )  # fmt: skip
    for validated, rows in clean.items():
        if not rows:
            continue
        values: dict[str, object] = {
            "last_polled_at": now, "last_status": bindparam("status"),
            "next_poll_at": bindparam("next"), "claimed_until": None, "claimed_by": None,
            "consecutive_errors": 0, "last_error": None,
        }  # fmt: skip
        if validated:
            values.update(etag=bindparam("etag"), last_modified=bindparam("last_modified"))
        statement = update(sources).where(sources.c.id == bindparam("source_id"))
        if claimed_by is not None:
            statement = statement.where(sources.c.claimed_by == claimed_by)
        conn.execute(statement.values(values), rows)


def claim_due_feeds(
    conn: Connection, worker: str, now: datetime, lease: timedelta, limit: int
) -> list[SourceRecord]:
    """Claim up to `limit` enabled feeds whose next poll is due, each for `lease`, and return
    them as they are now.

    The feeds waiting longest go first, so that when the polls cannot keep up every feed is
    polled late rather than some never. The claim is one conditional update (it expires if the
    worker dies), with SKIP LOCKED on PostgreSQL so that workers claiming at once pass each
    other by: no feed is polled twice.
    """
    free = or_(sources.c.claimed_until.is_(None), sources.c.claimed_until < now)
    due = and_(
        sources.c.kind == "feed",
        sources.c.enabled.is_(True),
        or_(sources.c.next_poll_at.is_(None), sources.c.next_poll_at <= now),
        free,
    )
    candidates = (
        conn.execute(
            select(sources.c.id)
            .where(due)
            .order_by(sources.c.next_poll_at.asc().nulls_first(), sources.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        .scalars()
        .all()
    )
    if not candidates:
        return []
    until = now + lease
    conn.execute(
        update(sources)
        .where(sources.c.id.in_(candidates), due)
        .values(claimed_until=until, claimed_by=worker)
    )
    mine = and_(sources.c.claimed_by == worker, sources.c.claimed_until == until)
    rows = conn.execute(
        select(sources).where(sources.c.id.in_(candidates), mine).order_by(sources.c.id)
    ).all()
    return [_record(row) for row in rows]


def renew_claim(
    conn: Connection, source_id: str, worker: str, now: datetime, lease: timedelta
) -> bool:
    """Extend `worker`'s claim on the source to `now` + `lease`; False, and nothing written, if
    the claim is no longer the worker's (it lapsed and another worker claimed the feed, or it
    was released). A claim that lapsed unclaimed is taken up again: no one else polled.

    On PostgreSQL the update locks the row until the transaction ends, so a document stored in
    the same transaction is stored while no other worker can claim the feed.
    """
    statement = (
        update(sources)
        .where(sources.c.id == source_id, sources.c.claimed_by == worker)
        .values(claimed_until=now + lease)
    )
    return conn.execute(statement).rowcount == 1


def feed_claimants(conn: Connection) -> list[str]:
    """The workers holding a claim on a source, lapsed or not."""
    rows = conn.execute(
        select(sources.c.claimed_by).where(sources.c.claimed_by.is_not(None)).distinct()
    )
    return [str(worker) for worker in rows.scalars()]


def release_feed_claims(conn: Connection, workers: Sequence[str]) -> int:
    """Release every claim the `workers` hold, so their feeds may be claimed at once (a dead
    worker's, or a stopping one's own); how many were released."""
    if not workers:
        return 0
    statement = (
        update(sources)
        .where(sources.c.claimed_by.in_(list(workers)))
        .values(claimed_by=None, claimed_until=None)
    )
    return conn.execute(statement).rowcount


def get_source(conn: Connection, source_id: str) -> SourceRecord | None:
    """The source with this id, or None."""
    row = conn.execute(select(sources).where(sources.c.id == source_id)).first()
    return _record(row) if row else None


def list_sources(conn: Connection) -> list[SourceRecord]:
    """Every source, seeds first, then feeds by id."""
    rows = conn.execute(select(sources).order_by(sources.c.kind.desc(), sources.c.id)).all()
    return [_record(row) for row in rows]


def _record(row: Row[tuple[object, ...]]) -> SourceRecord:
    data = dict(row._mapping)
    for name in ("last_polled_at", "next_poll_at"):
        data[name] = as_utc(data[name])
    for lease_or_bookkeeping in ("created_at", "claimed_until", "claimed_by"):
        data.pop(lease_or_bookkeeping)
    return SourceRecord(**data)


def as_utc(when: datetime | None) -> datetime | None:
    """`when` as an aware UTC datetime: SQLite hands back naive ones for what was stored as UTC."""
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=UTC)
