"""An alert told by what it does gives its length even where it is named in another clause ("an
air-raid warning was issued, remaining in effect for six hours"); hours of something else do
not."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "An air-raid warning was declared across the region overnight, remaining in effect "
            "for almost six hours.",
            {("attack.alert_hours", 6, "nearly", "ukraine")},
            set(),
        ),
        (
            "Residents of Odesa spent the night in shelters as the air-raid alert remained in "
            "effect for three hours.",
            {("attack.alert_hours", 3, "exact", "ukraine")},
            set(),
        ),
        (
            "The strike left the district without power for five hours, the mayor said.",
            set(),
            {("attack.alert_hours", 5, "exact", "ukraine")},
        ),
        (
            "The attack on the city lasted two hours, witnesses said.",
            set(),
            {("attack.alert_hours", 2, "exact", "ukraine")},
        ),
    ],
)
def test_an_alert_in_effect(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found
    assert not must_not & found
