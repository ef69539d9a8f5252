"""Issue 14, cause 1: a figure of an earlier event the text does not date (Figure.earlier,
"In early February, both sides released 157 prisoners each") joins none of the document's
events, but an undated one of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.extract import Figure
from bot.reconcile import Provenance, place_figures

DAY = date(2025, 6, 1)
PROVENANCE = Provenance("doc-1", "Wire", DAY, datetime(2025, 6, 1, 12, tzinfo=UTC))


def _figure(value: int, day: date | None, earlier: bool = False) -> Figure:
    return Figure("swap.released", value, "exact", day, "both", "doc-1", "...", earlier=earlier)


def test_an_earlier_undated_figure_stands_apart_from_the_documents_event() -> None:
    figures = [_figure(200, DAY), _figure(157, None, earlier=True)]
    reports, events = place_figures(figures, PROVENANCE, [])
    assert [(r.value, r.event_id) for r in reports] == [
        (200, "swap-2025-06-01"),
        (157, "swap-doc-1-earlier"),
    ]
    assert {e.id: (e.first_date, e.last_date) for e in events} == {
        "swap-2025-06-01": (DAY, DAY),
        "swap-doc-1-earlier": (None, None),
    }


def test_an_undated_figure_of_this_event_joins_the_documents_day() -> None:
    figures = [_figure(200, DAY), _figure(390, None)]
    reports, _ = place_figures(figures, PROVENANCE, [])
    assert [(r.value, r.event_id) for r in reports] == [
        (200, "swap-2025-06-01"),
        (390, "swap-2025-06-01"),
    ]
