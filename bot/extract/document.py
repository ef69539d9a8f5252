"""A whole document read into figures: its numbers, the sentences that hold them, in order, with
the day the text is talking about carried from one sentence to the next.

A figure dated by its own sentence ("early on Sunday, injuring at least seven") sets the day
that the following undated figures of the document take ("four people requested medical aid");
a sentence that opens another event ("Meanwhile, ...") neither takes nor sets it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.extract.cues import SentenceView
from bot.extract.dates import DateContext, event_date, scan_dates
from bot.extract.nounphrase import NounPhrase, read_noun_phrase
from bot.extract.numbers import NumberToken, anchors, read_number
from bot.extract.reading import Reading, read_sentence
from bot.extract.sentences import Sentence, SentenceFinder, fold
from bot.extract.sides import side_of
from bot.extract.vocabulary import Vocabulary
from bot.figures import Figure

# No sentence of a news report is this long: such a run is a table, a dump or garbage, and
# reading it number by number would cost time for nothing.
MAX_SENTENCE = 2000
# At most one character in this many may be outside ASCII (quotes, dashes, names).
NON_ASCII_SHARE = 5

Numbers = list[tuple[NumberToken, NounPhrase]]


def extract(text: str, published: date | None, source: str, vocabulary: Vocabulary) -> list[Figure]:
    """The figures of a document, in the order they appear.

    `text` is the body (a seed's `date` line already removed); `published` its publication day,
    if known; `source` the document id each figure carries. Pure: no I/O, no clock. Text that is
    empty, binary or in another language gives no figures; it never raises.
    """
    low = fold(text)
    finder = SentenceFinder(text, low)
    figures: list[Figure] = []
    carried: date | None = None
    for sentence, numbers in _sentences_with_numbers(text, low, finder, vocabulary):
        readings, view = read_sentence(
            sentence, numbers, vocabulary, _class_before(finder, sentence, vocabulary)
        )
        if readings and view is not None:
            found, carried = _figures(
                sentence, view, readings, published, carried, source, vocabulary
            )
            figures.extend(found)
    return _unique(figures)


def _sentences_with_numbers(
    text: str, low: str, finder: SentenceFinder, vocabulary: Vocabulary
) -> list[tuple[Sentence, Numbers]]:
    """The sentences holding a number that counts a known thing (or an elliptic one), each with
    those numbers and their noun phrases, positions relative to the sentence."""
    grouped: dict[int, tuple[Sentence, Numbers]] = {}
    consumed = -1
    for anchor in anchors(low):
        # A sentence is found only for a number that counts something; but in a giant line (a
        # dump, not a report) the sentence is checked first, so that its numbers cost nothing.
        if anchor < consumed or (
            finder.line_length(anchor) > MAX_SENTENCE and not _in_prose(finder, anchor)
        ):
            continue
        token = read_number(text, low, anchor, vocabulary)
        if token is None:
            continue
        consumed = token.end
        phrase = read_noun_phrase(low, token, vocabulary)
        if phrase is None or (token.is_word and token.value == 1 and _pronoun(low, token, phrase)):
            continue  # "one of those", "one of the missiles": a pronoun, no count
        sentence = finder.around(anchor)
        if sentence is None or not _is_prose(sentence) or phrase.end > sentence.end:
            continue
        shift = sentence.start
        local = NumberToken(
            token.start - shift,
            token.end - shift,
            token.value,
            token.qualifier,
            token.attached,
            token.pair,
            token.is_word,
        )
        moved = NounPhrase(phrase.noun_class, phrase.end - shift, phrase.role)
        grouped.setdefault(shift, (sentence, []))[1].append((local, moved))
    return list(grouped.values())


def _in_prose(finder: SentenceFinder, pos: int) -> bool:
    sentence = finder.around(pos)
    return sentence is not None and _is_prose(sentence)


def _is_prose(sentence: Sentence) -> bool:
    """An English sentence of a report: not too long, and mostly ASCII (binary noise decoded
    as text, or another script, is not)."""
    size = len(sentence.text)
    if size > MAX_SENTENCE:
        return False
    foreign = size - len(sentence.text.encode("ascii", "ignore"))
    return foreign * NON_ASCII_SHARE <= size


def _pronoun(low: str, token: NumberToken, phrase: NounPhrase) -> bool:
    return phrase.noun_class is None or low.startswith(" of ", token.end)


def _class_before(
    finder: SentenceFinder, sentence: Sentence, vocabulary: Vocabulary
) -> Callable[[], str | None]:
    def last_class() -> str | None:
        before = finder.before(sentence)
        hits = list(vocabulary.nouns.finditer(before.low)) if before else []
        return min(hits[-1].labels) if hits else None

    return last_class


def _figures(
    sentence: Sentence,
    view: SentenceView,
    readings: list[Reading],
    published: date | None,
    carried: date | None,
    source: str,
    vocabulary: Vocabulary,
) -> tuple[list[Figure], date | None]:
    cues = scan_dates(sentence.text, sentence.low, published, view.dates)
    other_event = bool(view.labelled("other_event", 0, 1))
    context = DateContext(published, carried, other_event)
    figures = []
    starts = [reading.token.start for reading in readings]
    for reading in readings:
        rule = reading.rule
        day: date | None = None
        if rule.dated:
            after_night = rule.topic in vocabulary.overnight_topics
            day, named = event_date(
                cues, reading.token.start, reading.clause, after_night, context, starts
            )
            if named and day is not None:
                carried = day
        side = side_of(
            view.context,
            reading.token,
            reading.clause,
            rule.topic,
            vocabulary.side_defaults[rule.topic],
        )
        figures.append(
            Figure(
                rule.id, reading.token.value, reading.qualifier, day, side, source, sentence.text
            )
        )
    return figures, carried


def _unique(figures: list[Figure]) -> list[Figure]:
    seen: set[Figure] = set()
    out = []
    for figure in figures:
        if figure not in seen:
            seen.add(figure)
            out.append(figure)
    return out
