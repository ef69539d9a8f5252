"""What a number counts: the noun after it, within a few modifiers ("14 Iskander-M/KN-23
ballistic missiles"), or nothing named right there ("128 were shot down": elliptic).

A number followed by other words that name no noun class ("three years", "20 buildings") counts
something outside the vocabulary and is no figure.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.extract.numbers import NUMBER_WORDS, NumberToken
from bot.extract.vocabulary import Vocabulary

MAX_MODIFIERS = 4
# Words of one paragraph: the spaces before a word do not run past a line end.
_WORD = re.compile(r"[^\S\n]*([^\W\d_][\w'’./-]*|\d[\d,]*|\S)")
_STOP = frozenset(
    [
        "were",
        "was",
        "are",
        "is",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "will",
        "would",
        "could",
        "can",
        "may",
        "might",
        "and",
        "or",
        "but",
        "in",
        "on",
        "at",
        "by",
        "from",
        "to",
        "for",
        "with",
        "during",
        "after",
        "before",
        "over",
        "into",
        "across",
        "since",
        "per",
        "than",
        "as",
        "while",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "each",
        "apiece",
        "including",
        "among",
        "amid",
        "according",
        "said",
        "says",
        "told",
        "when",
        "where",
        "of",
    ]
)
_AND_OR = frozenset(["and", "or"])
_PARTITIVE_ELLIPTIC = frozenset(["them", "whom", "these", "those", "which"])
_DETERMINERS = frozenset(["the", "its", "their", "our", "his", "her", "these", "those"])
_SUBJECT = frozenset(
    [
        "were",
        "was",
        "are",
        "is",
        "have",
        "has",
        "had",
        "been",
        "be",
        "who",
        "remain",
        "remained",
        "got",
    ]
)
_GLUED = re.compile(r"[-/‑][\w/‑-]*")
_COPULA = re.compile(r"\s+(?:are|were|is|was)\s+(?:(?:all|mostly|also)\s+)?")
_GLUE = frozenset("-/‑")
_JOINTS = (" and ", " or ", " & ", " as well as ")
_COORDINATION = re.compile(r"\s+(?:and|&|or|as\s+well\s+as)\s+", re.IGNORECASE)
# Builds a NounPhrase from all its fields, as NamedTuple._make does, without the Python-level
# constructor: phrases are made for most numbers of every article.
_new = tuple.__new__


class NounPhrase(NamedTuple):
    """The counted thing of a number.

    `noun_class` None means elliptic (named elsewhere). `end` is past the noun (or the number).
    `role` is "subject" when a predicate follows ("245 drones were destroyed"), "object" when it
    does not ("shot down six missiles and ..."), "either" when unsure ("... missiles aimed at").
    """

    noun_class: str | None
    end: int
    role: str


def shifted_phrase(phrase: NounPhrase, shift: int) -> NounPhrase:
    """`phrase` with its end `shift` characters earlier (in a sentence instead of its
    document)."""
    noun_class, end, role = phrase
    return _new(NounPhrase, (noun_class, end - shift, role))


def read_noun_phrase(text: str, token: NumberToken, vocabulary: Vocabulary) -> NounPhrase | None:
    """The noun phrase of `token` in the folded `text`, or None when the number counts no
    known thing."""
    if token.attached:
        hit = vocabulary.nouns.match(text, token.end - len(token.attached))
        if hit is None or hit.end != token.end:
            return None  # "five-story", "43-year-old", "90-minute": a size, an age, a duration
        return NounPhrase(_first(hit.labels), token.end, _role(text, token.end, vocabulary))
    return _scan(text, token.end, vocabulary)


def _scan(text: str, pos: int, vocabulary: Vocabulary) -> NounPhrase | None:
    plain_nouns = vocabulary.words.plain_nouns
    modifiers = 0
    verb = False
    while modifiers <= MAX_MODIFIERS:
        word = _WORD.match(text, pos)
        if word is None:
            return _elliptic(text, pos, modifiers, vocabulary)
        start, end = word.span(1)
        lowered = word[1]
        if lowered == "of":
            return _partitive(text, end, modifiers, vocabulary)
        if lowered == "more" and not modifiers:
            pos = end  # "20 more were lost": "more" adds, it does not name
            continue
        if lowered in _STOP or not lowered[0].isalpha():
            if modifiers and lowered in _AND_OR and _next_noun(text, end, vocabulary) is not None:
                modifiers += 1  # "150 Ukrainian and foreign citizens"
                pos = end
                continue
            return _elliptic(text, pos, modifiers, vocabulary)
        noun_class = plain_nouns.get(lowered)
        if noun_class is not None:  # the common case: a one-word noun, read without _noun_at
            return _with_noun(text, noun_class, end, vocabulary)
        noun = _noun_at(text, start, lowered, vocabulary)
        if noun is not None:
            return _with_noun(text, noun[0], noun[1], vocabulary)
        if _is_cue_at(text, start, lowered, vocabulary) and not _describes(
            text, lowered, end, vocabulary
        ):
            if modifiers == 1 and verb:
                return _elliptic(text, pos, 0, vocabulary)  # "41 sustained injuries"
            return _elliptic(text, pos, modifiers, vocabulary)
        # a modifier, or a cue that describes the noun ("seriously wounded men"); a first word in
        # "-ed" may be the verb of an elliptic number instead ("41 sustained injuries")
        verb = modifiers == 0 and lowered.endswith("ed")
        modifiers += 1
        pos = end
    return None


def _describes(text: str, word: str, end: int, vocabulary: Vocabulary) -> bool:
    """True when the cue `word` (ending at `end`) is a participle that describes the noun after
    it ("seriously wounded soldiers"), not a verb with an object ("targeting the region")."""
    return word.endswith("ed") and _next_noun(text, end, vocabulary) is not None


def _partitive(text: str, pos: int, modifiers: int, vocabulary: Vocabulary) -> NounPhrase | None:
    """After "of": "128 of them" (elliptic), "15 of 24 regions" and "six of the missiles"."""
    word = _WORD.match(text, pos)
    if word is None:
        return None
    lowered = word[1]
    if lowered.rstrip(".") in _PARTITIVE_ELLIPTIC:  # "... shot down 60 of them."
        end = word.start(1) + len(lowered.rstrip("."))
        return _elliptic(text, end, 0, vocabulary) if modifiers == 0 else None
    if lowered in _DETERMINERS:
        # "41 of the 46 attack drones": the whole's number is part of the phrase
        after = _WORD.match(text, word.end())
        end = after.end() if after is not None and _is_number(after[1]) else word.end()
        return _scan(text, end, vocabulary)
    if _is_number(lowered):
        return _scan(text, word.end(), vocabulary)
    return _scan(text, pos, vocabulary) if modifiers == 0 else None


def _is_number(word: str) -> bool:
    """True for "33", "1,000", "ten" and "twenty-seven"."""
    return word[0].isdigit() or all(part in NUMBER_WORDS for part in word.split("-"))


def _with_noun(text: str, noun_class: str, end: int, vocabulary: Vocabulary) -> NounPhrase:
    """The phrase from its first noun: "drones and missiles" counts both classes; "Shahed and
    decoy drones" and "Iskander-M/KN-23 ballistic missiles" end at their last noun."""
    if text[end : end + 1] in _GLUE:
        glued = _GLUED.match(text, end)
        end = glued.end() if glued else end
    after = _WORD.match(text, end)
    if after is None or (
        (after[1] in _STOP or not after[1][0].isalpha()) and not text.startswith(_JOINTS, end)
    ):
        # Most phrases end at their first noun ("245 drones were..."): the word after it, which
        # no other noun follows, says its role.
        return _new(NounPhrase, (noun_class, end, _role_of(text, after, vocabulary)))
    classes = {noun_class}
    pos = end
    for _ in range(3):
        joint = _COORDINATION.match(text, pos) if text.startswith(_JOINTS, pos) else None
        nxt = _next_noun(text, joint.end() if joint else pos, vocabulary)
        if nxt is None:
            break
        next_class, next_end = nxt
        if joint is None and next_class != noun_class:
            break
        classes.add(next_class)
        pos = end = next_end
    name = "+".join(sorted(classes))
    return _new(NounPhrase, (name, end, _role(text, end, vocabulary)))


def _next_noun(text: str, pos: int, vocabulary: Vocabulary) -> tuple[str, int] | None:
    """A noun within two modifiers of `pos`, with no number or stop word before it."""
    for _ in range(3):
        word = _WORD.match(text, pos)
        if word is None:
            return None
        lowered = word[1]
        if lowered in _STOP or not lowered[0].isalpha() or _is_number(lowered):
            return None  # "612 drones and seven missiles": a second count, not a second noun
        noun = _noun_at(text, word.start(1), lowered, vocabulary)
        if noun is not None:
            return noun
        if _is_cue_at(text, word.start(1), lowered, vocabulary):
            return None
        pos = word.end()
    return None


def _elliptic(text: str, pos: int, modifiers: int, vocabulary: Vocabulary) -> NounPhrase | None:
    if modifiers or _classifies(text, pos, vocabulary):
        return None
    return _new(NounPhrase, (None, pos, _role(text, pos, vocabulary)))


def _classifies(text: str, pos: int, vocabulary: Vocabulary) -> bool:
    """True for "270 are soldiers", "40 were children": a breakdown by kind, no event."""
    copula = _COPULA.match(text, pos)
    return bool(copula and vocabulary.nouns.match(text, copula.end()))


def _role(text: str, end: int, vocabulary: Vocabulary) -> str:
    return _role_of(text, _WORD.match(text, end), vocabulary)


def _role_of(text: str, word: re.Match[str] | None, vocabulary: Vocabulary) -> str:
    """The role of a phrase from the word after it (None: none follows)."""
    if word is None:
        return "object"
    lowered = word[1]
    if lowered in _SUBJECT or _is_cue_at(text, word.start(1), lowered, vocabulary):
        return "subject"
    if len(lowered) > 3 and lowered.endswith("ed") and lowered.isalpha():
        return "either"
    return "object"


def _noun_at(text: str, start: int, word: str, vocabulary: Vocabulary) -> tuple[str, int] | None:
    """(class, end) of the noun that starts at `start` (whose word is `word`), if any."""
    key = word.rstrip(".'’")
    tables = vocabulary.words
    if "-" in key or "/" in key or key in tables.noun_heads:
        hit = vocabulary.nouns.match(text, start)
        return (_first(hit.labels), hit.end) if hit else None
    noun_class = tables.nouns.get(key)
    return (noun_class, start + len(key)) if noun_class else None


def _is_cue_at(text: str, start: int, word: str, vocabulary: Vocabulary) -> bool:
    key = word.rstrip(".'’")
    tables = vocabulary.words
    if key in tables.cues or key.startswith(tables.cue_prefixes):
        return True
    if "-" in key or key in tables.cue_heads:
        return vocabulary.cues.match(text, start) is not None
    return False


def _first(labels: frozenset[str]) -> str:
    return min(labels)
