"""Who claims a figure (issue 14, cause 4): the claimant the text attributes it to, by a short
stable name, None where it names no one. Sentences of our own in the style of wire copy, live
blogs and ministry statements."""

from __future__ import annotations

import tomllib

import pytest

from bot.errors import ConfigError
from bot.extract import build_vocabulary, extract
from tests.extract.common import REPO, SUNDAY, VOCABULARY

Claimed = tuple[int, str | None]

CASES: list[tuple[str, set[Claimed]]] = [
    # "X said", in any of its spellings, normalised
    (
        "Russia's defence ministry said 180 Ukrainians were returned.",
        {(180, "Russian defence ministry")},
    ),
    (
        "The Russian Defense Ministry said 44 drones were destroyed overnight.",
        {(44, "Russian defence ministry")},
    ),
    (
        "The Ukrainian air force said Russia launched 212 drones overnight.",
        {(212, "Ukrainian air force")},
    ),
    ("Ukraine's Air Force said it shot down 38 drones.", {(38, "Ukrainian air force")}),
    (
        "Russia launched 95 drones overnight, the air force said on Telegram.",
        {(95, "Ukrainian air force")},
    ),
    # two claimants in one sentence, each for its own count
    (
        "Russia's defence ministry said 180 Ukrainians were returned; Zelensky said 193 came home.",
        {(180, "Russian defence ministry"), (193, "Zelensky")},
    ),
    # "according to X", and a person with a role
    (
        "At least 14 people were injured, according to the regional governor.",
        {(14, "regional governor")},
    ),
    (
        "Kyiv mayor Vitali Klitschko said nine people were injured in the capital.",
        {(9, "Klitschko")},
    ),
    ("At least six people were killed, Governor Ivan Petrenko said.", {(6, "Petrenko")}),
    ("Some 120 prisoners came home, President Volodymyr Zelenskyy announced.", {(120, "Zelensky")}),
    (
        "The Coordination Headquarters said 103 defenders were freed.",
        {(103, "Coordination Headquarters")},
    ),
    # a pronoun is the speaker named before
    (
        "Ihor Lysenko, the regional governor, spoke on Monday. He said seven people were wounded.",
        {(7, "Lysenko")},
    ),
    # a quotation takes the speaker of the sentence before it
    (
        "Zelensky said on Telegram:\n“Today we brought home 84 of our defenders.”",
        {(84, "Zelensky")},
    ),
    # no one named: the outlet's own report
    ("Russia launched 60 drones at Ukraine overnight.", {(60, None)}),
    # a speaker who says something else is no claimant of the count
    (
        "Russia fired 30 drones at Kyiv, days after the Kremlin said there would be no more "
        "strikes.",
        {(30, None)},
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_claimant(text: str, expected: set[Claimed]) -> None:
    found = {(f.value, f.claimant) for f in extract(text, SUNDAY, "t", VOCABULARY)}
    assert expected <= found
    assert {value for value, _ in found} >= {value for value, _ in expected}
    assert len({c for v, c in found if v in {value for value, _ in expected}}) == len(
        {c for _, c in expected}
    )


@pytest.mark.parametrize(
    ("table", "broken"),
    [
        ("claimants", {"verbs": "said"}),
        ("claimants", {"ukraine": ["Zelensky"]}),
        ("places", {"before": "in"}),
        ("receivers", {"give": "handed over"}),
    ],
)
def test_a_malformed_attribution_table_is_a_config_error(
    table: str, broken: dict[str, object]
) -> None:
    data = tomllib.loads((REPO / "config" / "metrics.toml").read_text(encoding="utf-8"))
    with pytest.raises(ConfigError, match=table):
        build_vocabulary({**data, table: broken})
