"""A running total told with the words of a release ("returned home", "coming home") is a
running total: the longer cue of the plain release must not hide it."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "The ombudsman said a total of 640 Ukrainian soldiers had returned home over the "
            "past three days.",
            {("swap.released_total", 640, "exact", "ukraine")},
            {("swap.released", 640, "exact", "ukraine")},
        ),
        (
            "So far 820 Ukrainians are coming home under the deal, the ministry said.",
            {("swap.released_total", 820, "exact", "ukraine")},
            {("swap.released", 820, "exact", "ukraine")},
        ),
        # one day's release keeps its metric
        (
            "On Saturday 307 Ukrainian soldiers returned home, Zelensky said.",
            {("swap.released", 307, "exact", "ukraine")},
            {("swap.released_total", 307, "exact", "ukraine")},
        ),
    ],
)
def test_a_running_total_in_release_words(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found
    assert not must_not & found
