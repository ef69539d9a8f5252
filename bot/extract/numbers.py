"""Numbers in running text: digits and number words, their hedges, and those that are no count.

"1,000" -> 1000, "three hundred and seven" -> 307, "a dozen" -> 12, "nearly a thousand" -> 1000
with qualifier `nearly`. Plurals ("hundreds", "dozens") and bare scales ("a few hundred") are no
numbers, so vague amounts never are. Dates, years, times, percentages, ranges, money,
designations ("KN-23", "Su-34"), ordinals and labels ("Day 2", "aged 43") are dropped here; what
a number counts is decided later (nounphrase, cues).

Numbers are found with `str.find` (C speed) and each is then read with one anchored match:
scanning a whole article with a regular expression costs more than the rest of the extractor.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.extract.dates import MONTHS
from bot.extract.vocabulary import Vocabulary

_UNITS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_ANCHOR_WORDS = tuple(w for w in [*_UNITS, *_TENS, *_SCALES, "dozen"] if w != "zero")
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "dozen"], key=len, reverse=True))
# Matched at a number's first character, in folded text. "and" joins number words only after
# hundred/thousand (the only number words ending in "d").
_DIGITS = re.compile(
    r"(\d{1,3}(?:,\d{3})+|\d{1,9})(\.\d+)?(?![\w%]|[.,:/]\d)(?:\s+(million|thousand)\b)?"
)
_WORDS = re.compile(
    rf"(?:half\s+a\s+dozen|(?:a\s+(?=(?:hundred|thousand|million|dozen)\b))?"
    rf"(?:{_WORD})(?:(?:(?<=d)\s+and\s+|\s+|-)(?:{_WORD}))*)(?!\w)"
)
_A_BEFORE = re.compile(r"(?:half\s+)?a\s+\Z")
_PAIR = re.compile(r"(?:-for-|\s+for\s+)(\d{1,3}(?:,\d{3})+|\d{1,9})(?!\w)")
_ATTACHED = re.compile(r"[-‑]([a-z]+)")
_AFTER_NOT_COUNT = re.compile(
    r"\s*(?:%|percent\b|per\s+cent\b|a\.m\.|p\.m\.|am\b|pm\b|o['’]clock|gmt\b|utc\b|"
    r"[-–]\d|(?:local|kyiv|moscow)\s+time\b)"
)
# The first characters of what _AFTER_NOT_COUNT matches ("%", "percent", "-25", "a.m.", ...)
_AFTER_STARTS = frozenset("%-–paogukm")
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
_ANCHOR_BYTES = frozenset(w.encode() for w in _ANCHOR_WORDS)
_ARTICLE_WORDS = frozenset(w.encode() for w in ("dozen", "hundred", "thousand", "million"))
_HEDGE_WINDOW = 40
_HEDGE_WORDS = 4
_OPENERS = "(\"“‘'["
_NOT_BEFORE_DIGITS = frozenset("$€£/.-_:#")
_MONTH_NAMES = frozenset(MONTHS)


class NumberToken(NamedTuple):
    """A number in a text.

    `end` is past the whole token (both halves of "1,000-for-1,000"); `attached` is the word a
    hyphen ties it to ("five-story" -> "story"); `pair` marks an "N-for-N" exchange; `is_word`
    marks number words ("six"), whose value 1 ("one") needs a counted noun to be a count.
    A NamedTuple, like phrases.Hit, because it is made for every number of every article.
    """

    start: int
    end: int
    value: int
    qualifier: str = "exact"
    attached: str | None = None
    pair: bool = False
    is_word: bool = False


def find_numbers(text: str, low: str, vocabulary: Vocabulary) -> list[NumberToken]:
    """The numbers of a text that could be counts, in order, with their qualifiers.

    `low` is `text` folded (sentences.fold): the same length, lower case.
    """
    tokens: list[NumberToken] = []
    consumed = -1
    for start in anchors(low):
        if start < consumed:
            continue
        token = read_number(text, low, start, vocabulary)
        if token is not None:
            consumed = token.end
            tokens.append(token)
    return tokens


def read_number(text: str, low: str, start: int, vocabulary: Vocabulary) -> NumberToken | None:
    """The number that starts at `start` (an anchor), with its qualifier; None if there is
    none or it is no count (a year, a date, a percentage, a label...)."""
    token = _read(low, start)
    if token is None:
        return None
    words = text[max(0, start - _HEDGE_WINDOW) : start].split()
    if _is_not_a_count(text, low, token, words, vocabulary):
        return None
    return _with_qualifier(low, token, words, vocabulary)


def anchors(low: str) -> list[int]:
    """Where numbers may start: the first digit of each run of digits, and each number word
    that stands as a word ("a dozen" from its "a")."""
    found: set[int] = set()
    for digit in "0123456789":
        at = low.find(digit)
        while at >= 0:
            found.add(at)
            at = low.find(digit, at + 1)
    starts = {
        i for i in found if i - 1 not in found and not (low[i - 1 : i] in ",." and i - 2 in found)
    }
    # Number words: in a copy whose non-letters are spaces (one byte per character, so the
    # offsets hold), a word stands alone exactly where " word " does.
    letters = b" " + low.encode("ascii", "replace").translate(_LETTERS_ONLY) + b" "
    for word in _ANCHOR_BYTES.intersection(letters.split()):
        needle = b" " + word + b" "
        at = letters.find(needle)
        while at >= 0:
            if low[at - 1 : at] != "-":  # "twenty-one" is read from its "twenty"
                starts.add(_with_article(low, at) if word in _ARTICLE_WORDS else at)
            at = letters.find(needle, at + len(word))
    return sorted(starts)


def _with_article(low: str, at: int) -> int:
    """The start of "a dozen" or "half a dozen" when `at` is the "dozen"."""
    if at < 2 or low[at - 2 : at] != "a ":
        return at
    article = _A_BEFORE.search(low, max(0, at - 8), at)
    if article and (article.start() == 0 or not low[article.start() - 1].isalnum()):
        return article.start()
    return at


def _read(low: str, start: int) -> NumberToken | None:
    if low[start].isdigit():
        before = low[start - 1] if start else " "
        if before.isalnum() or before in _NOT_BEFORE_DIGITS:
            return None
        match = _DIGITS.match(low, start)
        if match is None or (match.group(2) and not match.group(3)):
            return None  # a decimal without a scale ("1.5 hours") is no count
        value: int | None = _digits_value(match.group(1), match.group(2), match.group(3))
        is_word = False
    else:
        match = _WORDS.match(low, start)
        if match is None:
            return None
        value = words_value(match.group())
        is_word = True
    if value is None or value <= 0:
        return None
    return _complete(low, start, match.end(), value, is_word)


def _complete(low: str, start: int, end: int, value: int, is_word: bool) -> NumberToken:
    """The token with what is glued to it: "-for-1,000" or a hyphenated word."""
    glue = low[end : end + 1]
    if glue in ("-", " ") and (low.startswith("-for-", end) or low.startswith(" for ", end)):
        pair = _PAIR.match(low, end)
        if pair and _digits_value(pair.group(1), None, None) == value:
            return NumberToken(start, pair.end(), value, pair=True, is_word=is_word)
    if glue in ("-", "‑"):
        attached = _ATTACHED.match(low, end)
        if attached:
            return NumberToken(
                start, attached.end(), value, attached=attached.group(1), is_word=is_word
            )
    return NumberToken(start, end, value, is_word=is_word)


def _digits_value(digits: str, decimal: str | None, scale: str | None) -> int:
    number = float(digits.replace(",", "") + (decimal or ""))
    if scale:
        number *= _SCALES[scale]
    return int(number)


def words_value(words: str) -> int | None:
    """The value of number words ("three hundred and seven" -> 307); None if not a number."""
    parts = [w for w in words.lower().replace("-", " ").split() if w != "and"]
    if parts[:3] == ["half", "a", "dozen"]:
        return 6
    if not parts or parts[0] in _SCALES or parts[0] == "dozen":
        return None  # "a few hundred", "several thousand": vague ("a" is read apart)
    total = current = 0
    for index, word in enumerate(parts):
        if word == "a" and index == 0:
            current = 1
        elif word in _UNITS or word in _TENS:
            current += _UNITS.get(word, 0) + _TENS.get(word, 0)
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        else:
            return None
    return total + current


def _is_not_a_count(
    text: str, low: str, token: NumberToken, before: list[str], vocabulary: Vocabulary
) -> bool:
    """Years, dates, times, percentages, ranges and labelled numbers. `before`: the words of
    the text right before the number."""
    if not token.is_word and 1900 <= token.value <= 2100 and low[token.start : token.end].isdigit():
        return True
    unit = low[token.end : token.end + 2].lstrip()[:1]
    if unit in _AFTER_STARTS and _AFTER_NOT_COUNT.match(low, token.end):
        return True
    if before and not text[token.start - 1 : token.start].isalnum():
        word = before[-1]
        if word.rstrip(".,") in _MONTH_NAMES or word.lower().rstrip(",") in vocabulary.labels:
            return True
    after = text[token.end : token.end + 12].split(None, 1)
    return bool(after and not token.attached and after[0].rstrip(".,;") in _MONTH_NAMES)


def _with_qualifier(
    low: str, token: NumberToken, before: list[str], vocabulary: Vocabulary
) -> NumberToken:
    """The token with the hedge that ends right before it ("at least", "more than"); the
    longest of several ("no more than" over "more than"). `before`: the words before it."""
    if not token.start or not low[token.start - 1].isspace() or not before:
        return token
    if before[-1].lower() not in vocabulary.qualifier_ends:
        return token
    words = before[-_HEDGE_WORDS:]
    begin = token.start - _HEDGE_WINDOW
    if begin > 0 and len(words) == len(before) and not low[begin - 1].isspace():
        words = words[1:]  # the window cut the first word
    words = [w.lower().lstrip(_OPENERS) for w in words]
    for size in range(len(words), 0, -1):
        qualifier = vocabulary.qualifiers.get(" ".join(words[-size:]))
        if qualifier:
            if size < len(words) and words[-size - 1] in vocabulary.particles:
                return token  # "handed over 205": a verb's particle, no hedge
            return token._replace(qualifier=qualifier)
    return token
