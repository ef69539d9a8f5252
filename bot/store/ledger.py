"""The ledger in the store: events, the figures reported in them, and the changes they made."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, func, insert, select, update

from bot.reconcile import Change, Event, Report
from bot.store.schema import changes, documents, events, figures
from bot.store.sources import as_utc

T = TypeVar("T")


def events_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, Event]:
    """The stored events with these ids."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = conn.execute(select(events).where(events.c.id.in_(wanted))).all()
    return {row.id: _event(row) for row in rows}


def lock_events(conn: Connection, ids: Iterable[str]) -> dict[str, Event]:
    """The events with these ids, locked until the transaction ends (in id order, so that two
    workers never wait on each other in a circle). SQLite has one writer: no lock is needed."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = select(events).where(events.c.id.in_(wanted)).order_by(events.c.id).with_for_update()
    return {row.id: _event(row) for row in conn.execute(query)}


def events_between(
    conn: Connection, first: date, last: date, topic: str | None = None
) -> list[Event]:
    """Events whose days overlap [first, last], optionally of one topic, oldest first."""
    query = select(events).where(events.c.last_date >= first, events.c.first_date <= last)
    if topic:
        query = query.where(events.c.topic == topic)
    return [_event(row) for row in conn.execute(query.order_by(events.c.first_date, events.c.id))]


def all_events(conn: Connection, topic: str | None = None) -> list[Event]:
    """Every event, optionally of one topic, oldest first (undated last)."""
    query = select(events)
    if topic:
        query = query.where(events.c.topic == topic)
    rows = conn.execute(query.order_by(events.c.first_date, events.c.id)).all()
    return sorted((_event(r) for r in rows), key=event_order)


def event_order(event: Event) -> tuple[bool, date, str]:
    """The order events are listed in: oldest first, undated last, then by id."""
    return (event.first_date is None, event.first_date or date.min, event.id)


def revisions(conn: Connection, ids: Iterable[str] | None = None) -> dict[str, int]:
    """The revision of every event (or of the events with these ids), by id. An event's
    revision moves whenever its days (`save_events`) or its reports that count
    (`replace_document_reports`) change, so what was read of an event, and the state
    reconciled from its reports, hold as long as it does."""
    query = select(events.c.id, events.c.revision)
    if ids is not None:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = query.where(events.c.id.in_(wanted))
    return {event_id: revision for event_id, revision in conn.execute(query)}


def ledger_mark(conn: Connection) -> tuple[int, int]:
    """(How many events there are, the sum of their revisions.) Revisions only grow and events
    are never removed, so the mark moves whenever an event is added or its days or reports
    change: whatever was read of the ledger at one mark holds until it moves."""
    count, total = conn.execute(
        select(func.count(), func.coalesce(func.sum(events.c.revision), 0))
    ).one()
    return int(count), int(total)


def save_events(conn: Connection, changed: Iterable[Event], now: datetime) -> None:
    """Insert new events and widen the dates of known ones (moving their revisions); a known
    event whose days do not change is left as it is, its revision too."""
    changed = sorted(changed, key=lambda e: e.id)  # one order for every worker's row locks
    known = events_by_id(conn, (e.id for e in changed))
    for event in changed:
        values = {"first_date": event.first_date, "last_date": event.last_date, "updated_at": now}
        if known.get(event.id) == event:
            continue
        if event.id in known:
            conn.execute(
                update(events)
                .where(events.c.id == event.id)
                .values(revision=events.c.revision + 1, **values)
            )
        else:
            conn.execute(
                insert(events).values(id=event.id, topic=event.topic, side=event.side, **values)
            )


def active_reports(conn: Connection, event_ids: Iterable[str]) -> list[Report]:
    """The reports that count now in these events (their documents' newest versions)."""
    wanted = sorted(set(event_ids))
    if not wanted:
        return []
    rows = conn.execute(
        select(*_REPORT)
        .where(figures.c.event_id.in_(wanted), figures.c.active.is_(True))
        .order_by(figures.c.id)
    )
    return _reports(rows)


def document_reports(conn: Connection, document_id: str) -> list[Report]:
    """The reports a document's current version made."""
    rows = conn.execute(
        select(*_REPORT)
        .where(figures.c.document_id == document_id, figures.c.active.is_(True))
        .order_by(figures.c.id)
    )
    return _reports(rows)


def events_with_reports(conn: Connection, ids: Iterable[str]) -> set[str]:
    """Which of these events have reports that count: one index look-up each."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    counts = (
        select(figures.c.id)
        .where(figures.c.event_id == events.c.id, figures.c.active.is_(True))
        .exists()
    )
    return set(conn.execute(select(events.c.id).where(events.c.id.in_(wanted), counts)).scalars())


def replace_document_reports(
    conn: Connection,
    document_id: str,
    version: int,
    reports: Sequence[Report],
    retire_in: Collection[str] | None = None,
) -> None:
    """Retire the reports of a document's earlier versions and record this version's; move the
    revision of every event whose reports that count changed (the caller holds their locks).
    With `retire_in`, only the document's reports in those events are retired (none if it is
    empty): the caller knows where they are, and the document's others stay."""
    current = [figures.c.document_id == document_id, figures.c.active.is_(True)]
    if retire_in is None:
        retired = set(conn.execute(select(figures.c.event_id).where(*current)).scalars())
    else:
        retired = set(retire_in)
        current.append(figures.c.event_id.in_(sorted(retired)))
    changed = retired | {r.event_id for r in reports}
    if retired:
        conn.execute(update(figures).where(*current).values(active=False))
    if reports:
        conn.execute(insert(figures), [_row(r, version) for r in reports])
    if changed:
        conn.execute(
            update(events)
            .where(events.c.id.in_(sorted(changed)))
            .values(revision=events.c.revision + 1)
        )


def undated_reports(conn: Connection, topics: Iterable[str] | None = None) -> list[Report]:
    """The reports that count now of documents that give no day at all: no publication day and
    no day in any current figure (bot.reconcile.joining), optionally of some topics. Read through
    the publication-day and document indexes: as cheap as there are undated documents."""
    no_day = select(documents.c.id).where(documents.c.published.is_(None))
    rows = conn.execute(
        select(*_REPORT)
        .where(figures.c.document_id.in_(no_day), figures.c.active.is_(True))
        .order_by(figures.c.id)
    )
    reports = _reports(rows)
    dated = {r.document_id for r in reports if r.event_date is not None}
    wanted = None if topics is None else set(topics)
    return [
        r for r in reports if r.document_id not in dated and (wanted is None or r.topic in wanted)
    ]


def dated_events_sharing(
    conn: Connection, topic: str, side: str | None, metrics: Iterable[str], at_least: int
) -> list[str]:
    """Dated events of a topic (and, for an attack, of one attacked country) with current
    figures of at least `at_least` of `metrics`: the events an undated document may join."""
    query = (
        select(figures.c.event_id)
        .join(events, events.c.id == figures.c.event_id)
        .where(
            figures.c.active.is_(True),
            figures.c.metric.in_(sorted(set(metrics))),
            events.c.topic == topic,
            events.c.first_date.is_not(None),
        )
        .group_by(figures.c.event_id)
        .having(func.count(figures.c.metric.distinct()) >= at_least)
        .order_by(figures.c.event_id)
    )
    if topic != "swap":
        query = query.where(events.c.side == side)
    return list(conn.execute(query).scalars())


def document_version(conn: Connection, document_id: str) -> int:
    """The newest version of a stored document."""
    return int(
        conn.execute(select(documents.c.version).where(documents.c.id == document_id)).scalar_one()
    )


def record_changes(
    conn: Connection, document_id: str, named: Sequence[tuple[Change, bool]], now: datetime
) -> None:
    """Keep each change (with whether it alerted) for the change log and `replay --json`."""
    if not named:
        return
    conn.execute(
        insert(changes),
        [
            {
                "event_id": c.event_id,
                "document_id": document_id,
                "kind": c.kind,
                "metric": c.metric,
                "side": c.side,
                "phase": c.phase,
                "low": c.interval.low if c.interval else None,
                "high": c.interval.high if c.interval else None,
                "sources": json.dumps(list(c.sources)),
                "detail": c.detail,
                "alert": alert,
                "created_at": now,
            }
            for c, alert in named
        ],
    )


def _event(row: Row[tuple[object, ...]]) -> Event:
    return Event(row.id, row.topic, row.side, row.first_date, row.last_date)


# The columns a report is read from, in the order `_reports` unpacks them.
_REPORT = (
    figures.c.metric,
    figures.c.value,
    figures.c.qualifier,
    figures.c.side,
    figures.c.event_date,
    figures.c.document_id,
    figures.c.source,
    figures.c.reported_at,
    figures.c.evidence,
    figures.c.event_id,
    figures.c.phase,
    figures.c.claimant,
    figures.c.place,
)


def _reports(rows: Iterable[Sequence[Any]]) -> list[Report]:
    """Reports from rows of _REPORT. Reports read together hold one copy of each equal value:
    the figures of an event share a few metrics, sources, documents, sentences and days, and
    answers keep their reports long (bot.queries.EventStates)."""
    seen: dict[object, Any] = {}
    moments: dict[datetime, datetime] = {}

    def one(value: T) -> T:
        return seen.setdefault(value, value)

    reports = []
    for (
        metric,
        value,
        qualifier,
        side,
        event_date,
        document_id,
        source,
        at,
        evidence,
        event_id,
        phase,
        claimant,
        place,
    ) in rows:
        reported_at = moments.get(at)
        if reported_at is None:
            reported_at = as_utc(at)
            assert reported_at is not None  # the column is NOT NULL
            moments[at] = reported_at
        reports.append(
            Report(
                metric=one(metric),
                value=value,
                qualifier=one(qualifier),
                side=one(side),
                event_date=one(event_date),
                document_id=one(document_id),
                source=one(source),
                reported_at=reported_at,
                evidence=one(evidence),
                event_id=one(event_id),
                phase=one(phase),
                claimant=one(claimant),
                place=one(place),
            )
        )
    return reports


def _row(report: Report, version: int) -> dict[str, object]:
    return {
        "document_id": report.document_id,
        "document_version": version,
        "event_id": report.event_id,
        "metric": report.metric,
        "value": report.value,
        "qualifier": report.qualifier,
        "side": report.side,
        "event_date": report.event_date,
        "phase": report.phase,
        "source": report.source,
        "reported_at": report.reported_at,
        "evidence": report.evidence,
        "active": True,
        "claimant": report.claimant,
        "place": report.place,
    }
