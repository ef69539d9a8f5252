"""Each qualifier's interval (design.md, "Reconciling figures")."""

from __future__ import annotations

import pytest

from bot.reconcile.intervals import Interval, describe, interval_of


@pytest.mark.parametrize(
    ("value", "qualifier", "expected"),
    [
        (15, "exact", Interval(15, 15)),
        (15, "at_least", Interval(15, None)),
        (7, "more_than", Interval(8, None)),
        (250, "about", Interval(225, 275)),
        (1000, "nearly", Interval(900, 1000)),
        (20, "up_to", Interval(0, 20)),
        (3, "about", Interval(2, 4)),
    ],
)
def test_interval_of_each_qualifier(value: int, qualifier: str, expected: Interval) -> None:
    assert interval_of(value, qualifier) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Interval(6, None), Interval(4, None), Interval(6, None)),  # at least 6, at least 4
        (Interval(8, None), Interval(8, 8), Interval(8, 8)),  # more than 7 hours, 8 hours
        (Interval(225, 275), Interval(250, 250), Interval(250, 250)),  # about 250, 250
        (Interval(128, 128), Interval(1280, 1280), None),
        (Interval(0, 20), Interval(21, None), None),
    ],
)
def test_intersection(a: Interval, b: Interval, expected: Interval | None) -> None:
    assert a.intersect(b) == expected
    assert b.intersect(a) == expected
    assert a.meets(b) is (expected is not None)


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (Interval(15, 15), "15"),
        (Interval(15, None), "at least 15"),
        (Interval(900, 1000), "900 to 1,000"),
        (Interval(0, 20), "up to 20"),
        (Interval(1000, 1000), "1,000"),
    ],
)
def test_describe_in_digits(interval: Interval, text: str) -> None:
    assert describe(interval) == text
