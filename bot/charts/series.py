"""What a chart plots, as values: the nights of air attacks with their counts, and the prisoner
exchanges with their phases, running totals and agreed numbers.

Plain values, read from the tallies by bot.commands (which holds the answers' reading of the
ledger) and drawn by `bot.charts.drawing`; every plotted number is a tally's interval or the
engine's running total, never one made up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.reconcile import Interval

ATTACK_METRICS = (
    "attack.drones_launched",
    "attack.drones_downed",
    "attack.missiles_launched",
    "attack.missiles_downed",
)
"""The counts an attacks chart plots, one series each, in this order."""


def plotted(interval: Interval) -> float:
    """The height an interval is drawn at: its count when exact, the middle of a bounded range
    ("about 250" is 225 to 275: 250), the floor of an open one ("at least 6": 6)."""
    if interval.high is None:
        return float(interval.low)
    return (interval.low + interval.high) / 2


@dataclass(frozen=True)
class Point:
    """One night's count of a series: the tally's `interval`, and when its sources disagree, the
    dispute in words (`disputed`: "180 by TASS, 193 by Ukrinform") and the other claims'
    intervals (`rivals`), drawn beside it."""

    day: date
    interval: Interval
    disputed: str = ""
    rivals: tuple[Interval, ...] = ()

    @property
    def value(self) -> float:
        return plotted(self.interval)


@dataclass(frozen=True)
class Series:
    """One metric's points over the nights, named as replies name it ("Drones launched")."""

    metric: str
    label: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class AttackPanel:
    """The attacks on one country ("Attacks on Ukraine"): a series per metric that has a
    point."""

    title: str
    series: tuple[Series, ...]


@dataclass(frozen=True)
class AttacksChart:
    """The air attacks of the nights from `first` to `last`, one panel per country attacked,
    under `title`."""

    title: str
    first: date
    last: date
    panels: tuple[AttackPanel, ...]

    @property
    def empty(self) -> bool:
        return not any(s.points for p in self.panels for s in p.series)


@dataclass(frozen=True)
class Phase:
    """One phase of an exchange: its label ("May 24", "Date not reported") and count."""

    label: str
    interval: Interval

    @property
    def value(self) -> float:
        return plotted(self.interval)


@dataclass(frozen=True)
class SwapSide:
    """One side's phases of an exchange (`label` "each side" when both sides' are the same,
    else "to Ukraine"), their running total after each phase, and the agreed number."""

    label: str
    phases: tuple[Phase, ...]
    running: tuple[Interval, ...]
    agreed: Interval | None


@dataclass(frozen=True)
class SwapPanel:
    """One exchange ("Prisoner exchange of May 23 to 25, 2025") and its sides."""

    title: str
    sides: tuple[SwapSide, ...]


@dataclass(frozen=True)
class SwapsChart:
    """The newest exchanges, one panel each, under `title`, and the last days of the earlier
    ones."""

    title: str
    panels: tuple[SwapPanel, ...]
    earlier: tuple[date, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(side.phases for p in self.panels for side in p.sides)
