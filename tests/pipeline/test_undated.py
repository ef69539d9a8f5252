"""A document with no day at all joins the dated event its figures match (issue 14, cause 6),
whichever comes first; one whose figures contradict it keeps an event of its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from itertools import permutations

import pytest

from bot.pipeline.flow import Pipeline
from bot.reconcile.events import Event
from bot.reconcile.reports import Report
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


def test_moving_an_undated_documents_attack_figures_keeps_its_swap_figures(
    database_url: str,
) -> None:
    swap = " Russia and Ukraine also exchanged 84 prisoners each, officials said."
    both = replace(MATCHING, text=MATCHING.text + swap)
    assert where((both, DATED), database_url) == {
        "undated-match": ["attack-ukraine-2025-05-24", "swap-undated-match"],
        "dated": ["attack-ukraine-2025-05-24"],
    }


def test_a_report_placed_apart_stays_where_it_was_placed(database_url: str, now: datetime) -> None:
    # An undated document's figure of an earlier event the text names (placed in an event of
    # its own, apart from the document's home) is no figure of tonight's, however it matches.
    settings = Settings.from_env({})
    store = Store.open(database_url)
    pipeline = Pipeline(store, settings, utc_clock, Rulebook.from_settings(settings))
    apart = Event("attack-ukraine-undated-apart-earlier", "attack", "ukraine", None, None)
    figures = [
        Report(
            metric=metric, value=value, qualifier="exact", side="ukraine", event_date=None,
            document_id="undated-apart", source="blog", reported_at=now,
            evidence=f"{value} ({metric})", event_id=apart.id,
        )
        for metric, value in (("attack.drones_launched", 120), ("attack.drones_downed", 60))
    ]  # fmt: skip
    store.add_document(replace(MATCHING, id="undated-apart", guid="urn:u3", text="x"), now)
    with store.transaction() as conn:
        ledger.save_events(conn, [apart], now)
        ledger.replace_document_reports(conn, "undated-apart", 1, figures)
    pipeline.ingest([DATED])
    with store.transaction() as conn:
        assert ledger.document_reports(conn, "undated-apart") == figures
    store.close()
