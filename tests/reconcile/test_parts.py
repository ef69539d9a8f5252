"""A place's figure is a part of the event, never its whole (issue 14, cause 5): left out where
the whole is known, a floor where it is not; and the order of magnitude rule never sets
agreeing figures aside for one that nothing backs (issue 14)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.reconcile.changes import diff
from bot.reconcile.engine import reconcile_event
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report
from tests.reconcile.reports import RULES, report

MOSCOW = "attack-russia-2025-05-24"


def over(place: str | None, metric: str, value: int, source: str, **kw: object) -> Report:
    """A report of `source`, for `place` (None: the whole night)."""
    base = report(metric, value, source, side="russia", event=MOSCOW, **kw)  # type: ignore[arg-type]
    return replace(base, place=place)


# Each row: the reports of one night, and (metric, interval) of the tallies it must give.
PLACE_CASES = [
    pytest.param(
        # "Air defences downed 105 drones overnight, 52 of them over the Moscow region."
        [
            over(None, "attack.drones_downed", 105, "A"),
            over("Moscow region", "attack.drones_downed", 52, "A"),
        ],
        [("attack.drones_downed", Interval(105, 105))],
        id="a region's part next to the night's total",
    ),
    pytest.param(
        # "Two fires broke out in the Solomianskyi district": the only fires the texts report,
        # by two outlets, are the night's as far as anyone knows.
        [
            over("Solomianskyi district", "attack.fires", 2, "A"),
            over("Solomianskyi district", "attack.fires", 2, "B"),
        ],
        [("attack.fires", Interval(2, 2))],
        id="one place's figure alone is the event's as known",
    ),
    pytest.param(
        # Only two regions' counts are known: the night is at least the larger, never their sum.
        [
            over("Volgograd region", "attack.drones_downed", 13, "B"),
            over("Rostov region", "attack.drones_downed", 5, "B"),
        ],
        [("attack.drones_downed", Interval(13, None))],
        id="places' figures alone give a floor, not a total",
    ),
    pytest.param(
        # "Launched 90 drones ... 35 over Belgorod": the part breaks no check against the whole.
        [
            over(None, "attack.drones_launched", 90, "A"),
            over(None, "attack.drones_downed", 80, "A"),
            over("Belgorod region", "attack.drones_downed", 135, "C"),
        ],
        [
            ("attack.drones_downed", Interval(80, 80)),
            ("attack.drones_launched", Interval(90, 90)),
        ],
        id="a place's figure is in no check",
    ),
]


@pytest.mark.parametrize(("reports", "tallies"), PLACE_CASES)
def test_a_places_figure_is_no_tally_of_the_event(
    reports: list[Report], tallies: list[tuple[str, Interval]]
) -> None:
    state = reconcile_event(MOSCOW, reports, RULES)
    assert [(t.metric, t.interval) for t in state.tallies] == tallies
    assert state.breaches == ()
    assert set(state.parts) == {r for r in reports if r.place}


def test_a_places_figure_changes_no_tally() -> None:
    whole = over(None, "attack.drones_downed", 105, "A")
    part = over("Moscow region", "attack.drones_downed", 52, "B")
    before = reconcile_event(MOSCOW, [whole], RULES)
    after = reconcile_event(MOSCOW, [whole, part], RULES)
    assert diff(before, after, [part], RULES.tolls) == []


# Each row: the reports of one key, the interval kept and the values set aside.
OUTLIER_CASES = [
    pytest.param(
        # The seeds' "1280 drones were shot down" against 128: still set aside.
        [("A", "a1", 1280), ("B", "b1", 128), ("C", "c1", 128)],
        Interval(128, 128),
        [1280],
        id="a lone figure ten times the others",
    ),
    pytest.param(
        # One outlet's two articles agree on 300; another's breakdown says 30. The two that
        # agree are kept; nothing supports 30 over them.
        [("A", "a1", 300), ("A", "a2", 300), ("B", "b1", 30)],
        Interval(300, 300),
        [],
        id="two articles agreeing beat one small figure",
    ),
    pytest.param(
        # Two outlets agree on 300 and a third gives 30: 300 kept, 30 disputed, nothing set aside.
        [("A", "a1", 300), ("B", "b1", 300), ("C", "c1", 30)],
        Interval(300, 300),
        [],
        id="two outlets agreeing beat one small figure",
    ),
]


@pytest.mark.parametrize(("given", "kept", "aside"), OUTLIER_CASES)
def test_the_order_of_magnitude_rule_never_prefers_an_unbacked_figure(
    given: list[tuple[str, str, int]], kept: Interval, aside: list[int]
) -> None:
    reports = [
        replace(report("attack.drones_downed", value, source), document_id=document)
        for source, document, value in given
    ]
    tally = reconcile_event("attack-ukraine-2025-05-24", reports, RULES).tally(
        "attack.drones_downed", "ukraine"
    )
    assert tally is not None
    assert tally.interval == kept
    assert sorted(r.value for r in tally.suspect) == aside
