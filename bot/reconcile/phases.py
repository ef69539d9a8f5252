"""A swap's phase days: reports of a phase placed on the day whose figure they match.

The phases' counts are distinctive, their days are where reports err (a publication day given
for the event's). A report of the phase metric joins the one other day whose best-backed
figure it matches, when it has no day or is outside the best-backed figure of its own day.
`DayPlan.place` says where one report goes; `rehomed` places a list of reports. Pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import partial

from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report
from bot.reconcile.runs import Runs
from bot.reconcile.tallies import Memo

Day = tuple[str | None, date]  # side, day
Best = dict[str | None, list[tuple[date, Interval]]]
Meeting = dict[str | None, dict[tuple[int, int | None], list[date]]]


class DayPlan:
    """Where each phase report goes, from the days' best-backed figures (`best`), the reports
    (by id) that back the figure of each day they settle, and what each side's intervals meet
    (remembered in the memo). `signature` changes whenever the place of a report that was
    placed before may change: when a day's figure, whether it settles, or the intervals of the
    reports that back it change."""

    def __init__(self, by_day: Mapping[Day, Sequence[Report]], phase_metric: str, memo: Memo):
        self.phase_metric = phase_metric
        self.memo = memo
        self.best: Best = defaultdict(list)
        self.settled: dict[Day, frozenset[int]] = {}
        signature = []
        for (side, day), found in by_day.items():
            settle = partial(_settle, (side, day), found, memo)
            figure, backing, intervals = memo.recall(("day",), found, settle)
            self.best[side].append((day, figure))
            if backing is not None:
                self.settled[(side, day)] = backing
            signature.append((side or "", day, figure, intervals))
        self.signature = tuple(sorted(signature))
        # Reports of one interval meet the same days of their side: each is looked up once, and
        # again only when the days' best figures change.
        self.meeting: Meeting = {
            side: memo.keep(("meeting", side, tuple(figures)), dict)
            for side, figures in self.best.items()
        }

    def place(self, report: Report) -> Report:
        """`report`, or its copy on the day it belongs to."""
        if report.metric != self.phase_metric or (
            report.phase is not None
            and id(report) in self.settled.get((report.side, report.phase), ())
        ):
            return report
        side = report.side
        return _rehome(report, self.best.get(side, ()), self.meeting.get(side, {}), self.memo)


def rehomed(reports: list[Report], phase_metric: str | None, memo: Memo) -> list[Report]:
    """`reports` with each phase report that belongs on another day moved there (a copy with
    that day), in order."""
    if phase_metric is None:
        return reports
    by_day: dict[Day, list[Report]] = defaultdict(list)
    for report in reports:
        if report.metric == phase_metric and report.phase is not None:
            by_day[(report.side, report.phase)].append(report)
    plan = DayPlan(by_day, phase_metric, memo)
    return [plan.place(report) for report in reports]


def _rehome(
    report: Report,
    best: Sequence[tuple[date, Interval]],
    meeting: dict[tuple[int, int | None], list[date]],
    memo: Memo,
) -> Report:
    """`report` moved to the one day other than its own whose best figure it meets, if one
    does. `meeting` remembers the days each interval meets."""
    interval = report.interval
    met = meeting.get((interval.low, interval.high))
    if met is None:
        met = meeting[(interval.low, interval.high)] = _meeting_days(best, interval)
    days = [day for day in met if day != report.phase]
    if len(days) != 1:
        return report
    return memo.recall(("moved", days[0]), [report], partial(report.replaced, phase=days[0]))


def _settle(
    day: Day, reports: Sequence[Report], memo: Memo
) -> tuple[Interval, frozenset[int] | None, frozenset[Interval] | None]:
    """A phase day's best-backed figure, and which of `reports` (by id) back it when it settles
    the day, with their intervals: a day whose best figure is backed no better than another of
    its figures settles nothing. Grouped from the day's runs as the last fold left them
    (bot.reconcile.runs); the reports equal to a backer are in its group, so the backers' ids
    are the group's, and a report backs the figure exactly when its interval is one of theirs."""
    groups = memo.extend(("day runs", day), reports, Runs.of, Runs.grown).agreement_groups()
    if len(groups) > 1 and len(groups[0].sources) <= len(groups[1].sources):
        return groups[0].interval, None, None
    backers = groups[0].reports
    return groups[0].interval, frozenset(map(id, backers)), frozenset(r.interval for r in backers)


def _meeting_days(best: Iterable[tuple[date, Interval]], interval: Interval) -> list[date]:
    """The days whose best figure meets `interval`: `Interval.meets`, inlined, as this runs for
    every distinct phase figure against every day."""
    low, high = interval.low, interval.high
    found = []
    for day, figure in best:
        common = max(low, figure.low)
        if (high is None or high >= common) and (figure.high is None or figure.high >= common):
            found.append(day)
    return found
