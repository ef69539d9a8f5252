"""A whole document read into figures: its numbers, the sentences that hold them, in order, with
the day the text is talking about carried from one sentence to the next. Each step runs over the
whole document before the next one starts (see extract).

A figure dated by its own sentence ("early on Sunday, injuring at least seven") sets the day
that the following undated figures of the document take ("four people requested medical aid");
a sentence that opens another event ("Meanwhile, ...") neither takes nor sets it. A figure
whose clause points elsewhere in time (anchors) neither takes nor sets it either: a running
total or a count over separate events is no figure, a record one only where its sentence
names its day, and an earlier event's figure has the day its sentence names, if any. Before
the publication day, a figure with no day of its own falls back on the day the document names
its event with ("Saturday's strike", datelines.event_days), and a toll counted later ("rose to
31 on Monday") takes it too; an undated document takes the day its own text gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

from bot.extract.anchors import (
    NOW,
    RECORD,
    SPAN,
    clause_time,
    governing,
    may_point_elsewhere,
)
from bot.extract.attribution import Attribution, attribute
from bot.extract.cues import SentenceView
from bot.extract.datelines import document_date, event_days
from bot.extract.dates import (
    DateContext,
    DateCue,
    agreement_day,
    event_date,
    scan_dates,
    toll_day,
)
from bot.extract.figures import Figure
from bot.extract.inside import settle_document
from bot.extract.markup import is_code_or_markup
from bot.extract.nounphrase import NounPhrase, read_noun_phrase, shifted_phrase
from bot.extract.numbers import NumberToken, anchors, read_number, shifted
from bot.extract.reading import Reading, read_numbers, sentence_view, settle
from bot.extract.running_totals import staged_releases
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

# The topics whose event days datelines.event_days finds: the defence topic's figures are the
# attack's.
_SWAP, _ATTACK = "swap", "attack"
_LATER = "time:later"  # the [time] words of an event after the one told ("a later strike")
_RISE = "time:rise"  # the [time] words of a toll counted later ("rose to", "as of")
_AGREEMENT = "time:agreement"  # the [time] words of talks or an agreement
# A sentence that goes on a quote the sentence before opened: its first quote mark closes the
# quote, right after the quote's last word and punctuation ("Separately, we freed two
# civilians," the president said). The speaker's "separately" goes on his own statement.
_QUOTE_GOES_ON = re.compile(r"\A[^\"“”]*[\w.,!?][\"”]")
# A sentence that opens on the time of the one before it: "At that time, Russia also received
# eight civilians" (after "The last exchange took place on August 24, when ...").
_BACK = re.compile(r"\s*(?:at that time|at the time|at that point)\b", re.IGNORECASE)
Numbers = list[tuple[NumberToken, NounPhrase]]
# A sentence read: its view, and its readings (none empty).
Read = tuple[Sentence, SentenceView, list[Reading]]
# A figure's fields, in the order of Figure's up to its evidence, then whether it is of an
# earlier event the text does not date (Figure.earlier).
Fields = tuple[str, int, str, date | None, str | None, str, str, bool]


def extract(text: str, published: date | None, source: str, vocabulary: Vocabulary) -> list[Figure]:
    """The figures of a document, in the order they appear.

    `text` is the body (a seed's `date` line already removed); `published` its publication day,
    if known, else the day its text gives for itself (datelines.document_date); `source` the
    document id each figure carries. Pure: no I/O, no clock. Text that is empty, binary or in
    another language gives no figures; it never raises.
    """
    low = fold(text)
    finder = SentenceFinder(text, low)
    # The document goes through one stage at a time (its numbers, their sentences, the readings,
    # the figures), each stage over all of it before the next: the interpreter then runs the
    # same code and patterns back to back, which is about a fifth faster than taking the
    # document sentence by sentence (bench/bench_extract.py). No stage depends on a later one.
    found = _sentences_with_numbers(text, low, finder, vocabulary)
    # A release the next sentence says took place in stages is a running total.
    read = staged_releases(_read(found, finder, vocabulary), low, vocabulary)
    # Undated, a document is of the day its own text gives (a caption, a dateline), if any.
    if published is None and read:
        published = document_date(text)
    # A figure with no day of its own takes the day the document names its event with.
    events = event_days(text, low, published) if read else {}
    attribution = Attribution(text, low, vocabulary.attribution)
    return _figures(read, published, events, source, attribution)


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


def _figures(
    read: list[Read],
    published: date | None,
    events: Mapping[str, DateCue],
    source: str,
    attribution: Attribution,
) -> list[Figure]:
    """The figures of the read sentences, in order, a repeated one only where it first
    appears, with the day the text is talking about carried from one sentence to the next;
    `events` the days the document names its events with, by topic (datelines.event_days);
    their claimants, places and sides settled by `attribution` (attribution.attribute)."""
    dated = [
        scan_dates(sentence.text, sentence.low, published, view.dates) for sentence, view, _ in read
    ]
    every: list[Fields | None] = []
    carried: date | None = None
    before: date | None = None  # the day of the last figure of the sentence before
    for (sentence, view, readings), cues in zip(read, dated, strict=True):
        # "At that time, ..." goes on the time of the sentence before, whatever it was (an
        # earlier exchange's day), and sets no day for the sentences after it
        back = before if _BACK.match(sentence.text) else None
        found, after = _sentence_figures(
            sentence, view, readings, cues, DateContext(published, back or carried), events, source
        )
        carried = carried if back else after
        days = [fields[3] for fields in found if fields is not None]
        before = days[-1] if days else None
        every.extend(found)
    attributed = attribute(read, every, *attribution)
    # Equal fields make equal figures: each is given once, where it first appears.
    return [Figure(*fields) for fields in dict.fromkeys(attributed)]


def _sentences_with_numbers(
    text: str, low: str, finder: SentenceFinder, vocabulary: Vocabulary
) -> list[tuple[Sentence, Numbers]]:
    """The sentences holding a number that counts a known thing (or an elliptic one), each with
    those numbers and their noun phrases, positions relative to the sentence."""
    phrased = []
    for token in _counts(text, low, finder, vocabulary):
        phrase = read_noun_phrase(low, token, vocabulary)
        if phrase is None or (
            token.is_word and token.value == 1 and _pronoun(low, token, phrase, vocabulary)
        ):
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


def _pronoun(low: str, token: NumberToken, phrase: NounPhrase, vocabulary: Vocabulary) -> bool:
    """Whether "one" stands for a thing named elsewhere ("one of the missiles", "one hit the
    plant"), not a count; a toll's own word after it ("one death", "one fatality") counts."""
    if low.startswith(" of ", token.end):
        return True
    if phrase.noun_class is not None:
        return False
    hit = vocabulary.cues.match(low, token.end + 1) if low.startswith(" ", token.end) else None
    return hit is None or not all(
        vocabulary.metrics[label].toll and vocabulary.metrics[label].topic == _ATTACK
        for label in hit.labels
    )


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
    dating: DateContext,
    events: Mapping[str, DateCue],
    source: str,
) -> tuple[list[Fields | None], date | None]:
    """(the figures of one sentence, as fields, one per reading, None for a reading that is no
    figure of any one event; the day carried on), dated from its date cues `cues` and what
    `dating` falls back on (the day carried from the sentences before)."""
    context = view.context
    carried = dating.carried
    # "Meanwhile, ..." opens the sentence (hits come in order, so only the first can), and the
    # sentence is the narrator's, not a quote going on.
    other_event = (
        "other_event" in context
        and context["other_event"][0].start == 0
        and _QUOTE_GOES_ON.match(sentence.text) is None
    )
    dating = dating._replace(other_event=other_event)
    figures: list[Fields | None] = []
    starts = [reading.token.start for reading in readings]
    timed = may_point_elsewhere(view)
    for reading in readings:
        token, _, rule, _, qualifier, clause = reading
        day: date | None = None
        time = NOW
        if rule.dated:
            dated = _dated(sentence.text, view, reading, cues, dating, events, starts, timed)
            if dated is None:
                figures.append(None)  # kept in step with the readings (attribution.attribute)
                continue
            time, day, named = dated
            if named and day is not None and time == NOW:
                carried = day
        elif cues:
            day = agreement_day(cues, context.get(_AGREEMENT, ()))
        if not token.pair and context.keys().isdisjoint(rule.side_label_set):
            side = rule.side_default  # no side cue in the sentence, no "N-for-N" exchange
        else:
            side = side_of(context, token, clause, rule.side_labels, rule.side_default)
        earlier = time != NOW and day is None
        figures.append((rule.id, token.value, qualifier, day, side, source, sentence.text, earlier))
    return figures, carried


def _dated(
    text: str,
    view: SentenceView,
    reading: Reading,
    cues: list[DateCue],
    dating: DateContext,
    events: Mapping[str, DateCue],
    starts: list[int],
    timed: bool,
) -> tuple[str, date | None, bool] | None:
    """(the time its clause points to, the event day, whether the text named it) of a dated
    figure, None when it is no figure of any one event (anchors); `timed`: whether the
    sentence may point elsewhere in time at all (anchors.may_point_elsewhere)."""
    token, rule, clause = reading.token, reading.rule, reading.clause
    time = clause_time(view, text, clause, token.start) if timed else NOW
    if time == SPAN:
        return None  # a running total, a count over separate events: no figure
    # Another event's figure takes the day its sentence names, not the document's, and sets no
    # day for the sentences after it.
    event = events.get(_SWAP if rule.topic == _SWAP else _ATTACK)
    carried = dating.carried
    if _LATER in view.context:
        # "a later drone strike killed two": an event after the one the text has told of,
        # dated by its own words, else by the publication day
        event = carried = None
    other = DateContext(dating.published, carried, dating.other_event or time != NOW, event)
    if time != NOW:
        # only a day of the stretch that points elsewhere dates it: "the most since July,
        # when 728 were launched" is not dated by the "overnight" of the sentence's own event
        clause = governing(view, clause)
        cues = [cue for cue in cues if clause[0] <= cue.start < clause[1]]
    day, named = event_date(cues, token.start, clause, rule.overnight, other, starts)
    if time == RECORD and not named:
        return None  # a record of an event the text does not date
    if time == NOW and rule.toll and event and view.context.get(_RISE):
        # "the toll rose to 31 on Monday", "as of August 29, 23 were dead": a toll counted
        # later is a figure of the strike's day (figures.md)
        day = toll_day(day, event, rule.overnight)
    return time, day, named
