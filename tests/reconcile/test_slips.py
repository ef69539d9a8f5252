"""Slips of the pen (issue 14): a figure one digit off the count its own article repeats is
set aside as suspect, not shown and not a conflict."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.reconcile.engine import reconcile_event
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report
from bot.reconcile.slips import one_digit_off, slips
from tests.reconcile.reports import RULES, report

SWAP = "swap-2025-05-23"
EACH = "Each side handed the other 128 prisoners on Friday, officials said."
KYIV_SAYS = "Kyiv said the 128 men it got back were mostly conscripts."
MOSCOW_SAYS = "Moscow said the 168 soldiers it received had been captured in the spring."


def said(value: int, side: str, evidence: str, source: str = "wire") -> Report:
    base = report("swap.released", value, source, side=side, event=SWAP, day=23)
    return replace(base, evidence=evidence)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (128, 168, True),
        (1215, 1216, True),
        (128, 129, True),
        (300, 500, False),  # both round: two stages as often as a slip
        (128, 1128, False),
        (15, 16, False),  # too short to tell
        (128, 182, False),  # two digits differ
    ],
)
def test_one_digit_off(a: int, b: int, expected: bool) -> None:
    assert one_digit_off(a, b) is expected


def test_the_repeated_count_stands_and_the_slip_is_suspect() -> None:
    reports = [
        said(128, "both", EACH),
        said(128, "ukraine", KYIV_SAYS),
        said(168, "russia", MOSCOW_SAYS),
    ]
    state = reconcile_event(SWAP, reports, RULES)
    russia = state.tally("swap.released", "russia")
    assert russia is not None
    assert russia.interval == Interval(128, 128)
    assert russia.status != "conflict"
    assert [r.value for r in russia.suspect] == [168]


@pytest.mark.parametrize(
    "reports",
    [
        # two outlets: a disagreement, not a slip of one text
        [
            said(128, "both", EACH),
            said(128, "ukraine", KYIV_SAYS),
            said(168, "russia", MOSCOW_SAYS, "paper"),
        ],
        # stated once each: nothing says which is meant
        [said(128, "ukraine", KYIV_SAYS), said(168, "ukraine", MOSCOW_SAYS)],
        # the slip alone in its key: nothing else to show, kept
        [
            said(128, "ukraine", KYIV_SAYS),
            said(128, "ukraine", EACH),
            said(168, "russia", MOSCOW_SAYS),
        ],
    ],
)
def test_no_slip(reports: list[Report]) -> None:
    spread = [r for report in reports for r in report.per_side]
    state = reconcile_event(SWAP, reports, RULES)
    assert all(not t.suspect for t in state.tallies)
    assert slips(spread) == []
