"""Issue 14, cause 1: a figure takes its time from its own clause. War-long totals and counts
over separate events give no figure; an earlier event's figure takes the day its sentence
names, or none and stands apart (Figure.earlier); a record is kept only with its day; none of
them moves the day the document is talking about. Sentences written for these tests, in the
style of wire copy and ministry statements; published Sunday 1 June 2025."""

from __future__ import annotations

from datetime import date

import pytest

from bot.extract import extract
from tests.extract.common import SUNDAY, VOCABULARY

D = date
# (metric, value) -> (event date, earlier)
Found = dict[tuple[str, int], tuple[date | None, bool]]


def found(text: str) -> Found:
    return {
        (f.metric, f.value): (f.event_date, f.earlier)
        for f in extract(text, SUNDAY, "t", VOCABULARY)
    }


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        # how long the people counted were held is no span of the count
        (
            "Ukraine brought home 84 soldiers who had been in captivity since 2022.",
            {("swap.released", 84): (D(2025, 6, 1), False)},
            set(),
        ),
        (
            "Russia received 11 residents of the Kursk region who had been held in Sumy since "
            "February.",
            {("swap.released", 11): (D(2025, 6, 1), False)},
            set(),
        ),
        # a count said since a day, of people held or captured since then, spans it still
        (
            "More than 1,300 prisoners held since 2022 have been returned.",
            {},
            {1300},
        ),
        # "at that time" goes on the day of the sentence before, an earlier exchange's too
        (
            "The previous swap took place on May 20, when both sides returned 90 soldiers each. "
            "At that time, Russia also received eight civilians from Kursk. "
            "Ukraine freed 40 more soldiers on Sunday.",
            {
                ("swap.released", 8): (D(2025, 5, 20), False),
                ("swap.released", 40): (D(2025, 6, 1), False),
            },
            set(),
        ),
        # war-long totals: no figure, wherever the "since" stands
        (
            "Since the start of the full-scale invasion, Ukraine has brought home 5,857 people.",
            {},
            {5857},
        ),
        ("Kyiv says 3,956 people have been returned since 2022.", {}, {3956}),
        (
            "The exchange was the 58th since the full-scale invasion, bringing the number of "
            "Ukrainians freed to 4,276.",
            {},
            {4276, 58},
        ),
        ("To date, Ukraine has secured the release of 3,120 of its citizens.", {}, {3120}),
        ("Ukraine brought home 1,596 people last year, the headquarters said.", {}, {1596}),
        # a span right after the number's clause, across an aside
        (
            "As officials reported earlier, 2,150 people - soldiers and civilians alike - were "
            "freed from captivity last year.",
            {},
            {2150},
        ),
        # but not an aside further on
        (
            "Russia and Ukraine each returned 120 prisoners of war on Friday, the defence "
            "ministry said, in a series of exchanges that brought hundreds home this year.",
            {("swap.released", 120): (D(2025, 5, 30), False)},
            set(),
        ),
        ("Ukraine brought home 1,358 of its citizens in 2024.", {}, {1358}),
        (
            "The two sides exchanged 150 prisoners each on Friday in their first swap in 2025.",
            {("swap.released", 150): (D(2025, 5, 30), False)},
            set(),
        ),
        # an earlier event, a comparison with one
        (
            "A week ago, the two sides exchanged 95 prisoners each.",
            {("swap.released", 95): (None, True)},
            set(),
        ),
        (
            "Russia launched 700 drones overnight, more than double the 320 drones of a week "
            "earlier.",
            {("attack.drones_launched", 700): (D(2025, 6, 1), False)},
            {320},
        ),
        # counts over separate swaps
        ("About 600 prisoners were returned in February in two separate swaps.", {}, {600}),
        ("Kyiv secured the release of 98 prisoners in the past week.", {}, {98}),
        # a "since" that describes this event spans nothing
        (
            "Russia and Ukraine swapped 95 prisoners each on Saturday, their first exchange "
            "since May.",
            {("swap.released", 95): (D(2025, 5, 31), False)},
            set(),
        ),
        (
            "Russia and Ukraine swapped 95 prisoners each on Saturday in their first exchange "
            "since May.",
            {("swap.released", 95): (D(2025, 5, 31), False)},
            set(),
        ),
        (
            "Russia launched 800 drones overnight, the most since July, when 728 were launched.",
            {("attack.drones_launched", 800): (D(2025, 6, 1), False)},
            {728},
        ),
        (
            "Russia launched 800 drones overnight, the most since May 9, when 728 were launched.",
            {
                ("attack.drones_launched", 800): (D(2025, 6, 1), False),
                ("attack.drones_launched", 728): (D(2025, 5, 9), False),
            },
            set(),
        ),
        (
            "Ukraine and Russia each returned 150 prisoners of war on Friday in the 52nd exchange "
            "since 2022.",
            {("swap.released", 150): (D(2025, 5, 30), False)},
            set(),
        ),
        (
            "Russia launched 470 drones overnight in the largest attack since the war began.",
            {("attack.drones_launched", 470): (D(2025, 6, 1), False)},
            set(),
        ),
        # an earlier event the text does not date: no date, apart
        (
            "In early August the two sides swapped 84 prisoners each.",
            {("swap.released", 84): (None, True)},
            set(),
        ),
        (
            "In January, the two sides exchanged 248 prisoners each.",
            {("swap.released", 248): (None, True)},
            set(),
        ),
        (
            "The two sides last swapped prisoners in early May, when 205 were freed each.",
            {("swap.released", 205): (None, True)},
            set(),
        ),
        (
            "At the start of 2024, Ukraine brought home 230 defenders.",
            {("swap.released", 230): (None, True)},
            set(),
        ),
        # an earlier event the text dates: that day
        (
            "The previous exchange took place on May 19, when both sides returned 146 soldiers "
            "each.",
            {("swap.released", 146): (D(2025, 5, 19), False)},
            set(),
        ),
        # records: only with their day
        ("The previous record was 102 missiles in June.", {}, {102}),
        (
            "Russia fired 120 missiles overnight, surpassing the previous record of 102 missiles "
            "fired on March 14.",
            {
                ("attack.missiles_launched", 120): (D(2025, 6, 1), False),
                ("attack.missiles_launched", 102): (D(2025, 3, 14), False),
            },
            set(),
        ),
        # a possessive names when this event is; an earlier toll of this event stays with it
        (
            "This year's largest swap returned 300 prisoners to each side on Friday.",
            {("swap.released", 300): (D(2025, 5, 30), False)},
            set(),
        ),
        (
            "The death toll rose to 23, up from 19.",
            {
                ("attack.killed", 23): (D(2025, 6, 1), False),
                ("attack.killed", 19): (D(2025, 6, 1), False),
            },
            set(),
        ),
        # today's event: untouched
        (
            "Russia and Ukraine exchanged 390 prisoners each on Friday.",
            {("swap.released", 390): (D(2025, 5, 30), False)},
            set(),
        ),
    ],
)
def test_a_figure_takes_its_time_from_its_clause(
    text: str, must: Found, must_not: set[int]
) -> None:
    figures = found(text)
    assert {key: figures.get(key) for key in must} == must
    assert {value for _, value in figures} & must_not == set()


def test_another_event_does_not_move_the_day_of_the_document() -> None:
    text = (
        "Russia launched 90 drones at Ukraine on Friday. "
        "The strike was bigger than the March 14 attack, which involved 40 drones. "
        "Air defences shot down 70 drones."
    )
    assert found(text) == {
        ("attack.drones_launched", 90): (D(2025, 5, 30), False),
        ("attack.drones_launched", 40): (D(2025, 3, 14), False),
        ("attack.drones_downed", 70): (D(2025, 5, 30), False),
    }


def test_an_earlier_undated_figure_joins_no_event_of_the_document() -> None:
    text = (
        "Russia and Ukraine exchanged 200 prisoners each on Saturday. "
        "In early February, both sides released 157 prisoners each."
    )
    assert found(text) == {
        ("swap.released", 200): (D(2025, 5, 31), False),
        ("swap.released", 157): (None, True),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an agreed count is dated only where the text dates the agreement
        (
            "During the May 16 talks in Istanbul, the two sides agreed to exchange 1,000 "
            "prisoners each.",
            D(2025, 5, 16),
        ),
        (
            "The delegations met in Istanbul on Friday and agreed to swap 1,200 more prisoners.",
            D(2025, 5, 30),
        ),
        ("Friday's swap was the first phase of a deal to exchange 1,000 prisoners each.", None),
        ("Kyiv and Moscow agreed to exchange 1,000 prisoners each.", None),
    ],
)
def test_an_agreed_count_takes_the_day_of_its_agreement(text: str, expected: date | None) -> None:
    assert [
        f.event_date for f in extract(text, SUNDAY, "t", VOCABULARY) if f.metric == "swap.agreed"
    ] == [expected]
