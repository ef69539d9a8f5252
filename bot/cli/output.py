"""What the `tallywire` commands print: sources, what a run brought, changes as JSON, tallies
as rows, deliveries."""

from __future__ import annotations

import argparse
import logging
from collections import Counter
from collections.abc import Callable, Collection
from typing import Any

from bot.commands import EventView, claims_of
from bot.compose import change_line
from bot.extract import Naming, Vocabulary
from bot.pipeline import Ingested, SourceReport
from bot.reconcile import Tally
from bot.settings import Settings
from bot.store import SourceRecord

log = logging.getLogger("tallywire")
Command = Callable[[argparse.Namespace, Settings], int]


def undated_metrics(vocabulary: Vocabulary) -> frozenset[str]:
    """The metrics whose figures no day of the text dates (`dated = false`: a deal's size)."""
    return frozenset(metric for metric, rule in vocabulary.metrics.items() if not rule.dated)


def tally_row(
    view: EventView, tally: Tally, undated: Collection[str] = frozenset()
) -> dict[str, Any]:
    """A tally as a JSON-ready mapping; a disputed one also lists its claims, the kept one
    first ("claims": each claimant's names, low and high). Its event date is the event's last
    day, but for the metrics in `undated` (those no day of the text dates: a deal's size,
    `undated_metrics`), which take its first: a deal is agreed before its phases."""
    day = view.event.first_date if tally.metric in undated else view.event.last_date
    row: dict[str, Any] = {
        "event": view.event.id,
        "event_date": day.isoformat() if day else None,
        "metric": tally.metric,
        "side": tally.side,
        "phase": tally.phase.isoformat() if tally.phase else None,
        "low": tally.interval.low if tally.interval else None,
        "high": tally.interval.high if tally.interval else None,
        "status": tally.status,
        "sources": list(tally.sources),
    }
    claims = claims_of(tally)
    if claims:
        row["claims"] = [
            {"claimant": " and ".join(c.who), "low": c.interval.low, "high": c.interval.high}
            for c in claims
        ]
    return row


def describe_source(record: SourceRecord, documents: int) -> str:
    """One source on one line, and its last error on the next."""
    polled = (
        record.last_polled_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        if record.last_polled_at
        else "never"
    )
    where = record.url or record.label
    line = (
        f"{record.id}  {record.kind}  {where}\n"
        f"    last poll {polled}, status {record.last_status or '-'}, "
        f"{documents} documents, {record.consecutive_errors} errors in a row "
        f"({record.error_count} in all)"
    )
    if record.last_error:
        line += f"\n    last error: {record.last_error}"
    return line


def print_report(report: SourceReport) -> None:
    """What one source brought, for a person reading the console."""
    name = "seeds" if report.source_id == "seeds" else f"{report.source_id} ({report.label})"
    if report.status == "error":
        print(f"{name}: error: {report.error}")
        return
    if report.status == "not_modified":
        print(f"{name}: not modified (304), nothing parsed")
        return
    print(
        f"{name}: {report.count('new')} new, {report.count('version')} new versions, "
        f"{report.count('duplicate')} already stored"
    )
    for item in report.ingested:
        if item.stored.kind != "duplicate":
            print("  " + describe_ingested(item))
    for problem in report.problems:
        print(f"  note: {problem}")


def describe_ingested(item: Ingested) -> str:
    """A stored document on one line."""
    mark = "+" if item.stored.kind == "new" else f"~ v{item.stored.version}"
    day = item.document.published.isoformat() if item.document.published else "undated   "
    title = " ".join(item.document.title.split())[:90]
    return f"{mark} {item.stored.document_id}  {day}  {title}"


def changes_json(item: Ingested, names: Naming) -> list[dict[str, Any]]:
    """Each change a document made, as a JSON-ready mapping, its text in the words of `names`."""
    rows: list[dict[str, Any]] = []
    for update in item.updates:
        event = update.event
        for change, alerts in update.changes:
            rows.append(
                {
                    "kind": change.kind,
                    "event": event.id,
                    "event_date": event.last_date.isoformat() if event.last_date else None,
                    "metric": change.metric,
                    "side": change.side,
                    "phase": change.phase.isoformat() if change.phase else None,
                    "low": change.interval.low if change.interval else None,
                    "high": change.interval.high if change.interval else None,
                    "sources": list(change.sources),
                    "alert": alerts,
                    "document": item.stored.document_id,
                    "text": change_line(change, event, names),
                }
            )
    return rows


def print_deliveries(outcomes: Counter[str]) -> None:
    """One line on what reached the console."""
    if outcomes:
        parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        print(f"\nmessages: {parts}")
    else:
        print("no new messages")
