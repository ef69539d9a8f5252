"""Who says what of a disputed tally: "180 by Russia's defence ministry, 193 by Zelensky".

Pure. A tally is disputed when another group of reports disagrees with the accepted one
(`Tally.disputed`); each claim is one claimant's figure, the claimant being who the text says
gives the count (`Report.claimant`), else the outlet that reports it (`Report.source`). The
accepted group's claimants share the tally's interval; each disputed claimant's figure is the
interval its reports allow together (their first report's, when they do not meet).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.reconcile import Interval, Report, Tally, describe


@dataclass(frozen=True)
class Claim:
    """One claimant's figure: `interval`, by `who` (a claimant or an outlet, several joined)."""

    interval: Interval
    who: tuple[str, ...]


def disputed(tally: Tally) -> bool:
    """Whether the tally's figure is disputed: it has an interval, and reports set against it."""
    return tally.interval is not None and bool(tally.disputed)


def claims_of(tally: Tally) -> list[Claim]:
    """The claims of a disputed tally, the accepted one first; [] when it is not disputed."""
    if not disputed(tally) or tally.interval is None:
        return []
    # The engine's own claims, where it keeps them (`Tally.claims`, issue 14: each with a
    # claimant and an interval), the kept figure's first; read by name, so that this module
    # works with an engine that keeps them and one that does not yet.
    kept = getattr(tally, "claims", ())
    if kept:
        ordered = sorted(kept, key=lambda c: not c.interval.meets(tally.interval))
        return _merged((c.claimant, c.interval) for c in ordered)
    accepted = Claim(tally.interval, _names(tally.backing))
    others: dict[str, list[Report]] = {}
    for report in tally.disputed:
        others.setdefault(_claimant(report), []).append(report)
    together = ((who, _together(r.interval for r in reports)) for who, reports in others.items())
    return _merged(together, [accepted])


def _merged(
    claims: Iterable[tuple[str, Interval]], found: list[Claim] | None = None
) -> list[Claim]:
    """Claims of one interval made one, naming each claimant once, in order."""
    found = list(found or [])
    for who, interval in claims:
        same = next((c for c in found if c.interval == interval), None)
        if same is None:
            found.append(Claim(interval, (who,)))
        elif who not in same.who:
            found[found.index(same)] = Claim(interval, (*same.who, who))
    return found


def claims_text(claims: Sequence[Claim]) -> str:
    """The claims, comma-separated: "180 by Russia's defence ministry, 193 by Zelensky"; one
    claim's several claimants are joined by "and" ("5 by AP and Reuters, 2 by TASS")."""
    return ", ".join(f"{describe(c.interval)} by {' and '.join(c.who)}" for c in claims)


def _claimant(report: Report) -> str:
    return report.claimant or report.source


def _names(reports: Iterable[Report]) -> tuple[str, ...]:
    return tuple(sorted({_claimant(r) for r in reports}))


def _together(intervals: Iterable[Interval]) -> Interval:
    items = list(intervals)
    common: Interval | None = items[0]
    for interval in items[1:]:
        common = common.intersect(interval) if common is not None else None
    return common if common is not None else items[0]
