"""Split readings (issue 14, cause 6; bot/extract/splits.py): a count read as a part of another,
with the whole it is a part of. Sentences written for this table, in the style of air force
statements and wire copy; each gives exactly the figures listed, so a figure too many fails."""

from __future__ import annotations

import pytest

from tests.extract.common import keys

UA, RU = "ukraine", "russia"

SPLITS = [
    (  # a fraction: the part downed, the whole launched
        "Air defence crews destroyed 41 of the 46 attack drones launched at the south overnight.",
        {
            ("attack.drones_downed", 41, "exact", UA),
            ("attack.drones_launched", 46, "exact", UA),
        },
    ),
    (  # "out of", with the whole's participle right after the noun
        "The military said it intercepted 14 out of 19 cruise missiles fired by Russian bombers.",
        {
            ("attack.missiles_downed", 14, "exact", UA),
            ("attack.missiles_launched", 19, "exact", UA),
        },
    ),
    (  # number words on both sides of "out of"
        'Officials said "nine out of twelve ballistic missiles" were brought down near Kyiv.',
        {
            ("attack.missiles_downed", 9, "exact", UA),
            ("attack.missiles_launched", 12, "exact", UA),
        },
    ),
    (  # a fraction and a second count in one phrase
        "Overall, the defence forces destroyed 30 out of 32 missiles and five drones.",
        {
            ("attack.missiles_downed", 30, "exact", UA),
            ("attack.missiles_launched", 32, "exact", UA),
            ("attack.drones_downed", 5, "exact", UA),
        },
    ),
    (  # the whole first, the part after "of which"
        "The air force counted a total of 58 drones, 44 of which were shot down over five regions.",
        {
            ("attack.drones_launched", 58, "exact", UA),
            ("attack.drones_downed", 44, "exact", UA),
        },
    ),
    (  # downed weapons as one number have no metric; the whole is a combined launch count
        "Units destroyed 230 of the 260 means of air attack, including 210 drones and 20 missiles.",
        {
            ("attack.launched", 260, "exact", UA),
            ("attack.drones_downed", 210, "exact", UA),
            ("attack.missiles_downed", 20, "exact", UA),
        },
    ),
    (  # a participle after the noun describes it; the verb before is the figure's
        "Fire groups downed about 20 Shahed drones heading for Odesa and targeting its port.",
        {("attack.drones_downed", 20, "about", UA)},
    ),
    (
        "Air defences shot down 318 drones and five missiles, while 204 more drones were lost to "
        "electronic warfare.",
        {
            ("attack.drones_shot_down", 318, "exact", UA),
            ("attack.missiles_downed", 5, "exact", UA),
            ("attack.drones_jammed", 204, "exact", UA),
        },
    ),
    (  # two counts joined by "and": the second noun is not part of the first phrase
        "The air force said it had destroyed 612 drones and seven missiles by morning.",
        {
            ("attack.drones_downed", 612, "exact", UA),
            ("attack.missiles_downed", 7, "exact", UA),
        },
    ),
    (  # an elliptic part of a combined count has no metric
        "Of the 96 missiles and drones fired at the country, air defence downed 80.",
        {("attack.launched", 96, "exact", UA)},
    ),
    (  # weapons in general, split into drone parts: the total is the drones'
        "Air defence neutralised 388 aerial targets, 301 were shot down by fire and 87 "
        "were locationally lost.",
        {
            ("attack.drones_downed", 388, "exact", UA),
            ("attack.drones_shot_down", 301, "exact", UA),
            ("attack.drones_jammed", 87, "exact", UA),
        },
    ),
    (  # parts by place after a colon take the whole's metric
        "Russian air defence destroyed nine Ukrainian drones: four over the Rostov region and "
        "five over the Sea of Azov, the ministry said.",
        {
            ("attack.drones_downed", 9, "exact", RU),
            ("attack.drones_downed", 4, "exact", RU),
            ("attack.drones_downed", 5, "exact", RU),
        },
    ),
    (  # ... and after "including", even with a participle of their own
        "The ministry said 120 Ukrainian drones were downed, including 30 targeting the Bryansk "
        "region.",
        {("attack.drones_downed", 120, "exact", RU), ("attack.drones_downed", 30, "exact", RU)},
    ),
    (  # the frame of a part is its whole
        "Of the 64 drones, 51 were shot down over the north and east.",
        {("attack.drones_launched", 64, "exact", UA), ("attack.drones_downed", 51, "exact", UA)},
    ),
    (  # the whole after the counted thing
        "Kyiv said 44 drones out of 50 were shot down overnight.",
        {("attack.drones_downed", 44, "exact", UA), ("attack.drones_launched", 50, "exact", UA)},
    ),
    (  # a frame opened by "out of"
        "Out of 70 drones, 61 were neutralised by mobile fire groups.",
        {("attack.drones_launched", 70, "exact", UA), ("attack.drones_downed", 61, "exact", UA)},
    ),
    (  # a plain launch count keeps its participle's metric
        "Russia launched 77 drones targeting the Kharkiv region overnight.",
        {("attack.drones_launched", 77, "exact", UA)},
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), SPLITS)
def test_split_readings(sentence: str, expected: set[tuple[str, int, str, str]]) -> None:
    assert keys(sentence) == expected
