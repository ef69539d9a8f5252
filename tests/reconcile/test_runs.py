"""A key's runs (bot.reconcile.runs), grown fold by fold, group and set aside outliers exactly
as the plain functions do over all the key's reports, to the order of every tuple (issue 15)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reconcile.claims import Claim, claims_told, told
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report
from bot.reconcile.runs import Runs
from bot.reconcile.tallies import Group, agreement_groups, outliers, toll_groups
from tests.reconcile.reports import report

QUALIFIERS = ["exact", "exact", "at_least", "more_than", "about", "nearly", "up_to"]

one = st.tuples(
    st.sampled_from([6, 12, 15, 18, 85, 120, 128, 245, 250, 1280, 2000]),
    st.sampled_from(QUALIFIERS),
    st.sampled_from(["A", "B", "C", "D"]),
    st.sampled_from([None, None, "the governor", "the ministry"]),
    st.integers(0, 2),
)


def reports_of(values: list[tuple]) -> list[Report]:
    return [
        replace(
            report("attack.killed", value, source, qualifier),
            claimant=claimant,
            evidence=f"{source} sentence {sentence}",
            document_id=f"doc{n}",
        )
        for n, (value, qualifier, source, claimant, sentence) in enumerate(values)
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(one, max_size=16), st.lists(st.integers(0, 16), max_size=3))
def test_runs_grown_in_steps_are_the_plain_groups(values: list[tuple], cuts: list[int]) -> None:
    reports = reports_of(values)
    runs = Runs.of([])
    done = 0
    for cut in sorted({min(c, len(reports)) for c in cuts} | {len(reports)}):
        runs = runs.grown(reports[done:cut])
        done = cut
    assert runs.reports == tuple(reports)
    assert runs.outliers() == outliers(reports)
    if reports:
        assert runs.agreement_groups() == agreement_groups(reports)
        assert runs.toll_groups() == toll_groups(reports)
        for group in [*runs.agreement_groups(), *runs.toll_groups()]:  # who backs it, known
            plain = Group(group.interval, group.reports)
            assert (group.strength, group.sources, group.kin, group.pairs, group.told) == (
                plain.strength,
                plain.sources,
                plain.kin,
                plain.pairs,
                plain.told,
            )


def test_growing_leaves_the_earlier_runs_as_they_were() -> None:
    first = reports_of([(15, "exact", "A", None, 0), (15, "at_least", "B", None, 0)])
    runs = Runs.of(first)
    grown = runs.grown(reports_of([(15, "exact", "C", None, 1)]))
    assert [len(r) for r in runs.runs.values()] == [1, 1]
    assert sorted(len(r) for r in grown.runs.values()) == [1, 2]


def plain_claims_of(reports: list[Report], interval: Interval) -> list[Claim]:
    """claims.claims_of as it was before it read what reports tell (issue 15)."""
    quoted: dict[str, str] = {}
    for r in sorted(reports, key=lambda r: r.claimant or ""):
        if r.claimant:
            quoted.setdefault(r.source, r.claimant)
    by_holder: dict[str, list[Report]] = {}
    for r in reports:
        by_holder.setdefault(r.claimant or quoted.get(r.source, r.source), []).append(r)
    claims = []
    for name, items in sorted(by_holder.items()):
        narrowed: Interval | None = items[0].interval
        for r in items[1:]:
            narrowed = narrowed.intersect(r.interval) if narrowed else None
        claims.append(Claim(name, narrowed or interval, tuple(sorted({r.source for r in items}))))
    return claims


@settings(max_examples=300, deadline=None)
@given(st.lists(one, max_size=12))
def test_claims_from_what_reports_tell_are_the_claims_of_the_reports(values: list[tuple]) -> None:
    reports = reports_of(values)
    assert claims_told(told(reports), Interval(15, 15)) == plain_claims_of(
        reports, Interval(15, 15)
    )
