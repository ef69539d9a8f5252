"""Parts of a group already counted, within one sentence (figures.md, issue 14 cause 2).

A breakdown of a count by kind is not a count of the event: "at least 31 people, including
six children", "the freed men, among them nine marines", "41 of the returned men are border
guards". The words that mark a breakdown are `[not_figures] breakdown_*` in metrics.toml:

- before the part ("including", "among them"): the part is dropped when it counts what the
  whole before it counts (the same class, or an elliptic part), and when no whole is given but
  the part names its kind ("the freed defenders, including 17 marines"). A part of another
  class than its whole is a figure where the whole is none ("230 of the 260 means of air
  attack, including 210 drones": no metric counts them downed); an elliptic part with no whole
  is a split, not a breakdown ("of them, 27 were shot down"), and so is a part by place
  ("including 30 over the Moscow region", splits);
- "included" right before the number ("the group included 12 civilians"), unless the phrase is
  an addition (`[parts] additions`: "the swap additionally included 15 civilians");
- after the part ("four children among the wounded"), and "N of whom were children", where a
  noun, not a cue, follows.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.extract.cues import SentenceView, inherited_class
from bot.extract.splits import is_place_part
from bot.extract.vocabulary import Vocabulary

if TYPE_CHECKING:
    from bot.extract.reading import Reading

_NEAR = 40
_SPACES = re.compile(r"\s*")
_BREAKDOWNS = ("breakdown:after", "breakdown:before", "breakdown:always")
# "41 of the freed men are border guards", "12 of them were women": a classification.
# "12 of them officers" too.
_KIND_OF = re.compile(
    r"\s+of\s+(?:(?:the|those|them|these|all|whom)\b[^,;:]{0,40}?\s(?:are|were|was|is|being)\s+"
    r"(?:all\s+|also\s+|mostly\s+)?|(?:them|whom|those)\s+)"
)
_COORDINATED = re.compile(r"\s*,?\s*(?:and|as\s+well\s+as|plus)\s+")
_OF_THEM = re.compile(r"\s+of\s+(?:them|whom|those|these)\b")
_COPULA = re.compile(r"\s*(?:(?:are|were|is|was)\s+)?")


def drop_breakdowns(
    view: SentenceView, readings: list[Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """`readings` but the parts of a group already counted."""
    if view.context.keys().isdisjoint(_BREAKDOWNS) and not any(
        view.text.startswith(" of ", r.token.end) for r in readings
    ):
        return readings  # the common case: no breakdown word, no "N of ..."
    kept: list[Reading] = []
    dropped: Reading | None = None
    for reading in readings:
        if _coordinated(view, dropped, reading) or _is_breakdown(view, reading, kept, vocabulary):
            dropped = reading  # and the parts coordinated with it: "12 civilians and 72 soldiers"
        else:
            kept.append(reading)
    return kept


def _coordinated(view: SentenceView, dropped: Reading | None, reading: Reading) -> bool:
    """True when `reading` goes on the breakdown `dropped` with the same metric ("among the 84
    freed were 12 civilians and 72 soldiers"), not another ("..., and 3 killed")."""
    return (
        dropped is not None
        and dropped.rule.id == reading.rule.id
        and _COORDINATED.fullmatch(view.text, dropped.phrase.end, reading.token.start) is not None
    )


def _is_breakdown(
    view: SentenceView, reading: Reading, kept: list[Reading], vocabulary: Vocabulary
) -> bool:
    start = reading.token.start
    low = max(reading.clause[0], start - _NEAR)
    if _included(view, reading, low) or _classified(view, reading, vocabulary):
        return True
    for end in {reading.token.end, reading.phrase.end}:
        for hit in view.labelled("breakdown:after", *_next_word(view.text, end)):
            if "among" in hit.phrase or _names_kind(view, hit.end, vocabulary):
                return True
            if _part_of_whole(view, reading, hit.start, kept, named_only=True):
                return True  # "23 people were injured, 14 of whom were hospitalised"
    before = [
        hit
        for hit in view.labelled("breakdown:before", low, start)
        # "among the 90 freed were ...": the number is the group, not a part of it
        if not (hit.phrase.endswith(" the") and not view.text[hit.end : start].strip())
    ]
    if not before:
        return False
    if is_place_part(view, reading.token, reading.phrase, vocabulary):
        return False  # "including 30 over the Moscow region": a part by place (splits)
    return _part_of_whole(view, reading, before[-1].start, kept)


def _included(view: SentenceView, reading: Reading, low: int) -> bool:
    """True for "included 12 civilians", "include two children aged 5 and 12", not for
    "included the launch of six missiles": what is included there is another thing."""
    for hit in view.labelled("breakdown:always", low, reading.token.start):
        if "of" not in view.text[hit.end : reading.token.start].split():
            return True
    return False


def _classified(view: SentenceView, reading: Reading, vocabulary: Vocabulary) -> bool:
    """True for "41 of the returned men are border guards", "11 of them seriously ill": the
    number's group said to be of a kind."""
    kind = _KIND_OF.match(view.text, reading.token.end)
    if kind is not None and vocabulary.nouns.match(view.text, kind.end()) is not None:
        return True
    # "90 soldiers, 11 of them seriously ill": a part with no verb of its own describes (the
    # cue it was read with is its whole's), unlike "shot down 60 of them"
    them = _OF_THEM.match(view.text, reading.token.end)
    if them is None:
        return False
    end, cue = reading.clause[1], reading.cue
    whole_between = any(cue.end <= t.start < reading.token.start for t, _ in view.numbers)
    return whole_between and not any(them.end() <= hit.start < end for hit in view.cues)


def _names_kind(view: SentenceView, pos: int, vocabulary: Vocabulary) -> bool:
    """True when a noun, not a cue, follows `pos` ("of whom were children")."""
    word = _COPULA.match(view.text, pos)
    at = word.end() if word else pos
    return vocabulary.nouns.match(view.text, at) is not None


def _part_of_whole(
    view: SentenceView, reading: Reading, marker: int, kept: list[Reading], named_only: bool = False
) -> bool:
    """True when the part next to a breakdown word at `marker` counts what its whole, the
    number before the word, counts; `named_only`: only when the whole is a figure of the same
    metric ("23 people were injured, 14 of whom were hospitalised", not "a total of 31
    drones, 23 of which were shot down")."""
    wholes = [(t, p) for t, p in view.numbers if p.end <= marker and t.start < reading.token.start]
    part_class = reading.phrase.noun_class
    if not wholes:
        return (
            part_class is not None and not named_only
        )  # "the freed defenders, including 17 marines"
    whole, phrase = wholes[-1]
    if any(k.token.start == whole.start and k.rule.id == reading.rule.id for k in kept):
        return True
    if named_only:
        return False
    whole_class = phrase.noun_class or inherited_class(view, whole.start)
    # an unnamed whole ("has risen to 21, including four children") counts what its part does
    return part_class is None or whole_class is None or part_class == whole_class


def _next_word(text: str, pos: int) -> tuple[int, int]:
    """(where the text goes on after the spaces at `pos`, one past that)."""
    spaces = _SPACES.match(text, pos)
    start = spaces.end() if spaces else pos  # `\s*` always matches
    return start, start + 1
