"""Side (issue 14, cause 3): for swaps, whose people were returned to them; for attacks, the
country attacked. Sentences of our own in the style of wire copy and official statements, each
with the (metric, value, side) it must give and those it must not."""

from __future__ import annotations

import pytest

from bot.extract import extract
from tests.extract.common import SUNDAY, VOCABULARY

UA, RU, BOTH = "ukraine", "russia", "both"
Sided = tuple[str, int, str | None]
R = "swap.released"
DOWNED = "attack.drones_downed"
HIT = "attack.places_hit"

CASES: list[tuple[str, set[Sided], set[Sided]]] = [
    # the giver is the subject: the other side receives
    ("Russia handed over 118 Ukrainian service members on Friday.", {(R, 118, UA)}, {(R, 118, RU)}),
    ("Moscow handed over 64 prisoners of war, Kyiv said.", {(R, 64, UA)}, {(R, 64, RU)}),
    ("Ukraine returned 90 Russian soldiers in the exchange.", {(R, 90, RU)}, {(R, 90, UA)}),
    ("Kyiv has returned 47 captives to Moscow.", {(R, 47, RU)}, {(R, 47, UA)}),
    # the receiver is the subject
    ("Ukraine has brought home 73 soldiers from captivity.", {(R, 73, UA)}, {(R, 73, RU)}),
    ("The Russian side received 58 of its prisoners.", {(R, 58, RU)}, {(R, 58, UA)}),
    ("In return, Russia received 41 prisoners from Ukraine.", {(R, 41, RU)}, {(R, 41, UA)}),
    # the agent of a give verb after the number
    ("The 66 servicemen returned by Russia were mostly conscripts.", {(R, 66, UA)}, set()),
    (
        "Officials said the 37 soldiers Ukraine handed over were in good health.",
        {(R, 37, RU)},
        set(),
    ),
    # whose people: nationality, captivity, destination
    ("Moscow freed 12 Ukrainian civilians on Tuesday.", {(R, 12, UA)}, {(R, 12, RU)}),
    ("Kyiv released 15 Russian servicemen, the ministry said.", {(R, 15, RU)}, set()),
    (
        "Some 84 soldiers held in Russian captivity were freed in the swap.",
        {(R, 84, UA)},
        {(R, 84, RU)},
    ),
    ("A further 22 men returned from Ukrainian captivity.", {(R, 22, RU)}, {(R, 22, UA)}),
    (
        "Kyiv returned three boys from Ukraine to Russia after Moscow repatriated 11 Ukrainian "
        "children.",
        {(R, 3, RU), (R, 11, UA)},
        {(R, 11, RU)},
    ),
    # the claimant's own people
    (
        "Russia's defence ministry said 92 of its servicemen had come home.",
        {(R, 92, RU)},
        {(R, 92, UA)},
    ),
    (
        "Russia's defence ministry reported the return of 61 servicemen.",
        {(R, 61, RU)},
        {(R, 61, UA)},
    ),
    # one count for each side
    ("Both sides released 120 prisoners each on Saturday.", {(R, 120, BOTH)}, set()),
    (
        "Russia handed over 75 Ukrainian prisoners in exchange for 75 Russian soldiers.",
        {(R, 75, BOTH)},
        {(R, 75, UA), (R, 75, RU)},
    ),
    # a combined total has no side, and "each side" in another clause does not make one
    ("More than 300 prisoners were swapped on Monday.", {(R, 300, None)}, {(R, 300, RU)}),
    (
        "Mediators said 150 prisoners had been freed, though the number from each side was not "
        "given.",
        {(R, 150, None)},
        {(R, 150, BOTH)},
    ),
    # attacks: the country attacked
    (
        "Air defences shot down 40 drones on their way to Moscow overnight, the mayor said.",
        {(DOWNED, 40, RU)},
        {(DOWNED, 40, UA)},
    ),
    (
        "Russian air defences destroyed 27 drones over the Belgorod region.",
        {(DOWNED, 27, RU)},
        {(DOWNED, 27, UA)},
    ),
    (
        "Russia's defence ministry said 33 drones were downed overnight.",
        {(DOWNED, 33, RU)},
        {(DOWNED, 33, UA)},
    ),
    (
        "Ukraine's air force said it shot down 52 drones overnight.",
        {(DOWNED, 52, UA)},
        {(DOWNED, 52, RU)},
    ),
    # Moscow accusing Kyiv: the places hit are Russia's
    (
        "Moscow in turn accused Ukraine of shelling homes in three Belgorod districts.",
        {(HIT, 3, RU)},
        {(HIT, 3, UA)},
    ),
    (
        "Kyiv accused Russia of launching drones at civilian targets in four districts of Odesa.",
        {(HIT, 4, UA)},
        {(HIT, 4, RU)},
    ),
]


def sided(text: str) -> set[Sided]:
    return {(f.metric, f.value, f.side) for f in extract(text, SUNDAY, "t", VOCABULARY)}


@pytest.mark.parametrize(("text", "must", "must_not"), CASES)
def test_side(text: str, must: set[Sided], must_not: set[Sided]) -> None:
    found = sided(text)
    assert must <= found
    assert not must_not & found


def test_a_story_told_from_one_side_gives_that_side_to_a_bare_release() -> None:
    text = (
        "Ukraine brought home 116 prisoners of war on Friday.\n"
        "The 116 freed prisoners included marines and border guards.\n"
        "Later, 40 more men were returned."
    )
    assert {(R, 116, UA), (R, 40, UA)} <= sided(text)
