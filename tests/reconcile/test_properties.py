"""Property tests: reconciliation depends on the set of reports, never on their order."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reconcile.engine import reconcile_event
from bot.reconcile.intervals import interval_of
from bot.reconcile.tallies import agreement_groups
from tests.reconcile.reports import RULES, report

METRICS = [
    "attack.drones_launched",
    "attack.drones_downed",
    "attack.drones_shot_down",
    "attack.drones_jammed",
    "attack.missiles_launched",
    "attack.launched",
    "attack.killed",
    "attack.injured",
]
QUALIFIERS = ["exact", "at_least", "more_than", "about", "nearly", "up_to"]

reports_strategy = st.lists(
    st.builds(
        lambda metric, value, source, qualifier: report(metric, value, source, qualifier),
        st.sampled_from(METRICS),
        st.integers(min_value=0, max_value=2000),
        st.sampled_from(["A", "B", "C", "D"]),
        st.sampled_from(QUALIFIERS),
    ),
    max_size=14,
)


def snapshot(reports: list) -> tuple:
    state = reconcile_event("attack-ukraine-2025-05-24", reports, RULES)
    return (
        tuple(
            (t.key, t.interval, t.status, frozenset(t.backing), frozenset(t.suspect))
            for t in state.tallies
        ),
        frozenset((b.check, b.keys) for b in state.breaches),
    )


@settings(max_examples=150, deadline=None)
@given(reports_strategy, st.randoms(use_true_random=False))
def test_any_order_of_the_same_reports_gives_the_same_tallies(reports: list, rng) -> None:
    shuffled = list(reports)
    rng.shuffle(shuffled)
    assert snapshot(shuffled) == snapshot(reports)


@settings(max_examples=150, deadline=None)
@given(reports_strategy)
def test_every_report_is_accounted_for(reports: list) -> None:
    state = reconcile_event("attack-ukraine-2025-05-24", reports, RULES)
    kept = [r for t in state.tallies for r in (*t.backing, *t.disputed, *t.suspect)]
    for r in reports:
        assert r in kept or any(r.source == k.source and r.metric == k.metric for k in kept)


@settings(max_examples=200, deadline=None)
@given(reports_strategy)
def test_a_tally_lies_within_every_report_that_backs_it(reports: list) -> None:
    state = reconcile_event("attack-ukraine-2025-05-24", reports, RULES)
    for tally in state.tallies:
        if tally.interval is None or tally.metric in RULES.tolls:
            continue
        for backing in tally.backing:
            assert backing.interval.intersect(tally.interval) == tally.interval


@given(st.lists(st.tuples(st.integers(0, 500), st.sampled_from(QUALIFIERS)), max_size=10))
def test_groups_agree_within_and_partition_the_reports(values: list) -> None:
    reports = [report("attack.fires", v, f"S{n}", q) for n, (v, q) in enumerate(values)]
    groups = agreement_groups(reports)
    assert sorted(id(r) for g in groups for r in g.reports) == sorted(id(r) for r in reports)
    for group in groups:
        for r in group.reports:
            assert interval_of(r.value, r.qualifier).intersect(group.interval) == group.interval


# Issue 14: claimants and places take part in reconciling; the order of reports still does not.
claimed_reports = st.lists(
    st.builds(
        lambda metric, value, source, qualifier, claimant, place, doc: replace(
            report(metric, value, source, qualifier),
            claimant=claimant,
            place=place,
            document_id=f"doc-{source}-{doc}",
        ),
        st.sampled_from(METRICS),
        st.integers(min_value=0, max_value=2000),
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from(QUALIFIERS),
        st.sampled_from([None, None, "defence ministry", "air force", "governor"]),
        st.sampled_from([None, None, None, "Kharkiv region"]),
        st.integers(0, 1),
    ),
    max_size=14,
)


def claimed_snapshot(reports: list) -> tuple:
    state = reconcile_event("attack-ukraine-2025-05-24", reports, RULES)
    tallies = tuple(
        (t.key, t.interval, t.status, frozenset(t.backing), frozenset(t.disputed), t.claims)
        for t in state.tallies
    )
    return tallies, frozenset((b.check, b.keys) for b in state.breaches), state.parts


@settings(max_examples=200, deadline=None)
@given(claimed_reports, st.randoms(use_true_random=False))
def test_claimants_and_places_leave_the_tallies_independent_of_order(reports: list, rng) -> None:
    shuffled = list(reports)
    rng.shuffle(shuffled)
    assert claimed_snapshot(shuffled) == claimed_snapshot(reports)


@settings(max_examples=200, deadline=None)
@given(claimed_reports)
def test_a_places_report_counts_only_where_no_whole_is_known(reports: list) -> None:
    state = reconcile_event("attack-ukraine-2025-05-24", reports, RULES)
    wholes = {(r.metric, r.side) for r in reports if r.place is None}
    for tally in state.tallies:
        for r in (*tally.backing, *tally.disputed, *tally.suspect):
            assert r.place is None or (r.metric, r.side) not in wholes
    assert sorted(map(id, state.parts)) == sorted(id(r) for r in reports if r.place)
