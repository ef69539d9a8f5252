"""Folding from kept states (bot.pipeline.kept, issue 15): a document is folded into the state
its event was left in, not into a state rebuilt from every report; the changes and the tallies
are those of reconciling every report again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from bot.pipeline.flow import Ingested, Pipeline
from bot.pipeline.kept import KeptEvents
from bot.reconcile import reconcile_event
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.sources.documents import Document
from bot.store import Store, ledger

MAY_24 = date(2025, 5, 24)
TEXTS = (
    "Russia launched 120 drones and 8 missiles at Ukraine overnight, the air force said. Air"
    " defences shot down 60 of the drones. At least 3 people were killed.",
    "Russian forces fired 122 drones and eight missiles overnight; 61 drones were downed, the"
    " air force said. The toll rose to at least 5 dead.",
    "Ukraine's air force said 120 drones were launched overnight and 60 were shot down. At"
    " least 4 people were killed and 12 injured.",
    "Overnight Russia sent 1,200 drones at Ukraine, one outlet wrote; 60 were shot down and at"
    " least 6 people were killed.",
)


def article(n: int, text: str, outlet: str) -> Document:
    return Document(
        id=f"night-{n}", source="wire", text=text, title=text[:30], guid=f"urn:night:{n}",
        published=MAY_24, outlet=outlet,
    )  # fmt: skip


ARTICLES = [article(n, text, f"outlet{n % 3}") for n, text in enumerate(TEXTS)]
CORRECTED = article(1, TEXTS[1].replace("at least 5", "at least 7"), "outlet1")


def fold_all(pipeline: Pipeline, documents: list[Document]) -> list[Ingested]:
    return [pipeline.ingest_one(doc) for doc in documents]


def changes(ingested: list[Ingested]) -> list[object]:
    return [(u.event.id, u.before, u.after, u.changes) for i in ingested for u in i.updates]


def clock() -> datetime:
    return datetime(2025, 5, 24, 9, 30, tzinfo=UTC)  # one moment: both runs' reports are equal


def pipeline_on(store: Store, limit: int) -> Pipeline:
    settings = Settings.from_env({})
    pipeline = Pipeline(store, settings, clock, Rulebook.from_settings(settings))
    pipeline.kept = KeptEvents(pipeline.rulebook.rules, limit)
    return pipeline


def test_kept_states_fold_as_reconciling_every_report_again(
    database_url: str, tmp_path: Path
) -> None:
    documents = [*ARTICLES, CORRECTED]
    kept_store = Store.open(database_url)
    fresh_store = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        kept = pipeline_on(kept_store, 256)
        fresh = pipeline_on(fresh_store, 0)  # keeps nothing: every fold reads every report
        folded = fold_all(kept, documents)
        assert changes(folded) == changes(fold_all(fresh, documents))
        assert len(kept.kept._kept) > 0 and len(fresh.kept._kept) == 0
        with kept_store.transaction() as conn:
            for event_id in {u.event.id for i in folded for u in i.updates}:
                known = kept.kept.get(event_id)
                assert known is not None
                everything = ledger.active_reports(conn, [event_id])
                assert list(known.reports) == everything
                assert known.state == reconcile_event(event_id, everything, kept.rulebook.rules)
    finally:
        kept_store.close()
        fresh_store.close()


def test_an_event_another_worker_moved_is_read_again(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        one, other = pipeline_on(store, 256), pipeline_on(store, 256)
        one.ingest_one(ARTICLES[0])
        other.ingest_one(ARTICLES[1])  # `one` does not know this report
        [update] = one.ingest_one(ARTICLES[2]).updates
        with store.transaction() as conn:
            reports = ledger.active_reports(conn, [update.event.id])
        before = [r for r in reports if r.document_id != ARTICLES[2].id]
        assert {r.document_id for r in before} == {ARTICLES[0].id, ARTICLES[1].id}
        assert update.before == reconcile_event(update.event.id, before, one.rulebook.rules)
    finally:
        store.close()


def test_a_fold_is_kept_only_once_committed() -> None:
    settings = Settings.from_env({})
    kept = KeptEvents(Rulebook.from_settings(settings).rules, limit=2)
    staged = kept.stage()
    staged.known["e1"] = staged.known["e2"] = staged.known["e3"] = None  # type: ignore[assignment]
    assert kept.get("e1") is None  # staged, not committed: a rolled-back fold leaves nothing
    kept.commit(staged)
    assert (kept.get("e1"), "e2" in kept._kept, "e3" in kept._kept) == (None, True, True)
