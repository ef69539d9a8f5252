"""Reconciling by claimant (issue 14, cause 4): disputes are between claims, not outlets.

The sentences are written for these tests, in the style of wire copy and ministry statements.
Each row of a table gives the reports of one key and the status and claims the tally must show.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reconcile.claims import Claim, holder, rivals, same_claim
from bot.reconcile.engine import reconcile_event
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report
from tests.reconcile.reports import RULES, report

SWAP = "swap-2025-05-23"
KYIV = "attack-ukraine-2025-05-24"
MINISTRY, ZELENSKY, GOVERNOR = "Russian defence ministry", "Zelensky", "regional governor"


def said(
    metric: str,
    value: int,
    outlet: str,
    claimant: str | None,
    qualifier: str = "exact",
    *,
    side: str | None = "ukraine",
    event: str = KYIV,
    phase: int | None = None,
    document: str | None = None,
) -> Report:
    """A report of `outlet` putting `value` in the mouth of `claimant` (None: its own)."""
    base = report(metric, value, outlet, qualifier, side=side, event=event, phase=phase)
    return replace(
        base,
        claimant=claimant,
        document_id=document or base.document_id,
        evidence=f"{claimant or outlet} said {value} ({metric})",
    )


def swap(value: int, outlet: str, claimant: str | None, **kw: object) -> Report:
    return said("swap.released", value, outlet, claimant, event=SWAP, phase=23, **kw)  # type: ignore[arg-type]


CASES = [
    pytest.param(
        # "Russia's defence ministry said 180 Ukrainians were returned; Zelensky said 193 came
        # home." One article, two claimants: a dispute, both kept.
        [swap(180, "AP", MINISTRY), swap(193, "AP", ZELENSKY)],
        "conflict",
        [(180, MINISTRY), (193, ZELENSKY)],
        id="two claimants in one article",
    ),
    pytest.param(
        # Across articles, each outlet quoting another claimant.
        [swap(180, "AP", MINISTRY), swap(193, "Reuters", ZELENSKY)],
        "conflict",
        [(180, MINISTRY), (193, ZELENSKY)],
        id="two claimants in two articles",
    ),
    pytest.param(
        # Three outlets repeat Zelensky's figure: one claim, not three; the ministry's is another.
        [
            swap(193, "AP", ZELENSKY),
            swap(193, "Reuters", ZELENSKY),
            swap(193, "AFP", ZELENSKY),
            swap(180, "TASS", MINISTRY),
        ],
        "conflict",
        [(180, MINISTRY), (193, ZELENSKY)],
        id="outlets repeating one claimant are one claim",
    ),
    pytest.param(
        # "Zelensky said 193 came home ... 41 of them border guards": one claimant's smaller
        # figure in one article is a part of its whole, not a dispute with itself.
        [swap(193, "AP", ZELENSKY), swap(41, "AP", ZELENSKY)],
        "single",
        [],
        id="one claimant never disputes itself",
    ),
    pytest.param(
        # An outlet's own figure next to a figure it quotes: no dispute inside one article.
        [swap(193, "AP", None), swap(180, "AP", MINISTRY)],
        "single",
        [],
        id="an outlet's own figure and a quoted one",
    ),
    pytest.param(
        # One claimant reported by two outlets with two figures: still one claimant.
        [swap(193, "AP", ZELENSKY), swap(190, "Reuters", ZELENSKY)],
        "single",
        [],
        id="one claimant misquoted by an outlet",
    ),
    pytest.param(
        # Two outlets on their own, as before claimants: they disagree.
        [swap(193, "AP", None), swap(180, "Reuters", None)],
        "conflict",
        [(180, "Reuters"), (193, "AP")],
        id="two outlets on their own",
    ),
    pytest.param(
        # Claimants that agree in two articles are agreement, two claims strong.
        [swap(193, "AP", ZELENSKY), swap(193, "Reuters", "Ukraine's coordination headquarters")],
        "agreed",
        [],
        id="two claimants agreeing",
    ),
    pytest.param(
        # One article quoting two people who agree is still one source.
        [swap(193, "AP", ZELENSKY), swap(193, "AP", "Ukraine's coordination headquarters")],
        "single",
        [],
        id="two claimants agreeing in one article",
    ),
]


@pytest.mark.parametrize(("reports", "status", "claims"), CASES)
def test_a_tally_disputes_between_claims(
    reports: list[Report], status: str, claims: list[tuple[int, str]]
) -> None:
    state = reconcile_event(SWAP, reports, RULES)
    tally = state.tally("swap.released", "ukraine", reports[0].phase)
    assert tally is not None
    assert tally.status == status
    assert [(c.interval.low, c.claimant) for c in tally.claims] == claims


def test_a_claim_carries_its_interval_and_every_outlet_that_repeats_it() -> None:
    reports = [
        swap(193, "AP", ZELENSKY),
        swap(190, "Reuters", ZELENSKY, qualifier="more_than"),
        swap(180, "TASS", MINISTRY),
    ]
    tally = reconcile_event(SWAP, reports, RULES).tally(
        "swap.released", "ukraine", reports[0].phase
    )
    assert tally is not None
    assert tally.claims == (
        Claim(MINISTRY, Interval(180, 180), ("TASS",)),
        Claim(ZELENSKY, Interval(193, 193), ("AP", "Reuters")),
    )


def test_two_claimants_tolls_that_do_not_meet_are_a_dispute() -> None:
    # "At least 18 people were killed, the governor said"; the attacker's ministry claimed its
    # strike killed 85. A toll, but two claimants' counts, not one count rising.
    reports = [
        said("attack.killed", 14, "AP", None),
        said("attack.killed", 18, "AP", GOVERNOR),
        said("attack.killed", 85, "TASS", MINISTRY),
    ]
    tally = reconcile_event(KYIV, reports, RULES).tally("attack.killed", "ukraine")
    assert tally is not None
    # One article each: equally backed, the larger is kept (as for any groups), both shown.
    assert (tally.status, tally.interval) == ("conflict", Interval(85, 85))
    # AP's own earlier 14 goes with the governor it quotes: one claim, at its latest count.
    assert tally.claims == (
        Claim(GOVERNOR, Interval(18, 18), ("AP",)),
        Claim(MINISTRY, Interval(85, 85), ("TASS",)),
    )


def test_a_toll_one_claimant_gives_still_rises_without_a_dispute() -> None:
    reports = [
        said("attack.killed", 12, "AP", GOVERNOR),
        said("attack.killed", 14, "Reuters", None),
        said("attack.killed", 18, "AFP", GOVERNOR),
    ]
    tally = reconcile_event(KYIV, reports, RULES).tally("attack.killed", "ukraine")
    assert tally is not None
    assert (tally.status, tally.interval, tally.claims) == ("agreed", Interval(18, 18), ())


def test_an_attackers_claim_is_never_set_against_the_attacked_sides_figure() -> None:
    # "Russia's defence ministry said air defences downed 42 Ukrainian drones" (an attack on
    # Russia) and "Ukraine's air force said 88 of 100 drones were shot down" (on Ukraine).
    reports = [
        said("attack.drones_downed", 42, "TASS", MINISTRY, side="russia"),
        said("attack.drones_downed", 88, "AP", "Ukrainian air force"),
    ]
    state = reconcile_event(KYIV, reports, RULES)
    assert [(t.side, t.status, t.claims) for t in state.tallies] == [
        ("russia", "single", ()),
        ("ukraine", "single", ()),
    ]


def test_the_best_backed_claim_is_kept_counting_claims_not_outlets() -> None:
    # Three outlets repeat the ministry's 180; two claimants say 193. Two claims beat one.
    reports = [
        swap(180, "TASS", MINISTRY),
        swap(180, "RIA", MINISTRY),
        swap(180, "Izvestia", MINISTRY),
        swap(193, "AP", ZELENSKY),
        swap(193, "Reuters", "Ukraine's coordination headquarters"),
    ]
    tally = reconcile_event(SWAP, reports, RULES).tally(
        "swap.released", "ukraine", reports[0].phase
    )
    assert tally is not None
    assert (tally.interval, tally.status) == (Interval(193, 193), "conflict")


NAMES = st.sampled_from([None, MINISTRY, ZELENSKY, "AP", "B"])
reports_by_claimants = st.lists(
    st.builds(
        lambda value, outlet, claimant: said("swap.released", value, outlet, claimant),
        st.integers(0, 30),
        st.sampled_from(["AP", "B", "C"]),
        NAMES,
    ),
    max_size=10,
)


@settings(max_examples=300, deadline=None)
@given(reports_by_claimants, reports_by_claimants)
def test_rivals_are_the_reports_no_backer_shares_a_claim_with(
    reports: list[Report], backers: list[Report]
) -> None:
    plain = [r for r in reports if not any(same_claim(r, b) for b in backers)]
    assert rivals(reports, backers) == plain


@settings(max_examples=200, deadline=None)
@given(reports_by_claimants, reports_by_claimants)
def test_same_claim_is_symmetric_and_one_holder_is_one_claim(
    one: list[Report], other: list[Report]
) -> None:
    for a, b in zip(one, other, strict=False):
        assert same_claim(a, b) == same_claim(b, a)
        if holder(a) == holder(b):
            assert same_claim(a, b)
