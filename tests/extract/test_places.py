"""The place a count is a part for (issue 14, cause 5): a place named with the count, None when
the count is the whole event's. Sentences of our own in the style of wire copy and ministry
statements."""

from __future__ import annotations

import pytest

from bot.extract import extract
from tests.extract.common import SUNDAY, VOCABULARY

Placed = tuple[str, int, str | None]
DOWNED = "attack.drones_downed"

CASES: list[tuple[str, set[Placed]]] = [
    # a part for one place: still a figure, with its place
    (
        "Air defences destroyed 140 drones overnight, and 52 of the drones were shot down over "
        "the Moscow region.",
        {(DOWNED, 140, None), (DOWNED, 52, "Moscow region")},
    ),
    (
        "At least five people were wounded in the Obolon district.",
        {("attack.injured", 5, "Obolon district")},
    ),
    (
        "In the Kharkiv region, three people were injured.",
        {("attack.injured", 3, "Kharkiv region")},
    ),
    (
        "Four people were killed in Kharkiv Oblast, the governor said.",
        {("attack.killed", 4, "Kharkiv region")},
    ),
    ("Two people were killed in the southern city of Odesa.", {("attack.killed", 2, "Odesa")}),
    (
        "Attacks were reported in the Sumy region, where two people were wounded.",
        {("attack.injured", 2, "Sumy region")},
    ),
    # the whole event: no place
    ("Russia launched 300 drones at Ukraine overnight.", {("attack.drones_launched", 300, None)}),
    ("Air defences shot down 41 drones over Russian regions.", {(DOWNED, 41, None)}),
    ("At least 12 people were killed across Ukraine.", {("attack.killed", 12, None)}),
    (
        "Air defences shot down 47 drones over the Poltava, Sumy and Kharkiv regions.",
        {(DOWNED, 47, None)},
    ),
    # a swap has no place
    ("Russia handed over 90 prisoners in Belarus.", {("swap.released", 90, None)}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_place(text: str, expected: set[Placed]) -> None:
    found = {(f.metric, f.value, f.place) for f in extract(text, SUNDAY, "t", VOCABULARY)}
    assert expected <= found
