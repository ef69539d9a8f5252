"""The tally score of `tallywire eval --tallies`: the shared scorer's rules, case by case, on
rows written for these tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.cli.output import tally_row, undated_metrics
from bot.cli.tally_rules import ShownTally, TrueTally, bounds, covers_claims, match, shows_forbidden
from bot.cli.tally_scoring import score_tallies, summary_line
from bot.commands.views import EventView
from bot.reconcile import reconcile_event
from bot.reconcile.events import Event
from tests.commands.test_claims import VIEWS
from tests.extract.common import VOCABULARY
from tests.reconcile.reports import RULES, report


def true_row(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "topic": "attack",
        "country": "ukraine",
        "event_date": "2025-06-01",
        "metric": "attack.drones_launched",
        "side": "ukraine",
        "value": 90,
        "qualifier": "exact",
        "docs": ["a1_wire"],
    }
    return {**row, **fields}


def shown_row(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "event": "attack-ukraine-2025-06-01",
        "event_date": "2025-06-01",
        "metric": "attack.drones_launched",
        "side": "ukraine",
        "phase": None,
        "low": 90,
        "high": 90,
        "status": "single",
        "sources": ["a1_wire"],
    }
    return {**row, **fields}


@pytest.mark.parametrize(
    ("value", "qualifier", "expected"),
    [
        (15, "exact", (15, 15)),
        (15, "at_least", (15, None)),
        (7, "more_than", (8, None)),
        (250, "about", (225, 275)),
        (1000, "nearly", (900, 1000)),
        (20, "up_to", (0, 20)),
        (None, "exact", (None, None)),
    ],
)
def test_a_reported_number_reads_as_the_interval_of_its_hedge(
    value: int | None, qualifier: str, expected: tuple[int | None, int | None]
) -> None:
    assert bounds(value, qualifier) == expected


@pytest.mark.parametrize(
    ("true", "shown", "expected"),
    [
        ({}, {}, "exact"),
        ({}, {"event_date": "2025-06-02"}, None),
        ({}, {"event_date": None}, "split/undated"),
        ({}, {"event_date": None, "sources": ["other"]}, None),
        ({}, {"event": "attack-russia-2025-06-01"}, None),
        ({}, {"side": "russia"}, None),
        ({}, {"metric": "attack.drones_downed"}, None),
        ({}, {"phase": "2025-06-02"}, None),  # the phase's day before the event's
        ({"event_date": None}, {"event_date": None}, "undated"),
        (
            {"event_date": None, "date_window": ["2025-05-01", "2025-06-30"]},
            {"event_date": "2025-06-01"},
            "window",
        ),
        ({"event_date": None, "date_window": ["2025-05-01", "2025-05-30"]}, {}, None),
        (
            {"topic": "swap", "country": None, "metric": "swap.released"},
            {"event": "swap-2025-06-01", "metric": "swap.released", "side": "both"},
            "exact",
        ),
    ],
)
def test_a_shown_tally_stands_for_a_true_one_of_its_event_metric_side_and_day(
    true: dict[str, Any], shown: dict[str, Any], expected: str | None
) -> None:
    assert match(TrueTally.of(true_row(**true)), ShownTally.of(shown_row(**shown))) == expected


@pytest.mark.parametrize(
    ("shown", "forbidden"),
    [
        ({"low": 4276, "high": 4276}, True),
        ({"low": 4276, "high": None}, True),
        ({"low": 4200, "high": 4300}, True),  # narrow enough to say it
        ({"low": 1000, "high": None}, False),  # open, the value inside, but not a bound
        ({"low": 4276, "high": 4276, "sources": ["other"]}, False),
        ({"low": 4276, "high": 4276, "metric": "attack.killed"}, False),
        ({"low": 4277, "high": 4277}, True),  # "more than 4,276" reads as 4,277 and up
    ],
)
def test_a_figure_no_tally_may_show_is_caught_from_its_documents(
    shown: dict[str, Any], forbidden: bool
) -> None:
    row = {
        "value": 4276,
        "qualifier": "more_than",
        "metric_it_might_be_taken_as": ["attack.drones_launched", "swap.released"],
        "docs": ["a1_wire.txt"],
        "why": "a war-long total",
    }
    assert shows_forbidden(ShownTally.of(shown_row(**shown)), row) is forbidden


DISPUTE = true_row(
    value=180,
    low=180,
    high=193,
    disputed=True,
    claims=[{"value": 180, "qualifier": "exact"}, {"value": 193, "qualifier": "exact"}],
)


@pytest.mark.parametrize(
    ("shown", "flagged"),
    [
        ({"low": 180, "high": 180, "status": "conflict"}, True),
        ({"low": 180, "high": 180, "status": "single"}, False),
        ({"low": 180, "high": 180, "status": "conflict", "claims": [{"value": 193}]}, True),
        ({"low": 180, "high": 180, "status": "conflict", "claims": [{"value": 150}]}, False),
        ({"low": 186, "high": 186, "status": "conflict"}, False),  # between the claims
    ],
)
def test_a_dispute_is_flagged_only_as_a_conflict_that_shows_its_claims(
    shown: dict[str, Any], flagged: bool
) -> None:
    true, tally = TrueTally.of(DISPUTE), ShownTally.of(shown_row(**shown))
    assert covers_claims(tally, true) is flagged


def test_the_score_counts_right_wrong_set_aside_disputed_and_forbidden() -> None:
    truths = [
        true_row(),
        true_row(metric="attack.drones_downed", value=80),
        true_row(metric="attack.killed", value=3, qualifier="at_least"),
        {**DISPUTE, "metric": "attack.injured"},
    ]
    nots = [{"value": 500, "metric_it_might_be_taken_as": "attack.fires", "docs": ["a1_wire"]}]
    shown = [
        shown_row(),  # right
        shown_row(metric="attack.drones_downed", low=60, high=60),  # wrong value
        shown_row(metric="attack.killed", low=5, high=5, status="suspect"),  # set aside
        shown_row(metric="attack.injured", low=193, high=193, status="conflict"),  # flagged
        shown_row(metric="attack.fires", low=500, high=500),  # forbidden
        shown_row(metric="attack.places_hit", low=4, high=4),  # no true tally
    ]
    result = score_tallies(truths, nots, shown)
    assert summary_line(result) == (
        "tallies: recall 2/4 (0.50), precision 2/5 (0.40), disputed flagged 1/1, forbidden shown 1"
    )
    assert [t.metric for t in result.missed] == ["attack.drones_downed", "attack.killed"]


def test_each_side_must_meet_the_true_tally_of_every_side() -> None:
    truths = [
        true_row(topic="swap", country=None, metric="swap.released", side=s, value=v)
        for s, v in (("ukraine", 90), ("russia", 84))
    ]
    shown = [shown_row(event="swap-2025-06-01", metric="swap.released", side="both")]
    result = score_tallies(truths, [], shown)
    assert (result.right, len(result.wrong)) == (1, 1)
    assert result.wrong[0][1] == "true: 84 (2025-06-01), 90 (2025-06-01)"


def test_nothing_to_score_gives_zeros_not_an_error() -> None:
    assert summary_line(score_tallies([], [], [])) == (
        "tallies: recall 0/0 (0.00), precision 0/0 (0.00), disputed flagged 0/0, forbidden shown 0"
    )


def test_a_disputed_tally_lists_its_claims_and_is_scored_as_flagging_them() -> None:
    killed = VIEWS[1]
    row = tally_row(killed, killed.state.tallies[0])
    assert row["claims"] == [
        {"claimant": "Wire and the governor", "low": 18, "high": 18},
        {"claimant": "Russia's defence ministry", "low": 85, "high": 85},
    ]
    claims = [{"value": 18, "qualifier": "exact"}, {"value": 85, "qualifier": "exact"}]
    true = true_row(
        event_date="2025-06-03",
        metric="attack.killed",
        value=18,
        low=18,
        high=85,
        disputed=True,
        claims=claims,
        docs=["Daily"],
    )
    assert covers_claims(ShownTally.of(row), TrueTally.of(true))
    other = {**true, "claims": [*claims, {"value": 120, "qualifier": "exact"}]}
    assert not covers_claims(ShownTally.of(row), TrueTally.of(other))  # 120 is not shown


def test_a_deals_size_is_shown_on_its_first_day_and_its_phases_on_theirs() -> None:
    # a 1,000-for-1,000 deal in three phases, 23 to 25 May: the size is agreed before them
    event = Event("swap-2025-05-23", "swap", None, date(2025, 5, 23), date(2025, 5, 25))
    reports = [
        report("swap.agreed", 1000, "A", side="both", day=None, event=event.id),
        report("swap.released", 390, "A", side="both", day=23, event=event.id, phase=23),
        report("swap.released_total", 697, "B", day=24, event=event.id),
    ]
    view = EventView(event, reconcile_event(event.id, reports, RULES))
    undated = undated_metrics(VOCABULARY)
    assert undated == frozenset({"swap.agreed"})
    rows = {
        (row["metric"], row["side"]): (row["event_date"], row["phase"])
        for row in (tally_row(view, tally, undated) for tally in view.state.tallies)
    }
    assert rows[("swap.agreed", "ukraine")] == ("2025-05-23", None)
    assert rows[("swap.released", "ukraine")] == ("2025-05-25", "2025-05-23")
    assert rows[("swap.released_total", "ukraine")] == ("2025-05-25", None)
