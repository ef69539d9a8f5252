"""One person named by sex or age ("killed one woman") counts in an attack's toll; a swap never
counts such a word, so a swap story's aside about one person gives no released figure."""

from __future__ import annotations

import pytest

from tests.extract.common import Key, keys


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "A drone strike on Sumy overnight killed one man and injured four other people.",
            {("attack.killed", 1, "exact", "ukraine"), ("attack.injured", 4, "exact", "ukraine")},
            set(),
        ),
        (
            "Shelling of Kherson on Tuesday wounded one elderly woman, the governor said.",
            {("attack.injured", 1, "exact", "ukraine")},
            set(),
        ),
        (
            "Russian missiles struck Odesa, killing one teenage girl.",
            {("attack.killed", 1, "exact", "ukraine")},
            set(),
        ),
        (
            "Among those returned under the swap was one woman who had been held since 2022.",
            set(),
            {("swap.released", 1, "exact", "ukraine"), ("swap.released", 1, "exact", None)},
        ),
    ],
)
def test_one_person_in_a_toll(text: str, must: set[Key], must_not: set[Key]) -> None:
    found = keys(text)
    assert must <= found, found
    assert not must_not & found
