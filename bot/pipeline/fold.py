"""Folding one document's figures into the ledger, and writing the messages that follow.

The I/O sequence around the pure steps (place -> reconcile -> diff -> compose), in one
transaction per document so that figures, changes and outbox rows land together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy import Connection

from bot.compose import alert, summary
from bot.extract import Figure
from bot.reconcile import (
    SWAP_WINDOW,
    Change,
    Event,
    EventState,
    Memo,
    Provenance,
    Report,
    Rulebook,
    diff,
    place_figures,
    reconcile_event,
)
from bot.sources import SEEDS_SOURCE, Document
from bot.store import Outgoing, ledger
from bot.store import outbox as outbox_sql


class Recipient(Protocol):
    """A destination that receives threads: a subscription, or the console."""

    @property
    def destination(self) -> str: ...

    @property
    def min_kind(self) -> str | None: ...

    def wants(self, topic: str) -> bool: ...


@dataclass(frozen=True)
class EveryTopic:
    """A destination that receives every thread: the console, when no chat is configured."""

    destination: str
    min_kind: str | None = None

    def wants(self, topic: str) -> bool:
        return True


# From least to most worth a reply, for a subscription's minimum change kind.
KIND_RANK = ("confirmed", "new", "revised", "resolved", "suspect", "conflict", "milestone")


@dataclass(frozen=True)
class EventUpdate:
    """What one document did to one event."""

    event: Event
    before: EventState | None
    after: EventState
    changes: tuple[tuple[Change, bool], ...]  # each change, and whether it alerts


def fold_document(
    conn: Connection,
    doc: Document,
    version: int,
    figures: Sequence[Figure],
    rulebook: Rulebook,
    recipients: Sequence[Recipient],
    now: datetime,
) -> list[EventUpdate]:
    """Replace the document's reports with `figures`, reconcile every event they touch, record
    the changes and write the messages for each destination to the outbox."""
    old = ledger.document_reports(conn, doc.id)
    known = _nearby_swaps(conn, figures, doc.published) + list(
        ledger.events_by_id(conn, {r.event_id for r in old}).values()
    )
    provenance = Provenance(doc.id, source_name(doc), doc.published, now)
    reports, touched = place_figures(figures, provenance, known)
    affected = sorted({r.event_id for r in reports} | {r.event_id for r in old})
    ledger.save_events(conn, touched, now)
    # Another worker folding into the same events waits here, then reads what it committed.
    events = ledger.lock_events(conn, affected)
    before_all = ledger.active_reports(conn, affected)
    ledger.replace_document_reports(conn, doc.id, version, reports)
    updates = []
    for event_id in affected:
        update = _update(events[event_id], before_all, reports, doc.id, rulebook)
        ledger.record_changes(conn, doc.id, update.changes, now)
        updates.append(update)
    outgoing = [
        item
        for update in updates
        for recipient in recipients
        if recipient.wants(update.event.topic)
        for item in messages_for(conn, update, recipient, f"{doc.id}@{version}", rulebook)
    ]
    outbox_sql.enqueue(conn, outgoing, now)
    return updates


def messages_for(
    conn: Connection, update: EventUpdate, recipient: Recipient, cause: str, rulebook: Rulebook
) -> list[Outgoing]:
    """The messages one event update sends to one destination: the thread's root the first
    time, then a reply naming the alerting changes and an edit of the root's summary."""
    event, destination = update.event, recipient.destination
    order, names = rulebook.headline_order(event.topic), rulebook.naming
    now_summary = summary(event, update.after, order, names=names)
    key = f"{destination}|{event.id}"
    if not outbox_sql.has_root(conn, destination, event.id):
        return [Outgoing(f"{key}|root", destination, event.id, "root", now_summary)]
    items = []
    alerts = [change for change, alerts in update.changes if alerts]
    floor = KIND_RANK.index(recipient.min_kind) if recipient.min_kind in KIND_RANK else 0
    if not any(KIND_RANK.index(change.kind) >= floor for change in alerts):
        alerts = []
    if alerts:
        items.append(
            Outgoing(
                f"{key}|{cause}|reply", destination, event.id, "reply", alert(event, alerts, names)
            )
        )
    if update.before is None or summary(event, update.before, order, names=names) != now_summary:
        items.append(Outgoing(f"{key}|{cause}|edit", destination, event.id, "edit", now_summary))
    return items


def _update(
    event: Event,
    before_all: Sequence[Report],
    reports: Sequence[Report],
    document_id: str,
    rulebook: Rulebook,
) -> EventUpdate:
    before_reports = [r for r in before_all if r.event_id == event.id]
    fresh = [r for r in reports if r.event_id == event.id]
    after_reports = [r for r in before_reports if r.document_id != document_id] + fresh
    rules = rulebook.rules
    # Before and after share every report the document leaves alone: group those once.
    memo = Memo()
    before = reconcile_event(event.id, before_reports, rules, memo) if before_reports else None
    after = reconcile_event(event.id, after_reports, rules, memo)
    changes = diff(before, after, fresh, rules.tolls)
    return EventUpdate(event, before, after, tuple((c, rulebook.policy.alerts(c)) for c in changes))


def source_name(doc: Document) -> str:
    """The name a reader knows a document by: its outlet, else its site, else its id."""
    if doc.outlet:
        return doc.outlet
    if doc.link:
        host = urlsplit(doc.link).hostname
        if host:
            return host.removeprefix("www.")
    return f"seed {doc.id.split('_')[0]}" if doc.source == SEEDS_SOURCE else doc.id


def _nearby_swaps(
    conn: Connection, figures: Sequence[Figure], published: date | None
) -> list[Event]:
    days = [f.event_date for f in figures if f.event_date] + ([published] if published else [])
    if not days:
        return []
    margin = SWAP_WINDOW + timedelta(days=1)
    return ledger.events_between(conn, min(days) - margin, max(days) + margin, topic="swap")
