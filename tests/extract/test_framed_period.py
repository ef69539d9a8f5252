"""A period phrase that a superlative frames in another clause ("the largest attack this
month") describes this event: it does not make a launch count a count over a period. A period
of the number's own clause, or one no frame word stands before, still does."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "Russia launched 310 drones and 12 missiles overnight, the heaviest barrage this "
            "month, the air force said.",
            {
                ("attack.drones_launched", 310, "exact", "ukraine"),
                ("attack.missiles_launched", 12, "exact", "ukraine"),
            },
            set(),
        ),
        (
            "Moscow fired 95 drones at Ukraine overnight, one of the biggest attacks this week.",
            {("attack.drones_launched", 95, "exact", "ukraine")},
            set(),
        ),
        # a period with no frame word: a count over the period, no figure
        (
            "Russia launched 1,400 drones at Ukraine, the president said this week.",
            set(),
            {("attack.drones_launched", 1400, "exact", "ukraine")},
        ),
        (
            "Russia has launched 1,400 drones this week alone, the president said.",
            set(),
            {("attack.drones_launched", 1400, "exact", "ukraine")},
        ),
    ],
)
def test_a_framed_period_describes_the_event(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found
    assert not must_not & found
