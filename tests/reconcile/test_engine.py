"""Reconciling one event's reports into tallies, with the checks of config/checks.toml."""

from __future__ import annotations

from bot.reconcile.engine import reconcile_event
from bot.reconcile.intervals import Interval
from tests.reconcile.reports import RULES, report

EVENT = "attack-ukraine-2025-05-24"


def kyiv_may_24(*, with_typo: bool = True, with_fix: bool = True) -> list:
    """The seeds' May 24 attack: 14 missiles, 6 down; 250 drones, 245 downed = 128 + 117."""
    reports = [
        report("attack.missiles_launched", 14, "A"),
        report("attack.drones_launched", 250, "A"),
        report("attack.missiles_downed", 6, "A"),
        report("attack.drones_downed", 245, "A"),
        report("attack.drones_jammed", 117, "A"),
        report("attack.drones_launched", 250, "C", "about"),
        report("attack.drones_downed", 245, "C"),
    ]
    if with_typo:  # seed 000: "1280 drones were shot down"
        reports.append(report("attack.drones_shot_down", 1280, "A"))
    if with_fix:  # seed 001: "128 were shot down"
        reports += [
            report("attack.drones_shot_down", 128, "B"),
            report("attack.drones_jammed", 117, "B"),
        ]
    return reports


def test_the_typo_is_suspect_and_the_tally_keeps_128() -> None:
    state = reconcile_event(EVENT, kyiv_may_24(), RULES)
    shot = state.tally("attack.drones_shot_down", "ukraine")
    assert shot is not None
    assert shot.interval == Interval(128, 128)
    assert [r.value for r in shot.suspect] == [1280]
    assert shot.status == "single" and shot.sources == ("B",)
    assert "128 + 117 = 245" in state.holds
    assert state.breaches == ()


def test_alone_the_typo_breaks_the_checks_and_nothing_is_trusted() -> None:
    state = reconcile_event(EVENT, kyiv_may_24(with_fix=False), RULES)
    shot = state.tally("attack.drones_shot_down", "ukraine")
    assert shot is not None and shot.interval is None and shot.status == "suspect"
    assert any("1,280 + 117 is not 245" in note for note in shot.notes)
    assert any("1,280 is more than 250" in note for note in shot.notes)
    downed = state.tally("attack.drones_downed", "ukraine")
    assert downed is not None and downed.interval == Interval(245, 245)


def test_hedged_reports_agree_on_the_narrowest_interval() -> None:
    state = reconcile_event(
        EVENT,
        [
            report("attack.places_hit", 6, "A", "at_least"),
            report("attack.places_hit", 4, "B", "at_least"),
            report("attack.alert_hours", 7, "A", "more_than"),
            report("attack.alert_hours", 8, "C"),
            report("attack.drones_launched", 250, "A", "about"),
            report("attack.drones_launched", 250, "B"),
        ],
        RULES,
    )
    got = {t.metric: (t.interval, t.status) for t in state.tallies}
    assert got == {
        "attack.places_hit": (Interval(6, None), "agreed"),
        "attack.alert_hours": (Interval(8, 8), "agreed"),
        "attack.drones_launched": (Interval(250, 250), "agreed"),
    }


def test_a_toll_rises_and_never_conflicts() -> None:
    state = reconcile_event(
        EVENT,
        [
            report("attack.killed", 12, "A", "at_least"),
            report("attack.killed", 14, "B"),
            report("attack.killed", 9, "C"),  # an early count
        ],
        RULES,
    )
    killed = state.tally("attack.killed", "ukraine")
    assert killed is not None
    assert (killed.interval, killed.status, killed.disputed) == (Interval(14, 14), "agreed", ())


def test_sources_that_disagree_with_no_check_to_decide_are_a_conflict() -> None:
    state = reconcile_event(
        EVENT,
        [
            report("attack.fires", 2, "A"),
            report("attack.fires", 2, "B"),
            report("attack.fires", 5, "C"),
        ],
        RULES,
    )
    fires = state.tally("attack.fires", "ukraine")
    assert fires is not None
    assert (fires.interval, fires.status) == (Interval(2, 2), "conflict")
    assert [r.source for r in fires.disputed] == ["C"]


def test_one_source_does_not_conflict_with_itself() -> None:
    # seed 004: 110 drones overall, and 46 "during the incident" near Putin's helicopter.
    state = reconcile_event(
        "attack-russia-2025-05-25",
        [
            report(
                "attack.drones_downed",
                110,
                "D",
                side="russia",
                day=25,
                event="attack-russia-2025-05-25",
            ),
            report(
                "attack.drones_downed",
                46,
                "D",
                side="russia",
                day=25,
                event="attack-russia-2025-05-25",
            ),
        ],
        RULES,
    )
    downed = state.tally("attack.drones_downed", "russia")
    assert downed is not None and (downed.interval, downed.status) == (Interval(110, 110), "single")


def test_an_order_of_magnitude_outlier_is_suspect() -> None:
    state = reconcile_event(
        EVENT,
        [
            report("attack.injured", 15, "A", "at_least"),
            report("attack.injured", 150, "B"),
            report("attack.injured", 15, "C"),
        ],
        RULES,
    )
    injured = state.tally("attack.injured", "ukraine")
    assert injured is not None
    assert injured.interval == Interval(15, 15)  # "at least 15" and "15" meet at 15
    assert [r.value for r in injured.suspect] == [150]


def test_launched_together_is_missiles_plus_drones() -> None:
    event = "attack-ukraine-2025-05-25"
    state = reconcile_event(
        event,
        [
            report("attack.launched", 367, "D", day=25, event=event),
            report("attack.missiles_launched", 69, "D", day=25, event=event),
            report("attack.drones_launched", 298, "D", day=25, event=event),
        ],
        RULES,
    )
    assert state.holds == ("69 + 298 = 367",)
    broken = reconcile_event(
        event,
        [
            report("attack.launched", 367, "D", day=25, event=event),
            report("attack.missiles_launched", 69, "D", day=25, event=event),
            report("attack.drones_launched", 200, "D", day=25, event=event),
        ],
        RULES,
    )
    assert [b.check for b in broken.breaches] == ["missiles + drones = launched together"]
