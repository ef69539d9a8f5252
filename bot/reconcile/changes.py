"""The diff engine's second half: what changed between two states of an event, named.

new, confirmed, revised, conflict, suspect, resolved, milestone (design.md). Pure.
"""

from __future__ import annotations

import operator
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.errors import ConfigError
from bot.reconcile.engine import EventState
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report, topic_of
from bot.reconcile.tallies import Tally

KINDS = ("new", "confirmed", "revised", "conflict", "suspect", "resolved", "milestone")


@dataclass(frozen=True)
class Change:
    """One named change to an event. `reports` are the ones behind it (for quotes); `detail`
    says the check a suspect broke or what a milestone reached."""

    kind: str
    event_id: str
    metric: str | None
    side: str | None
    phase: date | None
    interval: Interval | None
    previous: Interval | None
    sources: tuple[str, ...]
    reports: tuple[Report, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class AlertPolicy:
    """Which change kinds alert, and the headline metrics for which "new" alerts."""

    kinds: frozenset[str]
    headline: dict[str, tuple[str, ...]]

    def alerts(self, change: Change) -> bool:
        if change.kind not in self.kinds:
            return False
        if change.kind == "new":
            return change.metric in self.headline.get(topic_of(change.metric or ""), ())
        return True


def load_policy(path: Path | None) -> AlertPolicy:
    """The alert policy of an alerts.toml; design.md's defaults without one."""
    if path is None:
        return AlertPolicy(frozenset(KINDS) - {"confirmed"}, {})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        kinds = frozenset(map(str, data.get("alert", [])))
        headline = {str(k): tuple(map(str, v)) for k, v in data.get("headline", {}).items()}
    except (tomllib.TOMLDecodeError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    unknown = kinds - set(KINDS)
    if unknown:
        raise ConfigError(f"{path}: unknown change kinds {sorted(unknown)}")
    return AlertPolicy(kinds, headline)


def diff(
    before: EventState | None,
    after: EventState,
    new_reports: Sequence[Report],
    tolls: frozenset[str],
) -> list[Change]:
    """The changes from `before` (None for a new event) to `after`, caused by `new_reports`."""
    changes = []
    for tally in after.tallies:
        old = before.tally(tally.metric, tally.side, tally.phase) if before else None
        change = _tally_change(old, tally, new_reports, tolls)
        if change:
            changes.append(change)
    if after.complete and not (before and before.complete):
        changes.append(_milestone(after))
    old_breaches = {(b.check, b.keys) for b in before.breaches} if before else set()
    for breach in after.breaches:
        if (breach.check, breach.keys) not in old_breaches:
            changes.append(
                Change(
                    "suspect",
                    after.event_id,
                    None,
                    None,
                    None,
                    None,
                    None,
                    (),
                    (),
                    f"{breach.check}: {breach.detail}",
                )
            )
    return changes


def _tally_change(
    old: Tally | None, new: Tally, new_reports: Sequence[Report], tolls: frozenset[str]
) -> Change | None:
    fresh = tuple(r for r in new_reports if _same_key(r, new))
    new_suspects = _not_in(new.suspect, old.suspect) if old else tuple(new.suspect)
    kind = _kind(old, new, fresh, new_suspects, tolls)
    if kind is None:
        return None
    reports = (
        new_suspects
        if kind == "suspect"
        else (tuple(new.disputed) + fresh if kind == "conflict" else fresh or new.backing)
    )
    detail = "; ".join(new.notes) if kind in ("suspect", "resolved") else ""
    return Change(
        kind,
        new.event_id,
        new.metric,
        new.side,
        new.phase,
        new.interval,
        old.interval if old else None,
        new.sources,
        reports,
        detail,
    )


def _kind(
    old: Tally | None,
    new: Tally,
    fresh: Sequence[Report],
    new_suspects: Sequence[Report],
    tolls: frozenset[str],
) -> str | None:
    if new_suspects:
        return "suspect"
    if old is None or (old.interval is None and old.status != "suspect"):
        return "new" if new.interval is not None else None
    if old.status in ("conflict", "suspect") and new.status in ("agreed", "single"):
        return "resolved"
    if new.status == "conflict" and (
        old.status != "conflict" or len(new.disputed) > len(old.disputed)
    ):
        return "conflict"
    if old.interval is not None and new.interval is not None:
        if new.metric in tolls and new.interval.low > old.interval.low:
            return "revised"
        if new.interval != old.interval or set(new.sources) > set(old.sources):
            return "confirmed"
    return None


def _milestone(state: EventState) -> Change:
    totals = [c for c in state.cumulative if c.complete]
    first = totals[0]
    parts = " + ".join(f"{i.low:,}" for _, i in first.phases)
    sides = "each side" if len(totals) == len(state.cumulative) and len(totals) > 1 else first.side
    agreed = first.agreed.low if first.agreed else first.added.low
    return Change(
        "milestone",
        state.event_id,
        None,
        None,
        None,
        first.added,
        None,
        (),
        (),
        f"the deal is complete: {parts} = {first.added.low:,} of {agreed:,} agreed, {sides}",
    )


def _not_in(reports: Sequence[Report], known: Sequence[Report]) -> tuple[Report, ...]:
    """The reports of `reports` equal to none of `known`, in order. Where `reports` begins with
    the very objects of `known` (a kept state's suspects, grown by a fold), the rest are new:
    one equal to a report of `known` would be a figure of a document folded before, and folding
    a document again takes its earlier reports out, which breaks that beginning. Otherwise the
    reports are found by identity, then compared by value through a set made only then, as a
    large event's suspects are many."""
    start = len(known)
    if start <= len(reports) and all(map(operator.is_, known, reports)):
        return tuple(reports[start:])
    ids = {id(r) for r in known}
    unknown = [r for r in reports if id(r) not in ids]
    if not unknown:
        return ()
    values = set(known)
    return tuple(r for r in unknown if r not in values)


def _same_key(report: Report, tally: Tally) -> bool:
    return (
        report.metric == tally.metric
        and report.side in (tally.side, "both")
        and (report.phase == tally.phase or report.phase is None)
    )
