"""Replies to questions about one prisoner exchange: its summary, its deal, its running
total, and its phases on given days, each for one side when asked.

Pure, as `bot.commands.answers`, whose sentences these replies are made of.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.commands.answers import (
    AGREED,
    REPORTED_TOTAL,
    deal_lines,
    known_days_line,
    phase_lines,
    phases,
    swap_lines,
    total_lines,
)
from bot.commands.views import EventView
from bot.compose import (
    SIDE_NAMES,
    Message,
    Quote,
    days_text,
    doubt_lines,
    doubt_quotes,
    event_name,
    evidence,
    known,
)
from bot.extract import Naming
from bot.reconcile import EventState, Interval, Tally, describe


def swap_summary(view: EventView, side: str | None = None, *, names: Naming) -> Message:
    """One exchange's summary (for one side when `side` names one)."""
    title = event_name(view.event)
    return Message(
        title,
        tuple(swap_lines(view, side, names=names)),
        tuple(dict.fromkeys(doubt_quotes(view.state))),
    )


def swap_deal(view: EventView, side: str | None = None, *, names: Naming) -> Message:
    """One exchange's agreed total, then how far it has come, with sources and quotes."""
    state = view.state
    agreed = _bare({t.side: known(t) for t in _totals(state, AGREED, side)})
    head = f"The deal: {agreed}" if agreed else "The deal's agreed total is not known"
    lines = [*deal_lines(state, side, names=names), *total_lines(state, side=side)]
    lines += doubt_lines(state, names=names)
    return Message(f"{head} ({_exchange(view)})", tuple(lines), _deal_quotes(state))


def swap_total(view: EventView, side: str | None = None, *, names: Naming) -> Message:
    """One exchange's running total per side against the agreed total, then its phases."""
    state = view.state
    added = _bare({c.side: c.added for c in state.cumulative if side in (None, "both", c.side)})
    head = f"Prisoners exchanged in all: {added}" if added else "Prisoners exchanged"
    lines = [*total_lines(state, side=side), *phase_lines(state, side=side)]
    lines += [*deal_lines(state, side, names=names), *doubt_lines(state, names=names)]
    return Message(f"{head} ({_exchange(view)})", tuple(lines), _deal_quotes(state))


def swap_days(found: Sequence[EventView], days: Sequence[date], side: str | None) -> Message:
    """The phases of `days` with the running total by then; or the days that are known."""
    lines: list[str] = []
    for view in found:
        for day in days:
            phase = phase_lines(view.state, [day], side)
            if phase:
                lines += [*phase, *total_lines(view.state, day, side)]
    if lines:
        return Message(f"Prisoners exchanged on {days_text(days)}", tuple(lines))
    dated = [d for v in found for d in phases(v.state) if d is not None]
    known_days = (known_days_line("Exchange phases are", dated, days),) if dated else ()
    return Message(f"No exchange phase is known on {days_text(days)}.", known_days)


def _exchange(view: EventView) -> str:
    name = event_name(view.event)
    return name[0].lower() + name[1:]


def _totals(state: EventState, metric: str, side: str | None) -> list[Tally]:
    return [
        t
        for t in state.tallies
        if t.metric == metric and t.interval is not None and side in (None, "both", t.side)
    ]


def _deal_quotes(state: EventState) -> tuple[Quote, ...]:
    tallies = [t for m in (AGREED, REPORTED_TOTAL) for t in _totals(state, m, None)[:1]]
    return tuple(dict.fromkeys(evidence(t) for t in tallies if t.backing))


def _bare(by_side: dict[str | None, Interval]) -> str | None:
    """Counts per side without sources: "1,000 each side", "390 for Ukraine and 388 for
    Russia"; None without any."""
    if len(by_side) == 2 and len(set(by_side.values())) == 1:
        return f"{describe(next(iter(by_side.values())))} each side"
    named = [
        f"{describe(i)} for {SIDE_NAMES.get(s or '', 'both sides')}" for s, i in by_side.items()
    ]
    return " and ".join(named) or None
