"""Where a document that gives no day at all goes: the dated event its figures match best
(bot.reconcile.joining), judged again whenever a dated document changes the events it could
join, so that where it ends up does not depend on the order documents came in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from bot.reconcile import (
    MIN_MEETING,
    Event,
    EventState,
    Report,
    Rulebook,
    best_event,
    home_of,
    reconcile_event,
)
from bot.store import ledger

if TYPE_CHECKING:
    from bot.pipeline.fold import Fold


def joined(
    conn: Connection,
    reports: Sequence[Report],
    undated_docs: set[str],
    rulebook: Rulebook,
    states: dict[str, EventState],
    joined: frozenset[str] = frozenset(),
) -> list[Report]:
    """An undated document's reports, each home's (topic, attacked country) moved to the dated
    event it matches best, if one does. Only reports in their home or in an event of `joined`
    (the dated events they joined before) move: a report placed apart (an earlier event the
    text names) stays. `states` keeps the events' states between calls."""
    homes: dict[str, list[Report]] = {}
    for report in reports:
        if report.event_id == home_of(report) or report.event_id in joined:
            homes.setdefault(home_of(report), []).append(report)
    targets = {
        home: _best(conn, unit, undated_docs, rulebook, states) or home
        for home, unit in sorted(homes.items())
    }
    placed = []
    for report in reports:
        target = targets.get(home_of(report), report.event_id)
        movable = report.event_id == home_of(report) or report.event_id in joined
        placed.append(
            report.replaced(event_id=target) if movable and target != report.event_id else report
        )
    return placed


def _best(
    conn: Connection,
    unit: Sequence[Report],
    undated_docs: set[str],
    rulebook: Rulebook,
    states: dict[str, EventState],
) -> str | None:
    """The dated event one home's reports match best, judged on dated documents' reports."""
    tolls = rulebook.rules.tolls
    metrics = {r.metric for r in unit if r.place is None and r.metric not in tolls}
    if len(metrics) < MIN_MEETING:
        return None
    first = unit[0]
    candidates = ledger.dated_events_sharing(conn, first.topic, first.side, metrics, MIN_MEETING)
    for event_id in candidates:
        if event_id not in states:
            dated = [
                r
                for r in ledger.active_reports(conn, [event_id])
                if r.document_id not in undated_docs
            ]
            states[event_id] = reconcile_event(event_id, dated, rulebook.rules)
    chosen = {event_id: states[event_id] for event_id in candidates}
    return best_event(unit, chosen, rulebook.rules.tolls)


def rehome_undated(fold: Fold, dated: Sequence[Event], cause: str) -> None:
    """Move every undated document of the topics of `dated` (events a dated document just
    changed) whose best match is no longer where its reports are."""
    conn, topics = fold.conn, {e.topic for e in dated}
    if topics <= fold.none_undated:
        return
    pending = ledger.undated_reports(conn, topics)
    if not pending:
        fold.none_undated |= topics
    undated_docs = {r.document_id for r in pending}
    by_document: dict[str, list[Report]] = {}
    for report in pending:
        by_document.setdefault(report.document_id, []).append(report)
    states: dict[str, EventState] = {}
    events = ledger.events_by_id(conn, {r.event_id for r in pending})
    dated_ids = frozenset(e.id for e in events.values() if e.first_date is not None)
    for document_id, current in sorted(by_document.items()):
        moved = joined(conn, current, undated_docs, fold.rulebook, states, dated_ids)
        if moved == current:
            continue
        # One event per home, however many of its reports go back there.
        homes = {
            r.event_id: Event(
                r.event_id, r.topic, r.side if r.topic != "swap" else None, None, None
            )
            for r in moved
            if r.event_id == home_of(r)
        }
        version = ledger.document_version(conn, document_id)
        fold.reports(
            document_id,
            version,
            moved,
            list(homes.values()),
            current,
            f"{document_id}@{version}>{cause}",
        )
