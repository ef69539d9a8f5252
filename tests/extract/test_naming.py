"""How replies say each metric and how questions name it is config (metrics.toml's `reply`,
`asked` and [question_words], issue 13): read with the vocabulary, checked like it."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from bot.errors import ConfigError
from bot.extract import Wording, build_vocabulary
from tests.extract.common import REPO, VOCABULARY
from tests.naming import SHIPPED_NAMING

SHIPPED = REPO / "config" / "metrics.toml"
NAMING = VOCABULARY.naming


@pytest.mark.parametrize(
    ("metric", "words"),
    [
        (
            "attack.launched",
            Wording(
                "Launched",
                "missiles and drones launched",
                "missile or drone launched",
                "missiles and drones",
                "missile or drone",
            ),
        ),
        ("attack.drones_shot_down", Wording("Drones shot down", "drones shot down",
            "drone shot down", "shot down", "shot down")),
        ("attack.killed", Wording("Killed", "people killed", "person killed")),
        ("attack.alert_hours", Wording("Air-raid alert", "hours of air-raid alert",
            "hour of air-raid alert", "hours", "hour")),
        ("swap.agreed", Wording("Agreed", "people agreed to be exchanged", "person agreed")),
        ("attack.power_outages", Wording("Power outages", "power outages", "power outages")),
    ],
)  # fmt: skip
def test_replies_say_a_metric_in_its_configured_words(metric: str, words: Wording) -> None:
    assert NAMING.wording(metric) == words


def test_replies_list_the_metrics_in_the_order_of_the_file() -> None:
    assert NAMING.order == tuple(tomllib.loads(SHIPPED.read_text(encoding="utf-8"))["metrics"])
    assert NAMING.order[0] == "attack.launched"  # the attack metrics first, as answers list them
    assert NAMING.order[-3:] == ("swap.released", "swap.released_total", "swap.agreed")


def test_without_a_user_config_the_rulebooks_naming_is_the_shipped_files() -> None:
    assert SHIPPED_NAMING.wordings == NAMING.wordings
    assert [metrics for _, metrics in SHIPPED_NAMING.asking] == [
        metrics for _, metrics in NAMING.asking
    ]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("how many people were killed?", ("attack.killed",)),
        ("how many died?", ("attack.killed",)),
        ("how many were hospitalised?", ("attack.injured",)),
        # "casualties" is listed by killed and injured; a metric's own word comes first
        ("casualties?", ("attack.killed", "attack.injured")),
        ("how many casualties were wounded?", ("attack.injured", "attack.killed")),
        ("how many killed and wounded?", ("attack.killed", "attack.injured")),
        ("any fires after the casualties?", ("attack.killed", "attack.injured", "attack.fires")),
        # @place and @hit stand for each word of their lists; a lone * for any one word
        ("how many districts?", ("attack.places_hit",)),
        ("how many ukrainian cities were struck?", ("attack.places_hit",)),
        ("which villages were damaged?", ("attack.places_hit",)),
        ("which villages were badly damaged?", ()),
        ("where did debris fall?", ("attack.places_hit",)),
        ("did a fire break out?", ("attack.fires",)),
        ("how many drones did they fire?", ()),
        ("how long did the sirens sound?", ("attack.alert_hours",)),
        ("how many prisoners came home?", ("swap.released",)),
        ("what was agreed?", ("swap.agreed",)),
        ("what is the deal's total?", ("swap.agreed",)),
        ("how many drones were shot down?", ()),
        ("a skilled, hurtful question", ()),
    ],
)
def test_questions_name_metrics_by_their_asked_phrases(
    question: str, named: tuple[str, ...]
) -> None:
    assert NAMING.named(question) == named


def metrics_toml(extra: str = "", reply: str = "", asked: str = "") -> dict[str, Any]:
    """A small parsed metrics.toml with one metric, its `reply` and `asked` lines given."""
    return tomllib.loads(
        f"""
{extra}
[nouns]
fire = ["fire", "fires"]
[sides.attack]
default = "ukraine"
[metrics."attack.fires"]
topic = "attack"
counts = ["fire"]
cues = ["fires"]
{reply}
{asked}
"""
    )


def test_a_small_config_is_read() -> None:
    data = metrics_toml(
        '[question_words]\nfire = ["fire", "fires"]',
        'reply = {heading = "Fires", many = "fires", one = "fire"}',
        'asked = ["any @fire", "a * fire"]',
    )
    naming = build_vocabulary(data).naming
    assert naming.wording("attack.fires") == Wording("Fires", "fires", "fire")
    assert [naming.named(q) for q in ("any fires?", "a big fire", "a fire", "fires")] == [
        ("attack.fires",),
        ("attack.fires",),
        (),
        (),
    ]


@pytest.mark.parametrize(
    ("extra", "reply", "asked", "error"),
    [
        ("", 'reply = "Fires"', "", "reply must be a table"),
        ("", 'reply = {heading = "Fires", many = "fires"}', "", "reply needs one"),
        ("", 'reply = {heading = "", many = "fires", one = "fire"}', "", "must not be empty"),
        ("", 'reply = {heading = "F", many = "f", one = 1}', "", "reply.one must be a string"),
        ("", 'reply.heading = "F"\nreply.many = "f"\nreply.one = "f"\nreply.colour = "red"', "",
            "reply.colour is not one of heading, many, one, unit, unit_one"),
        ("", 'reply = {heading = "F", many = "f", one = "f", unit = "f"}', "",
            "both unit and unit_one"),
        ("", "", 'asked = "fires"', "asked must be a list of strings"),
        ("", "", 'asked = [" "]', "asked has an empty phrase"),
        ("", "", 'asked = ["@blaze"]', "names @blaze, which [question_words] does not define"),
        ("", "", 'asked = ["* fire"]', "a lone * (any one word) must stand between two words"),
        ("", "", 'asked = ["any *"]', "a lone * (any one word) must stand between two words"),
        ("question_words = []", "", "", "[question_words] must be a table"),
        ('[question_words]\nfire = "fire"', "", "", "question_words.fire must be a list"),
        ('[question_words]\nfire = ["@blaze"]', "", "", "a list cannot name another"),
    ],
)  # fmt: skip
def test_a_malformed_entry_is_a_config_error(
    extra: str, reply: str, asked: str, error: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        build_vocabulary(metrics_toml(extra, reply, asked))
    assert str(raised.value).startswith("metrics.toml: ")
    assert error in str(raised.value)
