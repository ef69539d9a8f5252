""" "Last week" alone says when one earlier event was: its toll is a figure, of no day the text
names; over, in or during the last week (or month) the count spans many events and is none."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "Last week 9 people were killed when a glide bomb hit a market in Kharkiv.",
            {("attack.killed", 9, "exact", "ukraine")},
            set(),
        ),
        (
            "A missile strike on Dnipro killed 21 people last month, officials said.",
            {("attack.killed", 21, "exact", "ukraine")},
            set(),
        ),
        (
            "Over the last week, Russian strikes killed 45 civilians across the country.",
            set(),
            {("attack.killed", 45, "exact", "ukraine")},
        ),
        (
            "In the last month, drone attacks injured 230 people in the Kherson region.",
            set(),
            {("attack.injured", 230, "exact", "ukraine")},
        ),
    ],
)
def test_last_week(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found, found
    assert not must_not & found, found
