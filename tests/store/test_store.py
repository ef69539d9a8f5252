"""The store's contract, on SQLite always and on PostgreSQL when a test database is given."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.commands import views as queries
from bot.pipeline.flow import Pipeline
from bot.reconcile.engine import EventState, Rules, reconcile_event
from bot.reconcile.events import Event
from bot.reconcile.reports import Report
from bot.reconcile.rulebook import Rulebook
from bot.resources import shipped_dir
from bot.settings import Settings
from bot.sources.documents import Document
from bot.sources.seeds import seed_documents
from bot.store import PollRecord, Store, ledger


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


# --- Event revisions, and the states answers keep (bot.queries.EventStates) ---------------

SETTINGS = Settings.from_env({})
RULEBOOK = Rulebook.from_settings(SETTINGS)
MAY_24, JUNE_1, JUNE_3 = date(2025, 5, 24), date(2025, 6, 1), date(2025, 6, 3)
# A corrected article that moves its figure to another night (issue 8, benchmark 6): the
# night it left keeps no report, so it is no longer an event answers show.
ODESA_V1 = "Russia struck Odesa overnight. At least 12 people were killed, the governor said."
ODESA_V2 = "At least 14 people were killed in a Russian strike on Odesa on June 1, officials said."


def killed(event_id: str, value: int, document_id: str, day: date, now: datetime) -> Report:
    return Report(
        metric="attack.killed", value=value, qualifier="at_least", side="ukraine",
        event_date=day, document_id=document_id, source="AP", reported_at=now,
        evidence=f"At least {value} people were killed.", event_id=event_id,
    )  # fmt: skip


def test_migrations_add_event_revisions_and_a_publication_day_index(store: Store) -> None:
    columns = {c["name"]: c for c in inspect(store.engine).get_columns("events")}
    indexes = {i["name"]: i["column_names"] for i in inspect(store.engine).get_indexes("documents")}
    assert columns["revision"]["nullable"] is False
    assert indexes["ix_documents_published"] == ["published"]


def test_an_events_revision_moves_when_its_reports_or_days_change(
    store: Store, now: datetime
) -> None:
    first = Event("attack-ukraine-2025-05-24", "attack", "ukraine", MAY_24, MAY_24)
    other = Event("attack-ukraine-2025-06-01", "attack", "ukraine", JUNE_1, JUNE_1)
    calm = Event("attack-russia-2025-05-24", "attack", "russia", MAY_24, MAY_24)
    marks = []
    with store.transaction() as conn:
        marks.append(ledger.ledger_mark(conn))
        ledger.save_events(conn, [first, other, calm], now)
        assert ledger.revisions(conn) == {first.id: 0, other.id: 0, calm.id: 0}
        marks.append(ledger.ledger_mark(conn))
        ledger.replace_document_reports(conn, "d1", 1, [killed(first.id, 12, "d1", MAY_24, now)])
        assert ledger.revisions(conn) == {first.id: 1, other.id: 0, calm.id: 0}
        marks.append(ledger.ledger_mark(conn))
        # Version 2 of d1 moves its figure: both events' reports change.
        ledger.replace_document_reports(conn, "d1", 2, [killed(other.id, 14, "d1", JUNE_1, now)])
        assert ledger.revisions(conn) == {first.id: 2, other.id: 1, calm.id: 0}
        marks.append(ledger.ledger_mark(conn))
        ledger.save_events(conn, [other.widened(JUNE_3)], now)
        assert ledger.revisions(conn) == {first.id: 2, other.id: 2, calm.id: 0}
        marks.append(ledger.ledger_mark(conn))
    assert marks == [(0, 0), (3, 0), (3, 1), (3, 3), (3, 4)]


def replayed_seeds(store: Store, now: datetime) -> Pipeline:
    pipeline = Pipeline(store, SETTINGS, lambda: now, RULEBOOK)
    pipeline.ingest(seed_documents(shipped_dir("seeds")))
    return pipeline


def odesa(text: str) -> Document:
    return Document(
        id="d-odesa", source="wire", text=text, title=text[:30], guid="urn:odesa",
        published=JUNE_3,
    )  # fmt: skip


def test_kept_states_are_the_stores_as_it_changes(
    store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    reconciled: list[str] = []

    def counted(event_id: str, reports: Iterable[Report], rules: Rules) -> EventState:
        reconciled.append(event_id)
        return reconcile_event(event_id, reports, rules)

    monkeypatch.setattr(queries, "reconcile_event", counted)
    pipeline = replayed_seeds(store, now)
    states = queries.EventStates(warm=False)  # nothing reconciled but what is read
    seeded = states.views(store, RULEBOOK)
    assert len(seeded) == 7 and reconciled == []  # a state is reconciled when it is read
    assert seeded[-1].state.tallies and reconciled == [seeded[-1].event.id]
    reconciled.clear()
    assert [v.state for v in seeded] and len(reconciled) == 6  # the others, once each
    assert [v.state for v in seeded] and len(reconciled) == 6
    assert seeded == queries.event_views(store, RULEBOOK)

    reconciled.clear()
    assert states.views(store, RULEBOOK) == seeded and reconciled == []  # nothing changed

    pipeline.ingest_one(odesa(ODESA_V1))
    reconciled.clear()
    with_odesa = states.views(store, RULEBOOK)
    assert [v.state for v in with_odesa] and reconciled == ["attack-ukraine-2025-06-03"]
    assert with_odesa == queries.event_views(store, RULEBOOK)
    assert len(with_odesa) == 8

    pipeline.ingest_one(odesa(ODESA_V2))
    reconciled.clear()
    corrected = states.views(store, RULEBOOK)
    # June 3 has no report left: it is not a view, and nothing reads it.
    assert [v.state for v in corrected] and reconciled == ["attack-ukraine-2025-06-01"]
    assert corrected == queries.event_views(store, RULEBOOK)
    assert [v.event.id for v in corrected][-1] == "attack-ukraine-2025-06-01"
    assert "attack-ukraine-2025-06-03" not in {v.event.id for v in corrected}


def test_event_views_from_kept_states_of_a_topic_or_a_day(store: Store, now: datetime) -> None:
    replayed_seeds(store, now)
    states = queries.EventStates()
    for topic, day in [("swap", None), ("attack", None), (None, MAY_24), ("attack", MAY_24)]:
        kept = queries.event_views(store, RULEBOOK, topic, day, states=states)
        assert kept == queries.event_views(store, RULEBOOK, topic, day)
        assert kept  # each holds events


def test_kept_states_not_read_yet_are_reconciled_in_the_background(
    store: Store, now: datetime
) -> None:
    replayed_seeds(store, now)
    states = queries.EventStates()
    states.WARM_AT_LEAST = 2  # the seeds' seven events count as many
    views = states.views(store, RULEBOOK)
    assert states.warmed(timeout=10)
    assert all(v.reconciled for v in views)
    assert views == queries.event_views(store, RULEBOOK)


def test_event_views_since_a_day_read_only_the_events_lasting_until_then(
    store: Store, now: datetime
) -> None:
    replayed_seeds(store, now)
    every = queries.event_views(store, RULEBOOK)
    days = sorted({v.event.last_date for v in every if v.event.last_date})
    for since in [days[0], MAY_24, days[-1], days[-1] + timedelta(days=1)]:
        expected = [v for v in every if v.event.last_date and v.event.last_date >= since]
        assert queries.event_views(store, RULEBOOK, since=since) == expected
        states = queries.EventStates()
        assert queries.event_views(store, RULEBOOK, since=since, states=states) == expected
    assert queries.event_views(store, RULEBOOK, since=days[-1] + timedelta(days=1)) == []


def test_kept_states_start_afresh_for_another_store(
    store: Store, now: datetime, tmp_path: Path
) -> None:
    replayed_seeds(store, now)
    states = queries.EventStates()
    assert len(states.views(store, RULEBOOK)) == 7
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    Pipeline(other, SETTINGS, lambda: now, RULEBOOK).ingest_one(odesa(ODESA_V1))
    assert [v.event.id for v in states.views(other, RULEBOOK)] == ["attack-ukraine-2025-06-03"]
    other.close()


def test_migrations_add_a_nullable_claimant_and_place_to_figures(store: Store) -> None:
    columns = {c["name"]: c for c in inspect(store.engine).get_columns("figures")}
    assert (columns["claimant"]["nullable"], columns["place"]["nullable"]) == (True, True)


def test_a_reports_claimant_and_place_are_kept_and_read_back(store: Store, now: datetime) -> None:
    # Issue 14: one article quotes two claimants, and gives one region's part of the night.
    night = Event("attack-russia-2025-05-24", "attack", "russia", MAY_24, MAY_24)
    said = Report(
        metric="attack.drones_downed", value=105, qualifier="exact", side="russia",
        event_date=MAY_24, document_id="d1", source="AP", reported_at=now,
        evidence="Russia's defence ministry said it downed 105 drones.", event_id=night.id,
    )  # fmt: skip
    reports = [
        said.replaced(claimant="Russian defence ministry"),
        said.replaced(value=35, claimant="Moscow mayor", place="Moscow region"),
        said.replaced(value=110),
    ]
    with store.transaction() as conn:
        ledger.save_events(conn, [night], now)
        ledger.replace_document_reports(conn, "d1", 1, reports)
        read = ledger.active_reports(conn, [night.id])
        again = ledger.document_reports(conn, "d1")
    assert [(r.value, r.claimant, r.place) for r in read] == [
        (105, "Russian defence ministry", None),
        (35, "Moscow mayor", "Moscow region"),
        (110, None, None),
    ]
    assert read == reports == again
