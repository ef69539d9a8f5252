"""A document with no day at all joins the dated event its figures match (issue 14, cause 6),
whichever comes first; one whose figures contradict it keeps an event of its own."""

from __future__ import annotations

from datetime import date
from itertools import permutations

import pytest

from bot.pipeline.flow import Pipeline
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.sources.documents import Document
from bot.store import Store, ledger
from tests.conftest import utc_clock

MAY_24 = date(2025, 5, 24)
DATED = Document(
    id="dated", source="wire", title="Overnight attack", guid="urn:dated", published=MAY_24,
    text="Russia launched 120 drones at Ukraine overnight, and air defences shot down 60 of"
    " them, while 8 missiles were fired.",
)  # fmt: skip
# No dateline, no day in the text: the same night told again, in other words.
MATCHING = Document(
    id="undated-match", source="blog", title="Drones", guid="urn:u1", published=None,
    text="Russia launched 120 drones at Ukraine, and 60 of them were shot down.",
)  # fmt: skip
# Two figures, one of which contradicts the dated night: not that night.
OTHER = Document(
    id="undated-other", source="blog", title="Drones", guid="urn:u2", published=None,
    text="Russia launched 300 drones at Ukraine, and air defences shot down 60 of them.",
)  # fmt: skip


def where(documents: tuple[Document, ...], database_url: str) -> dict[str, list[str]]:
    """Each document's events once all are folded, in this order."""
    settings = Settings.from_env({})
    store = Store.open(database_url)
    try:
        pipeline = Pipeline(store, settings, utc_clock, Rulebook.from_settings(settings))
        pipeline.ingest(documents)
        with store.transaction() as conn:
            return {
                doc.id: sorted({r.event_id for r in ledger.document_reports(conn, doc.id)})
                for doc in documents
            }
    finally:
        store.close()


@pytest.mark.parametrize("order", list(permutations([DATED, MATCHING, OTHER])))
def test_an_undated_document_joins_the_event_it_matches_in_any_order(
    order: tuple[Document, ...], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('undated') / 'store.db'}"
    assert where(order, url) == {
        "dated": ["attack-ukraine-2025-05-24"],
        "undated-match": ["attack-ukraine-2025-05-24"],
        "undated-other": ["attack-ukraine-undated-other"],
    }


def test_the_joined_event_counts_the_undated_document(database_url: str) -> None:
    settings = Settings.from_env({})
    store = Store.open(database_url)
    pipeline = Pipeline(store, settings, utc_clock, Rulebook.from_settings(settings))
    pipeline.ingest([MATCHING, DATED])
    with store.transaction() as conn:
        reports = ledger.active_reports(conn, ["attack-ukraine-2025-05-24"])
        assert ledger.active_reports(conn, ["attack-ukraine-undated-match"]) == []
    store.close()
    assert sorted({(r.metric, r.value, r.document_id) for r in reports}) == [
        ("attack.drones_downed", 60, "dated"),
        ("attack.drones_downed", 60, "undated-match"),
        ("attack.drones_launched", 120, "dated"),
        ("attack.drones_launched", 120, "undated-match"),
        ("attack.missiles_launched", 8, "dated"),
    ]
