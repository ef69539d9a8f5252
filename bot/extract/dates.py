"""Event dates from the text's own cues and the publication date (figures.md, the issue).

"on May 24", "May 24, 2025", "24 May"; weekday names (a report tells what has happened: the
latest such day up to the publication date, or one at most two days after it, where a date line
lags its text; "last Friday" the one before); "overnight", "last night", "today" (the
publication day), "yesterday"; "Saturday night" and "late Friday" (for attacks, the morning the
night ended); "overnight into Saturday" and "overnight Saturday" (the night that ended that
morning); "the night of May 25"; "the day before", "a day
earlier" (a day before the sentence's own day). A range ("between May 20 and May 23") dates
nothing. Pure: no clock.

Month and weekday names are found with one phrase scan of the folded sentence and must be
capitalised in the text itself ("May 24", not "may"); what stands around them is then read with
small anchored patterns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from bot.extract.phrases import Hit, compile_phrases

_MONTH_LIST = (
    "January February March April May June July August September October November December"
)
MONTHS = {
    **{name: i + 1 for i, name in enumerate(_MONTH_LIST.split())},
    **{
        "Jan": 1,
        "Feb": 2,
        "Mar": 3,
        "Apr": 4,
        "Jun": 6,
        "Jul": 7,
        "Aug": 8,
        "Sep": 9,
        "Sept": 9,
        "Oct": 10,
        "Nov": 11,
        "Dec": 12,
    },
}
WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )
}
_PUBLICATION_DAY = {
    "last night": 0,
    "overnight": 0,
    "tonight": 0,
    "today": 0,
    "this morning": 0,
    "earlier today": 0,
    "yesterday": -1,
}
_ANCHORED = {
    "the day before": -1,
    "a day before": -1,
    "a day earlier": -1,
    "the previous day": -1,
    "the night before": -1,
    "the previous night": -1,
    "a day after": -1,
    "a day later": 1,
    "the next day": 1,
    "the following day": 1,
}
# The words a date cue hangs on, labelled "month:May", "weekday:Friday", "rel:overnight"; the
# vocabulary scans for them together with its own phrases (one pass per sentence).
DATE_WORDS = {
    **{f"month:{name}": [name] for name in MONTHS},
    **{f"weekday:{name}": [name] for name in WEEKDAYS},
    **{f"rel:{phrase}": [phrase] for phrase in [*_PUBLICATION_DAY, *_ANCHORED]},
}
_ANCHORS = compile_phrases(DATE_WORDS)
_DAY_AFTER_MONTH = re.compile(
    r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{4}))?(?:\s*[-–]\s*(\d{1,2})\b)?"
)
_DAY_BEFORE_MONTH = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?\Z")
_YEAR_AFTER = re.compile(r",?\s+(\d{4})\b")
_RANGE_BEFORE = re.compile(r"(between|from)\s+(?:(?:early|late)\s+)?\Z")
_RANGE_AFTER = {
    "between": re.compile(r"\s+and\s"),
    "from": re.compile(r"\s+(?:to|until|till|through)\s"),
}
_NIGHT_BEFORE = re.compile(r"night\s+(?:of|to|into)\s+\Z")
_WEEKDAY_BEFORE = re.compile(
    r"(?<![\w])(early|late|overnight(?:\s+(?:into|to|on))?|last|next|this\s+past|this)\s+(?:on\s+)?\Z"
)
_WEEKDAY_AFTER = re.compile(r"['’]s\b|\s+(night|evening|morning|afternoon|overnight)\b")


class DateCue(NamedTuple):
    """A date word in a sentence.

    kind: "day" (a day, `day` None when it cannot be known), "range" (dates nothing), or
    "anchored" (`shift` days from the sentence's own day; `after_only`: only for the numbers
    after it, as in "a day after each released 390"). `overnight`: a night that ended the
    next morning ("Saturday night", "late Friday").
    """

    start: int
    end: int
    kind: str
    day: date | None = None
    shift: int = 0
    overnight: bool = False
    after_only: bool = False


class DateContext(NamedTuple):
    """What a figure's date falls back on: the publication day, the day the document was last
    talking about (`carried`) and the day it names its event with (`event`: "Saturday's
    strike"); `other_event` when the sentence opens another event."""

    published: date | None
    carried: date | None
    other_event: bool = False
    event: DateCue | None = None


def scan_dates(
    text: str, low: str, published: date | None, hits: Sequence[Hit] | None = None
) -> list[DateCue]:
    """The date cues of one sentence (`low` is `text` folded), resolved against the
    publication day where they need it. `hits`: the sentence's date words, labelled as in
    DATE_WORDS, where the caller has already scanned for them."""
    cues = []
    for hit in _ANCHORS.finditer(low) if hits is None else hits:
        cue = _cue(text, low, hit, published)
        if cue is not None:
            cues.append(cue)
    if len(cues) < 2:
        return cues
    # "overnight into Saturday" is one cue, not "overnight" and "Saturday"
    return [
        c
        for c in cues
        if not any(o is not c and o.start <= c.start and c.end <= o.end for o in cues)
    ]


def _cue(text: str, low: str, hit: Hit, published: date | None) -> DateCue | None:
    kind, _, name = min(hit.labels).partition(":")
    if kind == "rel":
        if name in _ANCHORED:
            return DateCue(
                hit.start,
                hit.end,
                "anchored",
                shift=_ANCHORED[name],
                after_only=name == "a day after",
            )
        day = published + timedelta(days=_PUBLICATION_DAY[name]) if published else None
        return DateCue(hit.start, hit.end, "day", day)
    if not text[hit.start].isupper():
        return None  # "may", "march": not a date
    if kind == "month":
        return _month_cue(text, low, hit, MONTHS[name], published)
    return _weekday_cue(low, hit, WEEKDAYS[name], published)


def _month_cue(text: str, low: str, hit: Hit, month: int, published: date | None) -> DateCue | None:
    after = _DAY_AFTER_MONTH.match(low, hit.end)
    if after:
        start, end = hit.start, after.end()
        day, year, last = after.group(1), after.group(2), after.group(3)
    else:
        before = _DAY_BEFORE_MONTH.search(low, max(0, hit.start - 12), hit.start)
        if before is None:
            return None  # "in May": a month is no day
        year_match = _YEAR_AFTER.match(low, hit.end)
        start, end = before.start(), year_match.end() if year_match else hit.end
        day, year, last = before.group(1), year_match.group(1) if year_match else None, None
    if _NIGHT_BEFORE.search(low, max(0, start - 16), start):
        return DateCue(start, end, "day", _month_day(month, last or day, year, published))
    if last or _is_range(low, start, end):
        return DateCue(start, end, "range")
    return DateCue(start, end, "day", _month_day(month, day, year, published))


def names_day(low: str, hit: Hit) -> bool:
    """Whether the month word of `hit` stands with a day ("May 24", "24 May"), not alone as in
    "in May" or "in May 2024" (a month is no day)."""
    if _DAY_AFTER_MONTH.match(low, hit.end):
        return True
    return _DAY_BEFORE_MONTH.search(low, max(0, hit.start - 12), hit.start) is not None


# How many days after the publication day a bare weekday may still be (a date line a day or two
# behind its text, as seed 000's "early on Sunday" under Friday's date).
_AHEAD = 2


def _weekday_cue(low: str, hit: Hit, weekday: int, published: date | None) -> DateCue:
    before = _WEEKDAY_BEFORE.search(low, max(0, hit.start - 24), hit.start)
    after = _WEEKDAY_AFTER.match(low, hit.end)
    start = before.start() if before else hit.start
    end = after.end() if after else hit.end
    if _is_range(low, start, end):
        return DateCue(start, end, "range")
    pre = " ".join(before.group(1).split()) if before else ""
    post = (after.group(1) or "") if after else ""
    overnight = pre == "late" or post in ("night", "overnight")
    if published is None:
        return DateCue(start, end, "day", None, overnight=overnight)
    ahead = (weekday - published.weekday()) % 7
    if pre in ("last", "this past"):
        offset = ahead - 7 if ahead else -7
    elif pre == "next":
        offset = ahead or 7
    else:
        # "killed 17 on Wednesday" in Sunday's paper is the Wednesday before, not after
        offset = ahead - 7 if ahead > _AHEAD else ahead
    return DateCue(start, end, "day", published + timedelta(days=offset), overnight=overnight)


def _is_range(low: str, start: int, end: int) -> bool:
    """True for the first day of "between May 20 and May 23" or "from Friday to Sunday"."""
    before = _RANGE_BEFORE.search(low, max(0, start - 16), start)
    return bool(before and _RANGE_AFTER[before.group(1)].match(low, end))


def _month_day(month: int, day: str, year: str | None, published: date | None) -> date | None:
    """The date of a month and day; without a year, the one nearest the publication day."""
    try:
        if year:
            return date(int(year), month, int(day))
        if published is None:
            return None
        options = [
            date(y, month, int(day))
            for y in (published.year - 1, published.year, published.year + 1)
        ]
    except ValueError:
        return None
    return min(options, key=lambda d: abs((d - published).days))


def event_date(
    cues: Sequence[DateCue],
    number_start: int,
    clause: tuple[int, int],
    after_night: bool,
    context: DateContext,
    numbers: Sequence[int] = (),
) -> tuple[date | None, bool]:
    """(the event day of a number at `number_start`, whether the text itself named it).

    Cues in the number's clause come first, those nearer to it than to another number (of
    `numbers`, the sentence's number offsets: "390 on Friday, 307 on Saturday") if any; a
    range there: no date; several days: the latest, as in "on Friday and overnight into
    Saturday". Then day-relative cues of the clause, from
    the sentence's day; then the nearest day named elsewhere in the sentence; then the day the
    document was talking about, else the publication day, unless the sentence opens another
    event. `after_night`: a night cue gives the next morning's date (attacks).
    """
    if not cues:
        return _fallback(context, after_night), False
    low, high = clause
    own = _own_cues([c for c in cues if low <= c.start < high], number_start, numbers)
    if any(c.kind == "range" for c in own):
        return None, False
    days = [c for c in own if c.kind == "day"]
    if days:
        return _latest(days, after_night), True
    others = [c for c in cues if c.kind == "day" and not low <= c.start < high]
    nearest = min(others, key=lambda c: abs(c.start - number_start)) if others else None
    sentence_day = _effective(nearest, after_night) if nearest else None
    shifts = [
        c for c in own if c.kind == "anchored" and (not c.after_only or c.start < number_start)
    ]
    if shifts:
        base = sentence_day if nearest else _fallback(context, after_night)
        return (base + timedelta(days=shifts[0].shift) if base else None), False
    if nearest:
        return sentence_day, True
    return _fallback(context, after_night), False


AGREEMENT_REACH = 30  # characters between a day and the word of the talks it dates


def agreement_day(cues: Sequence[DateCue], words: Sequence[Hit]) -> date | None:
    """The day of an agreement: that of a day cue within AGREEMENT_REACH characters of one of
    `words`, the hits that name talks or the agreement ("the June 2 talks", "agreed on
    Wednesday"); None when there is none, as an agreed count is dated only where the text
    dates the agreement (figures.md), not by the day of a swap ("Friday's swap was the first
    phase of a deal to exchange 1,000")."""
    for cue in cues:
        if cue.kind != "day" or cue.day is None:
            continue
        for word in words:
            if max(word.start - cue.end, cue.start - word.end) <= AGREEMENT_REACH:
                return cue.day
    return None


def toll_day(day: date | None, event: DateCue, after_night: bool) -> date | None:
    """The day of a toll counted on `day` for the event named by `event` ("Saturday's strike"):
    the event's day when the count comes after it, as a rising toll is a figure of the strike's
    day; else `day`."""
    strike = _effective(event, after_night)
    if day is None or strike is None or not strike < day:
        return day
    return strike


def _own_cues(cues: list[DateCue], number_start: int, numbers: Sequence[int]) -> list[DateCue]:
    """The cues that belong to this number rather than to another: a day word follows its
    number ("390 on Friday, 307 on Saturday"); all of them where none does ("3 killed and 17
    injured on Monday")."""
    if len(numbers) < 2:
        return cues
    mine = [c for c in cues if _owner(c, numbers) == number_start]
    return mine or cues


def _owner(cue: DateCue, numbers: Sequence[int]) -> int:
    before = [n for n in numbers if n < cue.start]
    return max(before) if before else min(numbers)


def _fallback(context: DateContext, after_night: bool) -> date | None:
    if context.other_event:
        return None
    event = _effective(context.event, after_night) if context.event else None
    return context.carried or event or context.published


def _latest(cues: Sequence[DateCue], after_night: bool) -> date | None:
    days = [_effective(c, after_night) for c in cues]
    known = [d for d in days if d is not None]
    return max(known) if known and len(known) == len(days) else None


def _effective(cue: DateCue, after_night: bool) -> date | None:
    if cue.day is None:
        return None
    return cue.day + timedelta(days=1) if cue.overnight and after_night else cue.day
