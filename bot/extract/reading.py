"""One sentence read into candidate figures (metric, value, qualifier), before sides and dates:
its view (sentence_view), each of its numbers (read_numbers), then the rules across it (settle);
the document runs each step over all its sentences in turn (document).

Beyond one number at a time, three rules of figures.md look across the sentence:
- a hedge covers the numbers coordinated with its own ("more than 100 missiles and 100
  drones"), not those of another verb ("killed at least eight and injured 24 others");
- a breakdown of a count already given ("including four children") is no figure;
- a split total ("neutralized 245 drones: 128 shot down and 117 jammed") turns its parts into
  the split metrics while the stated total keeps its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from bot.extract.contexts import reread_contexts
from bot.extract.cues import SentenceView, choose_metric
from bot.extract.nounphrase import NounPhrase
from bot.extract.numbers import NumberToken
from bot.extract.parts import drop_breakdowns
from bot.extract.phrases import Hit
from bot.extract.running_totals import reread_totals
from bot.extract.scanning import SentenceHits
from bot.extract.sentences import Clauses, Sentence
from bot.extract.splits import read_splits
from bot.extract.vocabulary import MetricRule, Vocabulary

_COORDINATED = re.compile(r"\s*,?\s*(?:and|as\s+well\s+as|plus|&)?\s*\Z", re.IGNORECASE)
# Builds a Reading from all its fields, as NamedTuple._make does, without the slower
# Python-level constructor (a reading is made for every figure).
_new = tuple.__new__


class Reading(NamedTuple):
    """A number of a sentence read as a figure: its token, phrase, metric, cue and clause."""

    token: NumberToken
    phrase: NounPhrase
    rule: MetricRule
    cue: Hit
    qualifier: str
    clause: tuple[int, int]


def sentence_view(
    sentence: Sentence,
    numbers: Sequence[tuple[NumberToken, NounPhrase]],
    hits: SentenceHits,
    clauses: Clauses,
    context_class: Callable[[], str | None],
) -> SentenceView | None:
    """The sentence as its numbers are read in it, from those numbers and their phrases
    (positions relative to the sentence), its hits (scanning) and its clauses; None when it
    holds no cue, and so no figure. `context_class` gives, on demand, the class the sentence
    before ended on, for an elliptic number that names nothing before it."""
    cues, context, dates = hits
    if not cues:
        return None
    # An elliptic number first ("128 were shot down") counts what the sentence before named.
    opens_elliptic = not numbers[0][1].noun_class
    inherited = context_class() if opens_elliptic else None
    return SentenceView(sentence.low, clauses, cues, context, numbers, dates, inherited)


def read_numbers(view: SentenceView, vocabulary: Vocabulary) -> list[Reading]:
    """The figures of a sentence, number by number, before the rules across it (settle)."""
    readings: list[Reading] = []
    consumed = -1
    bounds = view.clauses.bounds
    for token, phrase in view.numbers:
        start = token.start
        if start < consumed:
            continue  # the "24" of "15 of 24 regions"
        consumed = end = phrase.end
        clause = bounds(start, end)
        choice = choose_metric(view, token, phrase, vocabulary, clause)
        if choice is not None:
            rule, cue, _ = choice
            readings.append(_new(Reading, (token, phrase, rule, cue, token.qualifier, clause)))
    return readings


def settle(view: SentenceView, readings: list[Reading], vocabulary: Vocabulary) -> list[Reading]:
    """The figures of a sentence (read_numbers) after the rules that look across it."""
    readings = _spread_hedges(view.text, readings)
    readings = drop_breakdowns(view, readings, vocabulary)
    readings = reread_contexts(view, readings, vocabulary)
    readings = reread_totals(view, readings, vocabulary)
    return read_splits(view, readings, vocabulary)


def _spread_hedges(text: str, readings: list[Reading]) -> list[Reading]:
    if len(readings) < 2:
        return readings
    out: list[Reading] = []
    for reading in readings:
        previous = out[-1] if out else None
        if (
            previous is not None
            and reading.qualifier == "exact"
            and previous.qualifier != "exact"
            and _COORDINATED.match(text[previous.phrase.end : reading.token.start])
        ):
            reading = reading._replace(qualifier=previous.qualifier)
        out.append(reading)
    return out
