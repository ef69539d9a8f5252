"""The store's contract, on SQLite always and on PostgreSQL when a test database is given."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import inspect

from bot.documents import Document
from bot.store import PollRecord, Store


def article(
    text: str, *, guid: str | None = "g1", link: str | None = None, doc_id: str = "d1"
) -> Document:
    return Document(
        id=doc_id,
        source="feed-a",
        text=text,
        title=text[:20],
        guid=guid,
        link=link,
        published=date(2025, 5, 24),
    )


def test_migrations_create_the_tables_and_run_twice_harmlessly(database_url: str) -> None:
    Store.open(database_url).close()
    store = Store.open(database_url)
    tables = set(inspect(store.engine).get_table_names())
    store.close()
    assert {
        "sources",
        "documents",
        "document_versions",
        "document_keys",
        "alembic_version",
    } <= tables


def test_a_new_document_is_stored_once(store: Store, now: datetime) -> None:
    first = store.add_document(article("Russia launched 367 drones and missiles."), now)
    again = store.add_document(article("Russia launched 367 drones and missiles."), now)
    assert (first.kind, first.version) == ("new", 1)
    assert (again.kind, again.document_id, again.version) == ("duplicate", "d1", 1)
    assert store.documents_by_source() == {"feed-a": 1}


def test_changed_text_under_the_same_guid_is_a_new_version(store: Store, now: datetime) -> None:
    store.add_document(article("At least 12 people were killed."), now)
    revised = store.add_document(article("At least 14 people were killed.", doc_id="other"), now)
    assert (revised.kind, revised.document_id, revised.version) == ("version", "d1", 2)
    assert store.latest_text("d1") == "At least 14 people were killed."
    assert store.documents_by_source() == {"feed-a": 1}


def test_same_link_with_tracking_parameters_is_the_same_document(
    store: Store, now: datetime
) -> None:
    store.add_document(article("Text one.", guid=None, link="https://news.example/a/1"), now)
    seen = store.add_document(
        article(
            "Text one.", guid=None, link="http://www.news.example/a/1/?utm_source=x", doc_id="d2"
        ),
        now,
    )
    assert (seen.kind, seen.document_id) == ("duplicate", "d1")


def test_same_text_under_another_url_is_stored_once(store: Store, now: datetime) -> None:
    store.add_document(
        article("Each side released 303 soldiers.", guid="a", link="https://a.example/x"), now
    )
    syndicated = store.add_document(
        article(
            "Each side  released 303 SOLDIERS!", guid="b", link="https://b.example/y", doc_id="d9"
        ),
        now,
    )
    assert (syndicated.kind, syndicated.document_id) == ("duplicate", "d1")
    # The syndicated copy's guid is now known too: an update under it is a version of d1.
    update = store.add_document(
        article("Each side released 307 soldiers.", guid="b", doc_id="d9"), now
    )
    assert (update.kind, update.document_id, update.version) == ("version", "d1", 2)


def test_poll_records_keep_validators_and_count_errors(store: Store, now: datetime) -> None:
    store.register_source(
        source_id="f",
        kind="feed",
        url="http://x.example/rss",
        label="X",
        origin="config",
        interval_seconds=None,
        now=now,
    )
    store.record_poll(
        "f", PollRecord("ok", etag='"v1"', last_modified="Sat, 24 May 2025 10:00:00 GMT"), now
    )
    store.record_poll("f", PollRecord("error", error="HTTP 500"), now + timedelta(minutes=10))
    later = now + timedelta(minutes=20)
    store.record_poll("f", PollRecord("error", error="timed out", next_poll_at=later), later)
    record = store.source("f")
    assert record is not None
    assert (record.etag, record.last_modified) == ('"v1"', "Sat, 24 May 2025 10:00:00 GMT")
    assert (record.error_count, record.consecutive_errors, record.last_error) == (2, 2, "timed out")
    assert record.last_polled_at == later and record.next_poll_at == later
    store.record_poll("f", PollRecord("not_modified"), later)
    record = store.source("f")
    assert record is not None
    assert (record.error_count, record.consecutive_errors, record.last_error) == (2, 0, None)
    assert record.etag == '"v1"'


def test_registering_again_updates_the_feed(store: Store, now: datetime) -> None:
    for url in ("http://x.example/old", "http://x.example/new"):
        store.register_source(
            source_id="f",
            kind="feed",
            url=url,
            label="X",
            origin="config",
            interval_seconds=300,
            now=now,
        )
    assert [(s.id, s.url, s.interval_seconds) for s in store.sources()] == [
        ("f", "http://x.example/new", 300)
    ]


def test_processes_opening_a_new_store_together_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    with ThreadPoolExecutor(max_workers=8) as pool:
        stores = list(pool.map(lambda _: Store.open(url), range(8)))
    assert all(
        set(inspect(s.engine).get_table_names()) >= {"outbox", "subscriptions"} for s in stores
    )
    for opened in stores:
        opened.close()
