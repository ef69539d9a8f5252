"""Numbers in running text: digits, number words, hedges, and numbers that are no count."""

from __future__ import annotations

import pytest

from bot.extract.numbers import find_numbers, words_value
from bot.extract.sentences import fold
from tests.extract.common import VOCABULARY


def numbers(text: str) -> list[tuple[int, str]]:
    return [(t.value, t.qualifier) for t in find_numbers(text, fold(text), VOCABULARY)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the exchange of 1,000 prisoners", [(1000, "exact")]),
        ("1280 drones were shot down", [(1280, "exact")]),  # a typo stays as written
        ("three hundred and seven soldiers", [(307, "exact")]),
        ("one hundred and twenty-three people", [(123, "exact")]),
        ("Twenty-one people", [(21, "exact")]),
        ("a dozen people", [(12, "exact")]),
        ("more than a dozen people", [(12, "more_than")]),
        ("nearly a thousand soldiers", [(1000, "nearly")]),
        ("half a dozen drones", [(6, "exact")]),
        ("two dozen drones", [(24, "exact")]),
        ("2.5 million people", [(2_500_000, "exact")]),
        ("Six individuals", [(6, "exact")]),
        ("at least 15 people", [(15, "at_least")]),
        ("a minimum of 15 casualties", [(15, "at_least")]),
        ("no fewer than 5", [(5, "at_least")]),
        ("(at least 5 people", [(5, "at_least")]),
        ("over 30 cities", [(30, "more_than")]),
        ("some 250 drones", [(250, "about")]),
        ("approximately 40", [(40, "about")]),
        ("an estimated 40", [(40, "about")]),
        ("almost 100", [(100, "nearly")]),
        ("close to 100", [(100, "nearly")]),
        ("up to 1,000 drones", [(1000, "up_to")]),
        ("as many as 60", [(60, "up_to")]),
        ("no more than 5", [(5, "up_to")]),
        ("killed at least eight and injured 24 others", [(8, "at_least"), (24, "exact")]),
    ],
)
def test_numbers_and_their_hedges(text: str, expected: list[tuple[int, str]]) -> None:
    assert numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "hundreds of prisoners",
        "dozens of drones",
        "tens of thousands of soldiers",
        "a few hundred drones",
        "several thousand troops",
        "someone often tends to phone",  # no number words inside words
        "in February 2022",
        "on May 24, 2025",
        "on 24 May",
        "20% of the drones",
        "20 percent",
        "at 3 a.m.",
        "0:00:40",
        "14 Iskander-M/KN-23",
        "Su-34 jets and S-300 systems",
        "$500 million",
        "Day 2 of the swap",
        "the 47th brigade",
        "a 1.5 hours wait",
        "aged 43",
        "May 24-25",
    ],
)
def test_numbers_that_are_no_count(text: str) -> None:
    assert [(v, q) for v, q in numbers(text) if text != "14 Iskander-M/KN-23" or v != 14] == []


@pytest.mark.parametrize(
    ("text", "value", "attached", "pair"),
    [
        ("a five-story building", 5, "story", False),
        ("a 43-year-old woman", 43, "year", False),
        ("the 1,000-for-1,000 deal", 1000, None, True),
        ("swapped 84 for 84", 84, None, True),
    ],
)
def test_what_is_glued_to_a_number(text: str, value: int, attached: str | None, pair: bool) -> None:
    [token] = find_numbers(text, fold(text), VOCABULARY)
    assert (token.value, token.attached, token.pair) == (value, attached, pair)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("seven", 7),
        ("a dozen", 12),
        ("a thousand", 1000),
        ("three hundred and seven", 307),
        ("two thousand five hundred", 2500),
        ("ninety-nine", 99),
        ("hundred", None),
        ("dozen", None),
    ],
)
def test_number_words(words: str, value: int | None) -> None:
    assert words_value(words) == value
