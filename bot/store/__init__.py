"""The store: SQLite by default, PostgreSQL in production, one SQL for both.

`Store` runs each operation in its own transaction; the modules beside it hold the SQL.
Transactions that write (`transaction`) take the write lock up front; those that only read
(`reading`) never wait for a writer nor make one wait.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date, datetime

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.sources import Document
from bot.store import changelog, chat_settings, feeds, held, ledger, moves, outbox, subscriptions
from bot.store import documents as document_sql
from bot.store import sources as source_sql
from bot.store.chat_settings import ChatSettings
from bot.store.database import WriterTurns, migrate, open_engine, redact, writer
from bot.store.documents import Stored, add_document, documents_by_source
from bot.store.feeds import LastChange, LastFigure
from bot.store.moves import move_destination
from bot.store.outbox import OutboxItem, Outgoing, ThreadState
from bot.store.sources import PollRecord, SourceRecord
from bot.store.subscriptions import ALL, Subscription

# The SQL modules are public too, as namespaces: `from bot.store import outbox as outbox_sql`.
documents = document_sql
sources = source_sql

__all__ = [
    "ALL",
    "ChatSettings",
    "LastChange",
    "LastFigure",
    "OutboxItem",
    "Outgoing",
    "PollRecord",
    "SourceRecord",
    "Store",
    "Stored",
    "Subscription",
    "ThreadState",
    "add_document",
    "changelog",
    "chat_settings",
    "documents",
    "documents_by_source",
    "feeds",
    "held",
    "ledger",
    "move_destination",
    "moves",
    "open_engine",
    "outbox",
    "redact",
    "sources",
    "subscriptions",
]


class Store:
    """Tallywire's persistent state over one SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = writer(engine)
        # SQLite writes one transaction at a time: this process's writers take turns in order.
        self._turns = WriterTurns() if engine.dialect.name == "sqlite" else None

    @classmethod
    def open(cls, url: str) -> Store:
        """Open the store at `url` and migrate it. Raises StoreError if that fails."""
        engine = open_engine(url)
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in a transaction that may write, committed on success and rolled back
        on error. On SQLite it waits for this process's other write transactions, then takes
        the file's write lock at BEGIN (waiting up to the busy timeout for other processes).
        Raises RuntimeError when the thread is already in one (it would wait for itself)."""
        with self._turn(), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection in a transaction that only reads: one snapshot throughout, rolled back
        at the end. It never waits for a writer (WAL on SQLite); writing in it may fail."""
        with self.engine.connect() as conn:
            yield conn

    def _turn(self) -> AbstractContextManager[None]:
        return self._turns.turn() if self._turns else nullcontext()

    def add_document(self, doc: Document, now: datetime) -> Stored:
        """Store `doc` once (see bot.store.documents.add_document)."""
        try:
            with self.transaction() as conn:
                return document_sql.add_document(conn, doc, now)
        except IntegrityError:
            # Another worker stored the same article between our look-up and insert: look again.
            with self.transaction() as conn:
                return document_sql.add_document(conn, doc, now)

    def latest_text(self, document_id: str) -> str | None:
        """The newest text of a document, or None."""
        with self.engine.connect() as conn:
            return document_sql.latest_text(conn, document_id)

    def newest_published(self) -> date | None:
        """The publication day of the newest dated document, if any."""
        with self.engine.connect() as conn:
            return document_sql.newest_published(conn)

    def documents_by_source(self) -> dict[str, int]:
        """How many documents each source has brought."""
        with self.engine.connect() as conn:
            return document_sql.documents_by_source(conn)

    def register_source(
        self,
        *,
        source_id: str,
        kind: str,
        url: str | None,
        label: str,
        origin: str,
        interval_seconds: int | None,
        now: datetime,
    ) -> None:
        """Add or update a source (see bot.store.sources.register_source)."""
        for attempt in range(2):
            try:
                with self.transaction() as conn:
                    source_sql.register_source(
                        conn,
                        source_id=source_id,
                        kind=kind,
                        url=url,
                        label=label,
                        origin=origin,
                        interval_seconds=interval_seconds,
                        now=now,
                    )
                return
            except IntegrityError:
                if attempt:  # another worker registered it between our look and insert
                    raise

    def record_poll(
        self, source_id: str, poll: PollRecord, now: datetime, claimed_by: str | None = None
    ) -> bool:
        """Write one poll's outcome for a source (only while `claimed_by` holds its claim, if
        given); whether it was written."""
        with self.transaction() as conn:
            return source_sql.record_poll(conn, source_id, poll, now, claimed_by)

    def record_polls(
        self,
        polls: Sequence[tuple[str, PollRecord]],
        now: datetime,
        claimed_by: str | None = None,
    ) -> None:
        """Write several polls' outcomes in one transaction (each only while `claimed_by` holds
        its claim, if given)."""
        with self.transaction() as conn:
            source_sql.record_polls(conn, polls, now, claimed_by)

    def source(self, source_id: str) -> SourceRecord | None:
        """The source with this id, or None."""
        with self.engine.connect() as conn:
            return source_sql.get_source(conn, source_id)

    def sources(self) -> list[SourceRecord]:
        """Every source with its poll state."""
        with self.engine.connect() as conn:
            return source_sql.list_sources(conn)
