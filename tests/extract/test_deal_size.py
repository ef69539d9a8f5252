"""A deal's size (swap.agreed) told as what its phases would return together once carried out
("if completed, the two exchanges together would return a total of 500 to each country"); a
phase still to come, or a plain forecast, is no figure (figures.md: planned numbers)."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "Once completed, the three swaps together would return a total of 840 prisoners to "
            "each side.",
            {("swap.agreed", 840, "exact", "both")},
            {("swap.released", 840, "exact", "both")},
        ),
        (
            "If both stages go ahead, the exchanges together will free a total of 600 captives "
            "from each side, the mediator said.",
            {("swap.agreed", 600, "exact", "both")},
            set(),
        ),
        # one planned phase, or a forecast with no deal's phases summed: no figure
        (
            "Another 300 prisoners from each side would be released on Friday.",
            set(),
            {("swap.agreed", 300, "exact", "both"), ("swap.released", 300, "exact", "both")},
        ),
        (
            "Officials said the swap would return 150 soldiers to each side.",
            set(),
            {("swap.agreed", 150, "exact", "both"), ("swap.released", 150, "exact", "both")},
        ),
    ],
)
def test_a_deals_size_as_what_its_phases_would_return(
    text: str, must: set[Key], must_not: set[Key]
) -> None:
    found = keys(text)
    assert must <= found, found
    assert not must_not & found, found
