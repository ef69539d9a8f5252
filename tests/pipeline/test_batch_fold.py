"""A poll's documents folded as a batch (bot.pipeline.fold.Fold, issue 15): the events end
as folding the documents one at a time leaves them, and each event is told once per batch: one
root for a new event, else one reply naming every change and one edit of its summary."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.pipeline.flow import Pipeline
from bot.reconcile import Report, reconcile_event
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.sources.documents import Document
from bot.store import Store, ledger
from bot.store.schema import changes, events, outbox
from tests.pipeline.test_kept import TEXTS

MAY_24 = date(2025, 5, 24)
NIGHT = TEXTS[:3]  # three outlets on one night
LATER = (
    "The death toll from the overnight attack rose to at least 9, officials said; 120 drones"
    " and 8 missiles had been launched.",
    "At least 11 people were killed in the overnight strike, the regional governor said. Russia"
    " fired 120 drones, 60 of which were shot down.",
)
# No day anywhere: it joins the dated night its figures match, whichever comes first.
UNDATED = (
    "Russia launched 120 drones and 8 missiles at Ukraine, the air force said, and 60 drones"
    " were shot down."
)


def article(n: int, text: str, published: date | None = MAY_24) -> Document:
    return Document(
        id=f"night-{n}", source="wire", text=text, title=text[:30], guid=f"urn:night:{n}",
        published=published, outlet=f"outlet{n % 3}",
    )  # fmt: skip


DATED = [article(n, t) for n, t in enumerate(NIGHT, 1)]
FIRST = [article(0, UNDATED, None), *DATED]
SECOND = [article(n, t) for n, t in enumerate(LATER, 10)]


def clock() -> datetime:
    return datetime(2025, 5, 24, 9, 30, tzinfo=UTC)


def pipeline_on(store: Store) -> Pipeline:
    settings = Settings.from_env({})
    return Pipeline(store, settings, clock, Rulebook.from_settings(settings))


def ledger_of(store: Store) -> dict[str, tuple[tuple[date | None, date | None], list[Report]]]:
    """Every event's days and its reports that count, by event id."""
    with store.reading() as conn:
        days = {row.id: (row.first_date, row.last_date) for row in conn.execute(select(events))}
        return {
            event_id: (days[event_id], ledger.active_reports(conn, [event_id])) for event_id in days
        }


def told(store: Store) -> list[tuple[str, str, str]]:
    with store.reading() as conn:
        rows = conn.execute(select(outbox.c.event_id, outbox.c.role, outbox.c.key))
        return [(row.event_id, row.role, row.key) for row in rows]


# The undated article first, or after a dated one (the batch has then asked for undated
# documents once and found none).
ORDERS = [FIRST, [DATED[0], FIRST[0], *DATED[1:]]]


@pytest.mark.parametrize("first", ORDERS, ids=["undated first", "undated second"])
def test_a_batch_leaves_the_events_as_one_document_at_a_time(
    first: list[Document], database_url: str, tmp_path: Path
) -> None:
    batched, one_by_one = Store.open(database_url), Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        together = pipeline_on(batched)
        together.ingest_batch(first)
        together.ingest_batch(SECOND)
        alone = pipeline_on(one_by_one)
        for doc in [*first, *SECOND]:
            alone.ingest_one(doc)
        after = ledger_of(batched)
        assert after == ledger_of(one_by_one)
        [(event_id, reports)] = [(e, found[1]) for e, found in after.items() if found[1]]
        assert "night-0" in {r.document_id for r in reports}  # the undated article joined
        kept = together.kept.get(event_id)
        assert kept is not None and list(kept.reports) == reports
        assert kept.state == reconcile_event(event_id, reports, together.rulebook.rules)
    finally:
        batched.close()
        one_by_one.close()


def test_each_event_is_told_once_a_batch(store: Store) -> None:
    pipeline = pipeline_on(store)
    first = pipeline.ingest_batch(DATED)
    [event_id] = {update.event.id for item in first for update in item.updates}
    assert [role for _, role, _ in told(store)] == ["root"]

    second = pipeline.ingest_batch(SECOND)
    messages = told(store)[1:]
    assert sorted(role for _, role, _ in messages) == ["edit", "reply"]
    assert all(key.endswith(("night-10@1+1|reply", "night-10@1+1|edit")) for *_, key in messages)
    # The reply names what both documents changed: the toll rose twice, to at least 11.
    [update] = [u for item in second for u in item.updates]
    assert update.event.id == event_id
    kinds = {(c.metric, c.kind) for c, _ in update.changes}
    assert ("attack.killed", "revised") in kinds
    killed = update.after.tally("attack.killed", "ukraine")
    assert killed is not None and killed.interval is not None and killed.interval.low == 11


def test_one_document_at_a_time_tells_each_document(store: Store) -> None:
    pipeline = pipeline_on(store)
    pipeline.ingest_batch(DATED)
    for doc in SECOND:
        pipeline.ingest_one(doc)
    replies = [key for _, role, key in told(store) if role == "reply"]
    assert len(replies) == 2 and "night-10@1" in replies[0] and "night-11@1" in replies[1]


def test_a_batchs_changes_are_recorded_under_its_documents(store: Store) -> None:
    pipeline = pipeline_on(store)
    pipeline.ingest_batch(FIRST)
    pipeline.ingest_batch(SECOND)
    with store.reading() as conn:
        recorded = set(conn.execute(select(changes.c.document_id)).scalars())
    assert recorded and recorded <= {doc.id for doc in [*FIRST, *SECOND]}
