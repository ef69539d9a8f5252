"""Sentences and clauses: where a figure's evidence starts and ends, and what is near a number.

A sentence is kept verbatim (the evidence of figures.md); paragraphs are lines. Sentences are
found lazily, only around the numbers of a document: most of an article holds none. A clause is
the stretch of a sentence between commas, semicolons, colons, dashes and brackets: a hedge, a
blocker or a side cue counts for the numbers of its own clause first.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import NamedTuple

_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "lt",
        "col",
        "gov",
        "sen",
        "rep",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "vs",
        "inc",
        "corp",
        "co",
        "jr",
        "sr",
        "prof",
        "capt",
        "maj",
        "sgt",
        "adm",
        "brig",
        "pres",
        "approx",
        "est",
        "fig",
        "dept",
        "rev",
        "ft",
    ]
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?\Z")
# A comma inside "1,000" is not a clause boundary, nor one that goes on with a number ("390 on
# Friday, 307 on Saturday": a list of counts under one verb); a spaced hyphen is a dash. The
# pattern starts with the class of its first characters, which the regex engine skips to fast;
# the rare dash is found apart (no separator overlaps one).
_SEPARATOR = re.compile(r"[,;:()\[\]–—](?!(?<=,)\s*\d)")
_DASH = re.compile(" - ")


def fold(text: str) -> str:
    """`text` in lower case, character for character (same length, same offsets)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)  # "İ" lowers to two


class Sentence(NamedTuple):
    """A sentence of a document: its offset, its verbatim text, the same folded, and its
    paragraph (the offset of its line)."""

    start: int
    text: str
    low: str
    paragraph: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class SentenceFinder:
    """The sentences of one document, found line by line on demand.

    Keeps the sentence bounds of the lines it has split; create one per document.
    """

    def __init__(self, text: str, low: str) -> None:
        self._text = text
        self._low = low
        self._line = (-1, -2)
        self._seen = (-1, -1)
        self._bounds: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._made: dict[int, Sentence] = {}

    def around(self, pos: int) -> Sentence | None:
        """The sentence holding the offset `pos`, or None if `pos` is blank space."""
        self._enter_line(pos)
        index = bisect_right(self._starts, pos) - 1
        if index < 0:
            return None
        start, end = self._bounds[index]
        if pos >= end:
            return None
        made = self._made.get(start)
        return made if made is not None else self._sentence(start, end)

    def before(self, sentence: Sentence) -> Sentence | None:
        """The sentence before `sentence` in its paragraph, or None if it opens it."""
        self._enter_line(sentence.start)
        index = bisect_right(self._starts, sentence.start) - 1
        return self._sentence(*self._bounds[index - 1]) if index > 0 else None

    def line_length(self, pos: int) -> int:
        """The length of the line (paragraph) holding `pos`."""
        start, end = self._span(pos)
        return end - start

    def _span(self, pos: int) -> tuple[int, int]:
        if not self._seen[0] <= pos < self._seen[1]:
            start = self._text.rfind("\n", 0, pos) + 1
            end = self._text.find("\n", pos)
            self._seen = (start, len(self._text) if end < 0 else end)
        return self._seen

    def _enter_line(self, pos: int) -> None:
        low, high = self._line
        if low <= pos <= high:
            return
        start, end = self._span(pos)
        self._line = (start, end)
        self._bounds = line_bounds(self._text, start, end)
        self._starts = [b[0] for b in self._bounds]

    def _sentence(self, start: int, end: int) -> Sentence:
        made = self._made.get(start)
        if made is None:
            made = Sentence(start, self._text[start:end], self._low[start:end], self._line[0])
            self._made[start] = made
        return made


def line_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of the line text[start:end], stripped of space."""
    out: list[tuple[int, int]] = []
    begin = start
    for match in _BOUNDARY.finditer(text, start, end):
        if not _is_abbreviation(text, begin, match.start()):
            _add(out, text, begin, match.start() + len(match.group().rstrip()))
            begin = match.end()
    _add(out, text, begin, end)
    return out


def _add(out: list[tuple[int, int]], text: str, begin: int, end: int) -> None:
    if begin < end and not text[begin].isspace() and not text[end - 1].isspace():
        out.append((begin, end))  # the common case: nothing to strip
        return
    part = text[begin:end]
    stripped = part.strip()  # str.strip and str.isspace agree on what is space
    if stripped:
        first = begin + len(part) - len(part.lstrip())
        out.append((first, first + len(stripped)))


def _is_abbreviation(text: str, begin: int, stop: int) -> bool:
    """True when the full stop at `stop` ends an abbreviation ("Mr.", "U.S.") or an initial."""
    if text[stop] != ".":
        return False
    word_start = max(text.rfind(" ", begin, stop), text.rfind("(", begin, stop)) + 1
    word = text[word_start:stop]
    if word.lower().strip("\"'“‘") in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():
        return True
    return bool(_INITIALS.match(word + "."))


class Clauses(NamedTuple):
    """The separators of one sentence, in order (`strong`: those that are no comma), to find
    a position's clause and what lies between two positions."""

    text: str
    positions: Sequence[int] = ()
    strong: Sequence[int] = ()

    @classmethod
    def of(cls, text: str) -> Clauses:
        """The clauses of `text`."""
        positions = [match.start() for match in _SEPARATOR.finditer(text)]
        if " - " in text:
            positions = sorted(positions + [match.start() for match in _DASH.finditer(text)])
        # Every separator but the comma is strong (" - " is the spaced dash).
        strong = [p for p in positions if text[p] != ","]
        return cls(text, positions, strong)

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """The clause holding text[start:end]: from after the separator before `start` to the
        separator after `end` (the sentence's ends where there is none)."""
        positions = self.positions
        if not positions:
            return 0, len(self.text)
        before = bisect_left(positions, start)
        after = bisect_left(positions, end)
        low = positions[before - 1] + 1 if before else 0
        high = positions[after] if after < len(positions) else len(self.text)
        return low, high

    def crossed(self, start: int, end: int) -> tuple[int, int]:
        """(commas, strong separators) inside text[start:end]."""
        positions = self.positions
        if end <= start or not positions or positions[0] >= end or positions[-1] < start:
            return 0, 0
        every = bisect_left(positions, end) - bisect_left(positions, start)
        strong = self.strong
        inside = bisect_left(strong, end) - bisect_left(strong, start) if strong else 0
        return every - inside, inside
