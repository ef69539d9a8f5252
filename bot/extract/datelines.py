"""The day an undated document's own text gives (issue 14, cause 6): its dateline, a caption.

A document without a publication date often still says when it is: a caption ("Rescuers at the
site in Kyiv on Dec. 29, 2022"), a line under the headline ("March 3, 2025 1:40 PM"), a date
in the body ("the victims of 28.04.2023"). The latest full date of the text (a day, a month and
a year: "March 3, 2025", "3 March 2025", "03.03.2025") is taken as its day, as an article
rarely names a day later than its own. Not counted: a date that opens or closes a span ("since
February 24, 2022", "from ... until"), one that a deadline or plan names ("by", "scheduled
for"), and any in a caption of an illustration or a file photo, which may be years old. A day
and month without a year give nothing: figures.md's null. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from datetime import date

from bot.extract.dates import MONTHS

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
