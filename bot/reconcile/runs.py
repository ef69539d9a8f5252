"""A key's reports as runs of one interval, kept from fold to fold (issue 15).

Grouping a key's reports (`agreement_groups`, `toll_groups`) sorts them and sweeps them in
order; every report of one interval joins the same group, so the sweep needs the distinct
intervals only, and the sorted order is the runs of one interval, one after another. A fold
adds a document's reports to the runs it had (`Runs.grown`) instead of sorting every report of
the key again; the groups are those the plain functions give, to the order of their reports.
The outliers (bot.reconcile.tallies.outliers) are found from each source's highest figure and
the reports by value. Pure.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from bot.reconcile.claims import Kin
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report
from bot.reconcile.tallies import OUTLIER_RATIO, Group, sweep, toll_groups
from bot.reconcile.tallies import _group_rank as group_rank
from bot.reconcile.tallies import _supported as supported
from bot.reconcile.tallies import _whole_first as whole_first

_UNBOUNDED = 2**62


def _interval_order(interval: Interval) -> tuple[int, int]:
    return (interval.low, interval.high if interval.high is not None else _UNBOUNDED)


def _within_run(report: Report) -> tuple[str, str]:
    return (report.source, report.evidence)


@dataclass(frozen=True)
class Runs:
    """A key's reports (`reports`, in the order given): by interval, each run in the order of
    `_report_order` (source, evidence, then as given); by value, with their places in
    `reports`; each source's highest value; each named claimant's intervals."""

    reports: tuple[Report, ...]
    runs: dict[Interval, list[Report]]
    by_value: dict[int, list[tuple[int, Report]]]
    highest: dict[str, int]
    claimants: dict[str, set[Interval]]
    who: dict[Interval, _Who]
    # Who reports each set of runs, and the group of each set of run lists, shared from fold
    # to fold: pure functions of their keys.
    joins: dict[Any, Any]

    @classmethod
    def of(cls, reports: Sequence[Report]) -> Runs:
        return cls((), {}, {}, {}, {}, {}, {}).grown(reports)

    def grown(self, added: Sequence[Report]) -> Runs:
        """These runs with `added` after the reports they have; these are left as they were."""
        runs, by_value = dict(self.runs), dict(self.by_value)
        highest = dict(self.highest)
        claimants, who = dict(self.claimants), dict(self.who)
        copied: set[object] = set()
        start = len(self.reports)
        for n, report in enumerate(added, start):
            interval = report.interval
            run = runs.get(interval)
            if run is None:
                run = runs[interval] = []
                copied.add(interval)
            elif interval not in copied:
                run = runs[interval] = list(run)
                copied.add(interval)
            insort(run, report, key=_within_run)  # after its equals, as a stable sort
            who[interval] = who.get(interval, _NOBODY).with_(report)
            value = report.value
            if ("value", value) not in copied:
                by_value[value] = list(by_value.get(value, ()))
                copied.add(("value", value))
            by_value[value].append((n, report))
            highest[report.source] = max(highest.get(report.source, value), value)
            if report.claimant:
                if ("claimant", report.claimant) not in copied:
                    claimants[report.claimant] = set(claimants.get(report.claimant, ()))
                    copied.add(("claimant", report.claimant))
                claimants[report.claimant].add(interval)
        return Runs((*self.reports, *added), runs, by_value, highest, claimants, who, self.joins)

    def outliers(self) -> list[Report]:
        """`tallies.outliers(self.reports)`: the reports an order of magnitude above every
        other source's figure that no other document supports, in order."""
        top = sorted(self.highest.items(), key=lambda item: item[1], reverse=True)[:2]
        if len(top) < 2:
            return []
        (first, first_value), (_, second_value) = top
        bar = OUTLIER_RATIO * max(first_value, 1)
        top_bar = OUTLIER_RATIO * max(second_value, 1)
        lowest = min(bar, top_bar)
        found = [
            (n, report)
            for value, placed in self.by_value.items()
            if value >= lowest
            for n, report in placed
            if value >= (top_bar if report.source == first else bar)
            and not supported(report, self.reports)
        ]
        return [report for _, report in sorted(found, key=lambda item: item[0])]

    def agreement_groups(self) -> list[Group]:
        """`tallies.agreement_groups(self.reports)`, swept over the distinct intervals."""
        swept = sweep(sorted(self.runs, key=_interval_order), lambda interval: interval)
        groups = [self._group(common, runs) for common, runs in swept]
        return whole_first(sorted(groups, key=group_rank))

    def _group(self, interval: Interval, runs: Sequence[Interval]) -> Group:
        """The group of these runs, with who backs it worked out from the runs' backers; the
        same group as the last fold's where its runs are the same (a run's list is a new one
        whenever a report joins it, and is never changed after)."""
        lists = tuple(self.runs[i] for i in runs)
        key = (interval, *map(id, lists))
        kept = self.joins.get(key)
        if kept is not None:
            return kept[1]
        group = self._new_group(interval, runs)
        if len(self.joins) > _JOINS_KEPT:
            self.joins.clear()
        self.joins[key] = (lists, group)  # the lists kept, so that their ids are not reused
        return group

    def _new_group(self, interval: Interval, runs: Sequence[Interval]) -> Group:
        by_figure = tuple((i, self.who[i].pairs) for i in runs)
        group = Group(interval, tuple(chain.from_iterable(self.runs[i] for i in runs)), by_figure)
        who = _joined([self.who[i] for i in runs], self.joins)
        # What Group derives from its reports (cached properties), from the runs' instead.
        group.__dict__.update(
            strength=min(len(who.sources), len(who.holders)),
            sources=tuple(sorted(who.sources)),
            kin=Kin(who.sources, who.unnamed, who.holders),
            pairs=who.pairs,
            undated=who.undated,
        )
        return group

    def toll_groups(self) -> list[Group]:
        """`tallies.toll_groups(self.reports)`: one group of every report unless named
        claimants' tolls do not meet (then the plain function)."""
        families: list[set[Interval]] = []
        for claimant in sorted(self.claimants):
            mine = self.claimants[claimant]
            toll = _toll_interval(mine)
            home = next((f for f in families if _toll_interval(f).meets(toll)), None)
            if home is None:
                families.append(set(mine))
            else:
                home.update(mine)
        if len(families) >= 2:
            return toll_groups(self.reports)
        return [self._group(_toll_interval(self.runs), sorted(self.runs, key=_interval_order))]


@dataclass(frozen=True, eq=False)
class _Who:
    """Who reports one run (or group): its outlets, its holders (`claims.holder`), the outlets
    giving it as their own, and each report's (outlet, claimant). Compared by identity: a run
    keeps its object while no one new reports it."""

    sources: frozenset[str]
    holders: frozenset[str]
    unnamed: frozenset[str]
    pairs: frozenset[tuple[str, str | None]]
    undated: frozenset[str]  # the sentences of its reports that give no day

    def with_(self, report: Report) -> _Who:
        pair = (report.source, report.claimant)
        undated = self.undated
        if not report.event_date and report.evidence not in undated:
            undated = undated | {report.evidence}
        elif pair in self.pairs:
            return self
        source, claimant = pair
        return _Who(
            self.sources | {source},
            self.holders | {claimant or source},
            self.unnamed if claimant else self.unnamed | {source},
            self.pairs | {pair},
            undated,
        )


def _joined(runs: Sequence[_Who], joins: dict[Any, Any]) -> _Who:
    """Who reports any of `runs`, remembered in `joins` by the runs' objects."""
    key = tuple(runs)
    found = joins.get(key)
    if found is None:
        if len(joins) > _JOINS_KEPT:
            joins.clear()
        found = joins[key] = _Who(
            frozenset().union(*(o.sources for o in runs)),
            frozenset().union(*(o.holders for o in runs)),
            frozenset().union(*(o.unnamed for o in runs)),
            frozenset().union(*(o.pairs for o in runs)),
            frozenset().union(*(o.undated for o in runs)),
        )
    return found


_JOINS_KEPT = 4096


_NOBODY = _Who(frozenset(), frozenset(), frozenset(), frozenset(), frozenset())


def _toll_interval(intervals: Iterable[Interval]) -> Interval:
    """`tallies.toll_group(...).interval` of reports with these intervals: the highest floor,
    and the lowest ceiling not below it."""
    intervals = list(intervals)
    low = max(i.low for i in intervals)
    highs = [i.high for i in intervals if i.high is not None and i.high >= low]
    return Interval(low, min(highs) if highs else None)
