"""Counts of something else, told by the sentence around them (issue 14, cause 2).

A cue word can describe the people counted rather than say what happened to them, and a
sentence can be about something the metrics do not count:
- in a sentence about a swap (a cue of a swap metric), "22 seriously wounded soldiers" and "600
  sick or wounded prisoners" are people exchanged: an injury cue followed by the person it
  describes is no injury count there, and the number is read again without it;
- in a sentence about bodies handed over (a `[blockers] bodies` phrase and a swap cue), the
  dead are bodies returned, not killed, and an elliptic count ("Moscow got back 50") counts
  bodies too;
- a total that an addition to one swap brings about (`[parts] additions` before it: "the swap
  also included 20 civilians, bringing the total to 230") counts that swap, not a running
  total of the deal, and is read as released;
- a count said to be a phase of a deal (`[parts] phases` after it: "120 prisoners came home as
  part of the third stage of the deal") is released in that phase, not the deal's size ("the
  first phase of a deal involving the exchange of 1,000" still is, as in the seeds).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.extract.cues import SentenceView
from bot.extract.splits import rechosen
from bot.extract.vocabulary import Vocabulary

if TYPE_CHECKING:
    from bot.extract.reading import Reading

_SWAP = "swap"
_AGREED = "swap.agreed"
_TOTAL = "swap.released_total"
_RELEASED = "swap.released"
_ADDITION = "part:additions"
_PEOPLE = "person"
_BODIES = "block:bodies"
_SWAP_SIDES = "side:swap:"
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[\w'’-]+")


def reread_contexts(
    view: SentenceView, readings: list[Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """`readings` without the counts of something else, and with the counts that the
    sentence says are of another metric read as that one."""
    readings = _one_swap_totals(view, readings, vocabulary)
    bodies = _BODIES in view.context
    if not any(_may_be_other(r, bodies) for r in readings) or not _tells_of_swap(view, vocabulary):
        return readings
    out = []
    for reading in readings:
        rule = reading.rule
        if rule.topic != _SWAP and _PEOPLE in rule.counts:
            if bodies:
                continue  # "handed over the bodies of 60 soldiers who were killed"
            if _describes_people(view, reading, vocabulary):
                again = rechosen(view, reading, vocabulary, frozenset([rule.id]))
                if again is not None and again.rule.topic == _SWAP:
                    reading = again
        elif bodies and reading.phrase.noun_class is None:
            continue  # "Kyiv received the remains of 400, and Moscow got back 50"
        elif rule.id == _AGREED and view.labelled(
            "part:phases", reading.phrase.end, reading.clause[1]
        ):
            reading = rechosen(view, reading, vocabulary, frozenset([_AGREED])) or reading
        out.append(reading)
    return out


def _one_swap_totals(
    view: SentenceView, readings: list[Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """`readings` with a running total that an addition to one swap brings about ("the swap
    also included 20 civilians, bringing the total to 230") read again: it counts that swap."""
    additions = view.context.get(_ADDITION)
    if not additions:
        return readings
    out = []
    for reading in readings:
        if reading.rule.id == _TOTAL and additions[0].start < reading.token.start:
            again = rechosen(view, reading, vocabulary, frozenset([_TOTAL]))
            if again is not None and again.rule.id == _RELEASED:
                reading = again  # not another metric: "the total under the deal" stays one
        out.append(reading)
    return out


def _may_be_other(reading: Reading, bodies: bool) -> bool:
    """True for the readings that a swap sentence may read otherwise (see reread_contexts)."""
    rule = reading.rule
    if rule.topic != _SWAP:
        return _PEOPLE in rule.counts
    return rule.id == _AGREED or (bodies and reading.phrase.noun_class is None)


def _is_swap_cue(labels: frozenset[str], vocabulary: Vocabulary) -> bool:
    return any(vocabulary.metrics[label].topic == _SWAP for label in labels)


def _tells_of_swap(view: SentenceView, vocabulary: Vocabulary) -> bool:
    """True when a cue of a swap metric stands in the sentence, alone or inside a longer
    phrase found in its place ("returned to Ukraine", a side of the swap)."""
    if any(_is_swap_cue(hit.labels, vocabulary) for hit in view.cues):
        return True
    return any(
        _is_swap_cue(cue.labels, vocabulary)
        for label, hits in view.context.items()
        if label.startswith(_SWAP_SIDES)
        for hit in hits
        for cue in vocabulary.cues.finditer(hit.phrase)
    )


def _describes_people(view: SentenceView, reading: Reading, vocabulary: Vocabulary) -> bool:
    """True when the reading's cue is followed, within three words, by a noun of people:
    "22 seriously wounded soldiers", "sick or wounded prisoners" (the cue describes)."""
    text, pos = view.text, reading.cue.end
    for _ in range(4):
        space = _SPACE.match(text, pos)
        if space is None:
            return False
        hit = vocabulary.nouns.match(text, space.end())
        if hit is not None:
            return _PEOPLE in hit.labels
        word = _WORD.match(text, space.end())
        if word is None:
            return False
        pos = word.end()
    return False
