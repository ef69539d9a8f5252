"""A phrase index finds the same phrase with its group-free pattern (PhraseIndex.spans and
number) as with the groups that name each phrase: the sentence scan relies on it."""

from __future__ import annotations

import pytest

from bot.extract.phrases import PhraseIndex, compile_phrases

INDEX = compile_phrases(
    {
        "drone": ["drone*", "drones", "attack drones"],
        "side": ["russia's", "russia’s defence ministry", "armed forces"],
        "time": ["overnight", "over"],
        "odd": ["u.s.", "(ap)", "-based"],
    }
)

TEXTS = [
    "russia launched 90 attack drones overnight, and drones again on monday",
    "russia's and russia’s defence ministry said; dronesmith drone-makers",
    "the armed  forces\nsaid over the u.s. and over-the-top",
    "kyiv-based (ap) reporters; drones_ drones",
    "attack drone attack dronesx overnightly",
]


def named(index: PhraseIndex, text: str) -> list[tuple[int, int, int]]:
    """(start, end, phrase number) of each hit, as the groups name them."""
    return [
        (*m.span(), index.group_phrases[m.lastindex or 0]) for m in index.pattern.finditer(text)
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_group_free_scan_finds_the_same_phrases(text: str) -> None:
    assert INDEX.spans is not None
    found = [(*m.span(), INDEX.number(text, m)) for m in INDEX.spans.finditer(text)]
    assert found == named(INDEX, text)


def test_a_phrase_that_a_wildcard_takes_first_is_not_told_by_its_text() -> None:
    # "drone*" comes before "drones" in the pattern and takes its text: "drones" must not be
    # looked up by text, or the scan would name another phrase than the pattern does.
    assert "drones" not in INDEX.texts
    assert INDEX.texts["overnight"] == INDEX.phrases.index("overnight")
    assert named(INDEX, "drones")[0][2] == INDEX.phrases.index("drone*")
