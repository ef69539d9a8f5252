"""The pipeline: sequences the I/O around the pure steps, from sources to the outbox.

poll feeds / read seeds -> documents -> store (once each) -> extract -> reconcile -> outbox.

A poll's work is bounded: the feed's newest items only (`PollLimits.max_items`), so much of each
text read for figures (`extract_max_chars`), and a time budget for storing, checked between
documents, as are the service stopping and the feed's claim passing to another worker; what is
left is stored by the next poll.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from bot.errors import LeaseLost
from bot.extract import extract
from bot.pipeline.bounds import (
    BudgetPace,
    Claim,
    Pace,
    PollControl,
    StopReason,
    poll_record,
    stopped_early,
)
from bot.pipeline.fold import EventUpdate, Fold, fold_document
from bot.pipeline.kept import KeptEvents
from bot.pipeline.recipients import Recipient, console_only
from bot.reconcile import Rulebook
from bot.settings import Settings
from bot.sources import (
    SEEDS_SOURCE,
    Document,
    FeedSpec,
    PollOutcome,
    Validators,
    extraction_text,
    make_client,
    poll_feed,
    run_detached,
    seed_documents,
)
from bot.store import PollRecord, SourceRecord, Store, Stored, add_document
from bot.store import sources as source_sql
from bot.telemetry import Metrics

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MAX_CONCURRENT_POLLS = 16
# Parses and document transactions at once, across polls: the default executor's width on a
# small machine. Parsing holds the interpreter lock (more would only share it) and the peak
# memory of a 5 MiB feed; the store's pool has 15 connections.
PARSES_AT_ONCE = 2
STORES_AT_ONCE = 4
# Documents stored in one transaction: one BEGIN, claim renewal and read of the recipients for
# them all, while a batch holds SQLite's write lock for well under a second.
STORE_BATCH = 25
# Polls that brought nothing new, by feed id, waiting to be recorded together.
PollBook = list[tuple[str, PollRecord]]


@dataclass(frozen=True)
class Ingested:
    """A document that reached the store, what storing it did, and what it did to events."""

    document: Document
    stored: Stored
    updates: tuple[EventUpdate, ...] = ()
    text_cut: bool = False  # only the first `extract_max_chars` of the text were read


@dataclass(frozen=True)
class Progress:
    """How far a poll's storing went: what was stored, how many documents were left, and why
    it stopped early (None when it stored everything)."""

    ingested: tuple[Ingested, ...] = ()
    left: int = 0
    reason: StopReason | None = None


@dataclass(frozen=True)
class SourceReport:
    """What one source brought in one round."""

    source_id: str
    label: str
    status: str
    ingested: tuple[Ingested, ...] = ()
    error: str | None = None
    problems: tuple[str, ...] = ()

    def count(self, kind: str) -> int:
        """How many documents were stored as `kind` ("new", "version", "duplicate")."""
        return sum(1 for item in self.ingested if item.stored.kind == kind)


class Pipeline:
    """Moves documents from the sources into the store."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock,
        rulebook: Rulebook,
        recipients: Callable[[Connection], Sequence[Recipient]] | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.rulebook = rulebook
        self.recipients = recipients or console_only
        self.metrics = metrics or Metrics()
        self._parsing = threading.BoundedSemaphore(PARSES_AT_ONCE)
        self._storing = threading.BoundedSemaphore(STORES_AT_ONCE)
        self.kept = KeptEvents(rulebook.rules)

    def register_feeds(self, feeds: Iterable[FeedSpec]) -> None:
        """Make sure every configured feed has its row in the store."""
        for spec in feeds:
            self.store.register_source(
                source_id=spec.id,
                kind="feed",
                url=spec.url,
                label=spec.label,
                origin=spec.origin,
                interval_seconds=spec.interval_seconds,
                now=self.clock(),
            )

    def ingest(self, documents: Iterable[Document]) -> tuple[Ingested, ...]:
        """Store each document once and fold the figures of each new text into the ledger."""
        return tuple(self.ingest_one(doc) for doc in documents)

    def ingest_one(self, doc: Document, claim: Claim | None = None) -> Ingested:
        """Store one document and, if its text is new, extract, reconcile and write the outbox,
        all in one transaction (see `ingest_batch`)."""
        [ingested] = self.ingest_batch([doc], claim, together=False)
        return ingested

    def ingest_batch(
        self,
        docs: Sequence[Document],
        claim: Claim | None = None,
        pace: Pace | None = None,
        together: bool = True,
    ) -> list[Ingested]:
        """Store `docs` in order, each once, and fold the figures of each new text into the
        ledger, all in one transaction: a crash leaves either all of it or none. `together`,
        each event they change is reconciled and told once for them all (fold.Fold);
        else each document's changes are told on their own, as if it came alone. Either way
        the batch shares the transaction, the claim's renewal and the read of the recipients.

        With `claim`, the feed's claim is renewed first; raises LeaseLost (and stores nothing)
        if it is no longer the worker's. With `pace`, each document asks it first whether to
        go on, and the batch ends (storing what came before) when it says no."""
        pace = pace or Pace()
        tried: list[Document] = []
        try:
            ingested = self._ingest_batch(docs, claim, pace, tried, together)
        except IntegrityError:
            # Another worker stored one of the articles at the same moment: look again, at
            # the documents this try had reached.
            ingested = self._ingest_batch(list(tried), claim, Pace(), [], together)
        for item in ingested:
            self._count(item)
        return ingested

    def _ingest_batch(
        self,
        docs: Sequence[Document],
        claim: Claim | None,
        pace: Pace,
        tried: list[Document],
        together: bool,
    ) -> list[Ingested]:
        staged = self.kept.stage()
        stored: list[tuple[Document, Stored, bool]] = []  # each document, and if its text was cut
        updates: dict[str, list[EventUpdate]] = {}
        figures = 0
        with self.store.transaction() as conn:
            if claim and not source_sql.renew_claim(
                conn, claim.source_id, claim.worker, self.clock(), claim.lease
            ):
                raise LeaseLost(f"the claim on {claim.source_id} is no longer {claim.worker}'s")
            recipients: Sequence[Recipient] | None = None
            batch: Fold | None = None
            for doc in docs:
                if not pace.go_on():
                    break
                tried.append(doc)
                kept = add_document(conn, doc, self.clock())
                if kept.kind == "duplicate":
                    stored.append((doc, kept, False))
                    pace.done()
                    continue
                doc = dataclasses.replace(doc, id=kept.document_id)  # a version keeps its id
                # A text of megabytes would cost seconds and hundreds of MB to read and
                # reconcile; news puts its figures first.
                text = extraction_text(doc.text, self.settings.poll.extract_max_chars)
                found = extract(text, doc.published, doc.id, self.rulebook.vocabulary)
                if recipients is None:
                    recipients = self.recipients(conn)
                if not together:
                    updates[doc.id] = fold_document(
                        conn, doc, kept.version, found, self.rulebook, recipients, self.clock(),
                        staged,
                    )  # fmt: skip
                else:
                    batch = batch or Fold(
                        conn, self.rulebook, recipients, self.clock(), staged, batch=True
                    )
                    batch.add(doc, kept.version, found, new=kept.kind == "new")
                figures += len(found)
                stored.append((doc, kept, len(text) < len(doc.text)))
                pace.done()
            if batch is not None:
                updates = batch.finish()
        self.kept.commit(staged)
        self.metrics.count("tallywire_figures_total", figures)
        return [
            Ingested(
                doc, kept, tuple(updates.get(doc.id, ()) if kept.kind != "duplicate" else ()), cut
            )
            for doc, kept, cut in stored
        ]

    def _count(self, ingested: Ingested) -> None:
        self.metrics.count("tallywire_documents_total", stored=ingested.stored.kind)
        for update in ingested.updates:
            for change, _ in update.changes:
                self.metrics.count("tallywire_changes_total", kind=change.kind)

    def ingest_bounded(self, documents: Sequence[Document], control: PollControl) -> Progress:
        """Store `documents` in order, STORE_BATCH to a transaction (see `ingest_batch`), until
        done or until `stop_reason` says stop, which it is asked before each document: the
        service halting, the claim lost, or the poll's time budget spent. Blocking; meant for
        a thread. At most STORES_AT_ONCE batches are stored at once across polls; the budget
        counts the time spent storing documents, not waiting for a turn (here, or for the
        other polls' write transactions on SQLite), so that many feeds ingesting at once (a
        first start) are not all cut short."""
        pace = BudgetPace(control, self.settings.poll.budget_seconds)
        done: list[Ingested] = []
        while len(done) < len(documents) and pace.reason is None:
            batch = documents[len(done) : len(done) + STORE_BATCH]
            with self._storing:
                try:
                    done += self.ingest_batch(batch, control.claim, pace)
                except LeaseLost:
                    control.lost.set()
                    pace.reason = "lease_lost"
        return Progress(tuple(done), len(documents) - len(done), pace.reason)

    def ingest_seeds(self, folder: Path | None = None) -> SourceReport | None:
        """Store the seed documents, in manifest order; None when seeds are off."""
        folder = folder or self.settings.seeds_dir
        if folder is None:
            return None
        self.register_seeds(folder)
        ingested = self.ingest(seed_documents(folder))
        return SourceReport(SEEDS_SOURCE, "seeds", "ok", ingested)

    def register_seeds(self, folder: Path) -> None:
        """Record the seeds as a source, polled now."""
        self.store.register_source(
            source_id=SEEDS_SOURCE,
            kind="seeds",
            url=None,
            label=f"seed documents in {folder}",
            origin="seeds",
            interval_seconds=None,
            now=self.clock(),
        )
        self.store.record_poll(SEEDS_SOURCE, PollRecord(status="ok"), self.clock())

    async def poll_feeds(self, feeds: Iterable[FeedSpec]) -> list[SourceReport]:
        """Poll each feed once, concurrently; one feed's failure never stops another."""
        limit = asyncio.Semaphore(MAX_CONCURRENT_POLLS)
        unchanged = PollBook()

        async def one(spec: FeedSpec, client: httpx.AsyncClient) -> SourceReport:
            async with limit:
                return await self.poll(spec, client, book=unchanged)

        async with make_client(self.settings.fetch) as client:
            reports = list(await asyncio.gather(*(one(spec, client) for spec in feeds)))
        await asyncio.to_thread(self.write_book, unchanged)
        return reports

    async def poll(
        self,
        spec: FeedSpec,
        client: httpx.AsyncClient,
        known: SourceRecord | None = None,
        book: PollBook | None = None,
        control: PollControl | None = None,
    ) -> SourceReport:
        """Poll one feed, store what it brought (within the poll's bounds) and record how the
        poll went.

        `known` is the feed's row if the caller has it (else it is read). A poll that brought
        nothing new goes into `book` when given, for the caller to write with others at once
        (`write_book`); a poll that brought documents is recorded at once. `control` says when
        to stop early and which claim the poll holds: a poll whose claim passed to another
        worker is not recorded, the other's poll is. Parsing and storing run in daemon threads
        (see `bot.detached`)."""
        control = control or PollControl()
        began = time.monotonic()
        record = known or await asyncio.to_thread(self.store.source, spec.id)
        sent = Validators(record.etag, record.last_modified) if record else Validators()
        outcome = await poll_feed(
            client, spec.id, spec.url, sent, self.settings.fetch,
            self.settings.poll.max_items, self._parsing,
        )  # fmt: skip
        progress = Progress()
        if outcome.documents:
            documents = outcome.documents
            progress = await run_detached(
                lambda: self.ingest_bounded(documents, control), f"ingest {spec.id}"
            )
        poll = poll_record(
            outcome, progress.reason, sent=sent, now=self.clock(),
            due=record.next_poll_at if record else None,
            interval=spec.interval_seconds or self.settings.poll_seconds,
            errors_in_a_row=(record.consecutive_errors if record else 0) + 1,
        )  # fmt: skip
        worker = control.claim.worker if control.claim else None
        if progress.reason == "lease_lost":
            pass  # the feed is another worker's now: its poll records itself
        elif book is not None and not outcome.documents:
            book.append((spec.id, poll))
        else:
            await asyncio.to_thread(self.store.record_poll, spec.id, poll, self.clock(), worker)
        self._report(spec, outcome, progress, poll.status)
        self.metrics.observe("tallywire_poll_duration_seconds", time.monotonic() - began)
        return SourceReport(
            spec.id, spec.label, poll.status, progress.ingested, outcome.error, outcome.problems
        )

    def write_book(self, book: PollBook, claimed_by: str | None = None) -> None:
        """Record the polls kept in `book`, in one transaction, and empty it (each only while
        `claimed_by` still holds its claim, if given)."""
        if book:
            self.store.record_polls(list(book), self.clock(), claimed_by)
            book.clear()

    def _report(
        self, spec: FeedSpec, outcome: PollOutcome, progress: Progress, status: str
    ) -> None:
        """Count the poll and what it left out, and say in one line why it left anything."""
        self.metrics.count("tallywire_polls_total", status=status)
        if outcome.error:
            self.metrics.count("tallywire_poll_errors_total")
            log.warning("feed %s: %s", spec.id, outcome.error)
        notes = []
        limits = self.settings.poll
        if outcome.dropped:
            self.metrics.count(
                "tallywire_feed_items_skipped_total", outcome.dropped, reason="item_cap"
            )
            notes.append(
                f"{outcome.dropped:,} older items dropped, over the {limits.max_items:,} newest "
                "a poll takes (TALLYWIRE_POLL_MAX_ITEMS)"
            )
        cut = sum(1 for item in progress.ingested if item.text_cut)
        if cut:
            notes.append(
                f"{cut} texts read for figures up to their first {limits.extract_max_chars:,} "
                "characters (TALLYWIRE_EXTRACT_MAX_CHARS)"
            )
        if progress.reason:
            self.metrics.count(
                "tallywire_feed_items_skipped_total", progress.left, reason=progress.reason
            )
            stored = len(progress.ingested)
            notes.append(
                stopped_early(stored, progress.left, progress.reason, limits.budget_seconds)
            )
        if notes:
            level = logging.WARNING if progress.reason == "lease_lost" else logging.INFO
            log.log(level, "feed %s: %s", spec.id, "; ".join(notes))
