"""Split lines ("245 = 128 shot down + 117 jammed") come from the sum checks of checks.toml, the
user's included (issue 13): a `[[sum]]` added in config gives summaries and answers a new line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.commands.answers import attack_lines
from bot.commands.views import EventView
from bot.compose import figure_lines, split_line, split_of, summary
from bot.reconcile.engine import EventState, reconcile_event
from bot.reconcile.events import Event
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from tests.naming import SHIPPED_NAMING
from tests.reconcile.reports import CONFIG, report
from tests.reconcile.test_engine import kyiv_may_24

KYIV = Event("attack-ukraine-2025-05-24", "attack", "ukraine", date(2025, 5, 24), date(2025, 5, 24))
FIRES = """
[[sum]]
name = "house fires + field fires = fires"
parts = ["attack.house_fires", "attack.field_fires"]
total = "attack.fires"
"""


def fires_state(rulebook: Rulebook) -> EventState:
    reports = [
        *kyiv_may_24(),
        report("attack.fires", 5, "A"),
        report("attack.house_fires", 3, "A"),
        report("attack.field_fires", 2, "A"),
    ]
    return reconcile_event(KYIV.id, reports, rulebook.rules)


@pytest.fixture
def user_rulebook(tmp_path: Path) -> Rulebook:
    """The shipped rules with one more `[[sum]]` in the user's checks.toml."""
    shipped = (CONFIG / "checks.toml").read_text(encoding="utf-8")
    (tmp_path / "checks.toml").write_text(shipped + FIRES, encoding="utf-8")
    return Rulebook.from_settings(Settings.from_env({"TALLYWIRE_CONFIG": str(tmp_path)}))


LAUNCHED = "Launched: 14 missiles (A) and 250 drones (A, C)."
DRONES = "Drones downed: 245 (A, C) = 128 shot down (B) + 117 jammed (A, B)."
TYPO = (
    "Drones shot down: 128 kept (B); A says 1,280: set aside, it breaks 128 + 117 = 245 and is"
    " an order of magnitude off the other sources."
)


def test_the_shipped_sums_give_the_split_lines_of_an_attack() -> None:
    state = fires_state(Rulebook.from_settings(Settings.from_env({})))
    assert attack_lines(EventView(KYIV, state), names=SHIPPED_NAMING) == [
        LAUNCHED,
        "Missiles downed: 6 (A).",
        DRONES,
        "Fires: 5 (A).",
        "Field fires: 2 (A).",
        "House fires: 3 (A).",
        TYPO,
    ]
    assert split_of(state, "attack.fires") is None


def test_a_sum_in_the_users_checks_toml_gives_a_new_split_line(user_rulebook: Rulebook) -> None:
    state = fires_state(user_rulebook)
    assert attack_lines(EventView(KYIV, state), names=SHIPPED_NAMING) == [
        LAUNCHED,
        "Missiles downed: 6 (A).",
        DRONES,
        "Fires: 5 = 3 + 2 (A).",
        TYPO,
    ]
    split = split_of(state, "attack.house_fires")
    assert split == ("attack.fires", ("attack.house_fires", "attack.field_fires"))
    assert split_line(state, split, SHIPPED_NAMING) == "5 = 3 + 2 (A)"
    assert figure_lines(state, ["attack.fires"], names=SHIPPED_NAMING) == [
        "5 fires (A).",
        "Fires: 5 = 3 + 2 (A).",
    ]
    assert "Adds up: 3 + 2 = 5" in summary(KYIV, state, names=SHIPPED_NAMING).lines


def test_a_split_whose_sum_does_not_hold_reads_of_which(user_rulebook: Rulebook) -> None:
    state = reconcile_event(
        KYIV.id,
        [
            report("attack.fires", 5, "A"),
            report("attack.house_fires", 3, "B"),
            report("attack.field_fires", 1, "B"),
        ],
        user_rulebook.rules,
    )
    split = split_of(state, "attack.fires")
    assert split is not None
    assert split_line(state, split, SHIPPED_NAMING) == "5 (A), of which 3 (B) and 1 (B)"
