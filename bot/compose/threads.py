"""Composing messages: an event's summary (its thread's root) and a reply per batch of changes.

Pure: values in, `Message`s out. Figures are written in digits, hedged as the tallies allow;
metrics are said in the words of `names` (metrics.toml's `reply`, as the rulebook has it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.compose.messages import Message, Quote
from bot.extract import Naming
from bot.reconcile import Change, Claim, Event, EventState, Interval, Report, Tally, describe

MAX_QUOTES = 4


def label(metric: str, names: Naming) -> str:
    """What a metric counts, as a reader says it: "people killed"."""
    return names.wording(metric).many


def event_title(event: Event) -> str:
    """The event as a headline: "Air attack on Ukraine, 24 May 2025"."""
    when = _days(event.first_date, event.last_date)
    if event.topic == "swap":
        return f"Prisoner exchange{', ' + when if when else ''}"
    if event.topic == "attack":
        target = (event.side or "unknown target").capitalize()
        return f"Air attack on {target}{', ' + when if when else ''}"
    return f"{event.topic.capitalize()}{', ' + when if when else ''}"


def summary(
    event: Event, state: EventState, order: Sequence[str] = (), *, names: Naming
) -> Message:
    """The event's summary: its tallies, headline metrics (`order`) first, then the others in
    the order of `names`, then what does not add up."""
    lines = _swap_lines(state) if event.topic == "swap" else []
    shown = {"swap.released"} if event.topic == "swap" and lines else set()
    for tally in sorted(_merged(state.tallies), key=lambda t: _rank(t.metric, order, names)):
        if tally.metric in shown or tally.interval is None:
            continue
        who, value = _who(tally.side, event), describe(tally.interval)
        lines.append(f"{who}{value} {label(tally.metric, names)}{_backing(tally)}")
    lines += [f"Adds up: {arithmetic}" for arithmetic in state.holds]
    lines += _flags(state, names, event)
    sources = state.sources
    return Message(
        event_title(event), tuple(lines), (), f"Sources: {', '.join(sources)}" if sources else ""
    )


def alert(event: Event, changes: Sequence[Change], names: Naming) -> Message:
    """One reply naming a batch of changes to the event, with the quotes behind them."""
    merged = _merged_changes(changes)
    lines = tuple(change_line(c, event, names) for c in merged)
    quotes: list[Quote] = []
    for change in merged:
        for report in change.reports[:2]:
            quote = Quote(report.evidence, report.source)
            if quote not in quotes and len(quotes) < MAX_QUOTES:
                quotes.append(quote)
    kinds = sorted({c.kind for c in merged}, key=_kind_rank)
    title = f"{event_title(event)}: {', '.join(kinds)}"
    return Message(title, lines, tuple(quotes))


def change_line(change: Change, event: Event, names: Naming) -> str:
    """One change in one line: what changed, to what, from which sources."""
    what = label(change.metric, names) if change.metric else ""
    who = _who(change.side, event)
    now = describe(change.interval) if change.interval else "unknown"
    phase = f" on {_day(change.phase)}" if change.phase else ""
    sources = f" ({', '.join(change.sources)})" if change.sources else ""
    if change.kind == "milestone":
        return f"Milestone: {change.detail}"
    if change.kind == "revised":
        was = f", was {describe(change.previous)}" if change.previous else ""
        return f"Revised: {who}{now} {what}{phase}{was}{sources}"
    if change.kind == "conflict":
        rival = ", ".join(
            sorted(
                {
                    f"{r.value:,} ({_said_by(r)})"
                    for r in change.reports
                    if not _fits(r.value, change.interval)
                }
            )
        )
        return f"Conflict: {who}{what}{phase}: {now}{sources} against {rival or 'another source'}"
    if change.kind == "suspect":
        odd = ", ".join(sorted({f"{r.value:,} ({r.source})" for r in change.reports}))
        subject = (
            f"{who}{what}{phase}: {odd} set aside" if change.metric else "Figures do not add up"
        )
        return f"Suspect: {subject}. {change.detail}".strip()
    if change.kind == "resolved":
        return f"Resolved: {who}{now} {what}{phase}{sources}"
    return f"{change.kind.capitalize()}: {who}{now} {what}{phase}{sources}"


def _swap_lines(state: EventState) -> list[str]:
    lines = []
    totals = {c.side: c for c in state.cumulative}
    both = len(totals) == 2 and len({(c.phases, c.added) for c in totals.values()}) == 1
    for total in list(totals.values())[:1] if both else totals.values():
        who = "Each side" if both else f"{total.side.capitalize()}"
        phases = ", ".join(
            f"{describe(i)} on {_day(d) if d else 'an undated day'}" for d, i in total.phases
        )
        lines.append(f"{who}: {phases}")
        agreed = f" of {describe(total.agreed)} agreed" if total.agreed else ""
        done = ": the deal is complete" if total.complete else ""
        lines.append(f"Released so far: {describe(total.added)}{agreed}{done}")
    return lines


def _flags(state: EventState, names: Naming, event: Event) -> list[str]:
    flags = []
    for tally in state.tallies:
        if tally.suspect:
            told = {(r.value, r.source) for r in tally.suspect}
            odd = ", ".join(sorted({f"{value:,} ({source})" for value, source in told}))
            flags.append(f"Set aside: {odd} {label(tally.metric, names)}: {'; '.join(tally.notes)}")
        if tally.claims:
            said = disputed_claims(tally.claims)
            flags.append(
                f"In dispute: {label(tally.metric, names)}: {_who(tally.side, event)}{said}"
            )
        elif tally.disputed:
            rival = ", ".join(sorted({f"{r.value:,} ({r.source})" for r in tally.disputed}))
            kept = describe(tally.interval) if tally.interval else "?"
            flags.append(f"In dispute: {label(tally.metric, names)}: {rival} against {kept}")
    flags += [f"Does not add up: {b.check}: {b.detail}" for b in state.breaches]
    return list(dict.fromkeys(flags))


def disputed_claims(claims: Sequence[Claim]) -> str:
    """A conflict's claims in one phrase, smallest first, holders of one figure together:
    "180 by Russian defence ministry, 193 by Zelensky and Ukrinform"."""
    by_figure: dict[Interval, list[str]] = {}
    for claim in claims:
        by_figure.setdefault(claim.interval, []).append(claim.claimant)
    return ", ".join(
        f"{describe(interval)} by {' and '.join(who)}" for interval, who in by_figure.items()
    )


def _merged(tallies: Sequence[Tally]) -> list[Tally]:
    """Tallies with equal Ukrainian and Russian figures shown once, for "each side"."""
    by_key = {t.key: t for t in tallies}
    merged = []
    for tally in tallies:
        twin = (
            by_key.get((tally.metric, "russia", tally.phase)) if tally.side == "ukraine" else None
        )
        if tally.side == "russia" and (tally.metric, "ukraine", tally.phase) in by_key:
            ukraine = by_key[(tally.metric, "ukraine", tally.phase)]
            if ukraine.interval == tally.interval:
                continue
        if twin and twin.interval == tally.interval:
            both = Tally(
                tally.event_id,
                tally.metric,
                "both",
                tally.phase,
                tally.interval,
                tally.status,
                tally.backing + twin.backing,
                tally.disputed,
                tally.suspect,
                tally.notes,
                tally.claims,
            )
            # The twins' sources, known already: not gathered again from every report.
            both.__dict__["sources"] = tuple(sorted({*tally.sources, *twin.sources}))
            merged.append(both)
        else:
            merged.append(tally)
    return merged


def _merged_changes(changes: Sequence[Change]) -> list[Change]:
    merged: list[Change] = []
    for change in changes:
        twin = next((m for m in merged if _twins(m, change)), None)
        if twin:
            merged[merged.index(twin)] = Change(
                twin.kind,
                twin.event_id,
                twin.metric,
                "both",
                twin.phase,
                twin.interval,
                twin.previous,
                tuple(sorted(set(twin.sources) | set(change.sources))),
                twin.reports,
                twin.detail,
            )
        else:
            merged.append(change)
    return merged


def _twins(a: Change, b: Change) -> bool:
    return (a.kind, a.metric, a.phase, a.interval) == (b.kind, b.metric, b.phase, b.interval) and {
        a.side,
        b.side,
    } == {"ukraine", "russia"}


def _said_by(report: Report) -> str:
    """Who gives a figure: "Zelensky, AP" where the outlet quotes someone, else the outlet."""
    return f"{report.claimant}, {report.source}" if report.claimant else report.source


def _who(side: str | None, event: Event) -> str:
    if side == "both":
        return "Each side: "
    if event.topic == "swap" and side:
        return f"{side.capitalize()}: "
    return ""


def _backing(tally: Tally) -> str:
    n = len(tally.sources)
    return f" ({n} sources)" if n > 1 else f" ({tally.sources[0]})" if n == 1 else ""


def _fits(value: int, interval: Interval | None) -> bool:
    return interval is not None and interval.low <= value <= (
        interval.high if interval.high is not None else value
    )


def _rank(metric: str, order: Sequence[str], names: Naming) -> tuple[int, int, str]:
    # Headline metrics first, then metrics.toml's order, then metrics it does not have.
    natural = names.order
    return (
        order.index(metric) if metric in order else len(order),
        natural.index(metric) if metric in natural else len(natural),
        metric,
    )


def _kind_rank(kind: str) -> int:
    return ("milestone", "conflict", "suspect", "resolved", "revised", "new", "confirmed").index(
        kind
    )


def _days(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return ""
    if first == last:
        return _day(first, year=True)
    if first.year == last.year and first.month == last.month:
        return f"{first.day}–{last.day} {last:%B %Y}"
    return f"{_day(first)} – {_day(last, year=True)}"


def _day(day: date, year: bool = False) -> str:
    return f"{day.day} {day:%B}{' ' + str(day.year) if year else ''}"
