"""Phrase lists compiled into one regular expression each, labelled by what they signal.

A phrase is matched as whole words; `*` stands for the rest of a word and an apostrophe matches
both ' and ’. Patterns are case-sensitive over lower-case phrases: callers match them against
folded text (sentences.fold), which is cheaper for the regex engine than ignoring case. One
trie-shaped pattern per list keeps a scan of a sentence to a single pass in C, which is what
makes extraction fast enough (bench/bench_extract.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Hit(NamedTuple):
    """One phrase found in a text: its span, the phrase as configured, its labels, and its
    number in the index (`number`), by which callers may keep more about each phrase.

    A NamedTuple rather than a frozen dataclass: hits are made by the hundred per article, and
    a tuple is several times cheaper to build (bench/bench_extract.py); the index and the
    sentence scan build them with tuple.__new__, as NamedTuple._make does, since the class's own
    constructor is a Python function (for its default) that costs as much again.
    """

    start: int
    end: int
    phrase: str
    labels: frozenset[str]
    number: int = 0


@dataclass(frozen=True)
class PhraseIndex:
    """Phrases compiled into one pattern; each phrase keeps the labels it was listed under."""

    pattern: re.Pattern[str]
    phrases: tuple[str, ...]
    labels: tuple[frozenset[str], ...]
    group_phrases: tuple[int, ...] = ()  # regex group number -> phrase number
    # The pattern without its empty groups: the same matches, found faster where it has hundreds
    # of phrases, as the engine's work for each match grows with the number of groups; and the
    # phrases that a text they match tells by itself (see `number`).
    spans: re.Pattern[str] | None = None
    texts: Mapping[str, int] = field(default_factory=dict)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Every non-overlapping hit in text[start:end], left to right."""
        stop = len(text) if end is None else end
        return map(self._hit, self.pattern.finditer(text, start, stop))

    def match(self, text: str, pos: int) -> Hit | None:
        """The phrase that starts exactly at `pos`, the longest where several do."""
        match = self.pattern.match(text, pos)
        return self._hit(match) if match else None

    def number(self, text: str, match: re.Match[str]) -> int:
        """The number of the phrase that `match`, a match of `spans` in `text`, found.

        A matched text followed by no word character is the phrase `texts` gives it, if any:
        the pattern chooses among phrases by the matched characters and, at its end, by whether
        a word character follows, so the choice it made on the phrase's own text followed by a
        space (checked when compiling) is the one it makes here. Any other match (a wildcard, a
        curly apostrophe, a line break) is matched again with the groups.
        """
        end = match.end()
        after = text[end : end + 1]
        if not (after.isalnum() or after == "_"):
            number = self.texts.get(match.group())
            if number is not None:
                return number
        grouped = self.pattern.match(text, match.start())  # matches where `spans` did
        return self.group_phrases[grouped.lastindex or 0] if grouped else 0

    def _hit(self, match: re.Match[str]) -> Hit:
        index = self.group_phrases[match.lastindex or 0]
        return _new(Hit, (*match.span(), self.phrases[index], self.labels[index], index))


_new = tuple.__new__  # builds a Hit from all its fields (see Hit)
_NEVER = re.compile(r"(?!x)x")
_END = ""  # the trie key under which a phrase ends


def _atoms(phrase: str) -> list[str]:
    """One regex piece per character of the normalised phrase."""
    atoms = []
    for char in " ".join(phrase.lower().split()):
        if char == " ":
            atoms.append(r"\s+")
        elif char == "*":
            atoms.append(r"\w*")
        elif char in "'’":
            atoms.append("['’]")
        else:
            atoms.append(re.escape(char))
    return atoms


def _head(atoms: list[str]) -> str:
    return r"(?<!\w)" if atoms and atoms[0].isalnum() else ""


def _tail(atoms: list[str]) -> str:
    last = atoms[-1] if atoms else ""
    return r"(?!\w)" if last.isalnum() or last in (r"\w*", r"\.") else ""


def compile_phrases(labelled: Mapping[str, Iterable[str]]) -> PhraseIndex:
    """One index over `labelled` (label -> phrases); a phrase under several labels has them all.

    The phrases are laid out as a trie, so that at each position of a text the pattern explores
    one branch instead of trying every phrase; where several phrases match at one position, the
    longest wins ("prisoners of war" over "prisoners"). Each phrase ends in an empty group, so
    that `lastindex` tells which phrase matched.
    """
    by_phrase: dict[str, set[str]] = {}
    for label, phrases in labelled.items():
        for phrase in phrases:
            key = " ".join(phrase.lower().split())
            if key:
                by_phrase.setdefault(key, set()).add(label)
    ordered = sorted(by_phrase)
    if not ordered:
        return PhraseIndex(_NEVER, (), (), (0,))
    trie: dict[str, Any] = {}
    for index, phrase in enumerate(ordered):
        node = trie
        for atom in _atoms(phrase):
            node = node.setdefault(atom, {})
        node[_END] = index
    bounded = [p for p in ordered if _head(_atoms(p))]
    unbounded = [p for p in ordered if not _head(_atoms(p))]
    pattern = re.compile(_pattern(trie, ordered, bounded, unbounded, named=True))
    group_phrases = [0] * (pattern.groups + 1)
    for name, group in pattern.groupindex.items():
        group_phrases[group] = int(name[1:])
    return PhraseIndex(
        pattern=pattern,
        phrases=tuple(ordered),
        labels=tuple(frozenset(by_phrase[p]) for p in ordered),
        group_phrases=tuple(group_phrases),
        spans=re.compile(_pattern(trie, ordered, bounded, unbounded, named=False)),
        texts=_own_texts(pattern, ordered, group_phrases),
    )


def _pattern(
    trie: dict[str, Any], ordered: list[str], bounded: list[str], unbounded: list[str], named: bool
) -> str:
    parts = []
    if bounded:
        parts.append(r"(?<!\w)" + _trie_regex(_subtrie(trie, bounded), ordered, named))
    if unbounded:
        parts.append(_trie_regex(_subtrie(trie, unbounded), ordered, named))
    return "|".join(parts)


def _own_texts(pattern: re.Pattern[str], ordered: list[str], groups: list[int]) -> dict[str, int]:
    """The phrases without a wildcard that the pattern chooses on their own text followed by a
    space (not one that another phrase, "drone*" for "drones", takes first), by their text."""
    texts = {}
    for index, phrase in enumerate(ordered):
        if "*" in phrase:
            continue
        match = pattern.match(phrase + " ")
        if match and match.end() == len(phrase) and groups[match.lastindex or 0] == index:
            texts[phrase] = index
    return texts


def _subtrie(trie: dict[str, Any], phrases: list[str]) -> dict[str, Any]:
    """The part of `trie` whose first atoms start the given phrases."""
    firsts = {_atoms(p)[0] for p in phrases}
    return {atom: child for atom, child in trie.items() if atom in firsts}


def _trie_regex(node: dict[str, Any], ordered: list[str], named: bool = True) -> str:
    """Longer continuations first, then the phrase ending here (with `named`, an empty named
    group that tells which phrase matched; then its word boundary)."""
    branches = [
        atom + _trie_regex(child, ordered, named) for atom, child in node.items() if atom != _END
    ]
    if _END in node:
        index = node[_END]
        group = f"(?P<p{index}>)" if named else ""
        branches.append(group + _tail(_atoms(ordered[index])))
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"
