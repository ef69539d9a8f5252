"""Who claims each figure of a document, whose side it is, and which place it is a part for:
one pass over the figures of a document once they are read (document.extract).

For each figure: its claimant (claimants: the speaker the text attributes it to, a pronoun or a
quotation resolved to the speaker named before); its side, where the words around a swap figure
say who receives (sides.receiver, with the claimant's own side for "195 of its servicemen"), or
a Russian claimant says drones were downed over its country; its place (places). Then, across a
sentence, one count given for both sides ("95 Russian servicemen were returned ... 95 Ukrainian
soldiers released") is a per-side count, side "both".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from bot.extract.attribution_words import AttributionWords
from bot.extract.claimants import (
    Mention,
    claimant_at,
    mentions,
    quoted_speaker,
    resolved,
    side_of_claimant,
)
from bot.extract.cues import SentenceView
from bot.extract.places import place_of
from bot.extract.reading import Reading
from bot.extract.receivers import receiver
from bot.extract.sentences import Sentence

# A figure's fields before attribution, in the order of Figure's: metric, value, qualifier,
# event date, side, source, evidence; and after it, with claimant and place.
Fields = tuple[str, int, str, date | None, str | None, str, str, bool]
Attributed = tuple[str, int, str, date | None, str | None, str, str, str | None, str | None, bool]
Read = tuple[Sentence, SentenceView, list[Reading]]


class Attribution(NamedTuple):
    """What attribution needs of a document beyond its figures: its text, verbatim and
    folded, and the word lists."""

    text: str
    low: str
    words: AttributionWords


_SWAP = "swap"
_DEFENCE = "defence"
_PLACED = frozenset({"attack", "defence"})
_COMBINED = re.compile(r"\b(?:exchang|swap|trad)\w*|\beach\b|\bboth\b|\bin all\b|\btotal\b")
_LAUNCHES = ("attack.launched", "attack.missiles_launched", "attack.drones_launched")


def attribute(
    read: Sequence[Read],
    fields: Sequence[Fields | None],
    text: str,
    low: str,
    words: AttributionWords,
) -> list[Attributed]:
    """The figures' fields with side settled and claimant and place added. `read` are the
    document's read sentences with their readings, `fields` one per reading in the same order
    (None for a reading that gives no figure), `text` and `low` the document (verbatim and
    folded)."""
    out: list[Attributed] = []
    unsided: list[int] = []  # the swap releases whose side nothing said (see _lead_side)
    at = 0
    for sentence, view, readings in read:
        # Only a claimant the text attributes to speaks for a figure (claimant_at).
        found = [m for m in mentions(words.claimants, sentence.text, sentence.low) if m.attributed]
        twice = _repeated_counts(sentence.text, readings)
        quoted = None if found else _quoted(words, sentence, text, low)
        # the figures of a sentence often share their speaker: a pronoun is resolved once
        speakers: dict[Mention | None, str | None] = {}
        sentence_out: list[Attributed] = []
        for reading in readings:
            figure = fields[at]
            at += 1
            if figure is None:
                continue  # a reading that is no figure of any one event (anchors)
            metric, value, qualifier, day, side, source, evidence, earlier = figure
            near = claimant_at(found, reading.token.start, sentence.low) if found else None
            if near not in speakers:
                speakers[near] = resolved(words.claimants, near, text, low, sentence.start)
            claimant = quoted or speakers[near]
            side = _side(words, view, reading, side, claimant)
            if reading.token.start in twice:
                side = "both"  # "in exchange for 10 captured occupiers we rescued 10 of ours"
            if side is None and _is_release(words, view, reading):
                unsided.append(len(out) + len(sentence_out))
            place = _place(words, sentence, reading)
            sentence_out.append(
                (metric, value, qualifier, day, side, source, evidence, claimant, place, earlier)
            )
        out.extend(_per_side(sentence_out))
    return _lead_side(out, unsided)


def _is_release(words: AttributionWords, view: SentenceView, reading: Reading) -> bool:
    """True for a swap figure whose clause says people were released or returned, in a sentence
    that speaks of no exchange ("76 people were returned", not "300 prisoners were swapped" nor
    "150 were freed, though the number from each side is not known")."""
    if reading.rule.topic != _SWAP:
        return False
    low, high = reading.clause
    verbs = list(words.receivers.verbs.finditer(view.text, low, high))
    return bool(verbs) and not _COMBINED.search(view.text)


def _lead_side(figures: list[Attributed], unsided: list[int]) -> list[Attributed]:
    """A release whose side nothing said takes the side of the document's first sided swap
    figure: the story is told from that side ("over 100 Ukrainian POWs freed ... the 116 freed
    prisoners")."""
    lead = next(
        (f[4] for f in figures if f[0].startswith(_SWAP) and f[4] in ("ukraine", "russia")), None
    )
    if lead is None or not unsided:
        return figures
    out = list(figures)
    for index in unsided:
        out[index] = (*out[index][:4], lead, *out[index][5:])
    return out


def _quoted(words: AttributionWords, sentence: Sentence, text: str, low: str) -> str | None:
    return quoted_speaker(words.claimants, text, low, sentence.start, sentence.text)


def _side(
    words: AttributionWords,
    view: SentenceView,
    reading: Reading,
    side: str | None,
    claimant: str | None,
) -> str | None:
    """The side of one figure: the cue-level `side` unless the receiver or the claimant says
    otherwise."""
    rule = reading.rule
    claimant_side = side_of_claimant(words.claimants, claimant)
    if rule.topic == _DEFENCE:
        # A Russian claim of drones downed is side russia, unless the sentence names a side.
        no_cue = view.context.keys().isdisjoint(rule.side_label_set)
        return "russia" if no_cue and claimant_side == "russia" else side
    if rule.topic != _SWAP or (side == "both" and _both_in_clause(view, reading)):
        return side
    token = reading.token
    found = receiver(
        words.receivers,
        view.text,
        (token.start, token.end),
        reading.phrase.end,
        reading.clause,
        claimant_side,
    )
    if found is not None:
        return found
    return side


def _both_in_clause(view: SentenceView, reading: Reading) -> bool:
    if reading.token.pair:
        return True
    low, high = reading.clause
    labels = [label for label, side in reading.rule.side_labels if side == "both"]
    return any(view.labelled(label, low, high) for label in labels)


def _place(words: AttributionWords, sentence: Sentence, reading: Reading) -> str | None:
    rule = reading.rule
    if rule.topic not in _PLACED or rule.id in _LAUNCHES:
        return None
    return place_of(words.places, sentence.text, reading.clause, reading.token.start)


def _repeated_counts(text: str, readings: list[Reading]) -> frozenset[int]:
    """The starts of the swap figures whose number is written twice in the sentence `text`
    ("in exchange for 10 captured occupiers we rescued 10 of ours"): one count given for each
    side."""
    return frozenset(
        r.token.start
        for r in readings
        if r.rule.topic == _SWAP and _written_twice(text, text[r.token.start : r.token.end])
    )


def _written_twice(text: str, number: str) -> bool:
    """True when `number` stands twice as a number of its own in `text`."""
    if text.count(number) < 2:
        return False
    return len(re.findall(rf"(?<![\w,.]){re.escape(number)}(?![\w,])", text)) > 1


def _per_side(figures: list[Attributed]) -> list[Attributed]:
    """One swap count given in a sentence for each side is side "both"."""
    sides: dict[tuple[str, int], set[str | None]] = {}
    for figure in figures:
        if figure[0].startswith(_SWAP):
            sides.setdefault((figure[0], figure[1]), set()).add(figure[4])
    paired = {key for key, seen in sides.items() if {"ukraine", "russia"} <= seen}
    if not paired:
        return figures
    return [(*f[:4], "both", *f[5:]) if (f[0], f[1]) in paired else f for f in figures]
