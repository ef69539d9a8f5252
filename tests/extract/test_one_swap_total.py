"""A total that an addition to one swap brings about counts that swap ("the swap also included
20 civilians, bringing the total to 230"): a release, not a running total of the deal. Without
the addition, "bringing the total to" is still a running total."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "The exchange also included 12 civilians from each side, bringing the total to 230 "
            "people exchanged.",
            {("swap.released", 230, "exact", None), ("swap.released", 12, "exact", "both")},
            {("swap.released_total", 230, "exact", None)},
        ),
        (
            "The swap additionally included 15 civilians, bringing the total to 190 people "
            "freed on Thursday.",
            {("swap.released", 190, "exact", None)},
            {("swap.released_total", 190, "exact", None)},
        ),
        (
            "Kyiv freed 95 more soldiers on Friday, bringing the total to 1,040 people freed under "
            "the deal so far.",
            {("swap.released_total", 1040, "exact", None)},
            {("swap.released", 1040, "exact", None)},
        ),
    ],
)
def test_one_swap_total(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found, found
    assert not must_not & found, found
