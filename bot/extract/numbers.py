"""Numbers in running text: digits and number words, their hedges, and those that are no count.

"1,000" -> 1000, "three hundred and seven" -> 307, "a dozen" -> 12, "nearly a thousand" -> 1000
with qualifier `nearly`. Plurals ("hundreds", "dozens") and bare scales ("a few hundred") are no
numbers, so vague amounts never are. Dates, years, times, percentages, ranges, money,
designations ("KN-23", "Su-34"), ordinals, labels ("Day 2", "aged 43") and numbers glued into
code or markup ("alert(1)", "${7*7}": markup) are dropped here; what a number counts is decided
later (nounphrase, cues).

Where numbers start is found in one-byte-per-character copies of the text (C speed: a pattern
over digits only, a split and `bytes.find` for number words), and each is then read with one
anchored match; a general pattern scanning the whole article would cost more than the rest of
the extractor.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.extract.dates import MONTHS
from bot.extract.markup import glued_to_code
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
# Number words as words of a text ("twenty-seven" is two), for readers that meet them mid-phrase.
NUMBER_WORDS = frozenset([*_ANCHOR_WORDS, "zero"])
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "dozen"], key=len, reverse=True))
# Matched at a number's first character, in folded text. The lookbehind drops digits glued to
# what comes before ("A4", "$5", "1/2", "_3", "#1"); "and" joins number words only after
# hundred/thousand (the only number words ending in "d").
_DIGITS = re.compile(
    r"(?<![\w$€£/.\-:#])"
    r"(\d{1,3}(?:,\d{3})+|\d{1,9})(\.\d+)?(?![\w%]|[.,:/]\d)(?:\s+(million|thousand)\b)?"
)
_WORDS = re.compile(
    rf"(?:half\s+a\s+dozen|(?:a\s+(?=(?:hundred|thousand|million|dozen)\b))?"
    rf"(?:{_WORD})(?:(?:(?<=d)\s+and\s+|\s+|-)(?:{_WORD}))*)(?!\w)"
)
_A_BEFORE = re.compile(r"(?:half\s+)?a\s+\Z")
_PAIR = re.compile(r"(?:-for-|\s+for\s+)(\d{1,3}(?:,\d{3})+|\d{1,9})(?!\w)")
_ATTACHED = re.compile(r"[-‑]([a-z]+)")
# A percentage, a time or a range after a number ("12- to 24-hour"): it is no count. Only
# looked for where the number is followed, at once or after one space, by one of the first
# characters of those ("%", "percent", "-25", "a.m.", ...).
_AFTER_STARTS = frozenset("%-–paogukm")
_AFTER_NOT_COUNT = re.compile(
    r"(?=\s?[%\-–paogukm])"
    r"\s*(?:%|percent\b|per\s+cent\b|a\.m\.|p\.m\.|am\b|pm\b|o['’]clock|gmt\b|utc\b|"
    r"[-–]\d|[-–]\s+(?:to|or|and)\s+\d|(?:local|kyiv|moscow)\s+time\b)"
)
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
# Digits as "0", the comma and the full stop as ",", the rest as spaces.
_DIGITS_ONLY = bytes(48 if 48 <= c <= 57 else 44 if c in b",." else 32 for c in range(256))
_DIGIT_RUN = re.compile(rb"0(?:,?0)*")
# What ties a number to what follows: an "N-for-N" exchange ("1,000-for-1,000", "84 for 84")
# or a hyphenated word ("five-story"); most numbers have none.
_PAIR_GLUES = (" for ", "-for-")
_GLUES = (" for ", "-", "‑")
_ANCHOR_BYTES = frozenset(w.encode() for w in _ANCHOR_WORDS)
_ARTICLE_WORDS = frozenset(w.encode() for w in ("dozen", "hundred", "thousand", "million"))
_HEDGE_WINDOW = 40
_HEDGE_WORDS = 4
_OPENERS = "(\"“‘'["
_MONTH_NAMES = frozenset(MONTHS)
# A month as the next word ("24 May", "5 Sept."), matched within the 12 characters after a number.
_MONTH_AFTER = re.compile(r"\s*(?:" + "|".join(MONTHS) + r")[.,;]*(?!\S)")
_MONTH_WINDOW = 12
# Builds a NumberToken from all its fields, as NamedTuple._make does: the class's own constructor
# is a Python function (it fills in defaults), several times slower, and tokens are made for
# every number of every article.
_new = tuple.__new__
# Up to this many characters, digits with commas hold an int that a float keeps exactly.
_EXACT_DIGITS = 15


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
    none or it is no count (a year, a date, a percentage, a label, a number in code...)."""
    token = _read_digits(low, start) if low[start].isdigit() else _read_words(low, start)
    if (
        token is None
        or _is_not_a_count(text, low, token)
        or glued_to_code(text, token.start, token.end)
    ):
        return None
    window = text[max(0, start - _HEDGE_WINDOW) : start]
    last = window.rsplit(None, 1)  # [..., the word right before the number]
    if not last:
        return token
    word = last[-1]
    folded = word.lower()
    if not text[start - 1 : start].isalnum() and (
        word.rstrip(".,") in _MONTH_NAMES or folded.rstrip(",") in vocabulary.labels
    ):
        return None  # a date ("May 24") or a label ("Day 2")
    if folded not in vocabulary.qualifier_ends or not low[start - 1].isspace():
        return token
    qualifier = _qualifier(low, start, window.split(), vocabulary)
    if qualifier == "exact":
        return token
    return _new(NumberToken, (*token[:3], qualifier, *token[4:]))


def shifted(token: NumberToken, shift: int) -> NumberToken:
    """`token` with its offsets `shift` characters earlier (in a sentence instead of its
    document)."""
    return _new(NumberToken, (token[0] - shift, token[1] - shift, *token[2:]))


def anchors(low: str) -> list[int]:
    """Where numbers may start: the first digit of each run of digits, and each number word
    that stands as a word ("a dozen" from its "a")."""
    # Copies of one byte per character, so that the offsets hold. Digits: a run goes on over a
    # comma or a full stop between digits ("1,000", "1.5"), and is anchored at its first digit.
    ascii_low = low.encode("ascii", "replace")
    starts = {match.start() for match in _DIGIT_RUN.finditer(ascii_low.translate(_DIGITS_ONLY))}
    # Number words: where the non-letters are spaces, a word stands alone exactly where " word "
    # does.
    letters = b" " + ascii_low.translate(_LETTERS_ONLY) + b" "
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


def _read_digits(low: str, start: int) -> NumberToken | None:
    """The number in digits at `start`, without its qualifier, or None."""
    match = _DIGITS.match(low, start)
    if match is None:
        return None
    digits, decimal, scale = match.groups()
    if decimal and not scale:
        return None  # a decimal without a scale ("1.5 hours") is no count
    if scale or len(digits) > _EXACT_DIGITS:
        value = _digits_value(digits, decimal, scale)
    else:
        value = int(digits.replace(",", ""))  # what the float gives, without it
    if value <= 0:
        return None
    end = match.end()
    if low.startswith(_GLUES, end):
        return _complete(low, start, end, value, False)
    return _new(NumberToken, (start, end, value, "exact", None, False, False))


def _read_words(low: str, start: int) -> NumberToken | None:
    """The number in words at `start`, without its qualifier, or None."""
    match = _WORDS.match(low, start)
    if match is None:
        return None
    words = match.group()
    value = _WORD_VALUES.get(words)
    if value is None:
        value = words_value(words)
    if value is None or value <= 0:
        return None
    end = match.end()
    if low.startswith(_GLUES, end):
        return _complete(low, start, end, value, True)
    return _new(NumberToken, (start, end, value, "exact", None, False, True))


def _complete(low: str, start: int, end: int, value: int, is_word: bool) -> NumberToken:
    """The token with what is glued to it (it starts with one of _GLUES): "-for-1,000" or a
    hyphenated word."""
    glue = low[end : end + 1]
    if low.startswith(_PAIR_GLUES, end):
        pair = _PAIR.match(low, end)
        if pair and _digits_value(pair.group(1), None, None) == value:
            return _new(NumberToken, (start, pair.end(), value, "exact", None, True, is_word))
    if glue == "-" or glue == "‑":
        attached = _ATTACHED.match(low, end)
        if attached:
            fields = (start, attached.end(), value, "exact", attached.group(1), False, is_word)
            return _new(NumberToken, fields)
    return _new(NumberToken, (start, end, value, "exact", None, False, is_word))


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


# The values of the number words that stand alone, and of "a dozen" and "half a dozen": most
# number words of a text are one of these, read without words_value's loop.
_WORD_VALUES: dict[str, int] = {
    words: words_value(words) or 0 for words in [*_UNITS, *_TENS, "a dozen", "half a dozen"]
}


def _is_not_a_count(text: str, low: str, token: NumberToken) -> bool:
    """Years, dates ("24 May"), times, percentages and ranges: what follows the number says it
    is no count."""
    start, end, value, _, attached, _, is_word = token
    if not is_word and 1900 <= value <= 2100 and low[start:end].isdigit():
        return True
    if text[end : end + 1] == " ":
        following = text[end + 1 : end + 2]
        if following.islower() and following not in _AFTER_STARTS:
            return False  # "245 drones": a word in lower case, no unit and no month (capitalised)
    if _AFTER_NOT_COUNT.match(low, end):
        return True
    return not attached and _MONTH_AFTER.match(text, end, end + _MONTH_WINDOW) is not None


def _qualifier(low: str, start: int, before: list[str], vocabulary: Vocabulary) -> str:
    """The hedge that ends right before the number at `start` ("at least", "more than"), the
    longest of several ("no more than" over "more than"); "exact" if none. `before`: the words
    before it, the last one the last word of a hedge, with a space between it and the number."""
    words = before[-_HEDGE_WORDS:]
    begin = start - _HEDGE_WINDOW
    if begin > 0 and len(words) == len(before) and not low[begin - 1].isspace():
        words = words[1:]  # the window cut the first word
    words = [w.lower().lstrip(_OPENERS) for w in words]
    for size in range(len(words), 0, -1):
        qualifier = vocabulary.qualifiers.get(" ".join(words[-size:]))
        if qualifier:
            if size < len(words) and words[-size - 1] in vocabulary.particles:
                return "exact"  # "handed over 205": a verb's particle, no hedge
            return qualifier
    return "exact"
