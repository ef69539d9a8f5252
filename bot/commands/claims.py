"""Who says what of a disputed tally: "180 by Russia's defence ministry, 193 by Zelensky".

Pure. A tally is disputed when another group of reports disagrees with the accepted one
(`Tally.disputed`); the engine keeps each holder's figure in `Tally.claims` (a holder being who
the text says gives the count, else the outlet that reports it: bot.reconcile.claims). Here
they are put in the order an answer says them, the accepted figure first, one figure's
holders together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.reconcile import Interval, Tally, describe


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
    kept = tally.interval
    ordered = sorted(tally.claims, key=lambda c: not c.interval.meets(kept))
    return _merged((c.claimant, c.interval) for c in ordered)


def _merged(claims: Iterable[tuple[str, Interval]]) -> list[Claim]:
    """Claims of one interval made one, naming each claimant once, by name."""
    found: list[Claim] = []
    for who, interval in claims:
        same = next((c for c in found if c.interval == interval), None)
        if same is None:
            found.append(Claim(interval, (who,)))
        elif who not in same.who:
            found[found.index(same)] = Claim(interval, tuple(sorted((*same.who, who))))
    return found


def claims_text(claims: Sequence[Claim]) -> str:
    """The claims, comma-separated: "180 by Russia's defence ministry, 193 by Zelensky"; one
    claim's several claimants are joined by "and" ("5 by AP and Reuters, 2 by TASS")."""
    return ", ".join(f"{describe(c.interval)} by {' and '.join(c.who)}" for c in claims)
