"""Fixtures shared by the tests: stores on SQLite and, when one is given, PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.settings import normalize_database_url
from bot.store import Store
from tests.fakes.feed_server import FeedServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PG_ENV = "TALLYWIRE_TEST_DATABASE_URL"


def pytest_report_header() -> str:
    if os.environ.get(PG_ENV):
        return f"PostgreSQL store tests: on ({PG_ENV} is set)"
    return f"PostgreSQL store tests: SKIPPED, {PG_ENV} is not set"


@pytest.fixture
def now() -> datetime:
    return datetime(2025, 5, 24, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a throwaway PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL: {PG_ENV} is not set, so this store test ran on SQLite only")
    yield from _postgres_schema(normalize_database_url(base))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL schema, for tests that need PostgreSQL itself (several workers)."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"this test needs PostgreSQL: {PG_ENV} is not set")
    yield from _postgres_schema(normalize_database_url(base))


def _postgres_schema(base: str) -> Iterator[str]:
    schema = f"tw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A feed server on loopback (tests.fakes.feed_server), for the tests that poll feeds."""
    with FeedServer() as fake:
        yield fake


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.close()


def utc_clock() -> datetime:
    """The wall clock in UTC, for pipelines under test."""
    return datetime.now(UTC)
