"""One sentence read into candidate figures (metric, value, qualifier), before sides and dates.

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

from bot.extract.cues import SentenceView, choose_metric
from bot.extract.nounphrase import NounPhrase
from bot.extract.numbers import NumberToken
from bot.extract.phrases import Hit
from bot.extract.scanning import scan_sentence
from bot.extract.sentences import Clauses, Sentence
from bot.extract.vocabulary import MetricRule, Vocabulary

_COORDINATED = re.compile(r"\s*,?\s*(?:and|as\s+well\s+as|plus|&)?\s*\Z", re.IGNORECASE)
_NEAR = 40
_BREAKDOWNS = ("breakdown:after", "breakdown:before", "breakdown:always")


class Reading(NamedTuple):
    """A number of a sentence read as a figure: its token, phrase, metric, cue and clause."""

    token: NumberToken
    phrase: NounPhrase
    rule: MetricRule
    cue: Hit
    qualifier: str
    clause: tuple[int, int]


def read_sentence(
    sentence: Sentence,
    numbers: Sequence[tuple[NumberToken, NounPhrase]],
    vocabulary: Vocabulary,
    context_class: Callable[[], str | None],
) -> tuple[list[Reading], SentenceView | None]:
    """(the figures of one sentence, the scanned sentence) from its numbers and their phrases
    (positions relative to the sentence). `context_class` gives, on demand, the class the
    sentence before ended on, for an elliptic number that names nothing before it."""
    hits = scan_sentence(sentence.low, vocabulary)
    if not hits.cues:
        return [], None
    elliptic = any(phrase.noun_class is None for _, phrase in numbers)
    view = SentenceView(
        text=sentence.low,
        clauses=Clauses.of(sentence.low),
        cues=hits.cues,
        context=hits.context,
        named=tuple(
            (token.start, phrase.noun_class) for token, phrase in numbers if phrase.noun_class
        ),
        dates=hits.dates,
        context_class=context_class() if elliptic and not numbers[0][1].noun_class else None,
    )
    readings = _read_numbers(view, numbers, vocabulary)
    readings = _spread_hedges(view.text, readings)
    readings = _drop_breakdowns(view, readings)
    return _apply_splits(readings, vocabulary), view


def _read_numbers(
    view: SentenceView, numbers: Sequence[tuple[NumberToken, NounPhrase]], vocabulary: Vocabulary
) -> list[Reading]:
    readings: list[Reading] = []
    consumed = -1
    for token, phrase in numbers:
        if token.start < consumed:
            continue  # the "24" of "15 of 24 regions"
        consumed = phrase.end
        choice = choose_metric(view, token, phrase, vocabulary)
        if choice is not None:
            clause = view.clauses.bounds(token.start, phrase.end)
            readings.append(
                Reading(token, phrase, choice.rule, choice.cue, token.qualifier, clause)
            )
    return readings


def _spread_hedges(text: str, readings: list[Reading]) -> list[Reading]:
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


def _drop_breakdowns(view: SentenceView, readings: list[Reading]) -> list[Reading]:
    if not any(label in view.context for label in _BREAKDOWNS):
        return readings
    kept: list[Reading] = []
    for reading in readings:
        low, start = max(reading.clause[0], reading.token.start - _NEAR), reading.token.start
        always = view.labelled("breakdown:always", low, start)
        before = view.labelled("breakdown:before", low, start)
        after = [
            hit
            for end in {reading.token.end, reading.phrase.end}
            for part in _BREAKDOWNS
            for hit in view.labelled(
                part, _skip_space(view.text, end), _skip_space(view.text, end) + 1
            )
        ]
        same_metric_earlier = any(k.rule.id == reading.rule.id for k in kept)
        if always or after or (before and same_metric_earlier):
            continue
        kept.append(reading)
    return kept


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _apply_splits(readings: list[Reading], vocabulary: Vocabulary) -> list[Reading]:
    present = {reading.rule.id for reading in readings}
    for split in vocabulary.metrics.values():
        if split.split_of is None or not split.split_with & present:
            continue
        totals = [r for r in readings if r.rule.id == split.split_of]
        # With several, the first is the stated total ("neutralized 245 drones - 128 were shot
        # down"); with one, it is a part if its own cue is a split cue ("shot down 296 drones,
        # while 415 were lost to jamming").
        parts = totals[1:] if len(totals) > 1 else totals
        readings = [
            r._replace(rule=split) if r in parts and r.cue.phrase in split.cue_phrases else r
            for r in readings
        ]
    return readings
