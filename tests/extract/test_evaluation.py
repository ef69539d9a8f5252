"""Scoring against gold (figures.md, "How extraction is scored"), as tables of cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.extract.evaluation import Counts, format_score, load_gold, score
from bot.extract.figures import Figure


def row(
    doc: str, metric: str, value: int, qualifier: str = "exact", day: str | None = None
) -> dict[str, object]:
    return {
        "source": doc,
        "metric": metric,
        "value": value,
        "qualifier": qualifier,
        "event_date": day,
        "side": None,
        "evidence": f"{metric} {value}",
    }


GOLD = [
    row("a", "attack.killed", 12, "at_least", "2025-05-24"),
    row("a", "attack.injured", 15, "exact", "2025-05-24"),
    row("b", "swap.released", 307, "exact", None),
]


@pytest.mark.parametrize(
    ("predicted", "loose", "strict"),
    [
        (GOLD, Counts(3, 0, 0), Counts(3, 0, 0)),
        ([], Counts(0, 0, 3), Counts(0, 0, 3)),
        # a repeated mention counts once
        (
            [*GOLD, row("a", "attack.killed", 12, "at_least", "2025-05-24")],
            Counts(3, 0, 0),
            Counts(3, 0, 0),
        ),
        # a wrong qualifier is a miss and a false figure
        (
            [row("a", "attack.killed", 12, "exact", "2025-05-24"), *GOLD[1:]],
            Counts(2, 1, 1),
            Counts(2, 1, 1),
        ),
        # the same key in another document does not count
        (
            [row("b", "attack.killed", 12, "at_least", "2025-05-24"), *GOLD[1:]],
            Counts(2, 1, 1),
            Counts(2, 1, 1),
        ),
        # a wrong date fails strict only; no date in the gold fails nothing
        (
            [
                row("a", "attack.killed", 12, "at_least", "2025-05-25"),
                GOLD[1],
                row("b", "swap.released", 307, "exact", "2025-05-24"),
            ],
            Counts(3, 0, 0),
            Counts(2, 1, 1),
        ),
    ],
)
def test_counts(predicted: list[dict[str, object]], loose: Counts, strict: Counts) -> None:
    result = score(GOLD, predicted)
    assert (result.overall_loose, result.overall_strict) == (loose, strict)


def test_per_metric_and_micro_averages() -> None:
    result = score(GOLD, [GOLD[0], row("a", "attack.injured", 16)])
    assert result.loose["attack.killed"] == Counts(1, 0, 0)
    assert result.loose["attack.injured"] == Counts(0, 1, 1)
    assert result.loose["swap.released"] == Counts(0, 0, 1)
    overall = result.overall_loose
    assert (round(overall.precision, 3), round(overall.recall, 3), round(overall.f1, 3)) == (
        0.5,
        0.333,
        0.4,
    )


def test_documents_limit_the_scoring() -> None:
    assert score(GOLD, [GOLD[2]], documents={"b"}).overall_loose == Counts(1, 0, 0)


def test_figures_are_scored_as_their_json() -> None:
    figure = Figure("swap.released", 307, "exact", date(2025, 5, 24), "both", "b", "each side ...")
    assert score(GOLD[2:], [figure]).overall_strict == Counts(1, 0, 0)


def test_the_printout_names_what_went_wrong_and_ends_with_the_overall_lines() -> None:
    result = score(
        GOLD, [row("a", "attack.killed", 12, "at_least", "2025-05-25"), row("a", "attack.fires", 2)]
    )
    lines = format_score(result).splitlines()
    text = "\n".join(lines)
    assert "misses (in the gold, not found): 2" in text
    assert (
        "a  attack.injured 15 exact 2025-05-24" in text
        and "b  swap.released 307 exact null" in text
    )
    assert (
        "false figures (found, not in the gold): 1" in text
        and "a  attack.fires 2 exact null" in text
    )
    assert "attack.killed 12 at_least 2025-05-25 (gold: 2025-05-24)" in text
    assert lines[-3] == "overall loose   P=0.500 R=0.333 F1=0.400  (tp 1, fp 1, fn 2)"
    assert lines[-2] == "overall strict  P=0.000 R=0.000 F1=0.000  (tp 0, fp 2, fn 3)"
    assert lines[-1] == "overall side    P=0.500 R=0.333 F1=0.400  (tp 1, fp 1, fn 2)"


def test_load_gold(tmp_path: Path) -> None:
    good = tmp_path / "gold.jsonl"
    good.write_text(
        '{"source": "a", "metric": "attack.killed", "value": 3, "qualifier": "exact"}\n\n'
    )
    assert load_gold(good) == [
        {"source": "a", "metric": "attack.killed", "value": 3, "qualifier": "exact"}
    ]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "a"}\n')
    with pytest.raises(ConfigError, match=r"bad\.jsonl:1"):
        load_gold(bad)


def sided(doc: str, value: int, side: str | None) -> dict[str, object]:
    return {**row(doc, "swap.released", value), "side": side}


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        # the side is part of the key: a wrong side is a miss and a false figure
        ([sided("s", 90, "ukraine")], [sided("s", 90, "ukraine")], Counts(1, 0, 0)),
        ([sided("s", 90, "ukraine")], [sided("s", 90, "russia")], Counts(0, 1, 1)),
        # null is a side of its own (a combined total)
        ([sided("s", 300, None)], [sided("s", 300, "russia")], Counts(0, 1, 1)),
        ([sided("s", 300, None)], [sided("s", 300, None)], Counts(1, 0, 0)),
        # one key with two sides in the gold is two keys
        (
            [sided("s", 90, "ukraine"), sided("s", 90, "russia")],
            [sided("s", 90, "ukraine")],
            Counts(1, 0, 1),
        ),
    ],
)
def test_side_keyed_counts(
    gold: list[dict[str, object]], predicted: list[dict[str, object]], expected: Counts
) -> None:
    result = score(gold, predicted)
    assert result.overall_side == expected
    assert format_score(result).splitlines()[-1].startswith("overall side    P=")
