"""One holder's figures that disagree are a whole and its parts, not rivals: with equal backing
the largest is the tally ("over 60 cruise missiles and about 10 ballistic ones downed"; a
headline's round "30" and the commander's "more than 30"). Undated figures of separate
sentences may be of separate events, and keep the usual ranking."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.reconcile.engine import reconcile_event
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report
from tests.reconcile.reports import RULES, report

KYIV = "attack-ukraine-2025-05-24"
LINE = "Air defences downed over 40 cruise missiles and around 8 ballistic missiles, he said."


def _undated(r: Report, evidence: str) -> Report:
    return replace(r, event_date=None, evidence=evidence)


@pytest.mark.parametrize(
    ("reports", "shown"),
    [
        # one outlet: a headline's round number and the quoted "more than"
        (
            [
                report("attack.missiles_launched", 30, "wire"),
                report("attack.missiles_launched", 30, "wire", "more_than"),
            ],
            Interval(31, None),
        ),
        # one sentence's coordinated types: the larger is a floor of the whole
        (
            [
                report("attack.missiles_downed", 40, "wire", "more_than", evidence=LINE),
                report("attack.missiles_downed", 8, "wire", "about", evidence=LINE),
            ],
            Interval(41, None),
        ),
        (
            [
                _undated(report("attack.missiles_downed", 40, "wire", "more_than"), LINE),
                _undated(report("attack.missiles_downed", 8, "wire", "about"), LINE),
            ],
            Interval(41, None),
        ),
        # undated figures of two sentences may be two events: the narrower still leads
        (
            [
                _undated(report("attack.missiles_downed", 40, "wire", "more_than"), "One."),
                _undated(report("attack.missiles_downed", 8, "wire", "about"), "Two."),
            ],
            Interval(7, 9),
        ),
        # two outlets that disagree are rivals: the usual ranking (the narrower) stands
        (
            [
                report("attack.missiles_launched", 30, "wire", "more_than"),
                report("attack.missiles_launched", 12, "paper"),
            ],
            Interval(12, 12),
        ),
    ],
)
def test_one_holders_whole_is_the_tally(reports: list[Report], shown: Interval) -> None:
    state = reconcile_event(KYIV, reports, RULES)
    metric = reports[0].metric
    tally = state.tally(metric, "ukraine")
    assert tally is not None
    assert tally.interval == shown
