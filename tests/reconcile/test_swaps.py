"""A swap in phases: phases per day, each side, the running total, and the deal completing."""

from __future__ import annotations

from bot.reconcile.changes import diff
from bot.reconcile.engine import reconcile_event
from bot.reconcile.intervals import Interval
from tests.reconcile.reports import RULES, report

SWAP = "swap-2025-05-23"


def swap(
    metric: str,
    value: int,
    source: str,
    qualifier: str = "exact",
    *,
    side: str | None = "both",
    day: int | None = None,
    phase: int | None = None,
):
    return report(
        metric, value, source, qualifier, side=side, day=day or phase, event=SWAP, phase=phase
    )


PHASES = [
    swap("swap.agreed", 1000, "A"),
    swap("swap.released", 390, "A", phase=23),
    swap("swap.released", 390, "C", side="ukraine", phase=23),
    swap("swap.released", 307, "B", phase=24),
    swap("swap.released_total", 697, "B", side="ukraine", day=24),
]


def test_phases_each_side_and_the_running_total() -> None:
    state = reconcile_event(SWAP, PHASES, RULES)
    assert (
        state.tally("swap.released", "ukraine", report("x", 0, "x", day=23).event_date) is not None
    )
    totals = {c.side: (c.added, c.agreed, c.complete) for c in state.cumulative}
    assert totals == {
        "ukraine": (Interval(697, 697), Interval(1000, 1000), False),
        "russia": (Interval(697, 697), Interval(1000, 1000), False),
    }
    assert state.holds == ("390 + 307 = 697",)


def test_the_last_phase_completes_the_deal_with_a_milestone() -> None:
    before = reconcile_event(SWAP, PHASES, RULES)
    last = [
        swap("swap.released", 303, "D", phase=25),
        swap("swap.released_total", 1000, "D", "nearly", day=25),
    ]
    after = reconcile_event(SWAP, PHASES + last, RULES)
    assert after.complete and not before.complete
    changes = diff(before, after, last, RULES.tolls)
    milestone = [c for c in changes if c.kind == "milestone"]
    assert len(milestone) == 1
    assert "390 + 307 + 303 = 1,000 of 1,000 agreed" in milestone[0].detail
    revised = [c for c in changes if c.kind == "revised"]
    assert [(c.metric, c.side, c.interval) for c in revised] == [
        ("swap.released_total", "ukraine", Interval(900, 1000))
    ]


def test_an_undated_phase_report_joins_the_phase_it_matches() -> None:
    undated = swap("swap.released", 307, "E")
    state = reconcile_event(SWAP, [*PHASES, undated], RULES)
    phase = state.tally("swap.released", "russia", PHASES[3].phase)
    assert phase is not None and "E" in phase.sources
    assert state.tally("swap.released", "russia", None) is None


def test_a_phase_report_given_the_wrong_day_joins_the_phase_it_matches() -> None:
    # seed 003: "the first phase ... resulted in the return of 390 Ukrainians", dated by its
    # publication day (May 24), when the others give 390 for May 23 and 307 for May 24.
    misdated = swap("swap.released", 390, "F", side="ukraine", phase=24)
    state = reconcile_event(SWAP, [*PHASES, misdated], RULES)
    may_24 = state.tally("swap.released", "ukraine", PHASES[3].phase)
    assert may_24 is not None and (may_24.interval, may_24.status) == (Interval(307, 307), "single")
    may_23 = state.tally("swap.released", "ukraine", PHASES[1].phase)
    assert may_23 is not None and "F" in may_23.sources


def test_a_real_disagreement_on_one_day_stays_a_conflict() -> None:
    rival = swap("swap.released", 310, "F", side="ukraine", phase=24)
    state = reconcile_event(SWAP, [*PHASES, rival], RULES)
    may_24 = state.tally("swap.released", "ukraine", PHASES[3].phase)
    assert may_24 is not None and may_24.status == "conflict"
