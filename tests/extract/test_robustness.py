"""Text that is empty, huge, binary or in another language gives no figures and no exception."""

from __future__ import annotations

import random
from datetime import date

import pytest

from bot.extract import extract
from tests.extract.common import SUNDAY, VOCABULARY

FILLER = (
    "The city council met again to discuss the reconstruction plan for the old quarter, and "
    "residents asked about schools, roads and the heating season. "
)
ARTICLE = (
    "Russia attacked Ukraine overnight with 69 missiles and 298 drones, the air force said. "
    "At least 12 people were killed and 15 injured.\n\n"
)


def run(text: str, published: date | None = SUNDAY) -> list[tuple[str, int]]:
    return [(f.metric, f.value) for f in extract(text, published, "t", VOCABULARY)]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", ".", "0", "one", "…", "\x00\x00"])
def test_empty_and_tiny_text(text: str) -> None:
    assert run(text) == []


def test_ten_megabytes_of_prose_without_figures() -> None:
    text = FILLER * (10_000_000 // len(FILLER))
    assert run(text) == []


def test_ten_megabytes_on_one_line_without_sentence_ends() -> None:
    text = "drones 5 missiles 7 people " * (10_000_000 // 27)
    assert run(text) == []  # no sentence is that long: a dump, not a report


def test_a_megabyte_of_one_article_repeated_gives_its_figures() -> None:
    found = run(ARTICLE * (1_000_000 // len(ARTICLE)))
    assert set(found) == {
        ("attack.missiles_launched", 69),
        ("attack.drones_launched", 298),
        ("attack.killed", 12),
        ("attack.injured", 15),
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_binary_garbage(seed: int) -> None:
    noise = random.Random(seed).randbytes(1_000_000)
    assert run(noise.decode("utf-8", errors="replace")) == []
    assert run(noise.decode("latin-1")) == []


@pytest.mark.parametrize(
    "text",
    [
        "Росія атакувала Україну 69 ракетами та 298 дронами, 12 людей загинули, 15 поранені.",
        "У Києві поранено 15 людей, пошкоджено шість районів; тривога тривала 8 годин.",
        "Россия выпустила по Украине 14 баллистических ракет и 250 дронов, погибли 12 человек.",
        "Der russische Angriff tötete 12 Menschen, 40 wurden verletzt, 250 Drohnen wurden "
        "abgeschossen.",
        "Die Ukraine und Russland haben je 390 Gefangene ausgetauscht.",
    ],
)
def test_another_language(text: str) -> None:
    assert run(text) == []
