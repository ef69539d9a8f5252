"""A toll that "has risen to" a bare number counts its dead however long the subject before it
(issue 14: a dispute between two death tolls is flagged only when both are read)."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        # a long subject between the toll and its number
        (
            "The death toll from a Russian ballistic missile strike on the southern Ukrainian "
            "port city of Odesa has risen to 14, including three children, the regional "
            "governor said on Sunday.",
            {("attack.killed", 14, "exact", "ukraine")},
            {("attack.killed", 3, "exact", "ukraine")},
        ),
        (
            "The death toll from Friday's Russian strike on an apartment block in the western "
            "city of Lviv and its suburbs climbed to 9, officials said.",
            {("attack.killed", 9, "exact", "ukraine")},
            set(),
        ),
        # a bare number far from any cue and not after a rise word stays no count
        (
            "At five in the morning on a quiet Sunday in the western region, Russia launched a "
            "large missile attack on Ukraine.",
            set(),
            {
                ("attack.drones_launched", 5, "exact", "ukraine"),
                ("attack.missiles_launched", 5, "exact", "ukraine"),
            },
        ),
    ],
)
def test_a_rising_toll_reaches_its_number(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found
    assert not must_not & found
