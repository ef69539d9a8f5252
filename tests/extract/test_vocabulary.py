"""The metric vocabulary is config: a metric is added by editing metrics.toml, not the code."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.extract import build_vocabulary, extract, load_vocabulary
from tests.extract.common import REPO, SUNDAY, VOCABULARY

SHIPPED = REPO / "config" / "metrics.toml"
OUTAGES = """
[metrics."attack.power_outages"]
topic = "attack"
toll = true
counts = ["household"]
cues = ["without power", "without electricity", "lost power", "power outage*", "blackout*",
        "de-energi*", "cut off"]
blockers = ["@forecast"]
"""
SENTENCE = "The strikes left 120,000 households without power in the Odesa region, officials said."


def with_outages(folder: Path) -> Path:
    """A copy of the shipped metrics.toml with one metric and one noun class more."""
    text = SHIPPED.read_text(encoding="utf-8").replace(
        "[nouns]\n", '[nouns]\nhousehold = ["households", "homes", "consumers", "subscribers"]\n', 1
    )
    path = folder / "metrics.toml"
    path.write_text(text + OUTAGES, encoding="utf-8")
    return path


def test_a_metric_is_a_config_edit(tmp_path: Path) -> None:
    vocabulary = load_vocabulary(with_outages(tmp_path))
    figures = extract(SENTENCE, SUNDAY, "t", vocabulary)
    assert [(f.metric, f.value, f.qualifier, f.side) for f in figures] == [
        ("attack.power_outages", 120_000, "exact", "ukraine")
    ]
    assert "attack.power_outages" in vocabulary.tolls
    assert (
        extract(SENTENCE, SUNDAY, "t", VOCABULARY) == []
    )  # the shipped vocabulary has no such metric


def test_the_shipped_vocabulary_has_the_metrics_of_figures_md() -> None:
    assert set(VOCABULARY.metrics) == {
        "swap.released",
        "swap.released_total",
        "swap.agreed",
        "attack.launched",
        "attack.missiles_launched",
        "attack.drones_launched",
        "attack.missiles_downed",
        "attack.drones_downed",
        "attack.drones_shot_down",
        "attack.drones_jammed",
        "attack.killed",
        "attack.injured",
        "attack.places_hit",
        "attack.fires",
        "attack.alert_hours",
    }
    assert VOCABULARY.tolls == {
        "attack.killed",
        "attack.injured",
        "attack.places_hit",
        "swap.released_total",
    }


def shipped_data() -> dict[str, object]:
    return tomllib.loads(SHIPPED.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["metrics"]["attack.killed"].update(counts=["corpse"]), "counts 'corpse'"),
        (lambda d: d["metrics"]["attack.killed"].update(topic="war"), "topic 'war'"),
        (lambda d: d["metrics"]["attack.killed"].update(blockers=["@nonsense"]), "@nonsense"),
        (lambda d: d["metrics"]["attack.killed"].update(cues="killed"), "cues must be a list"),
        (lambda d: d["blockers"]["forecast"].update(scope="nearby"), "scope must be one of"),
        (lambda d: d["metrics"]["attack.drones_shot_down"].update(split_with=["x.y"]), "'x.y'"),
        (lambda d: d["qualifiers"].update(roughly=["ish"]), "roughly"),
        (lambda d: d["parts"].update(wholes=["attack.rockets"]), "attack.rockets"),
        (lambda d: d["parts"].update(kinds="marines"), "kinds must be a list"),
    ],
)
def test_a_malformed_vocabulary_is_a_config_error(change: object, message: str) -> None:
    data = shipped_data()
    change(data)  # type: ignore[operator]
    with pytest.raises(ConfigError, match=message):
        build_vocabulary(data, "metrics.toml")


def test_an_unreadable_vocabulary_is_a_config_error(tmp_path: Path) -> None:
    broken = tmp_path / "metrics.toml"
    broken.write_text("[metrics\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"metrics\.toml"):
        load_vocabulary(broken)
    with pytest.raises(ConfigError, match="cannot read"):
        load_vocabulary(tmp_path / "missing.toml")
