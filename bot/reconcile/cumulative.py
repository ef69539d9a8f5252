"""A swap's running totals: what its phases add up to per side, against the agreed total, and
the reported running totals the phases bear out ("390 + 307 = 697"). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.reconcile.checks import Checks
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import PER_SIDE, Report
from bot.reconcile.tallies import Memo, Tally


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


def running_totals(tallies: Sequence[Tally], checks: Checks) -> tuple[Cumulative, ...]:
    """Per side, the phases of the swap and what they add up to, with the agreed total."""
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


def phase_sums(
    tallies: Sequence[Tally], cumulative: Sequence[Cumulative], checks: Checks, memo: Memo
) -> list[str]:
    """Reported running totals that the phases up to their day add up to: "390 + 307 = 697"."""
    rule = checks.phases
    if rule is None:
        return []
    found = []
    # Reports of one side, day and figure give one sum: the first of each stands for them all
    # (sorted stably, the firsts come in the order all of them would).
    firsts: dict[tuple[object, ...], Report] = {}
    for tally in tallies:
        if tally.metric == rule.cumulative:
            for r in tally.backing:
                firsts.setdefault((r.side, r.event_date, r.value, r.qualifier), r)
    reported = list(firsts.values())
    # Reports of one day and interval check the same sum: each is worked out once, and again
    # only when the phases change.
    sums: list[dict[tuple[date, int, int | None], str | None]] = [
        memo.keep(("sums", total), dict) for total in cumulative
    ]
    for report in sorted(reported, key=lambda r: (r.event_date or date.max, r.value)):
        for total, known in zip(cumulative, sums, strict=True):
            if report.side != total.side or report.event_date is None:
                continue
            interval = report.interval
            key = (report.event_date, interval.low, interval.high)
            if key not in known:
                known[key] = _phase_sum(total, report.event_date, interval)
            arithmetic = known[key]
            if arithmetic is not None:
                found.append(arithmetic)
    return list(dict.fromkeys(found))


def _phase_sum(total: Cumulative, day: date, reported: Interval) -> str | None:
    """The phases of `total` up to `day` as a sum, if they are exact and add up to `reported`."""
    before = [i for phase, i in total.phases if phase is not None and phase <= day]
    added = sum(i.low for i in before)
    if (
        before
        and all(i.exact for i in before)
        and reported.low <= added <= (reported.high or added)
    ):
        return " + ".join(f"{i.low:,}" for i in before) + f" = {added:,}"
    return None
