"""The days a document's text gives (issue 14, cause 6): its own day, and its event's.

document_date: the day an undated document's own text gives: its dateline, a caption.

A document without a publication date often still says when it is: a caption ("Rescuers at the
site in Kyiv on Dec. 29, 2022"), a line under the headline ("March 3, 2025 1:40 PM"), a date
in the body ("the victims of 28.04.2023"). The latest full date of the text (a day, a month and
a year: "March 3, 2025", "3 March 2025", "03.03.2025") is taken as its day, as an article
rarely names a day later than its own. Not counted: a date that opens or closes a span ("since
February 24, 2022", "from ... until"), one that a deadline or plan names ("by", "scheduled
for"), the day the war began ("Russia invaded on February 24, 2022"), and any in a caption of
an illustration or a file photo, which may be years old. A day and month without a year give
nothing: figures.md's null.

event_days: the day the document names for each event it reports ("the death toll from
Saturday's strike rose to 40", "the building was struck by a missile on Saturday"): a figure
the text gives no day of its own takes it rather than the publication day, as a toll reported
days later is a figure of the strike's day (figures.md). Only a day named next to the event's
word in the head of the document counts (for a swap, also the day its sentence's statement
names: a swap is announced the day it takes place), and only one on or before the publication
day. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from bot.extract.dates import MONTHS, DateCue, scan_dates

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})\.?,?\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>(?:19|20)\d\d))\b"
)
_NOT_ITS_DAY = re.compile(
    r"\b(?:since|from|between|until|till|through|before|by|scheduled\s+for|due|expected|"
    r"planned\s+for|set\s+for|starting|after)\s+(?:(?:on|early|late)\s+)?\Z",
    re.IGNORECASE,
)
# The words a document names its events with, by topic (a swap's, an attack's); a day right
# after ("swapped prisoners on Sunday") or before ("Saturday's strike", "the Dec. 29 attack")
# is that event's. One pattern for both, its group named by the topic.
_EVENT_WORDS = re.compile(
    r"\b(?:(?P<swap>exchanges?|exchanged|swaps?|swapped)"
    r"|(?P<attack>strikes?|attacks?|struck|assault|bombardment|barrage|shelling))\b"
)
# What every event word starts with: where none of these stands, no event word does. str.find
# looks for them several times faster than the pattern scans the head, trying every position.
_EVENT_STEMS = (
    "exchange",
    "swap",
    "strike",
    "attack",
    "struck",
    "assault",
    "bombard",
    "barrage",
    "shelling",
)
# How far after its word a day still names the event, by topic: within the clause ("struck by a
# missile on Saturday"); a swap is announced the day it takes place, so the day its sentence's
# statement names, over a quote's end, dates it too ("the exchange has taken place," the
# minister wrote on Thursday). An attack's toll is often told a day later ("the strike ...,
# the governor said on Monday"): not for attacks.
_ON_DAY = re.compile(r"(?:\s+[\w-]+){0,9}?\s+(?:on|of)\s+\Z")
_SAID_ON_DAY = re.compile(r"(?:[\s,\"“”'’]+[\w-]+){0,24}?\s+(?:on|of)\s+\Z")
# Before its word, likewise: "Saturday's strike", "the Dec. 29 attack"; for a swap, the day of
# the statement that tells it ("confirmed on Thursday that 200 prisoners had been exchanged").
_DAY_OF = re.compile(r"\A(?:['’]s)?(?:\s+[\w-]+){0,2}?\s+\Z")
_SAID_DAY_OF = re.compile(r"\A(?:['’]s)?(?:\s+[\w-]+){0,12}?\s+\Z")
_TOPICS = ("swap", "attack")
_ON_OR_OF = re.compile(r"\s(?:on|of)\s")
_Reach = tuple[re.Pattern[str], int, re.Pattern[str], int]  # after: pattern, chars; before: same
_REACH: dict[str, _Reach] = {
    "swap": (_SAID_ON_DAY, 180, _SAID_DAY_OF, 80),
    "attack": (_ON_DAY, 80, _DAY_OF, 40),
}
_DAY_WORD = re.compile(
    r"\b(?:[A-Z][a-z]{2}|yesterday|today|overnight|last night|the day before|a day earlier)"
)
# What a day cue (dates.scan_dates, of kind "day") needs in the stretch it is read from: a
# capitalised month or weekday name ("May", "Sat."), or a day told from the publication day
# ("today", "last night", "this morning"). Most stretches around an event word hold a
# capitalised word but none of these, and skip both date scans.
_NAMED_DAY = re.compile(
    r"J(?i:an|u[nl])|F(?i:eb|ri)|M(?i:a[ry]|on)|A(?i:pr|ug)|S(?i:ep|at|un)|O(?i:ct)|N(?i:ov)"
    r"|D(?i:ec)|T(?i:ue|hu)|W(?i:ed)"
)
_RELATIVE_DAY = re.compile(r"night|today|yesterday|morning")  # over folded text
_HEAD = 2000  # the headline and lead, where a report names its event
_STALE = 10  # days: an event named longer before the publication is background
_WAR_START = re.compile(r"invasion|invaded|war began|outbreak of|full-scale war", re.IGNORECASE)
_NEAR = 60
_OLD_PICTURE = re.compile(
    r"illustrative|file\s+photo|archive\s+photo|archival|stock\s+photo", re.IGNORECASE
)


def document_date(text: str) -> date | None:
    """The day `text` gives for itself (see the module), None when it gives none."""
    days = []
    for match in _FULL_DATE.finditer(text):
        if _NOT_ITS_DAY.search(text, max(0, match.start() - 24), match.start()):
            continue
        if _OLD_PICTURE.search(_line(text, match.start())):
            continue
        if _WAR_START.search(text, max(0, match.start() - _NEAR), match.end() + _NEAR):
            continue  # "when Russia invaded on February 24, 2022": the war's day, not the text's
        day = _day(match)
        if day is not None:
            days.append(day)
    return max(days) if days else None


def _line(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end >= 0 else len(text)]


def _day(match: re.Match[str]) -> date | None:
    name = match.group("m1") or match.group("m2")
    month = MONTHS[name] if name else int(match.group("m3"))
    day = match.group("d1") or match.group("d2") or match.group("d3")
    year = match.group("y1") or match.group("y2") or match.group("y3")
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


def event_days(
    text: str, low: str, published: date | None, topics: Collection[str] = _TOPICS
) -> dict[str, DateCue]:
    """The day cue the document names each of its events with, by topic ("swap", "attack"; see
    the module), for the `topics` asked for; `low` is `text` folded."""
    days: dict[str, DateCue] = {}
    if published is None or not topics:
        return days
    for match in _event_words(low):
        topic = match.lastgroup
        if topic is None or topic in days or topic not in topics:
            continue  # the topic's first day named is its event's
        start, end = match.span()
        reach = _REACH[topic]
        if not _may_name_day(text, low, max(0, start - reach[3]), end + reach[1]):
            continue  # no day named near: the common case, without a date scan
        cue = _event_day(text, low, (start, end), reach, published)
        if cue is not None:
            days[topic] = cue
    return days


def _event_words(low: str) -> list[re.Match[str]]:
    """The event words of the head of the folded text `low`, in order: what
    _EVENT_WORDS.finditer(low, 0, _HEAD) gives (whole words never overlap), found faster."""
    starts = set()
    for stem in _EVENT_STEMS:
        at = low.find(stem, 0, _HEAD)
        while at >= 0:
            starts.add(at)
            at = low.find(stem, at + 1, _HEAD)
    found = (_EVENT_WORDS.match(low, at, _HEAD) for at in sorted(starts))
    return [match for match in found if match is not None]


def _event_day(
    text: str, low: str, word: tuple[int, int], reach: _Reach, published: date
) -> DateCue | None:
    """The first day cue near the event word at text[start:end] (`word`) that is on or shortly
    before the publication day."""
    for cue in _days_near(text, low, word, reach, published):
        day = cue.day
        if day is not None and 0 <= (published - day).days <= _STALE:
            return cue
    return None


def _may_name_day(text: str, low: str, start: int, end: int) -> bool:
    """False when text[start:end] (`low` folded) can hold no day cue: no capitalised word or
    relative day (_DAY_WORD), or no word a cue of kind "day" is made of (_NAMED_DAY)."""
    if not _DAY_WORD.search(text, start, end):
        return False
    return bool(_NAMED_DAY.search(text, start, end) or _RELATIVE_DAY.search(low, start, end))


def _days_near(
    text: str, low: str, word: tuple[int, int], reach: _Reach, published: date
) -> list[DateCue]:
    """The day cues standing right before the event word at text[start:end] (`word`), or after
    it with "on" or "of", as its topic's `reach` allows ("struck by a missile on Saturday", "a
    prisoner exchange during talks in Istanbul on Wednesday")."""
    start, end = word
    on_day, after, day_of, before = reach
    near = []
    high = min(len(text), end + after)
    # A day after the word names its event only after "on" or "of": without either, no scan.
    cues = (
        scan_dates(text[end:high], low[end:high], published)
        if _ON_OR_OF.search(low, end, high)
        else []
    )
    for cue in cues:
        if cue.kind == "day" and on_day.match(low[end : end + cue.start]):
            near.append(cue)
    low_start = max(0, start - before)
    for cue in scan_dates(text[low_start:start], low[low_start:start], published):
        if cue.kind == "day" and day_of.match(low[low_start + cue.end : start]):
            near.append(cue)
    return near
