"""A swap told as "each side sent the other N" is a release of N to each side; "sent" alone
("sent 50 troops to the front") stays no swap figure."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "Russia and Ukraine swapped prisoners on Saturday. Each country sent the other "
            "84 soldiers, officials said.",
            {("swap.released", 84, "exact", "both")},
            set(),
        ),
        (
            "Kyiv and Moscow carried out an exchange on Friday, in which each side sent the "
            "other 90 prisoners of war.",
            {("swap.released", 90, "exact", "both")},
            set(),
        ),
        (
            "Ukraine held an exchange on Friday. Russia later sent 50 troops to the border.",
            set(),
            {("swap.released", 50, "exact", "russia"), ("swap.released", 50, "exact", None)},
        ),
    ],
)
def test_each_side_sent_the_other(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found
    assert not must_not & found
