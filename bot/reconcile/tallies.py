"""Tallies: what the reports of one key (event, metric, side, phase) agree on."""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial
from typing import TypeVar, cast

from bot.reconcile.claims import Claim, Kin, Told, backing, same_holder, told
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report

TallyKey = tuple[str, str | None, date | None]  # metric, side, phase (within one event)

# A report this many times off the others is an outlier ("1280" where others say "128").
OUTLIER_RATIO = 8

T = TypeVar("T")


@dataclass(frozen=True)
class Group:
    """Reports of one key that agree with each other, and the counts they all allow."""

    interval: Interval
    reports: tuple[Report, ...]
    # Each figure of the group's reports and who reports it, where known without the reports.
    by_figure: tuple[tuple[Interval, frozenset[tuple[str, str | None]]], ...] | None = field(
        default=None, compare=False, repr=False
    )

    @cached_property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({r.source for r in self.reports}))

    @cached_property
    def told(self) -> frozenset[Told]:
        """What the group's reports tell (`claims.told`)."""
        if self.by_figure is None:
            return told(self.reports)
        return frozenset((s, c, figure) for figure, pairs in self.by_figure for s, c in pairs)

    @cached_property
    def kin(self) -> Kin:
        """Who backs the group, as `claims.rivals` sets other reports against it."""
        return Kin.of(self.reports)

    @cached_property
    def pairs(self) -> frozenset[tuple[str, str | None]]:
        """Each report's (outlet, claimant)."""
        return frozenset((r.source, r.claimant) for r in self.reports)

    @cached_property
    def undated(self) -> frozenset[str]:
        """The sentences of the reports that give no day."""
        return frozenset(r.evidence for r in self.reports if not r.event_date)

    @cached_property
    def strength(self) -> int:
        """How many independent claims back the group (`claims.backing`). Computed once per
        group, as ranking asks for it at every comparison."""
        return backing(self.reports)


@dataclass(frozen=True)
class Tally:
    """The state of one key.

    `interval` is what the accepted reports allow (None when nothing can be trusted); `status`
    is "agreed" (two sources or more), "single", "conflict" (another group of sources disagrees)
    or "suspect" (every report broke a check). `disputed` and `suspect` hold the reports set
    against the accepted ones; `notes` say why reports are suspect. A conflict's `claims` are
    every holder's figure, the kept ones and the disputed ones, by interval (bot.reconcile.claims).
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
    claims: tuple[Claim, ...] = ()

    @property
    def key(self) -> TallyKey:
        return (self.metric, self.side, self.phase)

    @cached_property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({r.source for r in self.backing}))


def agreement_groups(reports: Iterable[Report]) -> list[Group]:
    """Split reports into groups whose intervals all meet, the best-backed group first.

    Deterministic for a set of reports whatever their order: reports are taken by interval, and
    each joins the first group (in the order they formed) whose interval it meets.
    """
    swept = sweep(sorted(reports, key=_report_order), operator.attrgetter("interval"))
    groups = [Group(common, tuple(members)) for common, members in swept]
    return _whole_first(sorted(groups, key=_group_rank))


def sweep(
    items: Iterable[T], interval_of: Callable[[T], Interval]
) -> list[tuple[Interval, list[T]]]:
    """`items` (by rising low) in groups whose intervals all meet, each with the interval they
    share: each item joins the first group (in the order they formed) its interval meets."""
    intervals: list[Interval] = []
    members: list[list[T]] = []
    live: list[int] = []  # the groups an item may still join, in the order they formed
    for item in items:
        interval = interval_of(item)
        # Items come by rising low, so a group whose high is below this item's low can meet
        # neither this item nor any after it: dropping it keeps each sweep step short.
        live = [n for n in live if (high := intervals[n].high) is None or high >= interval.low]
        for n in live:
            common = intervals[n].intersect(interval)
            if common is not None:
                intervals[n] = common
                members[n].append(item)
                break
        else:
            live.append(len(intervals))
            intervals.append(interval)
            members.append([item])
    return list(zip(intervals, members, strict=True))


def _whole_first(groups: list[Group]) -> list[Group]:
    """`groups`, ranked, with one claim's largest figure first where the best-backed groups
    are all that one claim's: figures of one holder that disagree are a whole and its parts
    ("over 60 cruise missiles and about 10 Kinzhals downed"; a headline's round "20" and the
    quoted "more than 20"), not rivals, and the whole is the tally."""
    tied = [g for g in groups if g.strength == groups[0].strength] if groups else []
    if len(tied) < 2:
        return groups
    # Every report is `first`'s holder's and surely of one event with it: dated, or of the
    # same sentence (an undated text's figures may be of separate events). Asked of who
    # reports each group and of its undated sentences, not of each report: a big night's
    # group has thousands.
    first = tied[0].reports[0]
    mine, sentence = (first.source, first.claimant), {first.evidence}
    if not all(same_holder(mine, pair) for g in tied for pair in g.pairs):
        return groups
    if not all(g.undated <= sentence for g in tied):
        return groups
    whole = max(tied, key=lambda g: g.interval.low)
    return [whole, *(g for g in groups if g is not whole)]


class Memo:
    """What reconciling derived from each list of reports (a key's, a phase day's, a
    document's), remembered by the identity of those reports, in order; and what it derived
    from plain values.

    An event reconciled before and after one document has the same reports under every key and
    day the document does not touch; with one memo for both, each of those is grouped once. A
    memo made from the `earlier` memo of an event's previous fold takes what that one derived,
    as far as it is asked for again, and `extend` grows what was derived for a list that only
    got longer; `forget` then lets the earlier memo go, so that memos never chain. The memo
    holds the reports of every list it has seen, so that none of their ids is reused. Pure
    functions only: what is remembered must depend on nothing but its key.
    """

    def __init__(self, earlier: Memo | None = None) -> None:
        self._seen: dict[tuple[object, ...], tuple[Sequence[Report], object]] = {}
        self._kept: dict[Hashable, object] = {}
        self._last: dict[Hashable, tuple[tuple[Report, ...], object]] = {}
        self._earlier = earlier

    def recall(self, kind: object, reports: Sequence[Report], make: Callable[[], T]) -> T:
        """`make()`, which depends on nothing but `kind` and `reports`, as first computed."""
        key = (kind, *map(id, reports))
        found = self._seen.get(key)
        if found is None:
            earlier = self._earlier._seen.get(key) if self._earlier else None
            found = self._seen[key] = earlier or (tuple(reports), make())
        return cast(T, found[1])

    def groups(self, reports: Sequence[Report]) -> list[Group]:
        """`agreement_groups(reports)`: a phase day's reports are grouped again as its key's."""
        return self.recall(("groups",), reports, partial(agreement_groups, reports))

    def keep(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, which depends on nothing but the value `key`, as first computed."""
        if key not in self._kept:
            earlier = self._earlier._kept if self._earlier else {}
            self._kept[key] = earlier[key] if key in earlier else make()
        return cast(T, self._kept[key])

    def extend(
        self,
        kind: Hashable,
        reports: Sequence[Report],
        make: Callable[[Sequence[Report]], T],
        grow: Callable[[T, Sequence[Report]], T],
    ) -> T:
        """`make(reports)`, or `grow(found, added)` where `found` was derived for the same
        reports but the last ones (`added`) under the same `kind`: what an event's key derives
        from its reports, as a fold adds a document's. `grow` returns a new value, leaving
        `found` as it was (an aborted fold's memo may be used again)."""
        reports = tuple(reports)
        last = self._last.get(kind) or (self._earlier._last.get(kind) if self._earlier else None)
        if (
            last is not None
            and len(last[0]) <= len(reports)
            and all(map(operator.is_, last[0], reports))
        ):
            found = cast(T, last[1])
            derived = (
                found if len(last[0]) == len(reports) else grow(found, reports[len(last[0]) :])
            )
        else:
            derived = make(reports)
        self._last[kind] = (reports, derived)
        return derived

    def forget(self) -> None:
        """Let the earlier memo go, keeping what `extend` last derived for each kind."""
        if self._earlier is not None:
            for kind, last in self._earlier._last.items():
                self._last.setdefault(kind, last)
            self._earlier = None


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


def toll_groups(reports: Sequence[Report]) -> list[Group]:
    """A toll's groups: one `toll_group` of every report, unless named claimants' tolls do not
    meet ("18 killed", the governor said; "85 killed", the attacker's ministry claimed). Then
    each family of claimants whose tolls meet is a group, ranked as any groups, and each report
    naming no one joins the first family that has a report of its outlet, else the first whose
    toll it is a floor under, else the best-backed. Deterministic whatever the order."""
    named: dict[str, list[Report]] = {}
    for report in reports:
        if report.claimant:
            named.setdefault(report.claimant, []).append(report)
    families: list[list[Report]] = []
    for claimant in sorted(named):
        mine = toll_group(named[claimant]).interval
        home = next((f for f in families if toll_group(f).interval.meets(mine)), None)
        if home is None:
            families.append(list(named[claimant]))
        else:
            home.extend(named[claimant])
    if len(families) < 2:
        return [toll_group(reports)]
    ranked = sorted(families, key=lambda f: _group_rank(toll_group(f)))
    tolls = [toll_group(f).interval for f in ranked]
    outlets = [{r.source for r in f} for f in ranked]
    for report in (r for r in reports if not r.claimant):
        n = next((n for n, seen in enumerate(outlets) if report.source in seen), None)
        if n is None:
            low = report.interval.low
            n = next((n for n, t in enumerate(tolls) if t.high is None or low <= t.high), 0)
        ranked[n].append(report)
    return sorted((toll_group(f) for f in ranked), key=_group_rank)


def outliers(reports: Sequence[Report]) -> list[Report]:
    """Reports an order of magnitude above every other source's figure for the same key, that
    no other document supports: a figure two documents agree on is never set aside for one
    that nothing backs (issue 14: a breakdown once outweighed two agreeing totals)."""
    highest: dict[str, int] = {}
    for report in reports:
        highest[report.source] = max(highest.get(report.source, report.value), report.value)
    # The highest figure of another source is the top source's, or the runner-up's for the top.
    top = sorted(highest.items(), key=lambda item: item[1], reverse=True)[:2]
    if len(top) < 2:
        return []  # one source: no other's figure to be off
    # A report is measured against the top source's figure, or the runner-up's for the top.
    (first, first_value), (_, second_value) = top
    bar = OUTLIER_RATIO * max(first_value, 1)
    top_bar = OUTLIER_RATIO * max(second_value, 1)
    return [
        report
        for report in reports
        if report.value >= (top_bar if report.source == first else bar)
        and not _supported(report, reports)
    ]


def _supported(report: Report, reports: Sequence[Report]) -> bool:
    """Whether a report of another document allows the same count, and gives a figure of the
    same order ("at least 15" allows 150, but backs nothing that large)."""
    return any(
        other.document_id != report.document_id
        and OUTLIER_RATIO * other.value > report.value
        and other.interval.meets(report.interval)
        for other in reports
    )


def _report_order(report: Report) -> tuple[object, ...]:
    i = report.interval
    return (i.low, i.high if i.high is not None else 2**62, report.source, report.evidence)


def _group_rank(group: Group) -> tuple[object, ...]:
    width = (group.interval.high - group.interval.low) if group.interval.high is not None else 2**62
    # Equal backing: the narrower, then the larger (one source's whole rather than its part).
    return (-group.strength, width, -group.interval.low)
