"""Issue 14, cause 6 (dates): a document with no date line takes the day its own text gives (a
caption, a dateline, a date in the body), so that its figures get event dates; a day and month
without a year give none (figures.md). Sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from bot.extract.datelines import document_date
from tests.extract.common import dates

D = date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Rescuers at the site of the strike in Dnipro on March 3, 2025.\nMore text.",
            D(2025, 3, 3),
        ),
        ("March 3, 2025 1:40 PM\nRussia launched drones overnight.", D(2025, 3, 3)),
        ("Firefighters work at the scene, 3 March 2025. (Reuters)", D(2025, 3, 3)),
        ("Donations for the victims of 28.04.2025 are collected by the city.", D(2025, 4, 28)),
        ("Posted Dec. 29, 2024", D(2024, 12, 29)),
        # the latest of several: an article rarely names a day later than its own
        ("The deal of July 22, 2022 was renewed. Updated on March 3, 2025.", D(2025, 3, 3)),
        # a day and month with no year: none
        ("KYIV, March 3 (Reuters) - Russia launched 50 drones overnight.", None),
        ("On Monday, March 3, air defences shot down 50 drones.", None),
        # a span's edge, or a plan, is not the document's day
        ("Ukraine has brought home 3,956 people since February 24, 2022.", None),
        ("Talks are scheduled for April 10, 2025 in Istanbul.", None),
        ("Russia launched its full-scale invasion on February 24, 2022.", None),
        # a caption of an illustration or an old picture may be years old
        ("A drone displayed in Kyiv on Aug. 4, 2023. (Illustrative purposes only)", None),
        ("File photo: the Kyiv skyline on May 9, 2021.", None),
        ("Nothing but words.", None),
        ("An impossible day: February 30, 2025.", None),
    ],
)
def test_the_day_a_text_gives_for_itself(text: str, expected: date | None) -> None:
    assert document_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a caption dates the undated document, and so its figures
        (
            "Firefighters at a damaged building in Kyiv on March 3, 2025.\n"
            "Russia launched 50 drones overnight. At least three people were injured.",
            {("attack.drones_launched", 50): D(2025, 3, 3), ("attack.injured", 3): D(2025, 3, 3)},
        ),
        # a day named without a year takes the caption's year
        (
            "Rescuers in Odesa on March 3, 2025.\n"
            "Russia launched 50 drones on the night of March 2.",
            {("attack.drones_launched", 50): D(2025, 3, 2)},
        ),
        # a dateline without a year: null
        (
            "KYIV, March 3 (Reuters) - Russia launched 50 drones overnight.",
            {("attack.drones_launched", 50): None},
        ),
        # an illustrative caption dates nothing
        (
            "A drone displayed in Kyiv on Aug. 4, 2023. (Illustrative purposes only)\n"
            "Air defences shot down 35 drones on Jan. 2.",
            {("attack.drones_downed", 35): None},
        ),
    ],
)
def test_an_undated_document_takes_the_day_its_text_gives(
    text: str, expected: dict[tuple[str, int], date | None]
) -> None:
    assert dates(text, published=None) == expected


def test_a_publication_date_wins_over_the_text() -> None:
    text = "Rescuers in Odesa on March 3, 2024.\nRussia launched 50 drones overnight."
    assert dates(text, published=D(2025, 6, 1)) == {("attack.drones_launched", 50): D(2025, 6, 1)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a toll reported days later is a figure of the strike's day (figures.md)
        (
            "The death toll from Saturday's missile strike on Odesa rose to 31 on Monday.\n"
            "At least 40 people were wounded, officials said.",
            {("attack.killed", 31): D(2025, 5, 31), ("attack.injured", 40): D(2025, 5, 31)},
        ),
        (
            "Rescuers searched the rubble of the building, which was struck by a missile on "
            "Friday. The number of dead rose to 12.",
            {("attack.killed", 12): D(2025, 5, 30)},
        ),
        # each topic keeps its own event's day
        (
            "Russia and Ukraine swapped prisoners on Sunday, a day after a massive attack on "
            "Saturday night. Each side has released 1,000 people over the past three days.",
            {("swap.released_total", 1000): D(2025, 6, 1)},
        ),
        # the day may close a longer lead clause: "an exchange during talks in X on Thursday"
        (
            "Russia and Ukraine agreed to a fresh prisoner exchange during a second round of "
            "talks in Geneva on Thursday.\n"
            "The Russian negotiator said 300 prisoners from each side were being handed over.",
            {("swap.released", 300): D(2025, 5, 29)},
        ),
        # a swap is announced the day it takes place: the statement's day, over a quote's end
        (
            "Kyiv and Moscow swapped prisoners again.\n"
            "\u201cAnother exchange of prisoners of war has been completed,\u201d the "
            "Ukrainian ombudsman wrote on Telegram on Thursday.\n"
            "\u201cWe brought home 64 of our defenders,\u201d he said.",
            {("swap.released", 64): D(2025, 5, 29)},
        ),
        # and the statement's day before the word ("confirmed on Thursday that ... exchanged")
        (
            "Ukraine and Russia swap 150 prisoners each, officials say.\n"
            "Both sides confirmed on Thursday that the captured soldiers had been exchanged "
            "near the border.",
            {("swap.released", 150): D(2025, 5, 29)},
        ),
        # not an attack's: its toll is often told a day later
        (
            "\u201cThe strike on the city center was devastating,\u201d the governor of the "
            "region told reporters on Thursday evening.\n"
            "\u201cFourteen people were killed,\u201d he said.",
            {("attack.killed", 14): D(2025, 6, 1)},
        ),
        # a day in the next sentence is not the exchange's
        (
            "Ukraine brought home 90 soldiers in an exchange.\n"
            "Talks between the two delegations are due to resume in Geneva on Thursday.",
            {("swap.released", 90): D(2025, 6, 1)},
        ),
        # "a later strike" is an event after the one the text is about: the publication day
        (
            "The death toll from Friday's missile strike on Sumy rose to 20.\n"
            "A later drone attack on the city wounded six other people, officials said.",
            {("attack.killed", 20): D(2025, 5, 30), ("attack.injured", 6): D(2025, 6, 1)},
        ),
        (
            "Rescuers searched the rubble of the building, which was struck by a missile on "
            "Friday. A subsequent strike on the same street injured 11.",
            {("attack.injured", 11): D(2025, 6, 1)},
        ),
        # no event day named: the publication day
        (
            "At least 12 people were killed in a missile strike on Kharkiv.",
            {("attack.killed", 12): D(2025, 6, 1)},
        ),
        # an event named long before the publication is background, not the document's event
        (
            "The strike on May 2 was the deadliest this year. Russia launched 50 drones.",
            {("attack.drones_launched", 50): D(2025, 6, 1)},
        ),
    ],
)
def test_a_figure_without_a_day_takes_its_events_day(
    text: str, expected: dict[tuple[str, int], date | None]
) -> None:
    assert dates(text) == expected
