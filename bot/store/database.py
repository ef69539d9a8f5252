"""Opening the store: one engine for SQLite or PostgreSQL, migrated to the newest schema."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
_MIGRATION_LOCK = 7346021  # any constant: PostgreSQL advisory lock taken while migrating
# Execution option marking a connection whose transactions write: on SQLite they BEGIN IMMEDIATE.
WRITES = "tallywire_writes"


def open_engine(url: str) -> Engine:
    """An engine for `url`, with SQLite set up for one writer at a time and readers that never
    wait: WAL, and SQLAlchemy emitting BEGIN itself (sqlite3's own transaction handling off),
    IMMEDIATE on a connection with the WRITES execution option (see `writer`), plain (deferred)
    otherwise.

    Raises StoreError on a URL SQLAlchemy does not understand.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {redact(url)}") from exc
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def writer(engine: Engine) -> Engine:
    """`engine` (sharing its pool) whose transactions write: on SQLite each takes the write lock
    at its BEGIN, where SQLite waits up to the busy timeout for it."""
    return engine.execution_options(**{WRITES: True})


def _sqlite_begin(conn: Connection) -> None:
    # A deferred transaction that has read and then writes, while another connection has
    # committed since its read began, fails at once with "database is locked" (SQLite cannot
    # wait there: its snapshot is stale), whatever the busy timeout. Writers take the lock up
    # front instead; readers stay deferred and, in WAL, never block a writer nor wait for one.
    immediate = conn.get_execution_options().get(WRITES, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # sqlite3's legacy mode begins transactions only before INSERT, UPDATE or DELETE, so that a
    # transaction's reads see different snapshots; SQLAlchemy emits BEGIN instead (_sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL never corrupts the file and loses no commit when the process dies; only
    # a power cut can lose the newest commits. It spares a disk flush per commit (a commit per
    # stored document and per poll).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Apply every migration the store has not had yet, each in its own transaction.

    Processes starting together migrate one at a time: PostgreSQL through an advisory lock,
    a SQLite file through an exclusive lock on a file beside it. Raises StoreError if the
    database cannot be reached or a migration fails.
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        _migrate(engine)
        return
    try:
        lock = open(f"{database}.lock", "a")  # noqa: SIM115 -- closed by the `with` below
    except OSError as exc:  # a missing or read-only folder: say which, in one line
        raise StoreError(
            f"cannot open the store at {redact(str(engine.url))}: {exc.strerror}: {exc.filename}"
        ) from exc
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _migrate(engine)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with writer(engine).connect() as connection:
            _lock(connection, "pg_advisory_lock")
            try:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
            finally:
                _lock(connection, "pg_advisory_unlock")
    except (SQLAlchemyError, OSError) as exc:
        raise StoreError(f"cannot open the store at {redact(str(engine.url))}: {exc}") from exc


def _lock(connection: Connection, function: str) -> None:
    # Workers starting together must not migrate together: the second waits, then finds it done.
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT {function}({_MIGRATION_LOCK})"))
        connection.commit()


def redact(url: str) -> str:
    """`url` with any password hidden, fit for a log line or an error message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


class WriterTurns:
    """Write transactions of one process, one at a time, in the order they asked.

    SQLite lets one connection write at a time, and its busy handler polls for the lock with
    sleeps: a thread that commits and begins again at once keeps winning, and a writer waiting
    behind it gives up with "database is locked" after the busy timeout. Turns taken in order
    here leave SQLite's wait for other processes only. Not reentrant: a thread that asks
    again while it holds a turn raises RuntimeError (it would wait for itself).
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._issued = 0
        self._serving = 0
        self._holder: int | None = None
        self._abandoned: set[int] = set()  # tickets whose thread stopped waiting

    @property
    def waiting(self) -> int:
        """How many threads wait for their turn now."""
        with self._changed:
            held = self._holder is not None
            return self._issued - self._serving - held - len(self._abandoned)

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this thread's turn and hold it for the block."""
        me = threading.get_ident()
        with self._changed:
            if self._holder == me:
                raise RuntimeError("a write transaction inside another in the same thread")
            ticket = self._issued
            self._issued += 1
            if self._serving != ticket:  # another transaction holds the turn: wait for it
                try:
                    self._changed.wait_for(lambda: self._serving == ticket)
                except BaseException:  # interrupted while waiting: pass the turn on when due
                    self._abandoned.add(ticket)
                    raise
            self._holder = me
        try:
            yield
        finally:
            with self._changed:
                self._holder = None
                self._serving += 1
                while self._serving in self._abandoned:
                    self._abandoned.discard(self._serving)
                    self._serving += 1
                self._changed.notify_all()
