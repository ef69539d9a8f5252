"""Counts inside another count of the same document (issue 14, causes 2 and 6;
bot/extract/inside.py). Short reports written for this table in the style of live blogs and wire
copy; each gives exactly the figures listed."""

from __future__ import annotations

import pytest

from tests.extract.common import keys

UA = "ukraine"

DOCUMENTS = [
    (  # impacts are no launch count when the launch count is given
        "Russia launched 52 missiles and 310 drones overnight, the air force said. "
        "Nine missiles struck energy facilities in the west.",
        {
            ("attack.missiles_launched", 52, "exact", UA),
            ("attack.drones_launched", 310, "exact", UA),
        },
    ),
    (  # ... but they are the launch count when none other is given
        "Two ballistic missiles struck the city centre on Sunday morning.",
        {("attack.missiles_launched", 2, "exact", UA)},
    ),
    (  # people in hospital are a part of the injured
        "At least 48 people were injured in the strike. Twenty-two of the wounded remain in "
        "hospital, five of them in serious condition.",
        {("attack.injured", 48, "at_least", UA)},
    ),
    (  # in one sentence: the hospital words follow the part, not the whole
        "Medics said 36 people had sought help after the strike, 14 of them were hospitalised.",
        {("attack.injured", 36, "exact", UA)},
    ),
    (  # ... and the injured count where there is no other
        "Eleven people were hospitalised after the attack, the governor said.",
        {("attack.injured", 11, "exact", UA)},
    ),
    (  # a split told over two sentences
        "Air defence shot down 70 drones overnight, the air force said. "
        "Another 44 drones were lost to electronic countermeasures.",
        {
            ("attack.drones_shot_down", 70, "exact", UA),
            ("attack.drones_jammed", 44, "exact", UA),
        },
    ),
    (  # a split part said again as a plain downed count is that part
        "Mobile fire groups shot down 63 drones, while 20 more were lost to jamming. "
        "By morning, officials confirmed that 63 drones had been shot down in six regions.",
        {("attack.drones_shot_down", 63, "exact", UA), ("attack.drones_jammed", 20, "exact", UA)},
    ),
    (  # released people counted by unit are a breakdown of the larger count
        "Ukraine brought home 120 prisoners of war on Sunday. Those freed were 40 national "
        "guardsmen, 35 border guards and 45 sailors, officials said.",
        {("swap.released", 120, "exact", UA)},
    ),
    (  # ... but coordinated military and civilian groups are parts, each a figure
        "Ukraine brought home 120 Ukrainians on Sunday: 100 soldiers and 20 civilians returned.",
        {
            ("swap.released", 120, "exact", UA),
            ("swap.released", 100, "exact", UA),
            ("swap.released", 20, "exact", UA),
        },
    ),
    (  # counts by type are a breakdown of the category's count in another sentence
        "The General Staff said Russia launched 26 missiles overnight.\n"
        "- 16 Kalibr cruise missiles fired from warships\n"
        "- 10 Iskander-M ballistic missiles fired from Kursk",
        {("attack.missiles_launched", 26, "exact", UA)},
    ),
    (  # ... and figures where no category count is given
        "Air defence shot down 12 Kalibr cruise missiles and four Kinzhal missiles.",
        {("attack.missiles_downed", 12, "exact", UA), ("attack.missiles_downed", 4, "exact", UA)},
    ),
]


@pytest.mark.parametrize(("text", "expected"), DOCUMENTS)
def test_counts_inside_the_document(text: str, expected: set[tuple[str, int, str, str]]) -> None:
    assert keys(text) == expected
