"""The place a count is a part for (Figure.place): "52 of the drones were shot down over the
Moscow region" -> "Moscow region", "five wounded in the Obolon district" -> "Obolon district";
None when the count is the whole event's.

A place is named in the number's clause, after the number or opening the clause ("In the
Kharkiv region, three people were injured"), behind a locative word of config/metrics.toml
[places] `before` ("in", "over", ...): a capitalised name with a place noun after it ("the
Moscow region", "Kharkiv Oblast" -> "Kharkiv region"), "the <noun> of <Name>" ("the city of
Odesa" -> "Odesa"), or a capitalised name alone ("in Kyiv"). The whole attacked country
("across Ukraine", "over Russian territory") is no place. A clause that opens with "where"
takes the place of the clause before it ("in the Mykolaiv region, where two were wounded").

Pure: text in, a name out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_CAPITAL = r"[A-Z][\w’'\-]*"
_WHERE = re.compile(r"\s*where\b")
# Words between a locative and a place's name: "the southern Mykolaiv region".
_ADJECTIVES = (
    r"(?:[a-z]+ern|central|annexed|occupied|front-?line|border|neighbouring|nearby|Ukrainian"
    r"|Russian)"
)
# A place followed by another name is one of a list ("over Poltava, Sumy and Kharkiv"): the
# count is of them all, not of one place.
_LIST = re.compile(
    r"\s*,\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?\s*(?:,|and\b)|\s+and\s+(?:the\s+)?[A-Z]"
)
# A count set apart by a dash has its place after it ("7 – over the territory of Smolensk
# region").
_DASHED = re.compile(r"\s*[–—-]\s*")
_CLAUSE_END = re.compile(r"[,;:()\[\]–—]")
_UPPER = re.compile(r"[A-Z]")


@dataclass(frozen=True)
class PlaceWords:
    """The [places] table compiled: `pattern` finds a locative word and the place after it in
    the verbatim text (groups `name` and `noun`, or `of`); `regions` the nouns read as
    "region"; `wholes` the folded names of the whole country; `others` capitalised words that
    are never places."""

    pattern: re.Pattern[str]
    regions: frozenset[str]
    wholes: frozenset[str]
    others: frozenset[str]


def build_place_words(spec: Mapping[str, Any]) -> PlaceWords:
    """The place words of a parsed [places] table; raises TypeError when a list is not a list
    of strings."""
    before = _alternatives(_strings(spec, "before"))
    nouns = _alternatives(_strings(spec, "nouns"))
    # "over the Moscow region", "in Kharkiv Oblast", "in the city of Odesa", "in Kyiv"; the
    # nouns match in any case ("Moscow Region"), the names start with a capital.
    word = rf"(?!(?i:{nouns})(?![\w-])){_CAPITAL}"
    words = rf"{word}(?:\s+{word}){{0,2}}"
    pattern = (
        rf"(?<![\w-])(?i:{before})\s+(?:the\s+|{_CAPITAL}['’]s\s+|{_ADJECTIVES}\s+)*"
        rf"(?:(?i:(?P<of>{nouns}))\s+of\s+(?:the\s+)?(?P<ofname>{words})"
        rf"|(?P<name>{words})(?:\s+(?P<noun>(?i:{nouns}))s?(?![\w-]))?)"
    )
    return PlaceWords(
        pattern=re.compile(pattern),
        regions=frozenset(w.lower() for w in _strings(spec, "regions")),
        wholes=frozenset(" ".join(w.lower().split()) for w in _strings(spec, "wholes")),
        others=frozenset(w.lower() for w in _strings(spec, "others")),
    )


def place_of(words: PlaceWords, text: str, clause: tuple[int, int], start: int) -> str | None:
    """The place of the number at `start` of the sentence `text` whose clause is `clause`; None
    when the clause names none, or only the whole country."""
    low, high = clause
    dashed = _DASHED.match(text, high)
    if dashed is not None and not text[start:high].strip(" 0123456789"):
        end = _CLAUSE_END.search(text, dashed.end())
        low, high = dashed.end(), end.start() if end else len(text)
    # Every place is capitalised: a clause without a capital letter (about two in five) names
    # none, and skips the pattern, which tries every position.
    matches = words.pattern.finditer(text, low, high) if _UPPER.search(text, low, high) else ()
    for match in matches:
        if match.end() <= start and not _opens_clause(text, low, match.start()):
            continue
        if _LIST.match(text, match.end()):
            return None
        place = _named(words, match)
        if place is not None:
            return place
    if _WHERE.match(text, low) and low > 0:
        return _last_place(words, text, max(0, low - 200), low)
    return _opening_place(words, text, low)


def _opening_place(words: PlaceWords, text: str, low: int) -> str | None:
    """The place of a sentence that opens with it, set apart by a comma ("In the Kharkiv
    region, three people were injured"), for the clause right after it."""
    opening = words.pattern.match(text, len(text) - len(text.lstrip()))
    if opening is None or text[opening.end() : low].strip() != ",":
        return None
    return _named(words, opening)


def _last_place(words: PlaceWords, text: str, low: int, high: int) -> str | None:
    places = [_named(words, m) for m in words.pattern.finditer(text, low, high)]
    named = [p for p in places if p is not None]
    return named[-1] if named else None


def _opens_clause(text: str, low: int, at: int) -> bool:
    """True when nothing but spaces stands between the clause's start and `at`."""
    return not text[low:at].strip(" ,;:(–—-")


def _named(words: PlaceWords, match: re.Match[str]) -> str | None:
    """The place's short name, or None for a whole country or a word that is never a place."""
    name = (
        " ".join((match.group("name") or match.group("ofname")).split())
        .rstrip("’'")
        .removesuffix("’s")
        .removesuffix("'s")
    )
    first = name.split()[0].lower()
    if first in words.others or name.lower() in words.wholes:
        return None
    noun = match.group("noun")
    if noun is None:
        return name
    noun = noun.lower()
    return f"{name} {'region' if noun in words.regions else noun}"


def _alternatives(phrases: list[str]) -> str:
    ordered = sorted({" ".join(p.lower().split()) for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) or "(?!x)x"


def _strings(spec: Mapping[str, Any], key: str) -> list[str]:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"places: {key} must be a list of strings")
    return value
