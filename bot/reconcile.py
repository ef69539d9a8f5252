"""The diff engine's first half: an event's reports in, its tallies and checks out.

Pure, and a function of the set of reports: any order of the same reports gives the same state.
Per key, reports split into groups that agree; the group kept is the one the arithmetic checks
allow, else the best backed. A group that would break a check is suspect; one that merely
disagrees is a conflict. Tolls (counts that grow over time) never conflict: each report is a
floor under the current count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.checks import Breach, Checks, MetricSide, breaches, holds
from bot.intervals import Interval
from bot.reports import Report
from bot.tallying import Group, Tally, TallyKey, agreement_groups, outliers, toll_group

PER_SIDE = ("ukraine", "russia")


@dataclass(frozen=True)
class Rules:
    """What the engine needs from config: the tolls, and the checks."""

    tolls: frozenset[str]
    checks: Checks


@dataclass(frozen=True)
class Cumulative:
    """A swap's running total for one side: what the phases add up to, and the agreed total."""

    side: str
    phases: tuple[tuple[date | None, Interval], ...]
    added: Interval
    agreed: Interval | None

    @property
    def complete(self) -> bool:
        """Whether the phases reach the agreed total."""
        return self.agreed is not None and self.agreed.exact and self.added.low >= self.agreed.low


@dataclass(frozen=True)
class EventState:
    """Everything the engine knows of one event."""

    event_id: str
    tallies: tuple[Tally, ...]
    breaches: tuple[Breach, ...] = ()
    holds: tuple[str, ...] = ()
    cumulative: tuple[Cumulative, ...] = ()

    def tally(self, metric: str, side: str | None, phase: date | None = None) -> Tally | None:
        return next((t for t in self.tallies if t.key == (metric, side, phase)), None)

    @property
    def complete(self) -> bool:
        return bool(self.cumulative) and all(c.complete for c in self.cumulative)


@dataclass
class _Key:
    """Working state of one key while the engine chooses among its groups."""

    groups: list[Group]
    toll: bool
    outliers: tuple[Report, ...] = ()
    chosen: int = 0


def reconcile_event(event_id: str, reports: Iterable[Report], rules: Rules) -> EventState:
    """The state of an event from all its reports."""
    keys = _keys(_per_side(reports, rules), rules)
    _choose(keys, rules.checks)
    values = _values(keys)
    remaining = breaches(values, rules.checks)
    blamed = _blamed(remaining)
    tallies = tuple(
        _tally(event_id, key, work, rules.checks, values, blamed, remaining)
        for key, work in sorted(keys.items(), key=lambda kv: _sort_key(kv[0]))
    )
    remaining = [b for b in remaining if not blamed.intersection(b.keys)]
    cumulative = _cumulative(tallies, rules.checks)
    return EventState(
        event_id,
        tallies,
        tuple(remaining),
        tuple(holds(values, rules.checks) + _phase_sums(tallies, cumulative, rules.checks)),
        cumulative,
    )


def _per_side(reports: Iterable[Report], rules: Rules) -> list[Report]:
    """Swap reports "each side" count for Ukraine and for Russia alike."""
    spread: list[Report] = []
    for report in reports:
        if report.side == "both":
            spread.extend(replace(report, side=side) for side in PER_SIDE)
        else:
            spread.append(report)
    return _phase_undated(spread, rules)


def _phase_undated(reports: list[Report], rules: Rules) -> list[Report]:
    """Place phase reports whose day is missing or wrong: the phases' counts are distinctive,
    their days are where reports err (a publication day given for the event's). A report joins
    the one other day whose best-backed figure it matches, when it has no day or is outside the
    best-backed figure of its own day."""
    phase_metric = rules.checks.phases.phase if rules.checks.phases else None
    phased = [r for r in reports if r.metric == phase_metric and r.phase is not None]
    groups = {
        (side, day): agreement_groups(r for r in phased if (r.side, r.phase) == (side, day))
        for side, day in {(r.side, r.phase) for r in phased}
    }
    best = {key: found[0] for key, found in groups.items()}
    # A day whose best figure is backed no better than another of its figures settles nothing.
    settled = {
        key: found[0]
        for key, found in groups.items()
        if len(found) == 1 or len(found[0].sources) > len(found[1].sources)
    }
    placed = []
    for report in reports:
        if report.metric == phase_metric:
            report = _rehome(report, best, settled)
        placed.append(report)
    return placed


def _rehome(
    report: Report,
    best: Mapping[tuple[str | None, date | None], Group],
    settled: Mapping[tuple[str | None, date | None], Group],
) -> Report:
    own = settled.get((report.side, report.phase))
    if report.phase is not None and own is not None and report in own.reports:
        return report
    days = {
        day
        for (side, day), group in best.items()
        if side == report.side and day != report.phase and group.interval.meets(report.interval)
    }
    return replace(report, phase=days.pop()) if len(days) == 1 else report


def _keys(reports: Sequence[Report], rules: Rules) -> dict[TallyKey, _Key]:
    by_key: dict[TallyKey, list[Report]] = defaultdict(list)
    for report in reports:
        by_key[(report.metric, report.side, report.phase)].append(report)
    keys = {}
    for key, items in by_key.items():
        odd = tuple(outliers(items))
        kept = [r for r in items if r not in odd] or items
        toll = key[0] in rules.tolls
        groups = [toll_group(kept)] if toll else agreement_groups(kept)
        keys[key] = _Key(groups, toll, odd if len(kept) < len(items) else ())
    return keys


def _choose(keys: dict[TallyKey, _Key], checks: Checks) -> None:
    """Switch a key to another of its groups where that breaks fewer checks."""
    for _ in range(3):
        improved = False
        for key in sorted(keys, key=_sort_key):
            work = keys[key]
            if len(work.groups) < 2:
                continue
            best, best_count = work.chosen, len(breaches(_values(keys), checks))
            for n in range(len(work.groups)):
                work.chosen = n
                count = len(breaches(_values(keys), checks))
                if count < best_count:
                    best, best_count, improved = n, count, True
            work.chosen = best
        if not improved:
            return


def _values(keys: Mapping[TallyKey, _Key]) -> dict[MetricSide, Interval]:
    """The chosen interval of each key that checks compare (the keys without a phase)."""
    return {
        (metric, side): work.groups[work.chosen].interval
        for (metric, side, phase), work in keys.items()
        if phase is None
    }


def _tally(
    event_id: str,
    key: TallyKey,
    work: _Key,
    checks: Checks,
    values: Mapping[MetricSide, Interval],
    blamed: set[MetricSide],
    remaining: Sequence[Breach],
) -> Tally:
    metric, side, phase = key
    chosen = work.groups[work.chosen]
    suspect: list[Report] = list(work.outliers)
    disputed: list[Report] = []
    notes: list[str] = []
    if work.outliers:
        notes.append("an order of magnitude off the other sources")
    for n, group in enumerate(work.groups):
        if n == work.chosen:
            continue
        broken = (
            _would_break((metric, side), group.interval, values, checks) if phase is None else []
        )
        if broken:
            suspect.extend(group.reports)
            notes.extend(f"{b.check}: {b.detail}" for b in broken)
        else:
            # A source does not conflict with itself: its smaller figure is a part of the whole.
            disputed.extend(r for r in group.reports if r.source not in chosen.sources)
    interval: Interval | None = chosen.interval
    backing = chosen.reports
    if phase is None and (metric, side) in blamed:
        suspect.extend(chosen.reports)
        notes.extend(f"{b.check}: {b.detail}" for b in remaining if (metric, side) in b.keys)
        interval, backing = None, ()
    return Tally(
        event_id,
        metric,
        side,
        phase,
        interval,
        _status(interval, backing, disputed),
        backing,
        tuple(disputed),
        tuple(suspect),
        tuple(dict.fromkeys(notes)),
    )


def _would_break(
    key: MetricSide, interval: Interval, values: Mapping[MetricSide, Interval], checks: Checks
) -> list[Breach]:
    """The checks `key` would break with `interval` instead of its chosen one."""
    now = {(b.check, b.keys) for b in breaches(values, checks)}
    trial = {**values, key: interval}
    return [b for b in breaches(trial, checks) if key in b.keys and (b.check, b.keys) not in now]


def _blamed(remaining: Sequence[Breach]) -> set[MetricSide]:
    """The one key that every reading of the broken checks points at: the key in the most of
    them, if no other key is in as many. None when the blame is shared."""
    counts: dict[MetricSide, int] = defaultdict(int)
    for breach in remaining:
        for key in breach.keys:
            counts[key] += 1
    if not counts:
        return set()
    most = max(counts.values())
    top = [key for key, count in counts.items() if count == most]
    return {top[0]} if len(top) == 1 and most > 1 else set()


def _status(
    interval: Interval | None, backing: Sequence[Report], disputed: Sequence[Report]
) -> str:
    if interval is None:
        return "suspect"
    if disputed:
        return "conflict"
    return "agreed" if len({r.source for r in backing}) > 1 else "single"


def _cumulative(tallies: Sequence[Tally], checks: Checks) -> tuple[Cumulative, ...]:
    rule = checks.phases
    if rule is None:
        return ()
    found = []
    for side in PER_SIDE:
        phases = tuple(
            (t.phase, t.interval)
            for t in tallies
            if t.metric == rule.phase and t.side == side and t.interval is not None
        )
        if not phases:
            continue
        highs = [i.high for _, i in phases]
        added = Interval(
            sum(i.low for _, i in phases),
            None if None in highs else sum(h for h in highs if h is not None),
        )
        agreed = next(
            (t.interval for t in tallies if t.metric == rule.agreed and t.side == side), None
        )
        found.append(Cumulative(side, phases, added, agreed))
    return tuple(found)


def _phase_sums(
    tallies: Sequence[Tally], cumulative: Sequence[Cumulative], checks: Checks
) -> list[str]:
    """Reported running totals that the phases up to their day add up to: "390 + 307 = 697"."""
    rule = checks.phases
    if rule is None:
        return []
    found = []
    reported = [r for t in tallies if t.metric == rule.cumulative for r in t.backing]
    for report in sorted(reported, key=lambda r: (r.event_date or date.max, r.value)):
        for total in cumulative:
            if report.side != total.side or report.event_date is None:
                continue
            before = [i for day, i in total.phases if day is not None and day <= report.event_date]
            added = sum(i.low for i in before)
            if (
                before
                and all(i.exact for i in before)
                and report.interval.low <= added <= (report.interval.high or added)
            ):
                found.append(" + ".join(f"{i.low:,}" for i in before) + f" = {added:,}")
    return list(dict.fromkeys(found))


def _sort_key(key: TallyKey) -> tuple[str, str, str]:
    metric, side, phase = key
    return (metric, side or "", phase.isoformat() if phase else "")
