""" "One" before a toll's own word ("one death", "one fatality") is a count of the toll; "one of
the missiles" and a bare "one" standing for a thing named before stay no count."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "Missiles struck Lviv overnight, causing power cuts and at least one death.",
            {("attack.killed", 1, "at_least", "ukraine")},
            set(),
        ),
        (
            "The drone attack on Odesa caused one death and three injuries, the governor said.",
            {("attack.killed", 1, "exact", "ukraine"), ("attack.injured", 3, "exact", "ukraine")},
            set(),
        ),
        (
            "One of the missiles hit a warehouse, killing two workers.",
            {("attack.killed", 2, "exact", "ukraine")},
            {
                ("attack.killed", 1, "exact", "ukraine"),
                ("attack.places_hit", 1, "exact", "ukraine"),
            },
        ),
    ],
)
def test_one_death(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found, found
    assert not must_not & found, found
