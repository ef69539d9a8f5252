"""Parts and contexts (issue 14, cause 2; bot/extract/parts.py and the blockers of
config/metrics.toml): a breakdown of a group already counted, or a count of something else, is
no figure. Sentences written for this table in the style of wire copy and ministry statements;
each gives exactly the figures listed, so a breakdown read as a figure fails."""

from __future__ import annotations

import pytest

from tests.extract.common import keys

UA, RU = "ukraine", "russia"

PARTS = [
    (  # a breakdown by kind of the count before it
        "At least 31 people were injured, including six children and a pregnant woman.",
        {("attack.injured", 31, "at_least", UA)},
    ),
    (  # a breakdown with no count of the whole in the sentence
        "The freed defenders, including 17 marines from the port city, crossed the border.",
        set(),
    ),
    (  # "among those freed were ..."
        "Among those freed were 11 National Guard servicemen, the ombudsman said.",
        set(),
    ),
    (  # a classification of the group: "N of the returned men are ..."
        "Thirty of the returned men are border guards, the coordination headquarters said.",
        set(),
    ),
    (
        "Ukraine brought home 84 prisoners, 12 of them officers, the president said.",
        {("swap.released", 84, "exact", UA)},
    ),
    (  # a breakdown goes on over the parts coordinated with it
        "Among the 90 Ukrainians freed were 15 civilians and 75 servicemen, the ombudsman said.",
        {("swap.released", 90, "exact", UA)},
    ),
    (  # "with four of the dead being children"
        "The strike killed 11 people, with three of the dead being teenagers.",
        {("attack.killed", 11, "exact", UA)},
    ),
    (  # a part with no verb of its own describes the group
        "Kyiv said it got back 70 Ukrainians, nine of them seriously ill.",
        {("swap.released", 70, "exact", UA)},
    ),
    (  # ... while one with its own verb is a split
        "Russia launched 48 drones, 41 of them shot down by mobile groups.",
        {("attack.drones_launched", 48, "exact", UA), ("attack.drones_downed", 41, "exact", UA)},
    ),
    (  # ... and so does "N of them" right after its own verb
        "Russia launched 300 drones at Ukraine, and air defences shot down 260 of them.",
        {("attack.drones_launched", 300, "exact", UA), ("attack.drones_downed", 260, "exact", UA)},
    ),
    (  # kinds after the part: "four children among the wounded"
        "Two teenagers were among the wounded, regional police said.",
        set(),
    ),
    (  # coordinated groups traded in one swap are parts, each a figure
        "Kyiv got back 140 soldiers and 25 civilians in the exchange.",
        {("swap.released", 140, "exact", UA), ("swap.released", 25, "exact", UA)},
    ),
    (  # an addition to the swap, not a breakdown of it
        "Kyiv said the exchange had additionally included 15 Ukrainian civilians.",
        {("swap.released", 15, "exact", UA)},
    ),
    (  # "included" with something else in between: the launch is what is included
        "Saturday's assault included the firing of six missiles and 40 drones.",
        {("attack.missiles_launched", 6, "exact", UA), ("attack.drones_launched", 40, "exact", UA)},
    ),
    (  # a part of another class than its whole, where the whole has no metric
        "Air defence destroyed 90 aerial targets, including 80 drones and ten missiles.",
        {("attack.drones_downed", 80, "exact", UA), ("attack.missiles_downed", 10, "exact", UA)},
    ),
    (  # an elliptic part with no whole in the sentence is a split, not a breakdown
        "Of them, 52 were shot down over the south.",
        {("attack.drones_downed", 52, "exact", UA)},
    ),
    # counts of something else
    ("The bus was carrying 38 prisoners when it reached the exchange point.", set()),
    (
        "Two people were killed in the strike, while 26 residents were evacuated from the block.",
        {("attack.killed", 2, "exact", UA)},
    ),
    ("Russia has captured 16 local officials since the town fell, the exchange envoy said.", set()),
    ("Officials said 40 servicemen had been returned without an exchange.", set()),
    ("The oldest of the released prisoners is 64, the youngest 21.", set()),
    (  # an age after "both"
        "Two pensioners, both 78, died when the shell hit their house.",
        {("attack.killed", 2, "exact", UA)},
    ),
    (  # a missile system is no missile
        "Russia said it destroyed two Patriot missile systems near the capital.",
        set(),
    ),
    # in a swap sentence, "wounded" describes the people exchanged
    (
        "Moscow sent home 22 seriously wounded Ukrainian soldiers, and Kyiv returned 9 Russian "
        "servicemen.",
        {("swap.released", 22, "exact", UA), ("swap.released", 9, "exact", RU)},
    ),
    (  # "sent back" says a swap too
        "Russia also sent back 18 seriously wounded Ukrainian soldiers, the ministry said.",
        {("swap.released", 18, "exact", UA)},
    ),
    (  # ... and still counts the injured of an attack
        "The strike wounded 14 civilians in the city centre.",
        {("attack.injured", 14, "exact", UA)},
    ),
    (  # bodies handed over are no deaths, and an elliptic count of them no swap
        "Kyiv also received the bodies of 60 soldiers who were killed near Bakhmut.",
        set(),
    ),
    (
        "Kyiv received the remains of 400 servicemen, and Moscow got back 50.",
        set(),
    ),
    (  # a phase of a deal agreed earlier is released in that phase
        "A total of 120 Ukrainian prisoners came home as part of the third stage of the deal "
        "agreed in May.",
        {("swap.released", 120, "exact", UA)},
    ),
    (  # the deal's size, said after its phase
        "The swap was the first phase of a deal involving the exchange of 600 prisoners from "
        "each side.",
        {("swap.agreed", 600, "exact", "both")},
    ),
    (  # a count over several swaps is no figure of one
        "About 450 prisoners were returned in March in three separate swaps.",
        set(),
    ),
    (  # an elliptic count with its own verb
        "Nine people died and 41 sustained injuries when the shell hit the market.",
        {("attack.killed", 9, "exact", UA), ("attack.injured", 41, "exact", UA)},
    ),
    (  # two adjectives joined by "and" before the counted people
        "Officials said 150 Ukrainian and foreign nationals were brought home on Sunday.",
        {("swap.released", 150, "exact", UA)},
    ),
    (  # sites and zones are places, and "impacted" and "targeting" say they were hit
        "Drones hit 19 sites in the region, and debris fell in four zones.",
        {("attack.places_hit", 19, "exact", UA), ("attack.places_hit", 4, "exact", UA)},
    ),
    (
        "Eleven missiles impacted in 7 districts overnight, targeting six regions in all.",
        {
            ("attack.missiles_launched", 11, "exact", UA),
            ("attack.places_hit", 7, "exact", UA),
            ("attack.places_hit", 6, "exact", UA),
        },
    ),
    (  # an injury toll is no death toll
        "The injury toll in Odesa has climbed to 48, officials said.",
        {("attack.injured", 48, "exact", UA)},
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), PARTS)
def test_parts_and_contexts(sentence: str, expected: set[tuple[str, int, str, str]]) -> None:
    assert keys(sentence) == expected
