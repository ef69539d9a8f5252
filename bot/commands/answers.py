"""Replies to /swaps and /attacks: what the tallies say, in plain sentences, with their sources.

Pure: event views in, a `Message` out; no store, no clock. Every figure in a reply is a tally's
interval, or the running total the engine adds up (`EventState.cumulative`), written in digits;
a reply never makes up a count. The parts (`attack_lines`, `phase_lines`, `total_lines`, ...)
are public for `bot.questions`, which answers with the same sentences. Metrics are said in the
words of `names` (`bot.extract.Naming`, the rulebook's), which every reply that says one takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from bot.commands.claims import claims_of, claims_text
from bot.commands.days import nearest
from bot.commands.views import EventView
from bot.compose import (
    SIDE_NAMES,
    Message,
    Quote,
    attack_name,
    cite,
    counted,
    day_text,
    days_text,
    doubt_lines,
    doubt_quotes,
    event_name,
    known,
    sources_text,
    span_text,
    split_line,
    split_of,
    trusted,
)
from bot.extract import Naming
from bot.reconcile import Cumulative, Event, EventState, Interval, Tally, describe

MAX_SWAPS = 3
MAX_DOUBTED = 5  # events whose doubts are spelled out; earlier ones are named by their days
PHASE, AGREED, REPORTED_TOTAL = "swap.released", "swap.agreed", "swap.released_total"


def newest_first(views: Iterable[EventView]) -> list[EventView]:
    """Views by their last day, newest first (undated last); on one day Ukraine, then Russia."""

    def order(view: EventView) -> tuple[int, int, str]:
        last = view.event.last_date
        side = view.event.side or ""
        rank = list(SIDE_NAMES).index(side) if side in SIDE_NAMES else len(SIDE_NAMES)
        return (-(last.toordinal() if last else 0), rank, view.event.id)

    return sorted(views, key=order)


def covers(event: Event, day: date) -> bool:
    """Whether the event's days contain `day`."""
    first, last = event.first_date, event.last_date
    return first is not None and last is not None and first <= day <= last


def attack_views(views: Iterable[EventView], day: date | None = None) -> list[EventView]:
    """Attack events (those whose days contain `day`, when given), newest first."""
    return newest_first(
        v for v in views if v.event.topic == "attack" and (day is None or covers(v.event, day))
    )


def swap_views(views: Iterable[EventView]) -> list[EventView]:
    """Swap events, newest first."""
    return newest_first(v for v in views if v.event.topic == "swap")


def attack_days(views: Iterable[EventView]) -> list[date]:
    """The last days of the attack events, in order."""
    days = {v.event.last_date for v in views if v.event.topic == "attack" and v.event.last_date}
    return sorted(days)


def attacks(views: Sequence[EventView], day: date | None = None, *, names: Naming) -> Message:
    """The air attacks of `day` (the events whose days contain it), or of the most recent day
    with attacks when `day` is None (undated ones when no attack is dated): launched, downed
    with its split, killed, injured, places hit, fires, the alert's length, and every doubt
    said plainly. When nothing is known for `day`, says so and names the days that are known."""
    days = attack_days(views)
    target = day or (days[-1] if days else None)
    found = attack_views(views, target) if target else attack_views(views)
    if not found:
        if not days:
            return Message("No air attack is known yet.", _swaps_known(views))
        return Message(
            f"Nothing is known about air attacks on {day_text(target or days[-1])}.",
            (known_days_line("Air attacks are", days, [target] if target else []),),
        )
    when = day_text(target) if target else "date not reported"
    if len(found) == 1:
        title, lines = f"{attack_name(found[0].event)}, {when}", attack_lines(found[0], names=names)
    else:
        title, lines = f"Air attacks of {when}" if target else "Air attacks, date not reported", []
        for view in found:
            lines += [f"{attack_name(view.event)}:"]
            lines += [f"  {x}" for x in attack_lines(view, names=names)]
    earlier = [d for d in days if target and d < target]
    if day is None and earlier:
        lines.append(f"Earlier attacks: {days_text(earlier)}.")
    return Message(title, tuple(lines), _quotes(found))


def known_days_line(what: str, days: Sequence[date], asked: Sequence[date]) -> str:
    """ "Air attacks are known on May 24 and May 25, 2025.", or, when there are more days than
    the nearest to the days asked, "Air attacks are known nearest to it on ...". `what` is the
    subject and its verb ("Air attacks are")."""
    near = nearest(days, asked)
    where = "" if len(near) == len(set(days)) else " nearest to it" if asked else " lately"
    return f"{what} known{where} on {days_text(near)}."


def attack_lines(view: EventView, *, names: Naming) -> list[str]:
    """One attack's summary lines, its metrics in the order of `names` then any other, then its
    doubts."""
    state = view.state
    lines: list[str] = []
    covered: set[str] = set()
    for metric in _attack_metrics(state, names):
        if metric in covered:
            continue
        split = split_of(state, metric)
        joined = split_line(state, split, names) if split else None
        if split and joined:
            covered.update((split[0], *split[1]))
            lines.append(f"{names.wording(split[0]).heading}: {joined}.")
        elif tally := trusted(state, metric):
            lines.append(f"{names.wording(metric).heading}: {tally_text(tally, names)}.")
    return lines + doubt_lines(state, names=names)


def tally_text(tally: Tally, names: Naming) -> str:
    """A tally's figure with its unit and sources ("250 drones (AP, RFE/RL)"), or, when its
    sources disagree, each claim ("disputed: 180 by TASS, 193 by Ukrinform")."""
    claims = claims_of(tally)
    if claims:
        return f"disputed: {claims_text(claims)}"
    return f"{counted(tally.metric, known(tally), names)} {sources_text(tally.sources)}".rstrip()


def _attack_metrics(state: EventState, names: Naming) -> list[str]:
    order = [metric for metric in names.order if metric.startswith("attack.")]
    others = sorted({t.metric for t in state.tallies} - set(order))
    return [*order, *others]


def _quotes(views: Iterable[EventView]) -> tuple[Quote, ...]:
    return tuple(dict.fromkeys(q for view in views for q in doubt_quotes(view.state)))


def swaps(views: Sequence[EventView], names: Naming) -> Message:
    """The prisoner exchanges, newest first (at most MAX_SWAPS): each one's phases by date with
    their counts per side, its running total against the agreed total, and its sources; a reply
    saying what is known instead when there is no exchange."""
    found = swap_views(views)
    if not found:
        return Message("No prisoner exchange is known yet.", _attacks_known(views))
    shown = found[:MAX_SWAPS]
    if len(shown) == 1:
        title, lines = event_name(shown[0].event), swap_lines(shown[0], names=names)
    else:
        title, lines = "Prisoner exchanges", []
        for view in shown:
            lines += [f"{event_name(view.event)}:"]
            lines += [f"  {x}" for x in swap_lines(view, names=names)]
    earlier = [v.event.last_date for v in found[MAX_SWAPS:] if v.event.last_date]
    if earlier:
        lines.append(f"Earlier exchanges: {days_text(earlier)}.")
    return Message(title, tuple(lines), _quotes(shown))


def swap_lines(view: EventView, side: str | None = None, *, names: Naming) -> list[str]:
    """One exchange (for one side when `side` names one): its phases, running total, agreed
    and reported totals, and its doubts."""
    state = view.state
    return [
        *phase_lines(state, side=side),
        *total_lines(state, side=side),
        *deal_lines(state, side, names=names),
        *doubt_lines(state, names=names),
    ]


def phase_lines(
    state: EventState, days: Iterable[date] | None = None, side: str | None = None
) -> list[str]:
    """A line per phase (only the phases of `days`, when given) with its counts per side:
    "May 24: 307 each side (AP)."."""
    wanted = set(days) if days is not None else None
    return [
        f"{phase_name(day)}: {text}."
        for day, tallies in phases(state).items()
        if (wanted is None or day in wanted) and (text := per_side(_of_side(tallies, side)))
    ]


def total_lines(state: EventState, up_to: date | None = None, side: str | None = None) -> list[str]:
    """The running total of each side (the phases dated up to `up_to`, when given) against the
    agreed total: "In all, each side: 390 + 307 + 303 = 1,000 of 1,000 agreed: the deal is
    complete." when both sides' are the same."""
    totals = [
        (c.side, text)
        for c in state.cumulative
        if (side not in SIDE_NAMES or c.side == side) and (text := running_total(c, up_to))
    ]
    lead = "In all" if up_to is None else f"By {day_text(up_to)}"
    if len(totals) == 2 and totals[0][1] == totals[1][1]:
        return [f"{lead}, each side: {totals[0][1]}."]
    return [f"{lead}, {SIDE_NAMES.get(s, s)}: {text}." for s, text in totals]


def deal_lines(state: EventState, side: str | None = None, *, names: Naming) -> list[str]:
    """The agreed total and the reported running total, per side, with their sources."""
    lines = []
    for metric in (AGREED, REPORTED_TOTAL):
        tallies = [t for t in state.tallies if t.metric == metric and t.phase is None]
        text = per_side(_of_side(tallies, side), "for")
        if text:
            lines.append(f"{names.wording(metric).heading}: {text}.")
    return lines


def _of_side(tallies: Sequence[Tally], side: str | None) -> list[Tally]:
    return [t for t in tallies if side not in SIDE_NAMES or t.side == side]


def phase_name(day: date | None) -> str:
    """ "May 24", or "Date not reported" for a phase no source dated."""
    return day_text(day, year=False) if day else "Date not reported"


def phases(state: EventState) -> dict[date | None, list[Tally]]:
    """The trusted phase tallies of a swap by phase day, in order; the undated phase last."""
    by_day: dict[date | None, list[Tally]] = {}
    for tally in state.tallies:
        if tally.metric == PHASE and tally.interval is not None:
            by_day.setdefault(tally.phase, []).append(tally)
    return dict(sorted(by_day.items(), key=lambda item: _phase_order(item[0])))


def _phase_order(day: date | None) -> tuple[bool, date]:
    return (day is None, day or date.min)


def per_side(tallies: Sequence[Tally], to: str = "returned to") -> str | None:
    """Counts per side with their sources: "390 each side (AP)" when Ukraine's and Russia's
    are equal, else "390 returned to Ukraine (AP) and 388 to Russia (TASS)"; a count of both
    sides together says so. None when no count can be trusted."""
    sides = {t.side: t for t in tallies if t.interval is not None}
    ukraine, russia = sides.get("ukraine"), sides.get("russia")
    pieces: list[tuple[str, Sequence[str]]] = []
    if (
        ukraine
        and russia
        and ukraine.interval == russia.interval
        and not _disputed(ukraine, russia)
    ):
        both = (*ukraine.sources, *russia.sources)
        pieces.append((f"{describe(known(ukraine))} each side", both))
    else:
        for tally in (t for t in (ukraine, russia) if t):
            words = to if not pieces else to.split()[-1]
            name = SIDE_NAMES[tally.side or ""]
            claims = claims_of(tally)
            text = f"{words} {name}, disputed: {claims_text(claims)}" if claims else None
            pieces.append((text or f"{describe(known(tally))} {words} {name}", tally.sources))
    for side, tally in sides.items():
        if side not in SIDE_NAMES:
            pieces.append((f"{describe(known(tally))} of both sides together", tally.sources))
    # A disputed side lists its claims with commas: the sides are then told apart by ";".
    join = "; " if _disputed(*sides.values()) else " and "
    return cite(pieces, [join] * (len(pieces) - 1)) if pieces else None


def _disputed(*tallies: Tally) -> bool:
    return any(claims_of(t) for t in tallies)


def running_total(total: Cumulative, up_to: date | None = None) -> str | None:
    """The phases (dated up to `up_to`, when given) added up, against the agreed total:
    "390 + 307 = 697 of 1,000 agreed"; None when no phase is counted."""
    counted_phases = sorted(total.phases, key=lambda p: _phase_order(p[0]))
    added = total.added
    if up_to is not None:
        counted_phases = [(d, i) for d, i in counted_phases if d is not None and d <= up_to]
        added = _sum(i for _, i in counted_phases)
    if not counted_phases:
        return None
    terms = [describe(i) if i.exact else f"({describe(i)})" for _, i in counted_phases]
    text = f"{' + '.join(terms)} = {describe(added)}" if len(terms) > 1 else describe(added)
    agreed = total.agreed
    if agreed is None:
        return f"{text} so far"
    text += f" of {describe(agreed)} agreed"
    if agreed.exact and added.low >= agreed.low:
        text += ": the deal is complete" if added.low == agreed.low else ": more than agreed"
    return text


def _sum(intervals: Iterable[Interval]) -> Interval:
    items = list(intervals)
    highs = [i.high for i in items]
    top = None if None in highs else sum(h for h in highs if h is not None)
    return Interval(sum(i.low for i in items), top)


def _attacks_known(views: Sequence[EventView]) -> tuple[str, ...]:
    days = attack_days(views)
    return (f"Air attacks are known on {days_text(days)}.",) if days else ()


def _swaps_known(views: Sequence[EventView]) -> tuple[str, ...]:
    spans = [span_text(v.event) for v in swap_views(views)]
    return (f"Prisoner exchanges are known: {'; '.join(spans)}.",) if spans else ()


def doubts(views: Sequence[EventView], names: Naming) -> Message:
    """Every tally whose sources disagree or that has a figure set aside, and every check that
    does not add up, newest event first, with both sides' figures and quotes, for the newest
    MAX_DOUBTED events with doubts (the days of earlier ones follow); or that there is none."""
    doubtful = [v for v in newest_first(views) if _has_doubts(v.state)]
    if not doubtful:
        scope = "Every figure agrees across its sources." if views else "No figure is known yet."
        return Message("No reports conflict.", (scope,))
    blocks = [(v, doubt_lines(v.state, names=names)) for v in doubtful[:MAX_DOUBTED]]
    tallies = [t for v in doubtful for t in v.state.tallies]
    if any(t.disputed for t in tallies):
        title = "Yes: some sources disagree."
    elif any(t.suspect or t.interval is None for t in tallies):
        title = "The sources agree, but a figure was set aside."
    else:
        title = "The sources agree, but some figures do not add up."
    lines = [x for v, ls in blocks for x in (f"{event_name(v.event)}:", *(f"  {y}" for y in ls))]
    earlier = sorted({d for v in doubtful[MAX_DOUBTED:] if (d := v.event.last_date)})
    if earlier:
        lines.append(f"Earlier doubts: {days_text(earlier)}; ask about a day to see them.")
    return Message(title, tuple(lines), _quotes(v for v, _ in blocks))


def _has_doubts(state: EventState) -> bool:
    return bool(state.breaches) or any(
        t.disputed or t.suspect or t.interval is None for t in state.tallies
    )
