"""Event dates: from the text's own day words and the publication date (here Sunday 1 June
2025), carried from sentence to sentence, null where the text allows none."""

from __future__ import annotations

from datetime import date

import pytest

from tests.extract.common import dates

D = date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russian strikes killed 8 people in Kharkiv on Saturday.",
            {("attack.killed", 8): D(2025, 5, 31)},
        ),
        # an overnight attack takes the date of the morning it ended
        (
            "Russia launched 50 drones on Saturday night.",
            {("attack.drones_launched", 50): D(2025, 6, 1)},
        ),
        (
            "Russia launched 50 drones late Friday.",
            {("attack.drones_launched", 50): D(2025, 5, 31)},
        ),
        ("Russia launched 50 drones overnight.", {("attack.drones_launched", 50): D(2025, 6, 1)}),
        ("Russia launched 50 drones last night.", {("attack.drones_launched", 50): D(2025, 6, 1)}),
        (
            "Russia launched 50 drones overnight Saturday.",
            {("attack.drones_launched", 50): D(2025, 5, 31)},
        ),
        (
            "Russia launched 50 drones overnight into Saturday.",
            {("attack.drones_launched", 50): D(2025, 5, 31)},
        ),
        (
            "Russia launched 50 drones early Sunday.",
            {("attack.drones_launched", 50): D(2025, 6, 1)},
        ),
        (
            "Russia launched 50 drones early on Sunday.",
            {("attack.drones_launched", 50): D(2025, 6, 1)},
        ),
        ("Russia launched 50 drones on May 24.", {("attack.drones_launched", 50): D(2025, 5, 24)}),
        (
            "Russia launched 50 drones on 24 May 2024.",
            {("attack.drones_launched", 50): D(2024, 5, 24)},
        ),
        (
            "On the night of May 25, Russia launched 50 drones.",
            {("attack.drones_launched", 50): D(2025, 5, 25)},
        ),
        ("Russia launched 50 drones yesterday.", {("attack.drones_launched", 50): D(2025, 5, 31)}),
        # the latest such day, or one at most two days after the date line (a date line that
        # lags its text, as seed 000's)
        ("Russia launched 50 drones on Tuesday.", {("attack.drones_launched", 50): D(2025, 6, 3)}),
        # three days ahead of Sunday's paper is last week's: a report tells what has happened
        (
            "A Russian strike killed 17 people on Wednesday in an eastern town, officials said.",
            {("attack.killed", 17): D(2025, 5, 28)},
        ),
        (
            "Russia launched 50 drones on Thursday.",
            {("attack.drones_launched", 50): D(2025, 5, 29)},
        ),
        (
            "Russia launched 50 drones last Tuesday.",
            {("attack.drones_launched", 50): D(2025, 5, 27)},
        ),
        # no day word: the publication day
        ("Russia launched 50 drones at Kyiv.", {("attack.drones_launched", 50): D(2025, 6, 1)}),
        # a range dates nothing; "meanwhile" neither
        (
            "Russia's Defence Ministry said it downed 788 Ukrainian drones between May 20 and "
            "May 23.",
            {("attack.drones_downed", 788): None},
        ),
        ("Meanwhile, 12 people were injured in Kharkiv.", {("attack.injured", 12): None}),
        # day-relative words count from the sentence's own day
        (
            "Ukraine released 390 prisoners the day before.",
            {("swap.released", 390): D(2025, 5, 31)},
        ),
        (
            "Each side freed 307 soldiers, a day after each released 390 civilians.",
            {("swap.released", 307): D(2025, 6, 1), ("swap.released", 390): D(2025, 5, 31)},
        ),
        (
            "Russia and Ukraine released 84 prisoners each on Friday and another 90 on Saturday.",
            {("swap.released", 84): D(2025, 5, 30), ("swap.released", 90): D(2025, 5, 31)},
        ),
        (
            "At least three people were killed and 17 injured on Friday, police said.",
            {("attack.killed", 3): D(2025, 5, 30), ("attack.injured", 17): D(2025, 5, 30)},
        ),
        # seed 001's phrasing: a span ending overnight into Saturday
        (
            "Separately, 13 civilians were killed on Friday and overnight into Saturday.",
            {("attack.killed", 13): D(2025, 5, 31)},
        ),
        # an agreed count has no event date
        (
            "Both sides agreed to the exchange of 1,000 prisoners each on Friday.",
            {("swap.agreed", 1000): None},
        ),
        # a speaker's "separately" inside his own quote goes on his statement: the day carries
        (
            'Ukraine freed 150 soldiers on Saturday. "They are home. Separately, we brought '
            'back three civilians," the president said.',
            {("swap.released", 150): D(2025, 5, 31), ("swap.released", 3): D(2025, 5, 31)},
        ),
        (
            "Ukraine freed 150 soldiers on Saturday. \u201cThey are home. Meanwhile, we brought "
            "back three civilians too\u201d, the ombudsman wrote.",
            {("swap.released", 150): D(2025, 5, 31), ("swap.released", 3): D(2025, 5, 31)},
        ),
        # the narrator's "separately" opens another event: no day carries
        (
            "Ukraine freed 150 soldiers on Saturday. Separately, three civilians were returned, "
            '"a relief", the president said.',
            {("swap.released", 150): D(2025, 5, 31), ("swap.released", 3): None},
        ),
        # the day the text is talking about carries over
        (
            "Russia attacked Kyiv early on Saturday, injuring 7 people. Four people requested "
            "medical aid.",
            {("attack.injured", 7): D(2025, 5, 31), ("attack.injured", 4): D(2025, 5, 31)},
        ),
    ],
)
def test_event_dates(text: str, expected: dict[tuple[str, int], date | None]) -> None:
    assert dates(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched 50 drones on Saturday.", None),
        ("Russia launched 50 drones on May 24.", None),  # a day and month, no year: null
        ("Russia launched 50 drones overnight.", None),
        ("Russia launched 50 drones on May 24, 2025.", D(2025, 5, 24)),
    ],
)
def test_undated_documents(text: str, expected: date | None) -> None:
    assert dates(text, published=None) == {("attack.drones_launched", 50): expected}
