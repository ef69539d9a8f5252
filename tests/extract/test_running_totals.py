"""Issue 14, cause 1: a running total of released people is one deal's only where the sentence
ties it to that deal (its name, its phases, the days it took); otherwise it counts returns
across separate swaps or the whole war and is no figure. The count of an earlier exchange said
to be completed is the total that deal reached, not one day's release."""

from __future__ import annotations

import pytest

from bot.extract import extract
from tests.extract.common import SUNDAY, VOCABULARY, Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        # a live blog's tally of all returns so far: no deal, no phase, no days
        (
            "In total, nearly 300 Ukrainians have already come home from Russian captivity.",
            set(),
            {("swap.released_total", 300, "nearly", "ukraine")},
        ),
        (
            "Altogether 450 prisoners have been freed so far, the ombudsman wrote on Telegram.",
            set(),
            {("swap.released_total", 450, "exact", None)},
        ),
        # tied to the deal, its days or its phases: a running total
        (
            "In total, 780 Ukrainians have already been freed under the Jeddah deal.",
            {("swap.released_total", 780, "exact", "ukraine")},
            set(),
        ),
        (
            "So far 610 soldiers have been returned to each side over the past three days.",
            {("swap.released_total", 610, "exact", "both")},
            set(),
        ),
        (
            "Altogether 520 people have come home in two stages, the coordination headquarters "
            "said.",
            {("swap.released_total", 520, "exact", "ukraine")},
            set(),
        ),
        # a completed earlier exchange: the deal's total, not a release of its own
        (
            "The negotiators said both sides had completed an earlier exchange involving 900 "
            "prisoners from each side, and agreed on a new one.",
            {("swap.released_total", 900, "exact", "both")},
            {("swap.released", 900, "exact", "both")},
        ),
        (
            "Kyiv and Moscow finished a previous swap of 640 captives each last month.",
            {("swap.released_total", 640, "exact", "both")},
            {("swap.released", 640, "exact", "both")},
        ),
        # the phases of the deal named in its own sentence, or in the next one going on about it
        (
            "Ukraine has brought home 210 soldiers in several stages, the ombudsman said.",
            {("swap.released_total", 210, "exact", "ukraine")},
            {("swap.released", 210, "exact", "ukraine")},
        ),
        (
            '"We are bringing back 140 of our defenders. It has been happening in stages over '
            'the past few days," the head of the presidential office wrote.',
            {("swap.released_total", 140, "exact", "ukraine")},
            {("swap.released", 140, "exact", "ukraine")},
        ),
        # the next sentence counts, or opens another paragraph: the release stays one
        (
            "Ukraine brought home 75 soldiers on Sunday. It was the third swap in stages since "
            "May, when 90 came back.",
            {("swap.released", 75, "exact", "ukraine")},
            {("swap.released_total", 75, "exact", "ukraine")},
        ),
        (
            "Ukraine brought home 75 soldiers on Sunday.\nThis took place in several stages.",
            {("swap.released", 75, "exact", "ukraine")},
            {("swap.released_total", 75, "exact", "ukraine")},
        ),
        # an earlier exchange not said to be completed keeps its release
        (
            "In a previous exchange, 84 soldiers were returned to each side.",
            {("swap.released", 84, "exact", "both")},
            {("swap.released_total", 84, "exact", "both")},
        ),
        # today's exchange completed is today's release
        (
            "Russia and Ukraine completed an exchange of 95 prisoners each on Friday.",
            {("swap.released", 95, "exact", "both")},
            {("swap.released_total", 95, "exact", "both")},
        ),
    ],
)
def test_a_running_total_is_one_deals_only_where_the_text_ties_it(
    text: str, must: set[Key], must_not: set[Key]
) -> None:
    found = keys(text)
    assert must <= found, found
    assert not must_not & found, found


def test_a_completed_earlier_exchange_is_an_earlier_event_of_its_own() -> None:
    text = (
        "Both sides completed an earlier exchange involving 900 prisoners from each side, the "
        "envoy said on Wednesday."
    )
    figures = [f for f in extract(text, SUNDAY, "t", VOCABULARY) if f.value == 900]
    assert [(f.metric, f.earlier) for f in figures] == [("swap.released_total", True)]
