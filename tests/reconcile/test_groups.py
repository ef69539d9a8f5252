"""Groups counted side by side in one sentence add up to the event's figure ("185 soldiers and
20 civilians"), unless the sentence breaks a whole down or gives the whole itself."""

from __future__ import annotations

import pytest

from bot.reconcile.engine import reconcile_event
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report
from tests.reconcile.reports import RULES, report

SWAP = "swap-2025-05-24"


def _one_sentence(text: str, metric: str, *values: int) -> list[Report]:
    topic = metric.split(".")[0]
    event = SWAP if topic == "swap" else "attack-ukraine-2025-05-24"
    phase = 24 if topic == "swap" else None
    return [report(metric, v, "A", evidence=text, event=event, phase=phase) for v in values]


@pytest.mark.parametrize(
    ("text", "metric", "values", "expected"),
    [
        (
            "Kyiv brought home 150 soldiers and 12 civilians on Saturday.",
            "swap.released",
            (150, 12),
            162,
        ),
        (
            "Air defences shot down four Kinzhal missiles and nine other missiles overnight.",
            "attack.missiles_downed",
            (4, 9),
            13,
        ),
        # the whole is given beside its parts
        (
            "Kyiv brought home 162 people, 150 soldiers and 12 civilians.",
            "swap.released",
            (162, 150, 12),
            162,
        ),
        # a breakdown by place: the larger count is the whole
        (
            "Air defences downed 80 drones overnight, including 15 over the capital.",
            "attack.drones_downed",
            (80, 15),
            80,
        ),
    ],
)
def test_groups_add_up(text: str, metric: str, values: tuple[int, ...], expected: int) -> None:
    reports = _one_sentence(text, metric, *values)
    state = reconcile_event(reports[0].event_id, reports, RULES)
    tally = state.tally(metric, "ukraine", reports[0].phase)
    assert tally is not None
    assert tally.interval == Interval(expected, expected)


def _swap(value: int, source: str, text: str, side: str = "ukraine") -> Report:
    return report("swap.released", value, source, side=side, evidence=text, event=SWAP, phase=24)


ADDED = "The exchange additionally included 15 civilians from each side."
ALSO = 'The ministry reported freeing 160 soldiers, adding that "15 civilians were also released."'


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        # a group added in the next sentence adds up with the swap's count
        (
            [
                _swap(160, "A", "Russia handed over 160 Ukrainian soldiers on Saturday."),
                _swap(15, "A", ADDED, side="both"),
                _swap(160, "B", "Ukraine brought home 160 soldiers, the ministry said."),
                _swap(15, "B", "Another 15 civilians were also freed, the ministry said."),
            ],
            175,
        ),
        # in the same sentence, after the count: the group nearest the words is the addition
        (
            [
                _swap(160, "A", ALSO),
                _swap(15, "A", ALSO),
                _swap(175, "B", "Ukraine said 175 people came home."),
            ],
            175,
        ),
        # "also received" is the other side's count, no addition
        (
            [
                _swap(160, "A", "Russia got back 160 soldiers."),
                _swap(160, "A", "In exchange, the Ukrainian side also received 160 soldiers."),
                _swap(160, "B", "Ukraine brought home 160 soldiers."),
            ],
            160,
        ),
    ],
)
def test_a_group_added_to_a_swap_adds_up_with_its_count(
    reports: list[Report], expected: int
) -> None:
    state = reconcile_event(SWAP, reports, RULES)
    tally = state.tally("swap.released", "ukraine", reports[0].phase)
    assert tally is not None
    assert tally.interval == Interval(expected, expected), tally
