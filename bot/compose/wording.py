"""The words of the metrics in replies: how a reply says a tally (its figure and sources, "at
least 12 people killed (AP)"; the arithmetic it is part of, "245 = 128 shot down + 117
jammed"; the doubts on it; its days).

Pure sentence builders shared by the summaries and by `bot.commands` (answers, questions). A
metric's words are config (each metric's `reply` in metrics.toml), passed in as a
`bot.extract.Naming` (the rulebook's) to every builder that says a metric.
Counts are tally intervals written in digits with thousands separators
(`bot.reconcile.intervals.describe`), never in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from bot.compose.messages import Quote
from bot.extract import Naming
from bot.reconcile import Event, EventState, Interval, Report, Split, Tally, describe

SIDE_NAMES = {"ukraine": "Ukraine", "russia": "Russia"}
HEDGES = {
    "at_least": "at least ",
    "more_than": "more than ",
    "about": "about ",
    "nearly": "nearly ",
    "up_to": "up to ",
}


def _singular(interval: Interval) -> bool:
    return interval.high == 1 or (interval.high is None and interval.low == 1)


def figure(metric: str, interval: Interval, names: Naming) -> str:
    """A count as a phrase: "at least 12 people killed", "128 drones shot down"."""
    words = names.wording(metric)
    return f"{describe(interval)} {words.one if _singular(interval) else words.many}"


def counted(metric: str, interval: Interval, names: Naming) -> str:
    """A count with the metric's unit, for a summary line: "8 hours", "250 drones", "15"."""
    words = names.wording(metric)
    return f"{describe(interval)} {words.unit_one if _singular(interval) else words.unit}".rstrip()


def as_reported(report: Report) -> str:
    """A report's figure with its hedge, as its source put it: "about 250", "1,280"."""
    return f"{HEDGES.get(report.qualifier, '')}{report.value:,}"


def sources_text(sources: Iterable[str]) -> str:
    """The sources, sorted, for after a figure: "(AP, RFE/RL)"; empty without any."""
    names = sorted(set(sources))
    return f"({', '.join(names)})" if names else ""


def cite(pieces: Sequence[tuple[str, Sequence[str]]], joins: Sequence[str]) -> str:
    """Figures joined by `joins` (one fewer than the pieces), each followed by its sources, or
    the sources once at the end when every figure has the same ones."""
    if len({tuple(sorted(set(s))) for _, s in pieces}) <= 1:
        texts = [text for text, _ in pieces]
        tail = sources_text(pieces[0][1]) if pieces else ""
    else:
        texts = [f"{text} {sources_text(s)}".rstrip() for text, s in pieces]
        tail = ""
    joined = texts[0] if texts else ""
    for join, text in zip(joins, texts[1:], strict=False):
        joined += join + text
    return f"{joined} {tail}".rstrip()


def day_text(day: date, year: bool = True) -> str:
    """ "May 24, 2025", or "May 24" without the year."""
    return f"{day:%B} {day.day}, {day.year}" if year else f"{day:%B} {day.day}"


def days_text(days: Iterable[date]) -> str:
    """Days in order: "May 23, May 24 and May 25, 2025" (years given where they change)."""
    ordered = sorted(set(days))
    if not ordered:
        return ""
    if len({d.year for d in ordered}) > 1:
        return "; ".join(day_text(d) for d in ordered)
    names = [day_text(d, year=False) for d in ordered]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{listed}, {ordered[0].year}"


def span_text(event: Event) -> str:
    """The days an event covers: "May 24, 2025", "May 23 to 25, 2025"; "date not reported"."""
    first, last = event.first_date, event.last_date
    if first is None or last is None:
        return "date not reported"
    if first == last:
        return day_text(first)
    if first.year != last.year:
        return f"{day_text(first)} to {day_text(last)}"
    if first.month != last.month:
        return f"{day_text(first, year=False)} to {day_text(last)}"
    return f"{day_text(first, year=False)} to {last.day}, {last.year}"


def attack_name(event: Event) -> str:
    """ "Attack on Ukraine"; "Attack" when the country attacked is not known."""
    side = SIDE_NAMES.get(event.side or "")
    return f"Attack on {side}" if side else "Attack"


def trusted(state: EventState, metric: str) -> Tally | None:
    """The event's tally of `metric` (not a phase's) if it has a trusted interval."""
    return next(
        (t for t in state.tallies if t.metric == metric and not t.phase and t.interval),
        None,
    )


def known(tally: Tally) -> Interval:
    """The interval of a tally that has one (`trusted` returned it)."""
    assert tally.interval is not None
    return tally.interval


def splits_of(state: EventState, metric: str) -> list[Split]:
    """The splits (whole, parts) that `metric` is the whole or a part of: the sum checks of
    checks.toml that `state` was reconciled under, in their order."""
    return [s for s in state.splits if metric == s.whole or metric in s.parts]


def split_of(state: EventState, metric: str) -> Split | None:
    """The first of `splits_of(state, metric)`, the one a reply writes `metric` in; None if
    `metric` is in no sum."""
    return next(iter(splits_of(state, metric)), None)


def split_line(state: EventState, split: Split, names: Naming) -> str | None:
    """A whole and its parts in one line, with their sources and the units of `names`: "245 =
    128 shot down + 117 jammed (AP)" where the arithmetic holds, "14 missiles and 250 drones"
    where no whole is known. None when fewer than two of them are known."""
    whole_metric, part_metrics = split
    whole = trusted(state, whole_metric)
    parts = [t for m in part_metrics if (t := trusted(state, m)) is not None]
    if len(parts) + (whole is not None) < 2:
        return None
    pieces = [(counted(t.metric, known(t), names), t.sources) for t in parts]
    if whole is None:
        return cite(pieces, [" and "] * (len(pieces) - 1))
    head = (counted(whole.metric, known(whole), names), whole.sources)
    if arithmetic(state, split):
        return cite([head, *pieces], [" = ", *[" + "] * (len(pieces) - 1)])
    return cite([head, *pieces], [", of which ", *[" and "] * (len(pieces) - 1)])


def arithmetic(state: EventState, split: Split) -> str | None:
    """The split's sum as the engine found it to hold, "128 + 117 = 245"; None otherwise."""
    whole_metric, part_metrics = split
    whole = trusted(state, whole_metric)
    parts = [t for m in part_metrics if (t := trusted(state, m)) is not None]
    if whole is None or len(parts) != len(part_metrics):
        return None
    text = f"{' + '.join(describe(known(t)) for t in parts)} = {describe(known(whole))}"
    return text if text in state.holds else None


def breaks_of(state: EventState, metric: str) -> list[str]:
    """The arithmetic that holds and that another figure of `metric` would break."""
    return [
        f"breaks {text}" for split in splits_of(state, metric) if (text := arithmetic(state, split))
    ]


def doubted(state: EventState, metrics: Iterable[str] | None = None) -> list[Tally]:
    """Tallies with a disagreeing or suspect report, or with no trusted figure."""
    wanted = set(metrics) if metrics is not None else None
    return [
        t
        for t in state.tallies
        if (wanted is None or t.metric in wanted)
        and (t.disputed or t.suspect or t.interval is None)
    ]


def doubt_lines(
    state: EventState, metrics: Iterable[str] | None = None, *, names: Naming
) -> list[str]:
    """Each doubted tally as a plain sentence naming both sides' figures and why a figure was
    set aside; then the checks that do not add up."""
    lines = [_doubt_line(state, t, names) for t in doubted(state, metrics)]
    wanted = set(metrics) if metrics is not None else None
    lines += [
        f"Does not add up: {b.detail} ({b.check})."
        for b in state.breaches
        if wanted is None or any(metric in wanted for metric, _ in b.keys)
    ]
    return lines


def _doubt_line(state: EventState, tally: Tally, names: Naming) -> str:
    parts = [
        f"{describe(tally.interval)} kept {sources_text(tally.sources)}"
        if tally.interval
        else "no figure can be trusted"
    ]
    if tally.disputed:
        parts.append(f"{_says(tally.disputed)}: the sources disagree")
    if tally.suspect:
        parts.append(f"{_says(tally.suspect)}: set aside, it {_why(state, tally)}")
    return f"{_heading(tally, names)}: {'; '.join(parts)}."


def _heading(tally: Tally, names: Naming) -> str:
    extra = []
    if tally.side in SIDE_NAMES and tally.metric.startswith("swap."):
        extra.append(SIDE_NAMES[tally.side])
    if tally.phase:
        extra.append(day_text(tally.phase, year=False))
    return names.wording(tally.metric).heading + (f" ({', '.join(extra)})" if extra else "")


def _says(reports: Sequence[Report]) -> str:
    by_source: dict[str, list[str]] = {}
    for report in reports:
        by_source.setdefault(report.source, []).append(as_reported(report))
    return ", ".join(
        f"{source} says {' or '.join(dict.fromkeys(values))}"
        for source, values in sorted(by_source.items())
    )


def _why(state: EventState, tally: Tally) -> str:
    """Why a tally's suspect reports were set aside: "breaks 128 + 117 = 245 and is an order
    of magnitude off the other sources"."""
    broken = [b.removeprefix("breaks ") for b in breaks_of(state, tally.metric)]
    said = []
    for note in tally.notes:
        check, sep, detail = note.partition(": ")
        if sep:
            broken.append(f"{check} ({detail})")
        else:
            said.append(f"is {note}")
    broken = list(dict.fromkeys(broken))
    if broken:
        listed = broken[0] if len(broken) == 1 else f"{', '.join(broken[:-1])} and {broken[-1]}"
        said.insert(0, f"breaks {listed}")
    return " and ".join(said) or "fails the checks"


def evidence(tally: Tally) -> Quote:
    """The sentence that best shows a tally's figure: a backing report's whose figure is the
    tally's interval, else whose value is one of its bounds, else the first. The tally must
    have backing reports."""
    interval = tally.interval

    def fit(report: Report) -> tuple[bool, bool]:
        bounds = (interval.low, interval.high) if interval else ()
        return (report.interval != interval, report.value not in bounds)

    best = min(tally.backing, key=fit)
    return Quote(best.evidence, best.source)


def doubt_quotes(state: EventState, metrics: Iterable[str] | None = None) -> list[Quote]:
    """The sentences behind each doubted tally: the kept figure's, then the others'."""
    quotes: list[Quote] = []
    for tally in doubted(state, metrics):
        quotes += [evidence(tally)] if tally.backing else []
        quotes += [Quote(r.evidence, r.source) for r in (*tally.disputed, *tally.suspect)]
    return list(dict.fromkeys(quotes))


def event_name(event: Event) -> str:
    """The event as a reader names it: "Attack on Ukraine, May 24, 2025"."""
    if event.topic == "swap":
        dated = event.first_date and event.last_date
        return (
            f"Prisoner exchange of {span_text(event)}"
            if dated
            else "Prisoner exchange, date not reported"
        )
    return f"{attack_name(event)}, {span_text(event)}"


def figure_lines(state: EventState, metrics: Sequence[str], *, names: Naming) -> list[str]:
    """The asked metrics of one event: the first known one as a phrase with its sources, the
    sums it is part of ("Drones downed: 245 = 128 shot down + 117 jammed"), the others, and the
    doubts on them. Empty when none of them is known or doubted."""
    lead = next((m for m in metrics if trusted(state, m)), None)
    lines: list[str] = []
    done: set[str] = set()
    for metric in metrics:
        split = split_of(state, metric)
        if split and split.whole in done:
            continue
        joined = split_line(state, split, names) if split else None
        tally = trusted(state, metric)
        if tally and (metric == lead or joined is None):
            lines.append(f"{figure(metric, known(tally), names)} {sources_text(tally.sources)}.")
        if split and joined:
            done.add(split.whole)
            lines.append(f"{names.wording(split.whole).heading}: {joined}.")
    return lines + doubt_lines(state, metrics, names=names)
