"""Tallies: what the reports of one key (event, metric, side, phase) agree on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.intervals import Interval
from bot.reports import Report

TallyKey = tuple[str, str | None, date | None]  # metric, side, phase (within one event)

# A report this many times off the others is an outlier ("1280" where others say "128").
OUTLIER_RATIO = 8


@dataclass(frozen=True)
class Group:
    """Reports of one key that agree with each other, and the counts they all allow."""

    interval: Interval
    reports: tuple[Report, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({r.source for r in self.reports}))


@dataclass(frozen=True)
class Tally:
    """The state of one key.

    `interval` is what the accepted reports allow (None when nothing can be trusted); `status`
    is "agreed" (two sources or more), "single", "conflict" (another group of sources disagrees)
    or "suspect" (every report broke a check). `disputed` and `suspect` hold the reports set
    against the accepted ones; `notes` say why reports are suspect.
    """

    event_id: str
    metric: str
    side: str | None
    phase: date | None
    interval: Interval | None
    status: str
    backing: tuple[Report, ...]
    disputed: tuple[Report, ...] = ()
    suspect: tuple[Report, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def key(self) -> TallyKey:
        return (self.metric, self.side, self.phase)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({r.source for r in self.backing}))


def agreement_groups(reports: Iterable[Report]) -> list[Group]:
    """Split reports into groups whose intervals all meet, the best-backed group first.

    Deterministic for a set of reports whatever their order: reports are taken by interval.
    """
    groups: list[Group] = []
    for report in sorted(reports, key=_report_order):
        for n, group in enumerate(groups):
            common = group.interval.intersect(report.interval)
            if common is not None:
                groups[n] = Group(common, (*group.reports, report))
                break
        else:
            groups.append(Group(report.interval, (report,)))
    return sorted(groups, key=_group_rank)


def toll_group(reports: Sequence[Report]) -> Group:
    """A toll that grows over time: every report is a floor under the current count, so the
    tally starts at the highest floor and ends at the lowest ceiling that is not below it."""
    low = max(r.interval.low for r in reports)
    highs = [
        r.interval.high for r in reports if r.interval.high is not None and r.interval.high >= low
    ]
    return Group(
        Interval(low, min(highs) if highs else None), tuple(sorted(reports, key=_report_order))
    )


def outliers(reports: Sequence[Report]) -> list[Report]:
    """Reports an order of magnitude above every other source's figure for the same key."""
    found = []
    for report in reports:
        others = [r.value for r in reports if r.source != report.source]
        if others and report.value >= OUTLIER_RATIO * max(max(others), 1):
            found.append(report)
    return found


def _report_order(report: Report) -> tuple[object, ...]:
    i = report.interval
    return (i.low, i.high if i.high is not None else 2**62, report.source, report.evidence)


def _group_rank(group: Group) -> tuple[object, ...]:
    width = (group.interval.high - group.interval.low) if group.interval.high is not None else 2**62
    # Equal backing: the narrower, then the larger (one source's whole rather than its part).
    return (-len(group.sources), width, -group.interval.low)
