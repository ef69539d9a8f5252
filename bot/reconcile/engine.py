"""The diff engine's first half: an event's reports in, its tallies and checks out.

Pure, and a function of the set of reports: any order of the same reports gives the same state.
Per key, reports split into groups that agree; the group kept is the one the arithmetic checks
allow, else the best backed. A group that would break a check is suspect; one that merely
disagrees is a conflict. Tolls (counts that grow over time) never conflict between outlets:
each report is a floor under the current count; two named claimants' tolls that do not meet
are set against each other like any figures (bot.reconcile.claims).

Disputes are between claims, not outlets: a claim is a named claimant's, or an outlet's own
where no one is named (`claims.same_claim`). A report with a place counts a part of the event
("52 over the Moscow region"), never its whole: it is kept in `EventState.parts`, and counts
toward a tally only as a floor where no figure of the whole is known (bot.reconcile.places).
"""

from __future__ import annotations

from bisect import insort
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial

from bot.reconcile.checks import (
    Breach,
    Checks,
    MetricSide,
    Split,
    breaches,
    breaches_involving,
    holds,
)
from bot.reconcile.chunks import spread_by_document
from bot.reconcile.claims import Told, dispute_claims_told, told
from bot.reconcile.cumulative import Cumulative, phase_sums, running_totals
from bot.reconcile.groups import with_additions, with_sums
from bot.reconcile.intervals import Interval
from bot.reconcile.phases import rehomed
from bot.reconcile.places import counted, part_order
from bot.reconcile.reports import Report
from bot.reconcile.runs import Runs
from bot.reconcile.slips import slips
from bot.reconcile.tallies import Group, Memo, Tally, TallyKey, toll_groups


@dataclass(frozen=True)
class Rules:
    """What the engine needs from config: the tolls, and the checks."""

    tolls: frozenset[str]
    checks: Checks


@dataclass(frozen=True)
class EventState:
    """Everything the engine knows of one event; `splits` are the sums of the checks it was
    reconciled under (whole, parts), which replies write in one line where `holds` has them;
    `parts` the reports that count one place's share (bot.reconcile.places), in a fixed order."""

    event_id: str
    tallies: tuple[Tally, ...]
    breaches: tuple[Breach, ...] = ()
    holds: tuple[str, ...] = ()
    cumulative: tuple[Cumulative, ...] = ()
    splits: tuple[Split, ...] = ()
    parts: tuple[Report, ...] = ()

    def tally(self, metric: str, side: str | None, phase: date | None = None) -> Tally | None:
        return next((t for t in self.tallies if t.key == (metric, side, phase)), None)

    @property
    def complete(self) -> bool:
        return bool(self.cumulative) and all(c.complete for c in self.cumulative)

    @cached_property
    def sources(self) -> tuple[str, ...]:
        """Every outlet its tallies name: backing, disputed or suspect reports'."""
        named = set().union(*(t.sources for t in self.tallies))
        named.update(r.source for t in self.tallies for r in (*t.disputed, *t.suspect))
        return tuple(sorted(named))


@dataclass
class _Key:
    """Working state of one key while the engine chooses among its groups."""

    groups: list[Group]
    toll: bool
    outliers: tuple[Report, ...] = ()
    chosen: int = 0
    slips: list[Report] = field(default_factory=list)


def reconcile_event(
    event_id: str, reports: Iterable[Report], rules: Rules, memo: Memo | None = None
) -> EventState:
    """The state of an event from all its reports. A `memo` shared with an earlier call spares
    regrouping what that call grouped; the state is the same with or without it."""
    memo = Memo() if memo is None else memo
    reports = list(reports)
    phase_metric = rules.checks.phases.phase if rules.checks.phases else None
    shortcut = spread_by_document(reports, phase_metric, memo)
    parts: list[Report] = []
    if shortcut is not None:
        mistyped, parts = set(shortcut.mistyped), shortcut.parts
        keys = _keys(shortcut.by_key, rules, memo)
    else:
        counting, parts = counted(reports)
        spread = _per_side(with_sums(counting), rules, memo)
        mistyped = _mistyped(spread)
        keys = _keys(_by_key([r for r in spread if r not in mistyped]), rules, memo)
    for report in mistyped:
        keys[(report.metric, report.side, report.phase)].slips.append(report)
    _choose(keys, rules.checks)
    values = _values(keys)
    remaining = breaches(values, rules.checks)
    blamed = _blamed(remaining)
    tallies = tuple(
        _tally(event_id, key, work, rules.checks, values, blamed, remaining)
        for key, work in sorted(keys.items(), key=lambda kv: _sort_key(kv[0]))
    )
    remaining = [b for b in remaining if not blamed.intersection(b.keys)]
    cumulative = running_totals(tallies, rules.checks)
    return EventState(
        event_id,
        tallies,
        tuple(remaining),
        tuple(holds(values, rules.checks) + phase_sums(tallies, cumulative, rules.checks, memo)),
        cumulative,
        rules.checks.splits,
        memo.extend(("parts",), parts, _in_part_order, _more_parts),
    )


def _in_part_order(parts: Sequence[Report]) -> tuple[Report, ...]:
    return tuple(sorted(parts, key=part_order))


def _more_parts(ordered: tuple[Report, ...], added: Sequence[Report]) -> tuple[Report, ...]:
    """`ordered` with `added` in their places: as sorting them all, since the reports added
    come after the others (a stable sort puts them after their equals)."""
    found = list(ordered)
    for report in added:
        insort(found, report, key=part_order)
    return tuple(found)


def _mistyped(reports: Sequence[Report]) -> set[Report]:
    """The slips of the pen (bot.reconcile.slips) whose key keeps a report that is none."""
    found = set(slips(reports))
    kept = {(r.metric, r.side, r.phase) for r in reports if r not in found}
    return {r for r in found if (r.metric, r.side, r.phase) in kept}


def _per_side(reports: Iterable[Report], rules: Rules, memo: Memo) -> list[Report]:
    """Swap reports "each side" count for Ukraine and for Russia alike."""
    spread: list[Report] = []
    for report in reports:
        if report.side == "both":
            spread.extend(report.per_side)
        else:
            spread.append(report)
    phase_metric = rules.checks.phases.phase if rules.checks.phases else None
    return rehomed(with_additions(spread), phase_metric, memo)


def _by_key(reports: Sequence[Report]) -> dict[TallyKey, list[Report]]:
    by_key: dict[TallyKey, list[Report]] = defaultdict(list)
    for report in reports:
        by_key[(report.metric, report.side, report.phase)].append(report)
    return by_key


def _keys(
    by_key: Mapping[TallyKey, list[Report]], rules: Rules, memo: Memo
) -> dict[TallyKey, _Key]:
    """Each key's groups and outliers: from its runs as the last fold left them, grown with
    the reports added since (bot.reconcile.runs); as they were when no report was."""
    keys = {}
    for key, items in by_key.items():
        toll = key[0] in rules.tolls
        _, groups, odd = memo.extend(
            ("grouped", key),
            items,
            partial(_new_runs, toll, memo),
            partial(_more_runs, items, toll, memo),
        )
        keys[key] = _Key(list(groups), toll, odd)
    return keys


_Grouped = tuple[Runs, tuple[Group, ...], tuple[Report, ...]]


def _new_runs(toll: bool, memo: Memo, items: Sequence[Report]) -> _Grouped:
    return _grouped(Runs.of(items), items, toll, memo)


def _more_runs(
    items: Sequence[Report], toll: bool, memo: Memo, found: _Grouped, added: Sequence[Report]
) -> _Grouped:
    return _grouped(found[0].grown(added), items, toll, memo)


def _grouped(runs: Runs, items: Sequence[Report], toll: bool, memo: Memo) -> _Grouped:
    """A key's runs, its groups, and its outliers when they are set aside."""
    odd = tuple(runs.outliers())
    if not odd:
        return runs, tuple(runs.toll_groups() if toll else runs.agreement_groups()), ()
    odd_set = set(odd)
    kept = [r for r in items if r not in odd_set] or items
    groups = toll_groups(kept) if toll else memo.groups(kept)
    return runs, tuple(groups), odd if len(kept) < len(items) else ()


def _choose(keys: dict[TallyKey, _Key], checks: Checks) -> None:
    """Switch a key to another of its groups where that breaks fewer checks.

    Only the checks that name a key change when it switches, so its groups are compared on
    those; keys of a phase are in no check. A group is kept unless another breaks fewer, so
    the search for a key ends at a group that breaks none.
    """
    values = _values(keys)
    candidates = [
        ((metric, side), keys[(metric, side, phase)])
        for metric, side, phase in sorted(keys, key=_sort_key)
        if phase is None and len(keys[(metric, side, phase)].groups) >= 2
    ]
    for _ in range(3):
        improved = False
        for key, work in candidates:
            best, best_count = work.chosen, _count(values, checks, key)
            for n, group in enumerate(work.groups):
                if best_count == 0:
                    break
                values[key] = group.interval
                count = _count(values, checks, key)
                if count < best_count:
                    best, best_count, improved = n, count, True
            work.chosen = best
            values[key] = work.groups[best].interval
        if not improved:
            return


def _count(values: Mapping[MetricSide, Interval], checks: Checks, key: MetricSide) -> int:
    """How many checks naming `key` the intervals break."""
    return len(breaches_involving(values, checks, key, explain=False))


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
    suspect: list[Report] = [*work.outliers, *work.slips]
    disputed: list[Report] = []
    told_against: list[tuple[frozenset[Told], Group]] = []  # what each group's rivals tell
    notes: list[str] = []
    if work.outliers:
        notes.append("an order of magnitude off the other sources")
    if work.slips:
        notes.append("one digit off the figure its own text repeats")
    now = (
        _breached(values, checks, (metric, side))
        if phase is None and len(work.groups) > 1
        else set()
    )
    for n, group in enumerate(work.groups):
        if n == work.chosen:
            continue
        broken = (
            _would_break((metric, side), group.interval, values, checks, now)
            if phase is None
            else []
        )
        if broken:
            suspect.extend(group.reports)
            notes.extend(f"{b.check}: {b.detail}" for b in broken)
        else:
            # A claim does not conflict with itself: its smaller figure is a part of the whole.
            mine = chosen.kin.rivals_among(group.reports, group.pairs)
            disputed.extend(mine)
            if mine:
                told_against.append((group.told if mine is group.reports else told(mine), group))
    interval: Interval | None = chosen.interval
    backing = chosen.reports
    if phase is None and (metric, side) in blamed:
        suspect.extend(chosen.reports)
        notes.extend(f"{b.check}: {b.detail}" for b in remaining if (metric, side) in b.keys)
        interval, backing = None, ()
    tally = Tally(
        event_id,
        metric,
        side,
        phase,
        interval,
        _status(interval, chosen.strength if backing else 0, disputed),
        backing,
        tuple(disputed),
        tuple(suspect),
        tuple(dict.fromkeys(notes)),
        (
            dispute_claims_told(
                (chosen.told, chosen.interval), [(t, g.interval) for t, g in told_against]
            )
            if interval is not None and disputed
            else ()
        ),
    )
    if backing:  # the chosen group's: its sources are known
        tally.__dict__["sources"] = chosen.sources
    return tally


def _breached(
    values: Mapping[MetricSide, Interval], checks: Checks, key: MetricSide
) -> set[tuple[str, tuple[MetricSide, ...]]]:
    """The checks naming `key` that the chosen intervals break."""
    return {(b.check, b.keys) for b in breaches_involving(values, checks, key, explain=False)}


def _would_break(
    key: MetricSide,
    interval: Interval,
    values: Mapping[MetricSide, Interval],
    checks: Checks,
    now: set[tuple[str, tuple[MetricSide, ...]]],
) -> list[Breach]:
    """The checks `key` would break with `interval` instead of its chosen one; `now` is
    `_breached(values, checks, key)`."""
    trial = {**values, key: interval}
    if all((b.check, b.keys) in now for b in breaches_involving(trial, checks, key, explain=False)):
        return []
    return [b for b in breaches_involving(trial, checks, key) if (b.check, b.keys) not in now]


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


def _status(interval: Interval | None, strength: int, disputed: Sequence[Report]) -> str:
    """`strength` is how many independent claims back the figure (`claims.backing`)."""
    if interval is None:
        return "suspect"
    if disputed:
        return "conflict"
    # Outlets repeating one claimant are one claim: agreement needs two independent ones.
    return "agreed" if strength > 1 else "single"


def _sort_key(key: TallyKey) -> tuple[str, str, str]:
    metric, side, phase = key
    return (metric, side or "", phase.isoformat() if phase else "")
