"""The engine's shortcuts give what the plain computations give, to the order of the reports.

Each plain version here is the engine's code as it was before it was made to scale with the
size of an event (issue: folding a document cost time linear in the event's reports).
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reconcile.checks import breaches, breaches_involving
from bot.reconcile.claims import same_claim
from bot.reconcile.engine import reconcile_event
from bot.reconcile.intervals import Interval, describe
from bot.reconcile.reports import Report
from bot.reconcile.tallies import Group, Memo, agreement_groups, outliers
from tests.reconcile.reports import RULES, report
from tests.reconcile.test_properties import METRICS, QUALIFIERS

SWAP = "swap-2025-05-23"


def plain_intersect(a: Interval, b: Interval) -> Interval | None:
    low = max(a.low, b.low)
    highs = [h for h in (a.high, b.high) if h is not None]
    high = min(highs) if highs else None
    if high is not None and high < low:
        return None
    return Interval(low, high)


def plain_agreement_groups(reports: list[Report]) -> list[Group]:
    def order(r: Report) -> tuple[object, ...]:
        i = r.interval
        return (i.low, i.high if i.high is not None else 2**62, r.source, r.evidence)

    def rank(g: Group) -> tuple[object, ...]:
        high = g.interval.high
        width = (high - g.interval.low) if high is not None else 2**62
        return (-len(g.sources), width, -g.interval.low)

    groups: list[Group] = []
    for r in sorted(reports, key=order):
        for n, group in enumerate(groups):
            common = plain_intersect(group.interval, r.interval)
            if common is not None:
                groups[n] = Group(common, (*group.reports, r))
                break
        else:
            groups.append(Group(r.interval, (r,)))
    ranked = sorted(groups, key=rank)
    # one holder's figures of one event: its largest is the whole, first
    tied = [g for g in ranked if len(g.sources) == len(ranked[0].sources)] if ranked else []
    first = tied[0].reports[0] if tied else None
    if len(tied) > 1 and all(
        first is not None
        and same_claim(first, r)
        and (r.event_date is not None or r.evidence == first.evidence)
        for g in tied
        for r in g.reports
    ):
        whole = max(tied, key=lambda g: g.interval.low)
        ranked = [whole, *(g for g in ranked if g is not whole)]
    return ranked


def plain_outliers(reports: list[Report]) -> list[Report]:
    found = []
    for r in reports:
        others = [o.value for o in reports if o.source != r.source]
        backed = [
            o
            for o in reports
            if o.document_id != r.document_id
            and 8 * o.value > r.value
            and o.interval.meets(r.interval)
        ]
        if others and r.value >= 8 * max(max(others), 1) and not backed:
            found.append(r)
    return found


intervals = st.builds(
    lambda low, width: Interval(low, None if width is None else low + width),
    st.integers(0, 50),
    st.none() | st.integers(-3, 30),  # a negative width makes an empty interval
)

# Negative values make empty intervals ("about -5"): the shortcuts must not assume them away.
fires = st.lists(
    st.tuples(st.integers(-20, 400), st.sampled_from(QUALIFIERS), st.sampled_from("ABCD")),
    max_size=16,
)


@given(intervals, intervals)
def test_intersect_and_meets_as_plainly_computed(a: Interval, b: Interval) -> None:
    assert a.intersect(b) == plain_intersect(a, b)
    assert a.meets(b) is (plain_intersect(a, b) is not None)


@settings(max_examples=300, deadline=None)
@given(fires)
def test_agreement_groups_as_plainly_computed(values: list) -> None:
    reports = [
        report("attack.fires", v, s, q, evidence=f"{n}") for n, (v, q, s) in enumerate(values)
    ]
    assert agreement_groups(reports) == plain_agreement_groups(reports)


@settings(max_examples=300, deadline=None)
@given(fires)
def test_outliers_as_plainly_computed(values: list) -> None:
    reports = [report("attack.fires", v * 7, s, q) for v, q, s in values]
    assert outliers(reports) == plain_outliers(reports)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(METRICS), st.sampled_from(["ukraine", "russia", None])),
        intervals,
    ),
    st.tuples(st.sampled_from(METRICS), st.sampled_from(["ukraine", "russia", None])),
)
def test_breaches_involving_a_key_are_those_of_all_breaches_naming_it(
    values: dict, key: tuple
) -> None:
    expected = [b for b in breaches(values, RULES.checks) if key in b.keys]
    assert breaches_involving(values, RULES.checks, key) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(METRICS), st.sampled_from(["ukraine", "russia"])), intervals
    )
)
def test_sum_checks_break_as_plainly_computed(values: dict) -> None:
    expected = []
    for side in sorted({side for _, side in values}):
        for check in RULES.checks.sums:
            keys = [(m, side) for m in check.parts]
            total = values.get((check.total, side))
            if total is None or any(k not in values for k in keys):
                continue
            parts = [values[k] for k in keys]
            highs = [p.high for p in parts]
            added = Interval(
                sum(p.low for p in parts),
                None if None in highs else sum(h for h in highs if h is not None),
            )
            if not added.meets(total):
                arithmetic = " + ".join(describe(p) for p in parts)
                expected.append((check.name, f"{arithmetic} is not {describe(total)}"))
    sums = {check.name for check in RULES.checks.sums}
    found = [(b.check, b.detail) for b in breaches(values, RULES.checks) if b.check in sums]
    assert found == expected


def test_a_memo_recalls_by_the_identity_of_the_reports() -> None:
    first, twin = report("attack.fires", 2, "A"), report("attack.fires", 2, "A")
    made: list[int] = []

    def make() -> int:
        made.append(len(made) + 1)
        return made[-1]

    memo = Memo()
    assert memo.recall("groups", [first], make) == 1
    assert memo.recall("groups", [first], make) == 1
    assert memo.recall("groups", [twin], make) == 2  # equal, but another report
    assert memo.recall("other", [first], make) == 3
    assert memo.recall("groups", [first, twin], make) == 4
    assert memo.keep(("sums", 1), make) == 5
    assert memo.keep(("sums", 1), make) == 5


def test_a_replaced_report_is_what_dataclasses_replace_makes() -> None:
    original = report("swap.released", 390, "A", side="both", phase=23)
    assert original.replaced(side="russia", phase=None) == replace(
        original, side="russia", phase=None
    )
    assert original.per_side == (
        replace(original, side="ukraine"),
        replace(original, side="russia"),
    )
    single = report("attack.killed", 3, "A")
    assert single.per_side == (single,)


def swap_report(metric: str, value: int, source: str, qualifier: str, side: str, phase: int | None):
    return report(metric, value, source, qualifier, side=side, day=phase, event=SWAP, phase=phase)


swap_reports = st.lists(
    st.builds(
        swap_report,
        st.sampled_from(["swap.released", "swap.released", "swap.released_total", "swap.agreed"]),
        st.sampled_from([300, 303, 307, 390, 697, 1000]) | st.integers(0, 1200),
        st.sampled_from("ABC"),
        st.sampled_from(QUALIFIERS),
        st.sampled_from(["both", "both", "ukraine", "russia"]),
        st.none() | st.integers(21, 26),
    ),
    max_size=16,
)


@settings(max_examples=200, deadline=None)
@given(swap_reports, swap_reports, st.randoms(use_true_random=False))
def test_a_shared_memo_gives_the_states_that_fresh_ones_give(
    reports: list, fresh: list, rng
) -> None:
    """As a fold does: before, then after a document took some reports away and added others."""
    kept = [r for r in reports if rng.random() < 0.8]
    memo = Memo()
    before = reconcile_event(SWAP, reports, RULES, memo)
    after = reconcile_event(SWAP, kept + fresh, RULES, memo)
    assert before == reconcile_event(SWAP, reports, RULES)
    assert after == reconcile_event(SWAP, kept + fresh, RULES)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.builds(
            report,
            st.sampled_from(METRICS),
            st.integers(0, 2000),
            st.sampled_from("ABCD"),
            st.sampled_from(QUALIFIERS),
        ),
        max_size=14,
    ),
    st.integers(0, 14),
)
def test_a_shared_memo_gives_the_attack_states_that_fresh_ones_give(
    reports: list, cut: int
) -> None:
    memo = Memo()
    event = "attack-ukraine-2025-05-24"
    before = reconcile_event(event, reports, RULES, memo)
    after = reconcile_event(event, reports[cut:] + reports[:cut], RULES, memo)
    assert before == reconcile_event(event, reports, RULES)
    assert after == reconcile_event(event, reports[cut:] + reports[:cut], RULES)
