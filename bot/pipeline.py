"""The pipeline: sequences the I/O around the pure steps, from sources to the outbox.

poll feeds / read seeds -> documents -> store (once each) -> extract -> reconcile -> outbox.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from bot.documents import Document
from bot.extract import extract
from bot.feedconfig import FeedSpec
from bot.fetch import Validators, make_client
from bot.polling import PollOutcome, next_poll_at, poll_feed, poll_started
from bot.reconciling import EventUpdate, EveryTopic, Recipient, fold_document
from bot.rulebook import Rulebook
from bot.seeds import SEEDS_SOURCE, seed_documents
from bot.settings import Settings
from bot.store import PollRecord, SourceRecord, Store, Stored
from bot.store import subscriptions as subscription_sql
from bot.store.documents import add_document

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MAX_CONCURRENT_POLLS = 16
# Polls that brought nothing new, by feed id, waiting to be recorded together.
PollBook = list[tuple[str, PollRecord]]


@dataclass(frozen=True)
class Ingested:
    """A document that reached the store, what storing it did, and what it did to events."""

    document: Document
    stored: Stored
    updates: tuple[EventUpdate, ...] = ()


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


def console_only(conn: Connection) -> Sequence[Recipient]:
    """The recipients when no chat channel is configured: the console, for every topic."""
    return (EveryTopic("console"),)


def subscribers(console: bool) -> Callable[[Connection], Sequence[Recipient]]:
    """The recipients of a service with chat channels: every enabled subscription (read anew
    for each document), and the console too if asked."""

    def recipients(conn: Connection) -> Sequence[Recipient]:
        found: list[Recipient] = list(subscription_sql.enabled_subscriptions(conn))
        return [EveryTopic("console"), *found] if console else found

    return recipients


class Pipeline:
    """Moves documents from the sources into the store."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock,
        rulebook: Rulebook,
        recipients: Callable[[Connection], Sequence[Recipient]] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.rulebook = rulebook
        self.recipients = recipients or console_only

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

    def ingest_one(self, doc: Document) -> Ingested:
        """Store one document and, if its text is new, extract, reconcile and write the outbox,
        all in one transaction: a crash leaves either all of it or none."""
        try:
            return self._ingest_one(doc)
        except IntegrityError:
            # Another worker stored the same article at the same moment: look again.
            return self._ingest_one(doc)

    def _ingest_one(self, doc: Document) -> Ingested:
        with self.store.transaction() as conn:
            stored = add_document(conn, doc, self.clock())
            if stored.kind == "duplicate":
                return Ingested(doc, stored)
            doc = dataclasses.replace(doc, id=stored.document_id)  # a version keeps its first id
            figures = extract(doc.text, doc.published, doc.id, self.rulebook.vocabulary)
            recipients = self.recipients(conn)
            updates = fold_document(
                conn, doc, stored.version, figures, self.rulebook, recipients, self.clock()
            )
        return Ingested(doc, stored, tuple(updates))

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
    ) -> SourceReport:
        """Poll one feed, store what it brought and record how the poll went.

        `known` is the feed's row if the caller has it (else it is read). A poll that brought
        nothing new goes into `book` when given, for the caller to write with others at once
        (`write_book`); a poll that brought documents is recorded at once."""
        record = known or await asyncio.to_thread(self.store.source, spec.id)
        validators = Validators(record.etag, record.last_modified) if record else Validators()
        outcome = await poll_feed(client, spec.id, spec.url, validators, self.settings.fetch)
        ingested: tuple[Ingested, ...] = ()
        if outcome.documents:
            ingested = await asyncio.to_thread(self.ingest, outcome.documents)
        errors_in_a_row = (record.consecutive_errors if record else 0) + 1
        poll = self._poll_record(
            spec, outcome, errors_in_a_row, record.next_poll_at if record else None
        )
        if book is not None and not outcome.documents:
            book.append((spec.id, poll))
        else:
            await asyncio.to_thread(self.store.record_poll, spec.id, poll, self.clock())
        if outcome.error:
            log.warning("feed %s: %s", spec.id, outcome.error)
        return SourceReport(
            spec.id, spec.label, outcome.status, ingested, outcome.error, outcome.problems
        )

    def write_book(self, book: PollBook) -> None:
        """Record the polls kept in `book`, in one transaction, and empty it."""
        if book:
            self.store.record_polls(list(book), self.clock())
            book.clear()

    def _poll_record(
        self,
        spec: FeedSpec,
        outcome: PollOutcome,
        errors_in_a_row: int,
        due: datetime | None,
    ) -> PollRecord:
        interval = spec.interval_seconds or self.settings.poll_seconds
        failures = errors_in_a_row if outcome.error else 0
        start = poll_started(self.clock(), due, interval)
        return PollRecord(
            status=outcome.status,
            error=outcome.error,
            etag=outcome.validators.etag,
            last_modified=outcome.validators.last_modified,
            next_poll_at=next_poll_at(start, interval, failures),
        )
