"""Folding documents' figures into the ledger, and writing the messages that follow.

The I/O sequence around the pure steps (place -> reconcile -> diff -> compose), inside the
caller's transaction so that figures, changes and outbox rows land together or not at all: one
document at a time (`fold_document`), or a poll's batch reconciled and told once (`Fold`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import Connection

from bot.compose import Message, alert, summary
from bot.digests import schedules
from bot.extract import Figure
from bot.pipeline.charted import chart_items, chart_trigger
from bot.pipeline.kept import Known, Staged
from bot.pipeline.recipients import Recipient
from bot.pipeline.undated import joined, rehome_undated
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
    undated,
)
from bot.sources import SEEDS_SOURCE, Document
from bot.store import Outgoing, held, ledger
from bot.store import outbox as outbox_sql

# From least to most worth a reply, for a subscription's minimum change kind.
KIND_RANK = ("confirmed", "new", "revised", "resolved", "suspect", "conflict", "milestone")


@dataclass(frozen=True)
class EventUpdate:
    """What one document, or a batch of them, did to one event."""

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
    staged: Staged | None = None,
) -> list[EventUpdate]:
    """Replace the document's reports with `figures`, reconcile every event they touch, record
    the changes and write the messages for each destination to the outbox. `staged` holds the
    events' states as the fold leaves them, and gives the states kept from earlier folds
    (bot.pipeline.kept); without it, each event is read and reconciled anew.

    A document that gives no day at all joins the dated event its figures match
    (bot.reconcile.joining) instead of making one of its own; a dated document that changes
    events moves the undated documents whose best match it changed, so that where an undated
    document ends up does not depend on the order documents came in. Each of those moves is
    reconciled and told on its own, after the document's own changes."""
    fold = Fold(conn, rulebook, recipients, now, staged or Staged(None), batch=False)
    fold.add(doc, version, figures)
    return [update for _, update in fold.settled]


def _place(fold: Fold, doc: Document, version: int, figures: Sequence[Figure], new: bool) -> None:
    """Place one document's figures in events and fold them in (see `fold_document`)."""
    conn, rulebook, now = fold.conn, fold.rulebook, fold.now
    fold.placing = doc.id
    old = [] if new else ledger.document_reports(conn, doc.id)
    known = _nearby_swaps(conn, figures, doc.published) + list(
        ledger.events_by_id(conn, {r.event_id for r in old}).values()
    )
    provenance = Provenance(doc.id, source_name(doc), doc.published, now)
    reports, touched = place_figures(figures, provenance, known)
    no_day = undated(doc.published, (f.event_date for f in figures))
    if no_day and reports:
        fold.none_undated -= {r.topic for r in reports}
        others = ledger.undated_reports(conn, {r.topic for r in reports})
        undated_docs = {doc.id} | {r.document_id for r in others}
        reports = joined(conn, reports, undated_docs, rulebook, {})
        touched = [e for e in touched if any(r.event_id == e.id for r in reports)]
    changed = fold.reports(doc.id, version, reports, touched, old, f"{doc.id}@{version}")
    dated = [e for e in changed if e.first_date is not None]
    if not no_day and dated:
        rehome_undated(fold, dated, doc.id)


class Fold:
    """Folding documents into the ledger within one transaction: each document's reports are
    written at once (`add`), and the events they change are reconciled, their changes recorded
    and their messages written when the fold settles: after each document's reports, one
    document at a time (`fold_document`), or once for a `batch` (`finish`): one state before
    and one after, one diff, one reply naming every change the documents made together, one
    edit of the summary. The events end as they would one document at a time; only the
    telling is shared."""

    def __init__(
        self,
        conn: Connection,
        rulebook: Rulebook,
        recipients: Sequence[Recipient],
        now: datetime,
        staged: Staged,
        batch: bool,
    ) -> None:
        self.conn = conn
        self.rulebook = rulebook
        self.recipients = recipients
        self.now = now
        self.staged = staged
        self.batch = batch
        # Each update as the fold settled it, by the document last placed in its event (a
        # moved undated document is told under the dated document that moved it).
        self.settled: list[tuple[str, EventUpdate]] = []
        self.placing = ""  # the document being placed
        # The events changed since the fold last settled: each as it was before, its reports
        # that count now, the reports added since, the event itself and the last document in it.
        self._before: dict[str, Known] = {}
        self._now: dict[str, list[Report]] = {}
        self._fresh: dict[str, list[Report]] = {}
        self._events: dict[str, Event] = {}
        self._last: dict[str, str] = {}  # the document last written in the event
        self._told: dict[str, str] = {}  # the document last placed in the event
        self._first: str | None = None  # the batch's first document, "id@version"
        self._added = 0
        # Topics known to have no undated document since the fold began: a batch asks once.
        self.none_undated: set[str] = set()

    def add(
        self, doc: Document, version: int, figures: Sequence[Figure], new: bool = False
    ) -> None:
        """Place the document's figures and write its reports (see `fold_document`); in a
        batch, nothing is reconciled until `finish`. `new`: the document was stored just now,
        so it has no reports yet."""
        self._first = self._first or f"{doc.id}@{version}"
        self._added += 1
        _place(self, doc, version, figures, new)

    def finish(self) -> dict[str, list[EventUpdate]]:
        """Settle a batch: reconcile, record and tell what its documents did to each event,
        returned by the id of the last document added in it. The messages' key names the batch
        by its first document and how many came after it ("doc@1+24")."""
        if self.batch and self._first is not None:
            more = f"+{self._added - 1}" if self._added > 1 else ""
            self.settle(f"{self._first}{more}")
        by_document: dict[str, list[EventUpdate]] = {}
        for document_id, update in self.settled:
            by_document.setdefault(document_id, []).append(update)
        return by_document

    def reports(
        self,
        document_id: str,
        version: int,
        reports: Sequence[Report],
        touched: Sequence[Event],
        old: Sequence[Report],
        cause: str,
    ) -> list[Event]:
        """Replace a document's reports (`old`) with `reports`, in the events `touched` creates
        or widens; return every event either is in. One document at a time, settle at once
        (the messages' key names `cause`)."""
        conn = self.conn
        affected = sorted({r.event_id for r in reports} | {r.event_id for r in old})
        ledger.save_events(conn, touched, self.now)
        # Another worker folding into the same events waits here, then reads what it committed.
        events = ledger.lock_events(conn, affected)
        self._events.update(events)
        first = [event_id for event_id in affected if event_id not in self._before]
        self._before.update(self.staged.before(conn, first, self.rulebook.rules))
        # Only `old` goes: a moved undated document's reports of other topics stay.
        retired = {r.event_id for r in old}
        ledger.replace_document_reports(conn, document_id, version, reports, retired)
        for event_id in affected:
            fresh = [r for r in reports if r.event_id == event_id]
            if event_id in self._now:
                now_reports, added = self._now[event_id], self._fresh[event_id]
            else:
                now_reports, added = list(self._before[event_id].reports), []
            if any(r.event_id == event_id for r in old):  # an earlier version's reports go
                now_reports = [r for r in now_reports if r.document_id != document_id]
                added = [r for r in added if r.document_id != document_id]
            self._now[event_id] = now_reports + fresh
            self._fresh[event_id] = added + fresh
            self._last[event_id] = document_id
            self._told[event_id] = self.placing
        if not self.batch:
            self.settle(cause)
        return [events[event_id] for event_id in affected]

    def settle(self, cause: str) -> None:
        """Reconcile every event changed since the fold last settled, record the changes and
        write the messages for each destination (keyed by `cause`), in event id order."""
        conn, rulebook = self.conn, self.rulebook
        updates, after, summaries = [], [], []
        for event_id in sorted(self._before):
            before, now_reports = self._before[event_id], self._now[event_id]
            # What reconciling the event derived before is derived again only where it changed.
            memo = Memo(before.memo)
            update = _update(
                self._events[event_id], before.state, now_reports, self._fresh[event_id],
                rulebook, memo,
            )  # fmt: skip
            ledger.record_changes(conn, self._last[event_id], update.changes, self.now)
            updates.append(update)
            self.settled.append((self._told[event_id], update))
            shown = _summaries(update, before, rulebook)
            summaries.append(shown)
            after.append((event_id, now_reports, update.after, memo, (update.event, shown[0])))
        self.staged.after(conn, after)
        outgoing = [
            item
            for update, shown in zip(updates, summaries, strict=True)
            for recipient in self.recipients
            if recipient.wants(update.event.topic)
            for item in messages_for(conn, update, recipient, cause, rulebook, shown, self.now)
        ]
        outbox_sql.enqueue(conn, outgoing, self.now)
        for pending in (self._before, self._now, self._fresh, self._events, self._last):
            pending.clear()
        self._told.clear()


def _summaries(update: EventUpdate, before: Known, rulebook: Rulebook) -> _Shown:
    """The event's summary after the update, and before it (None for a new event): kept from
    the fold that left the state before, where it was of the same event."""
    event = update.event
    order, names = rulebook.headline_order(event.topic), rulebook.naming
    now = summary(event, update.after, order, names=names)
    if update.before is None:
        return now, None
    if before.summary is not None and before.summary[0] == event:
        return now, before.summary[1]
    return now, summary(event, update.before, order, names=names)


_Shown = tuple[Message, Message | None]  # an event's summary after an update, and before


def messages_for(
    conn: Connection,
    update: EventUpdate,
    recipient: Recipient,
    cause: str,
    rulebook: Rulebook,
    shown: _Shown | None = None,
    now: datetime | None = None,
) -> list[Outgoing]:
    """The messages one event update sends to one destination: the thread's root the first
    time, then a reply naming the alerting changes and an edit of the root's summary.
    `shown` are the event's summaries after and before the update, where known.

    At `now`, a chat in quiet hours or digest mode (bot.digests.schedules) has them written
    held, for its digest: the root, the reply (unless a kind of it breaks through, which
    releases the thread's held root) and the edits of a held root; an edit of a root already
    out goes out, silently, as any edit does. A chat with charts on gets the event's chart
    after the reply when the update earns one (bot.pipeline.charted)."""
    event, destination = update.event, recipient.destination
    order, names = rulebook.headline_order(event.topic), rulebook.naming
    now_summary = shown[0] if shown else summary(event, update.after, order, names=names)
    key = f"{destination}|{event.id}"
    hold = now is not None and schedules.holding(recipient.settings, now)
    trigger = chart_trigger(event, update.before, update.after, [c for c, _ in update.changes])
    if not outbox_sql.has_root(conn, destination, event.id):
        root = Outgoing(f"{key}|root", destination, event.id, "root", now_summary, hold)
        return [root, *chart_items(destination, recipient.settings.charts, event, trigger, hold)]
    items = []
    alerts = _alerting(update, recipient, rulebook)
    floor = KIND_RANK.index(recipient.min_kind) if recipient.min_kind in KIND_RANK else 0
    if not any(KIND_RANK.index(change.kind) >= floor for change in alerts):
        alerts = []
    held_root = hold and held.root_held(conn, destination, event.id)
    if alerts:
        kinds = {c.kind for c in alerts}
        through = (
            hold and now is not None and schedules.breaks_through(recipient.settings, kinds, now)
        )
        if through and held_root:
            held.release_thread(conn, destination, event.id)
            held_root = False
        message = alert(event, alerts, names)
        reply = Outgoing(f"{key}|{cause}|reply", destination, event.id, "reply", message)
        items.append(replace(reply, held=hold and not through))
    then = None
    if update.before is not None:
        then = shown[1] if shown else summary(event, update.before, order, names=names)
    if then is None or then != now_summary:
        edit = Outgoing(f"{key}|{cause}|edit", destination, event.id, "edit", now_summary)
        items.append(replace(edit, held=held_root))
    # The chart is held as the reply is (sent at once where the reply breaks through).
    chart_held = hold and not any(i.role == "reply" and not i.held for i in items)
    charts_on = recipient.settings.charts
    return items + chart_items(destination, charts_on, event, trigger, chart_held)


def _alerting(update: EventUpdate, recipient: Recipient, rulebook: Rulebook) -> list[Change]:
    """The update's changes that alert at this destination: as config/alerts.toml says, or as
    the chat's own alert kinds say (with alerts.toml's headline rule for "new")."""
    kinds = recipient.settings.alert_kinds
    if kinds is None:
        return [change for change, alerts in update.changes if alerts]
    policy = replace(rulebook.policy, kinds=kinds)
    return [change for change, _ in update.changes if policy.alerts(change)]


def _update(
    event: Event,
    before: EventState | None,
    reports: Sequence[Report],
    fresh: Sequence[Report],
    rulebook: Rulebook,
    memo: Memo,
) -> EventUpdate:
    """What the document's `fresh` reports did to `event`, whose reports that count are now
    `reports` (those of `before`, the document's earlier ones out and `fresh` in)."""
    rules = rulebook.rules
    after = reconcile_event(event.id, reports, rules, memo)
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
