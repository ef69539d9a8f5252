"""Reconciling an event document by document (bot.reconcile.chunks) gives the very state the
plain path gives, to the order of every tuple; and folding documents one by one with a memo
carried from fold to fold gives the state of reconciling them all at once (issue 15)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reconcile import engine
from bot.reconcile.engine import reconcile_event
from bot.reconcile.reports import Report
from bot.reconcile.tallies import Memo
from tests.reconcile.reports import RULES, report

EVENT = "attack-ukraine-2025-05-24"
METRICS = [
    "attack.drones_launched",
    "attack.drones_downed",
    "attack.drones_shot_down",
    "attack.drones_jammed",
    "attack.killed",
    "attack.injured",
]
VALUES = [3, 12, 15, 115, 128, 155, 245, 250, 1280]

figure = st.tuples(
    st.sampled_from(METRICS),
    st.sampled_from(VALUES),
    st.sampled_from(["exact", "exact", "at_least", "about", "up_to"]),
    st.sampled_from([None, None, None, "Kyiv", "Odesa region"]),  # a place: a part
    st.integers(0, 2),  # the sentence in its document: one sentence may count several groups
    st.sampled_from([None, None, "the air force"]),
    st.sampled_from(["ukraine", "ukraine", "both"]),
)
document = st.lists(figure, min_size=1, max_size=6)
documents = st.lists(document, min_size=1, max_size=8)


def reports_of(docs: list[list[tuple]]) -> list[Report]:
    """Each document's reports together, as the store keeps them; outlets repeat."""
    found = []
    for n, figures in enumerate(docs):
        outlet = f"outlet{n % 3}"
        for metric, value, qualifier, place, sentence, claimant, side in figures:
            base = report(metric, value, outlet, qualifier, side=side)
            found.append(
                replace(
                    base,
                    document_id=f"doc{n}",
                    evidence=f"Sentence {sentence} of article {n}.",
                    place=place,
                    claimant=claimant,
                )
            )
    return found


SWAP = "swap-2025-05-23"
swap_figure = st.tuples(
    st.sampled_from(["swap.released", "swap.released", "swap.released_total", "swap.agreed"]),
    st.sampled_from([84, 150, 12, 162, 307, 390, 697, 1000]),
    st.sampled_from(["exact", "exact", "about", "at_least"]),
    st.sampled_from([None, 23, 24, 25]),  # the phase's day, where the text gives one
    st.integers(0, 2),
    st.sampled_from(["both", "ukraine", "russia"]),
)
swap_documents = st.lists(st.lists(swap_figure, min_size=1, max_size=6), min_size=1, max_size=8)


def swap_reports_of(docs: list[list[tuple]]) -> list[Report]:
    """Swap reports: phases on days (some without one), "each side", sums of two groups."""
    found = []
    for n, figures in enumerate(docs):
        for metric, value, qualifier, day, sentence, side in figures:
            phase = day if metric == "swap.released" else None
            found.append(
                replace(
                    report(metric, value, f"outlet{n % 3}", qualifier, side=side, day=day,
                           event=SWAP, phase=phase),
                    document_id=f"doc{n}",
                    evidence=f"Sentence {sentence} of article {n}.",
                )
            )  # fmt: skip
    return found


def plain(
    reports: list[Report], monkeypatch: pytest.MonkeyPatch, event: str = EVENT
) -> engine.EventState:
    with monkeypatch.context() as patched:
        patched.setattr(engine, "spread_by_document", lambda *args: None)
        return reconcile_event(event, reports, RULES)


@settings(max_examples=300, deadline=None)
@given(swap_documents)
def test_a_swap_document_by_document_is_the_plain_path(docs: list[list[tuple]]) -> None:
    reports = swap_reports_of(docs)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert reconcile_event(SWAP, reports, RULES) == plain(reports, monkeypatch, SWAP)


@settings(max_examples=150, deadline=None)
@given(swap_documents)
def test_a_swap_folded_one_document_at_a_time_is_reconciled_all_at_once(
    docs: list[list[tuple]],
) -> None:
    reports = swap_reports_of(docs)
    memo: Memo | None = None
    state = None
    for n in range(1, len(docs) + 1):
        memo = Memo(memo)
        state = reconcile_event(
            SWAP, [r for r in reports if int(r.document_id[3:]) < n], RULES, memo
        )
        memo.forget()
    assert state == reconcile_event(SWAP, reports, RULES)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_document_by_document_is_the_plain_path(docs: list[list[tuple]]) -> None:
    reports = reports_of(docs)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert reconcile_event(EVENT, reports, RULES) == plain(reports, monkeypatch)


@settings(max_examples=150, deadline=None)
@given(documents)
def test_folding_one_document_at_a_time_is_reconciling_all_at_once(
    docs: list[list[tuple]],
) -> None:
    reports = reports_of(docs)
    memo: Memo | None = None
    state = None
    for n in range(1, len(docs) + 1):
        so_far = [r for r in reports if int(r.document_id[3:]) < n]
        memo = Memo(memo)
        state = reconcile_event(EVENT, so_far, RULES, memo)
        memo.forget()
    assert state == reconcile_event(EVENT, reports, RULES)


def test_a_document_whose_reports_are_apart_takes_the_plain_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one = report("attack.drones_launched", 250, "A")
    other = report("attack.drones_launched", 245, "B")
    later = replace(one, value=128, metric="attack.drones_shot_down")
    assert engine.spread_by_document([one, other, later], None, Memo()) is None
    assert reconcile_event(EVENT, [one, other, later], RULES) == plain(
        [one, other, later], monkeypatch
    )
