"""A swap between other countries than the two at war (the US and Russia) gives no swap figure;
a Russia-Ukraine swap in the same article still does."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "Qatar also helped broker the exchange of three prisoners between the US and Russia "
            "last summer.",
            set(),
            {("swap.released", 3, "exact", None)},
        ),
        (
            "Turkey hosted a US-Russia prisoner swap in which 16 people were released.",
            set(),
            {("swap.released", 16, "exact", None)},
        ),
        (
            "Ukraine and Russia swapped 84 prisoners each on Friday, with the UAE mediating.",
            {("swap.released", 84, "exact", "both")},
            set(),
        ),
    ],
)
def test_a_swap_of_other_countries(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found
    assert not must_not & found
