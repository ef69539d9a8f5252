"""Opening the store: one engine for SQLite or PostgreSQL, migrated to the newest schema."""

from __future__ import annotations

import fcntl
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


def open_engine(url: str) -> Engine:
    """An engine for `url`, with SQLite set up for one writer at a time and waiting readers.

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
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
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
    with open(f"{database}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _migrate(engine)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.connect() as connection:
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
