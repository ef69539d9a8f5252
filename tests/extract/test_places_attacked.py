"""Places hit (figures.md): regions said to be under attack, or where civilian targets were
aimed at, are places hit; regions over which drones were downed, or that lost power, are not.
Sentences of our own in the style of wire copy and regional statements."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys

HIT = "attack.places_hit"


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "Governors of at least nine regions reported before dawn that Russian drones were "
            "attacking their provinces.",
            {(HIT, 9, "at_least", "ukraine")},
            set(),
        ),
        (
            "The army said the drones flew at civilian targets in five districts of the city.",
            {(HIT, 5, "exact", "ukraine")},
            set(),
        ),
        # downed over regions, or without power: no places hit
        (
            "Air defences were attacking drones over 11 regions, the ministry said.",
            set(),
            {(HIT, 11, "exact", "ukraine"), (HIT, 11, "exact", "russia")},
        ),
        (
            "Power cuts hit 6 regions after the attack.",
            set(),
            {(HIT, 6, "exact", "ukraine")},
        ),
    ],
)
def test_places_said_to_be_under_attack(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found, found
    assert not must_not & found, found
