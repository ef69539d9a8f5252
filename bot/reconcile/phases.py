"""A swap's phase days: reports of a phase placed on the day whose figure they match.

The phases' counts are distinctive, their days are where reports err (a publication day given
for the event's). A report of the phase metric joins the one other day whose best-backed
figure it matches, when it has no day or is outside the best-backed figure of its own day.
`rehomed` does it to a list of reports; `moves` says which reports move where, for the
engine's lists by key (bot.reconcile.chunks). Pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import partial

from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report
from bot.reconcile.runs import Runs
from bot.reconcile.tallies import Memo, TallyKey

Day = tuple[str | None, date]  # side, day
Best = dict[str | None, list[tuple[date, Interval]]]
Meeting = dict[str | None, dict[tuple[int, int | None], list[date]]]


def rehomed(reports: list[Report], phase_metric: str | None, memo: Memo) -> list[Report]:
    """`reports` with each phase report that belongs on another day moved there (a copy with
    that day), in order."""
    by_day: dict[Day, list[Report]] = defaultdict(list)
    for report in reports:
        if report.metric == phase_metric and report.phase is not None:
            by_day[(report.side, report.phase)].append(report)
    best, settled, meeting = _days(by_day, memo)
    placed = []
    for report in reports:
        if report.metric == phase_metric and not (
            report.phase is not None and id(report) in settled.get((report.side, report.phase), ())
        ):
            report = _rehome(report, best.get(report.side, ()), meeting.get(report.side, {}), memo)
        placed.append(report)
    return placed


def moves(
    by_key: Mapping[TallyKey, Sequence[Report]], phase_metric: str, memo: Memo
) -> list[tuple[Report, Report]]:
    """Each phase report of `by_key` that moves to another day, and its copy there: what
    `rehomed` does to the reports these lists hold."""
    by_day = {
        (side, day): items
        for (metric, side, day), items in by_key.items()
        if metric == phase_metric and day is not None
    }
    best, settled, meeting = _days(by_day, memo)
    found = []
    for (metric, side, day), items in by_key.items():
        if metric != phase_metric:
            continue
        backing = settled.get((side, day), frozenset()) if day is not None else frozenset()
        for report in items:
            if id(report) not in backing:
                moved = _rehome(report, best.get(side, ()), meeting.get(side, {}), memo)
                if moved is not report:
                    found.append((report, moved))
    return found


def _days(
    by_day: Mapping[Day, Sequence[Report]], memo: Memo
) -> tuple[Best, dict[Day, frozenset[int]], Meeting]:
    """Each side's days with their best-backed figures; the reports (by id) that back the
    figure of each day they settle; and what each side's intervals meet, remembered."""
    best: Best = defaultdict(list)
    settled: dict[Day, frozenset[int]] = {}
    for (side, day), found in by_day.items():
        settle = partial(_settle, (side, day), found, memo)
        figure, backing = memo.recall(("day",), found, settle)
        best[side].append((day, figure))
        if backing is not None:
            settled[(side, day)] = backing
    # Reports of one interval meet the same days of their side: each is looked up once, and
    # again only when the days' best figures change.
    meeting: Meeting = {
        side: memo.keep(("meeting", side, tuple(figures)), dict) for side, figures in best.items()
    }
    return best, settled, meeting


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
) -> tuple[Interval, frozenset[int] | None]:
    """A phase day's best-backed figure, and which of `reports` (by id) back it when it settles
    the day: a day whose best figure is backed no better than another of its figures settles
    nothing. Grouped from the day's runs as the last fold left them (bot.reconcile.runs); the
    reports equal to a backer are in its group, so the backers' ids are the group's."""
    groups = memo.extend(("day runs", day), reports, Runs.of, Runs.grown).agreement_groups()
    if len(groups) > 1 and len(groups[0].sources) <= len(groups[1].sources):
        return groups[0].interval, None
    return groups[0].interval, frozenset(map(id, groups[0].reports))


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
