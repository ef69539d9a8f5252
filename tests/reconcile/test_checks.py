"""The kinds of check of config/checks.toml, each one class behind `Check` (issue 13): what each
kind says of given values, the loader's registry of kinds, and a new kind added as one class."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.errors import ConfigError
from bot.reconcile.checks import (
    KINDS,
    AtMostCheck,
    Breach,
    PhaseRule,
    Split,
    SumCheck,
    Values,
    breaches,
    holds,
    load_checks,
)
from bot.reconcile.engine import Rules, reconcile_event
from bot.reconcile.intervals import Interval, describe
from tests.reconcile.reports import CONFIG, report

SIDE = "ukraine"
DRONES = SumCheck(
    "drones shot down + jammed = drones downed",
    ("attack.drones_shot_down", "attack.drones_jammed"),
    "attack.drones_downed",
)
DOWNED = AtMostCheck(
    "drones downed <= drones launched", "attack.drones_downed", "attack.drones_launched"
)


def exact(value: int) -> Interval:
    return Interval(value, value)


def on_side(values: Mapping[str, Interval]) -> dict[tuple[str, str | None], Interval]:
    return {(metric, SIDE): interval for metric, interval in values.items()}


DOWN_245 = {"attack.drones_downed": Interval(245, 245)}

# (values, breach detail or None, holds or None): seed 000's typo "1280 drones were shot down".
SUM_CASES = [
    (
        {"attack.drones_shot_down": exact(128), "attack.drones_jammed": exact(117)} | DOWN_245,
        None,
        "128 + 117 = 245",
    ),
    (
        {"attack.drones_shot_down": exact(1280), "attack.drones_jammed": exact(117)} | DOWN_245,
        "1,280 + 117 is not 245",
        None,
    ),
    (
        {"attack.drones_shot_down": Interval(100, None), "attack.drones_jammed": exact(117)}
        | DOWN_245,
        None,
        "at least 100 + 117 = 245",
    ),
    (
        {"attack.drones_shot_down": Interval(200, None), "attack.drones_jammed": exact(117)}
        | DOWN_245,
        "at least 200 + 117 is not 245",
        None,
    ),
    ({"attack.drones_shot_down": exact(1280), "attack.drones_downed": exact(245)}, None, None),
    ({"attack.drones_shot_down": exact(128), "attack.drones_jammed": exact(117)}, None, None),
    ({}, None, None),
]


@pytest.mark.parametrize(("values", "detail", "arithmetic"), SUM_CASES)
def test_a_sum_breaks_when_its_parts_cannot_add_up_to_its_total(
    values: Mapping[str, Interval], detail: str | None, arithmetic: str | None
) -> None:
    keys = (
        ("attack.drones_shot_down", SIDE),
        ("attack.drones_jammed", SIDE),
        ("attack.drones_downed", SIDE),
    )
    expected = None if detail is None else Breach(DRONES.name, keys, detail)
    assert DRONES.breach(on_side(values), SIDE) == expected
    assert DRONES.holds(on_side(values), SIDE) == arithmetic


# (values, breach detail or None): an at-most check never has arithmetic to show.
AT_MOST_CASES = [
    ({"attack.drones_downed": exact(245), "attack.drones_launched": exact(250)}, None),
    ({"attack.drones_downed": exact(250), "attack.drones_launched": exact(250)}, None),
    (
        {"attack.drones_downed": exact(245), "attack.drones_launched": exact(25)},
        "245 is more than 25",
    ),
    (
        {"attack.drones_downed": Interval(245, None), "attack.drones_launched": Interval(200, 220)},
        "at least 245 is more than 200 to 220",
    ),
    ({"attack.drones_downed": exact(245), "attack.drones_launched": Interval(25, None)}, None),
    ({"attack.drones_downed": exact(245)}, None),
]


@pytest.mark.parametrize(("values", "detail"), AT_MOST_CASES)
def test_an_at_most_breaks_when_its_metric_must_exceed_its_limit(
    values: Mapping[str, Interval], detail: str | None
) -> None:
    keys = (("attack.drones_downed", SIDE), ("attack.drones_launched", SIDE))
    expected = None if detail is None else Breach(DOWNED.name, keys, detail)
    assert DOWNED.breach(on_side(values), SIDE) == expected
    assert DOWNED.holds(on_side(values), SIDE) is None


def test_without_explain_a_breach_names_its_keys_only() -> None:
    values = on_side({"attack.drones_downed": exact(245), "attack.drones_launched": exact(25)})
    assert DOWNED.breach(values, SIDE, explain=False) == Breach(
        DOWNED.name, (("attack.drones_downed", SIDE), ("attack.drones_launched", SIDE)), ""
    )


def test_the_shipped_checks_load_kind_by_kind_with_their_splits() -> None:
    checks = load_checks(CONFIG / "checks.toml")
    assert [type(c).__name__ for c in checks.listed] == ["SumCheck"] * 2 + ["AtMostCheck"] * 6
    assert checks.listed[0] == DRONES and DOWNED in checks.listed
    assert checks.splits == (
        Split("attack.drones_downed", ("attack.drones_shot_down", "attack.drones_jammed")),
        Split("attack.launched", ("attack.missiles_launched", "attack.drones_launched")),
    )
    assert checks.phases == PhaseRule("swap.released", "swap.released_total", "swap.agreed")
    assert [c.name for c in checks.naming("attack.drones_jammed")] == [
        DRONES.name,
        "drones jammed <= drones launched",
    ]


def test_checks_run_in_the_order_of_the_kinds_then_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "checks.toml"
    path.write_text(
        '[[at_most]]\nname = "b <= c"\nmetric = "b"\nlimit = "c"\n'
        '[[sum]]\nname = "a = b"\nparts = ["a"]\ntotal = "b"\n'
        '[[at_most]]\nname = "a <= c"\nmetric = "a"\nlimit = "c"\n'
    )
    assert [c.name for c in load_checks(path).listed] == ["a = b", "b <= c", "a <= c"]


@pytest.mark.parametrize(
    "text",
    [
        '[[sum]]\nname = "no total"\nparts = ["a", "b"]\n',
        '[[at_most]]\nmetric = "a"\nlimit = "b"\n',
        '[phases]\nphase = "swap.released"\n',
        "[[sum]\n",
        '[[at_least]]\nname = "a >= b"\nmetric = "a"\nfloor = "b"\n',
    ],
    ids=["missing-total", "missing-name", "phases-half", "not-toml", "unknown-kind"],
)
def test_a_malformed_checks_toml_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "checks.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=str(path)):
        load_checks(path)


# --- A new kind is one class --------------------------------------------------------------


@dataclass(frozen=True)
class AtLeastCheck:
    """A test-only kind, `[[at_least]]`: `metric` is no smaller than `floor`."""

    name: str
    metric: str
    floor: str

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> AtLeastCheck:
        return cls(str(table["name"]), str(table["metric"]), str(table["floor"]))

    @property
    def metrics(self) -> tuple[str, ...]:
        return (self.metric, self.floor)

    def breach(self, values: Values, side: str | None, *, explain: bool = True) -> Breach | None:
        value, floor = values.get((self.metric, side)), values.get((self.floor, side))
        if value is None or floor is None or value.high is None or value.high >= floor.low:
            return None
        detail = f"{describe(value)} is less than {describe(floor)}" if explain else ""
        return Breach(self.name, ((self.metric, side), (self.floor, side)), detail)

    def holds(self, values: Values, side: str | None) -> str | None:
        return None


def test_a_new_kind_is_one_class_registered_by_its_table_name(tmp_path: Path) -> None:
    path = tmp_path / "checks.toml"
    path.write_text(
        '[[at_least]]\nname = "fires >= places hit"\n'
        'metric = "attack.fires"\nfloor = "attack.places_hit"\n'
    )
    checks = load_checks(path, {**KINDS, "at_least": AtLeastCheck.from_table})
    assert checks.listed == (
        AtLeastCheck("fires >= places hit", "attack.fires", "attack.places_hit"),
    )

    # The engine keeps the figure the new check allows and sets the other aside, naming it.
    reports = [
        report("attack.places_hit", 7, "A"),
        report("attack.fires", 5, "A"),
        report("attack.fires", 9, "B"),
    ]
    state = reconcile_event("attack-ukraine-2025-05-24", reports, Rules(frozenset(), checks))
    fires = state.tally("attack.fires", SIDE)
    assert fires is not None
    assert (fires.interval, fires.sources) == (exact(9), ("B",))
    assert [(r.value, r.source) for r in fires.suspect] == [(5, "A")]
    assert fires.notes == ("fires >= places hit: 5 is less than 7",)

    values = on_side({"attack.fires": exact(5), "attack.places_hit": exact(7)})
    assert breaches(values, checks) == [
        Breach(
            "fires >= places hit",
            (("attack.fires", SIDE), ("attack.places_hit", SIDE)),
            "5 is less than 7",
        )
    ]
    assert holds(values, checks) == []
