"""Places a question names below a country ("over Kharkiv", "in the Moscow region"), and whether
a tally speaks for one.

An event is one attacked country and night; a place's figure is a part of it, never the whole
(issue 14, cause 5). So a question about a place is answered only from figures that are that
place's: a report whose `place` is it, or whose sentence names it. Otherwise the answer says
the place's figure is not known, and names the event known instead, with no number.

Pure; the patterns are linear in the text's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.reconcile import Report, Tally

# The places a question may name, by the country they are in; each a pattern over the
# lower-cased question, and the name a reply gives it.
PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "ukraine": (
        (r"kyiv|kiev", "Kyiv"),
        (r"kharkiv|kharkov", "Kharkiv"),
        (r"odesa|odessa", "Odesa"),
        (r"lviv", "Lviv"),
        (r"dnipro", "Dnipro"),
        (r"zaporizhzhia|zaporizhia", "Zaporizhzhia"),
        (r"sumy", "Sumy"),
        (r"kryvyi rih", "Kryvyi Rih"),
        (r"mykolaiv", "Mykolaiv"),
        (r"kherson", "Kherson"),
        (r"poltava", "Poltava"),
        (r"chernihiv", "Chernihiv"),
        (r"ternopil", "Ternopil"),
        (r"vinnytsia", "Vinnytsia"),
        (r"donetsk", "Donetsk"),
    ),
    "russia": (
        (r"moscow", "Moscow"),
        (r"kursk", "Kursk"),
        (r"belgorod", "Belgorod"),
        (r"bryansk", "Bryansk"),
        (r"rostov", "Rostov"),
        (r"voronezh", "Voronezh"),
        (r"crimea", "Crimea"),
        (r"krasnodar", "Krasnodar"),
    ),
}
_FOUND = tuple(
    (re.compile(rf"\b(?:{pattern})\b"), name, country)
    for country, places in PLACES.items()
    for pattern, name in places
)


def place_in(words: str) -> tuple[str, str] | None:
    """The first place a normalised question names, as (name, country), or None."""
    for pattern, name, country in _FOUND:
        if pattern.search(words):
            return name, country
    return None


def speaks_for(tally: Tally, place: str) -> bool:
    """Whether a tally is a figure of `place`: one of its reports is that place's, or names
    it in its sentence while giving no other place."""
    return any(_of_place(report, place) for report in tally.backing)


def of_place(tallies: Iterable[Tally], place: str) -> list[Tally]:
    """The tallies that speak for `place`."""
    return [t for t in tallies if speaks_for(t, place)]


def _of_place(report: Report, place: str) -> bool:
    pattern = _pattern_of(place)
    if report.place:
        return bool(pattern.search(report.place.casefold()))
    return bool(pattern.search(report.evidence.casefold()))


def _pattern_of(place: str) -> re.Pattern[str]:
    return next((p for p, name, _ in _FOUND if name == place), re.compile(re.escape(place)))
