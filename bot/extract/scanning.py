"""One pass over a sentence for the phrases around its numbers, sorted by use.

The vocabulary's merged index finds cues, context phrases (requirements, blockers, sides,
breakdowns) and date words at once: a regular-expression pass costs more than the rule logic
around it, so a sentence gets one. (Nouns are read at each number instead: nounphrase.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.extract.phrases import Hit
from bot.extract.vocabulary import Vocabulary


@dataclass(frozen=True)
class SentenceHits:
    """The phrases of one sentence: cues (labelled by metric id), context phrases (grouped by
    context label) and date words (as dates.DATE_WORDS labels)."""

    cues: tuple[Hit, ...]
    context: Mapping[str, tuple[Hit, ...]]
    dates: tuple[Hit, ...]


def scan_sentence(low: str, vocabulary: Vocabulary) -> SentenceHits:
    """The hits of the folded sentence `low`, in order of their start."""
    cues: list[Hit] = []
    context: dict[str, list[Hit]] = {}
    dates: list[Hit] = []
    families = vocabulary.families
    phrases = vocabulary.index.phrases
    for start, end, number in vocabulary.index.raw(low):
        family = families[number]
        phrase = phrases[number]
        if family.cues:
            cues.append(Hit(start, end, phrase, family.cues, number))
        for label in family.context:
            context.setdefault(label, []).append(Hit(start, end, phrase, family.context, number))
        if family.dates:
            dates.append(Hit(start, end, phrase, family.dates, number))
    grouped = {label: tuple(hits) for label, hits in context.items()}
    return SentenceHits(tuple(cues), grouped, tuple(dates))
