"""A whole document read into figures: its numbers, the sentences that hold them, in order, with
the day the text is talking about carried from one sentence to the next. Each step runs over the
whole document before the next one starts (see extract).

A figure dated by its own sentence ("early on Sunday, injuring at least seven") sets the day
that the following undated figures of the document take ("four people requested medical aid");
a sentence that opens another event ("Meanwhile, ...") neither takes nor sets it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.extract.cues import SentenceView
from bot.extract.dates import DateContext, DateCue, event_date, scan_dates
from bot.extract.figures import Figure
from bot.extract.inside import settle_document
from bot.extract.markup import is_code_or_markup
from bot.extract.nounphrase import NounPhrase, read_noun_phrase, shifted_phrase
from bot.extract.numbers import NumberToken, anchors, read_number, shifted
from bot.extract.reading import Reading, read_numbers, sentence_view, settle
from bot.extract.scanning import scan_sentence
from bot.extract.sentences import Clauses, Sentence, SentenceFinder, fold
from bot.extract.sides import side_of
from bot.extract.vocabulary import Vocabulary

# No sentence of a news report is this long: such a run is a table, a dump or garbage, and
# reading it number by number would cost time for nothing.
MAX_SENTENCE = 2000
_GIANT_STEP = MAX_SENTENCE // 2  # see _has_giant_line
# At most one character in this many may be outside ASCII (quotes, dashes, names).
NON_ASCII_SHARE = 5

Numbers = list[tuple[NumberToken, NounPhrase]]
# A sentence read: its view, and its readings (none empty).
Read = tuple[Sentence, SentenceView, list[Reading]]
# A figure's fields, in the order of Figure's.
Fields = tuple[str, int, str, date | None, str | None, str, str]


def extract(text: str, published: date | None, source: str, vocabulary: Vocabulary) -> list[Figure]:
    """The figures of a document, in the order they appear.

    `text` is the body (a seed's `date` line already removed); `published` its publication day,
    if known; `source` the document id each figure carries. Pure: no I/O, no clock. Text that is
    empty, binary or in another language gives no figures; it never raises.
    """
    low = fold(text)
    finder = SentenceFinder(text, low)
    # The document goes through one stage at a time (its numbers, their sentences, the readings,
    # the figures), each stage over all of it before the next: the interpreter then runs the
    # same code and patterns back to back, which is about a fifth faster than taking the
    # document sentence by sentence (bench/bench_extract.py). No stage depends on a later one.
    found = _sentences_with_numbers(text, low, finder, vocabulary)
    return _figures(_read(found, finder, vocabulary), published, source)


def _read(
    found: list[tuple[Sentence, Numbers]], finder: SentenceFinder, vocabulary: Vocabulary
) -> list[Read]:
    """The sentences that hold figures, each with its view and its readings, in order."""
    scans = [scan_sentence(sentence.low, vocabulary) for sentence, _ in found]
    clauses = [Clauses.of(sentence.low) for sentence, _ in found]
    views = []
    for (sentence, numbers), hits, parts in zip(found, scans, clauses, strict=True):
        view = sentence_view(
            sentence, numbers, hits, parts, _class_before(finder, sentence, vocabulary)
        )
        if view is not None:
            views.append((sentence, view))
    first = [read_numbers(view, vocabulary) for _, view in views]
    read = []
    for (sentence, view), readings in zip(views, first, strict=True):
        readings = settle(view, readings, vocabulary)
        if readings:
            read.append((sentence, view, readings))
    return settle_document(read, vocabulary)


def _figures(read: list[Read], published: date | None, source: str) -> list[Figure]:
    """The figures of the read sentences, in order, a repeated one only where it first
    appears, with the day the text is talking about carried from one sentence to the next."""
    dated = [
        scan_dates(sentence.text, sentence.low, published, view.dates) for sentence, view, _ in read
    ]
    every: list[Fields] = []
    carried: date | None = None
    for (sentence, view, readings), cues in zip(read, dated, strict=True):
        found, carried = _sentence_figures(
            sentence, view, readings, cues, published, carried, source
        )
        every.extend(found)
    # Equal fields make equal figures: each is given once, where it first appears.
    return [Figure(*fields) for fields in dict.fromkeys(every)]


def _sentences_with_numbers(
    text: str, low: str, finder: SentenceFinder, vocabulary: Vocabulary
) -> list[tuple[Sentence, Numbers]]:
    """The sentences holding a number that counts a known thing (or an elliptic one), each with
    those numbers and their noun phrases, positions relative to the sentence."""
    phrased = []
    for token in _counts(text, low, finder, vocabulary):
        phrase = read_noun_phrase(low, token, vocabulary)
        if phrase is None or (token.is_word and token.value == 1 and _pronoun(low, token, phrase)):
            continue  # "one of those", "one of the missiles": a pronoun, no count
        phrased.append((token, phrase))
    found: list[tuple[Sentence, Numbers]] = []
    # The sentence of the last number (anchors come in order) spans [start, end); `group` is it
    # with its numbers, None when it is no prose.
    start = end = -1
    group: tuple[Sentence, Numbers] | None = None
    for token, phrase in phrased:
        anchor = token.start
        if not start <= anchor < end:
            sentence = finder.around(anchor)
            if sentence is None:
                continue
            start, end = sentence.start, sentence.start + len(sentence.text)
            group = (sentence, []) if _is_prose(sentence) else None
        if group is None or phrase.end > end:
            continue
        if not group[1]:
            found.append(group)
        group[1].append((shifted(token, start), shifted_phrase(phrase, start)))
    return found


def _counts(
    text: str, low: str, finder: SentenceFinder, vocabulary: Vocabulary
) -> list[NumberToken]:
    """The numbers of the document that may be counts, in order: each read from its anchor,
    but for the anchors inside a number already read ("1,000-for-1,000")."""
    tokens = []
    giant_lines = _has_giant_line(text)
    consumed = -1
    for anchor in anchors(low):
        # In a giant line (a dump, not a report) the sentence is checked first, so that its
        # numbers cost nothing.
        if anchor < consumed or (
            giant_lines
            and finder.line_length(anchor) > MAX_SENTENCE
            and not _in_prose(finder, anchor)
        ):
            continue
        token = read_number(text, low, anchor, vocabulary)
        if token is not None:
            consumed = token.end
            tokens.append(token)
    return tokens


def _has_giant_line(text: str) -> bool:
    """True when a line (paragraph) of `text` is longer than any sentence may be, as
    SentenceFinder.line_length counts it; most documents have none, and skip that check."""
    if len(text) <= MAX_SENTENCE:
        return False
    # A line longer than twice _GIANT_STEP holds a whole one of the stretches [0, step),
    # [step, 2 * step), ...: where a line break falls in every one, there is none.
    step = _GIANT_STEP
    if all(text.find("\n", at, at + step) >= 0 for at in range(0, len(text) - step + 1, step)):
        return False
    return max(map(len, text.split("\n"))) > MAX_SENTENCE


def _in_prose(finder: SentenceFinder, pos: int) -> bool:
    sentence = finder.around(pos)
    return sentence is not None and _is_prose(sentence)


def _is_prose(sentence: Sentence) -> bool:
    """An English sentence of a report: not too long, mostly ASCII (binary noise decoded as
    text, or another script, is not), and no code or markup (markup.is_code_or_markup)."""
    size = len(sentence.text)
    if size > MAX_SENTENCE:
        return False
    foreign = size - len(sentence.text.encode("ascii", "ignore"))
    return foreign * NON_ASCII_SHARE <= size and not is_code_or_markup(sentence.text)


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


def _sentence_figures(
    sentence: Sentence,
    view: SentenceView,
    readings: list[Reading],
    cues: list[DateCue],
    published: date | None,
    carried: date | None,
    source: str,
) -> tuple[list[Fields], date | None]:
    """(the figures of one sentence, as fields, the day carried on), dated from its date cues
    `cues` and the day `carried` from the sentences before."""
    context = view.context
    # "Meanwhile, ..." opens the sentence: hits come in order, so only the first can.
    other_event = "other_event" in context and context["other_event"][0].start == 0
    dating = DateContext(published, carried, other_event)
    figures = []
    starts = [reading.token.start for reading in readings]
    for token, _, rule, _, qualifier, clause in readings:
        day: date | None = None
        if rule.dated:
            day, named = event_date(cues, token.start, clause, rule.overnight, dating, starts)
            if named and day is not None:
                carried = day
        if not token.pair and context.keys().isdisjoint(rule.side_label_set):
            side = rule.side_default  # no side cue in the sentence, no "N-for-N" exchange
        else:
            side = side_of(context, token, clause, rule.side_labels, rule.side_default)
        figures.append((rule.id, token.value, qualifier, day, side, source, sentence.text))
    return figures, carried
