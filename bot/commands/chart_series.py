"""The charts' values read from the event views, the way /attacks and /swaps read them, and the
words of their captions.

Pure: views in, `bot.charts` values and sentences out. The attack events, their nights and
their trusted tallies are those `answers.attacks` reads (`answers.attack_views`,
`bot.compose.trusted`); a disputed figure carries its claims (`claims_of`); an exchange's
phases and running totals are the engine's (`EventState.cumulative`), named as `answers.swaps`
names them, whose sentences are the swaps chart's caption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from bot.charts import (
    ATTACK_METRICS,
    AttackPanel,
    AttacksChart,
    Phase,
    Point,
    Series,
    SwapPanel,
    SwapsChart,
    SwapSide,
    window,
)
from bot.commands import answers
from bot.commands.claims import claims_of, claims_text
from bot.commands.views import EventView
from bot.compose import SIDE_NAMES, day_text, event_name, trusted
from bot.extract import Naming
from bot.reconcile import Cumulative, Interval, Tally, describe

LISTED = 7  # a series of at most this many nights is said night by night, else summed up
MAX_DISPUTES = 5  # disputed figures a caption spells out


def attacks_chart(views: Sequence[EventView], last: date, days: int, names: Naming) -> AttacksChart:
    """The air attacks of the `days` nights up to `last`: a panel per country attacked (Ukraine,
    Russia, then attacks whose country is not known), a series per count of ATTACK_METRICS
    that has a trusted tally on one of those nights, a point per night."""
    first, last = window(last, days)
    found = [
        view
        for view in answers.attack_views(views)
        if view.event.last_date and first <= view.event.last_date <= last
    ]
    order = [*SIDE_NAMES, None]
    sides = sorted({v.event.side for v in found}, key=lambda s: order.index(s) if s in order else 9)
    panels = []
    for side in sides:
        nights = [v for v in found if v.event.side == side]
        series = tuple(
            Series(metric, names.wording(metric).heading, points)
            for metric in ATTACK_METRICS
            if (points := _points(nights, metric))
        )
        if series:
            name = SIDE_NAMES.get(side or "")
            panels.append(AttackPanel(f"Attacks on {name}" if name else "Attacks", series))
    span = f"{day_text(first, year=first.year != last.year)} to {day_text(last)}"
    return AttacksChart(f"Air attacks, {span}", first, last, tuple(panels))


def _points(nights: Sequence[EventView], metric: str) -> tuple[Point, ...]:
    points = [
        point_of(view.event.last_date, tally)
        for view in nights
        if view.event.last_date and (tally := trusted(view.state, metric))
    ]
    return tuple(sorted(points, key=lambda p: p.day))


def point_of(day: date, tally: Tally) -> Point:
    """A night's point: the tally's interval, and when it is disputed, its claims in words and
    the other claims' intervals."""
    assert tally.interval is not None
    claims = claims_of(tally)
    rivals = tuple(c.interval for c in claims if c.interval != tally.interval)
    return Point(day, tally.interval, claims_text(claims) if claims else "", rivals)


def attacks_caption(chart: AttacksChart) -> tuple[str, ...]:
    """The attacks chart in words: per country, each count night by night (or, over LISTED
    nights, how many nights, the most and the latest), then each disputed figure with its
    claims."""
    lines: list[str] = []
    disputes: list[str] = []
    for panel in chart.panels:
        lines.append(f"{panel.title}:")
        for series in panel.series:
            lines.append(f"  {series.label}: {_series_words(series.points)}.")
            disputes += [
                f"{series.label}, {_day(p.day)} ({panel.title.removeprefix('Attacks on ')}): "
                f"disputed: {p.disputed}."
                for p in series.points
                if p.disputed
            ]
    lines += disputes[:MAX_DISPUTES]
    if len(disputes) > MAX_DISPUTES:
        lines.append(f"…and {len(disputes) - MAX_DISPUTES} more disputed figures.")
    return tuple(lines)


def _series_words(points: Sequence[Point]) -> str:
    if len(points) <= LISTED:
        return ", ".join(f"{_value(p)} on {_day(p.day)}" for p in points)
    most = max(points, key=lambda p: (p.value, p.day))
    latest = points[-1]
    return (
        f"{len(points)} nights; most {_value(most)} on {_day(most.day)}; "
        f"latest {_value(latest)} on {_day(latest.day)}"
    )


def _value(point: Point) -> str:
    return describe(point.interval) + (" (disputed)" if point.disputed else "")


def _day(day: date) -> str:
    return day_text(day, year=False)


def swaps_chart(views: Sequence[EventView]) -> SwapsChart:
    """The newest exchanges (at most answers.MAX_SWAPS, as /swaps shows), each with its sides'
    phases, running totals and agreed numbers; the last days of the earlier ones."""
    found = answers.swap_views(views)
    shown = found[: answers.MAX_SWAPS]
    panels = tuple(SwapPanel(event_name(v.event), swap_sides(v.state.cumulative)) for v in shown)
    earlier = tuple(d for v in found[answers.MAX_SWAPS :] if (d := v.event.last_date))
    title = "Prisoner exchange" if len(panels) == 1 else "Prisoner exchanges"
    return SwapsChart(title, panels, earlier)


def swap_sides(totals: Sequence[Cumulative]) -> tuple[SwapSide, ...]:
    """Each side's phases in order (the undated last), running totals and agreed number; one
    side "each side" when both sides' phases and agreed numbers are the same."""
    sides = [_side(total) for total in totals]
    if len(sides) == 2 and replace(sides[0], label="") == replace(sides[1], label=""):
        return (replace(sides[0], label="each side"),)
    return tuple(sides)


def _side(total: Cumulative) -> SwapSide:
    ordered = sorted(total.phases, key=lambda p: (p[0] is None, p[0] or date.min))
    running: list[Interval] = []
    for _, interval in ordered:
        before = running[-1] if running else Interval(0, 0)
        highs = (before.high, interval.high)
        high = None if None in highs else (before.high or 0) + (interval.high or 0)
        running.append(Interval(before.low + interval.low, high))
    phases = tuple(Phase(answers.phase_name(day), interval) for day, interval in ordered)
    label = f"to {SIDE_NAMES.get(total.side, total.side)}"
    return SwapSide(label, phases, tuple(running), total.agreed)
