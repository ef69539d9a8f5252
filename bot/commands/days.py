"""The days a question names: "May 24", "24 May", "2025-05-24", "the 24th", "yesterday",
"last night", "Saturday night", read against the day it is asked (passed in, never the clock).

Pure; every pattern is linear in the text's length.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
AHEAD = timedelta(days=7)
NEAREST = 2  # known days offered on each side of a day asked that is not known
_TH, _YEAR = r"(?:st|nd|rd|th)?", r"(?:,? (\d{4})\b)?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = {
    "day before yesterday": 2, "night before last": 1, "yesterday": 1, "last night": 0,
    "tonight": 0, "this morning": 0, "today": 0,
}  # fmt: skip
_DAY_PATTERNS = (
    ("iso", re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")),
    ("month_day", re.compile(rf"\b({_MONTH})\.? (\d{{1,2}}){_TH}\b{_YEAR}")),
    ("day_month", re.compile(rf"\b(\d{{1,2}}){_TH} (?:of )?({_MONTH})\b{_YEAR}")),
    ("ordinal", re.compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b")),
    ("relative", re.compile(rf"\b({'|'.join(_RELATIVE)})\b")),
    ("weekday", re.compile(rf"\b({'|'.join(_WEEKDAYS)})( night)?\b")),
)  # fmt: skip


def days_in(words: str, today: date) -> tuple[date, ...]:
    """The days a normalised question names, in order: ISO dates, "May 24", "24 May", "the
    24th", "yesterday", "last night" (the night that ended this morning: today), weekday names
    (the most recent such day on or before today; "Saturday night" is the morning after). A
    month and day without a year take today's year, unless that would be more than AHEAD (a
    week) after today, then the year before; "the 24th" is this month's, or last month's if
    that would be after today."""
    claimed: list[tuple[int, int]] = []
    found: list[tuple[int, date]] = []
    for kind, pattern in _DAY_PATTERNS:
        for match in pattern.finditer(words):
            if any(match.start() < end and start < match.end() for start, end in claimed):
                continue
            claimed.append(match.span())
            day = _day_of(kind, match.groups(), today)
            if day is not None:
                found.append((match.start(), day))
    return tuple(dict.fromkeys(day for _, day in sorted(found)))


def _day_of(kind: str, groups: Sequence[str | None], today: date) -> date | None:
    try:
        if kind == "iso":
            return date(int(groups[0] or ""), int(groups[1] or ""), int(groups[2] or ""))
        if kind in ("month_day", "day_month"):
            month, day = (groups[0], groups[1]) if kind == "month_day" else (groups[1], groups[0])
            year = groups[2]
            number = _MONTHS.index((month or "")[:3]) + 1
            return date(int(year), number, int(day or "")) if year else _dated(number, day, today)
        if kind == "ordinal":
            return _recent(today.month, groups[0], today)
        if kind == "relative":
            return today - timedelta(days=_RELATIVE[groups[0] or ""])
        return _weekday(_WEEKDAYS.index(groups[0] or ""), groups[1] is not None, today)
    except (ValueError, OverflowError, KeyError):
        return None


def _dated(month: int, day: str | None, today: date) -> date:
    """A named month's day: the latest one at most AHEAD after `today` (a reader asks about
    news a few days fresher than the newest stored: "May 30" on May 26 is this May's, and
    "January 2" on December 28 next year's); raises ValueError for a day the month lacks."""
    number = int(day or "")
    for year in (today.year + 1, today.year, today.year - 1):
        with contextlib.suppress(ValueError):  # February 29 of a year that has none
            candidate = date(year, month, number)
            if candidate <= today + AHEAD:
                return candidate
    raise ValueError(f"no day {number} of month {month} near {today}")


def _recent(month: int, day: str | None, today: date) -> date:
    """The day of `month` this year, or the year (or month, for "the 24th") before if later."""
    candidate = date(today.year, month, int(day or ""))
    if candidate <= today:
        return candidate
    if month == today.month:
        back = today.replace(day=1) - timedelta(days=1)
        return date(back.year, back.month, candidate.day)
    return date(today.year - 1, month, candidate.day)


def _weekday(weekday: int, night: bool, today: date) -> date:
    # An overnight attack takes the date of the morning it ended (figures.md).
    end = today - timedelta(days=1) if night else today
    day = end - timedelta(days=(end.weekday() - weekday) % 7)
    return day + timedelta(days=1) if night else day


def nearest(days: Iterable[date], targets: Sequence[date], each_way: int = NEAREST) -> list[date]:
    """Of `days`, the `each_way` latest before the earliest target and the `each_way` earliest
    after the latest (a target itself included), in order; the latest 2 * `each_way` when no
    target is given. What a "not known" answer offers instead of the day asked."""
    ordered = sorted(set(days))
    if not targets:
        return ordered[-2 * each_way :]
    first, last = min(targets), max(targets)
    before = [d for d in ordered if d < first][-each_way:]
    inside = [d for d in ordered if first <= d <= last]
    after = [d for d in ordered if d > last][:each_way]
    return [*before, *inside, *after]
