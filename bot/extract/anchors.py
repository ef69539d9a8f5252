"""The time a figure's clause points to (issue 14, cause 1): this event, or elsewhere in time.

A figure takes its time from its own clause. The cue phrases of config/metrics.toml's [time]
table (context labels "time:<kind>") say what a clause points to:
- SPAN: a count over separate events, a running total since some start ("3,956 returned since
  2022", "so far this year", "in two separate swaps"): no figure of any one event;
- RECORD: a record or a comparison ("the previous record of 102 missiles"): another event's
  figure, kept only where its sentence names that event's day;
- EARLIER: an earlier event ("last week", "the previous exchange", and a month or year named
  without a day: "In early August ...", "at the start of 2024"): its figure takes the day its
  sentence names, never the day the document is about;
- NOW (no cue): this event.

A cue governs the numbers of its own clause; a clause that opens with "when" or "which" takes
the time of the clause before it, and after a "since" that time is the one compared with
("the most since July, when 728 were launched": a record, kept only with its day); a cue that
opens the sentence ("Since the invasion, Kyiv has ...") governs all its numbers. A running
total ("bringing the number of Ukrainians freed to 4,276") is a span where any span cue stands
in its sentence, and a span cue right after an aside in dashes or brackets still governs the
number before it ("1,596 people - soldiers and civilians - were freed last year"). A span cue
right after a frame word, a superlative or an ordinal ("the first swap since May", "the 52nd
since the invasion"), or a possessive one ("this year's largest swap"), describes this event
and spans nothing.
Where a clause has several kinds, SPAN wins over RECORD over EARLIER. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.extract.cues import SentenceView
from bot.extract.dates import names_day

NOW = "now"
SPAN = "span"
RECORD = "record"
EARLIER = "earlier"
_RANK = (SPAN, RECORD, EARLIER)  # the first kind present wins
_LABELS = {f"time:{kind}": kind for kind in _RANK}
_SPAN = "time:span"
_FRAME = "time:frame"
_TOTAL = "time:total"
# How far before a span cue a frame word still describes the event ("the largest such swap
# since"), in characters.
_FRAME_REACH = 48
# How far into the sentence's opening clause a cue may start to govern the clauses after it.
_LEAD = 16
# How far after the number's clause a span cue still governs it, in characters.
_TAIL = 80
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b")
_RELATIVE = re.compile(r"\s*(?:when|which|in which|during which|after which|whereby)\b")
# Words before a month or year named without a day: "in (early) May", "since March", "at the
# start of 2024", "last December".
_BARE_MONTH = re.compile(
    r"(?:\b(since)|\b(?:in|during|last|at\s+the\s+(?:start|end|beginning)\s+of))"
    r"\s+(?:(?:early|late|mid)(?:-|\s+))?\Z"
)
_YEAR = re.compile(r"\b20\d\d\b")
_SINCE = re.compile(r"\bsince\b")
_IN_YEAR = re.compile(r"\b(?:in|during|throughout)\s+(?:19|20)\d\d\b")
_BARE_YEAR = re.compile(
    r"\b(?:at\s+the\s+(?:start|end|beginning)\s+of|in\s+(?:early|late|mid-?))\s*(?:20\d\d)\b"
)


def clause_time(view: SentenceView, text: str, clause: tuple[int, int], start: int) -> str:
    """The time (NOW, SPAN, RECORD or EARLIER) that the number at `start` of the sentence
    `view` points to; `text` is the sentence as written (month names are capitalised there)
    and `clause` the number's clause."""
    low, high = governing(view, clause)
    kinds = set(_kinds_in(view, text, low, high))
    if low < clause[0] and _SINCE.search(view.text, low, clause[0]):
        kinds.add(RECORD)  # "the most since July, when 728 were launched": July's figure
    if view.labelled(_TOTAL, low, high) and view.labelled(_SPAN, 0, len(view.text)):
        kinds.add(SPAN)  # "the 58th since the invasion, bringing the number ... to 4,276"
    # A span reaches over an aside in dashes or brackets right after the number, up to the
    # next one: "1,596 people - soldiers and civilians - were freed last year"; not over a
    # comma ("146 each on Aug. 24, the ministry said, in a series that freed hundreds this
    # year").
    if high < len(view.text) and view.text[high] != ",":
        stop = min((token.start for token, _ in view.numbers if token.start > start), default=None)
        tail = view.labelled(_SPAN, high, min(high + _TAIL, stop or len(view.text)))
        if any(not _framed(view, hit.start, high) for hit in tail):
            kinds.add(SPAN)
    opening = view.clauses.bounds(0, 0)[1]
    if opening <= start:
        # only a cue that opens the sentence: "Since the invasion, ...", not a verb's clause
        kinds.update(_kinds_in(view, text, 0, opening, _LEAD))
    return next((kind for kind in _RANK if kind in kinds), NOW)


def may_point_elsewhere(view: SentenceView) -> bool:
    """False when no number of the sentence can point elsewhere in time (no time cue, month
    or year in it): the common case, where clause_time need not be asked."""
    if not view.context.keys().isdisjoint(_LABELS):
        return True
    if any(min(hit.labels).startswith("month:") for hit in view.dates):
        return True
    # Few sentences hold a "20" at all: str.find says so several times faster than the pattern,
    # which has no first character to skip to and tries every position.
    return "20" in view.text and _YEAR.search(view.text) is not None


def governing(view: SentenceView, clause: tuple[int, int]) -> tuple[int, int]:
    """The stretch of the sentence `view` that says when the number of `clause` is: the clause,
    stretched over the one before when it opens with "when" or "which"."""
    low, high = clause
    if low > 0 and _RELATIVE.match(view.text, low):
        low = view.clauses.bounds(low - 1, low - 1)[0]
    return low, high


def _kinds_in(
    view: SentenceView, text: str, low: int, high: int, lead: int | None = None
) -> Iterator[str]:
    """The kinds of the cues in text[low:high]; with `lead`, of those that start in its first
    `lead` characters only."""
    last = high if lead is None else min(high, low + lead)  # where a cue may start
    for label, kind in _LABELS.items():
        for hit in view.labelled(label, low, last):
            if kind != SPAN or not (_framed(view, hit.start, low) or _possessive(view, hit.end)):
                yield kind
    yield from _bare_dates(view, text, low, high, last)


def _framed(view: SentenceView, cue_start: int, low: int) -> bool:
    """Whether a frame word or an ordinal stands right before the span cue at `cue_start`."""
    reach = max(low, cue_start - _FRAME_REACH)
    if view.labelled(_FRAME, reach, cue_start):
        return True
    return _ORDINAL.search(view.text, reach, cue_start) is not None


def _possessive(view: SentenceView, end: int) -> bool:
    """Whether the span cue ending at `end` is a possessive ("this year's largest swap"): it
    names when this event is, not a span."""
    return view.text.startswith(("'s", "’s"), end)


def _bare_dates(view: SentenceView, text: str, low: int, high: int, last: int) -> Iterator[str]:
    """EARLIER for each month or year named without a day in text[low:high] whose words start
    before `last`, SPAN for a month after "since" ("since May", "since February 24, 2022") and
    for a whole year ("in 2024")."""
    for hit in view.dates:
        if not low <= hit.start < high or not min(hit.labels).startswith("month:"):
            continue
        if not text[hit.start].isupper():
            continue
        reach = max(low, hit.start - 40)
        before = _BARE_MONTH.search(view.text, reach, hit.start)
        if before is None or before.start() >= last:
            continue
        if before.group(1):
            if not _framed(view, before.start(), low):
                yield SPAN  # "since May", "since February 24, 2022"; not "the first since May"
        elif not names_day(view.text, hit) and not _SINCE.search(view.text, reach, hit.start):
            yield EARLIER  # "in January", not "since Russia invaded in February 2022"
    year = _BARE_YEAR.search(view.text, low, high)
    if year and year.start() < last:
        yield EARLIER
    for year in _IN_YEAR.finditer(view.text, low, high):
        if year.start() < last and not _framed(view, year.start(), low):
            yield SPAN  # "1,358 were freed in 2024", not "the first swap in 2025"
