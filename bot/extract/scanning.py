"""One pass over a sentence for the phrases around its numbers, sorted by use.

The vocabulary's merged index finds cues, context phrases (requirements, blockers, sides,
breakdowns) and date words at once: a regular-expression pass costs more than the rule logic
around it, so a sentence gets one. (Nouns are read at each number instead: nounphrase.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from bot.extract.phrases import Hit
from bot.extract.vocabulary import Vocabulary

# Builds hits as NamedTuple._make does (phrases.Hit says why).
_new = tuple.__new__


class SentenceHits(NamedTuple):
    """The phrases of one sentence: cues (labelled by metric id), context phrases (grouped by
    context label) and date words (as dates.DATE_WORDS labels), each in order of their start.
    The lists are not copied into tuples: nothing changes them once the scan is done."""

    cues: Sequence[Hit]
    context: Mapping[str, Sequence[Hit]]
    dates: Sequence[Hit]


def scan_sentence(low: str, vocabulary: Vocabulary) -> SentenceHits:
    """The hits of the folded sentence `low`, in order of their start."""
    cues: list[Hit] = []
    context: dict[str, list[Hit]] = {}
    dates: list[Hit] = []
    families = vocabulary.families
    index = vocabulary.index
    # The pattern without groups, and the phrase told by its text (phrases.PhraseIndex.number):
    # the merged index has hundreds of phrases, and with a group each, a match costs about as
    # much again as the rest of the scan (bench/bench_extract.py).
    spans = index.spans or index.pattern
    for match in spans.finditer(low):
        start, end = match.span()
        number = index.number(low, match)
        phrase, cue_labels, context_labels, date_labels = families[number]
        if cue_labels:
            cues.append(_new(Hit, (start, end, phrase, cue_labels, number)))
        if context_labels:
            # One hit for all its labels: hits are values, the same under each label.
            hit = _new(Hit, (start, end, phrase, context_labels, number))
            for label in context_labels:
                if label in context:
                    context[label].append(hit)
                else:
                    context[label] = [hit]
        if date_labels:
            dates.append(_new(Hit, (start, end, phrase, date_labels, number)))
    return SentenceHits(cues, context, dates)
