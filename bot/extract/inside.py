"""Counts inside another count of the same document (figures.md, issue 14 causes 2 and 6).

What one sentence cannot tell, the document can:
- "N missiles hit" (a cue of `[parts] impacts`) is no launch count where the document gives a
  launch count of the same metric with another cue ("launched 52 missiles ... nine missiles
  struck energy facilities");
- people in hospital (`[parts] hospital`) are a part of the injured, not a count of their own,
  where the document gives a larger injured count said without those words;
- a split told over two sentences ("launched 120 drones, with 70 shot down. Another 44 drones
  failed to reach their targets") makes the shot-down count the split part, as in one sentence;
- released people counted by unit, rank or sex (`[parts] kinds`: "40 national guardsmen, 35
  border guards") are a breakdown where the document gives a larger released count;
- a count of one type of weapon (`[parts] types`: "16 Kalibr cruise missiles") is a
  breakdown where another sentence gives a larger count of the same metric naming no type;
- a total restated with the value of one of its parts ("63 drones had been shot down" where the
  split said "shot down 63 drones, and 20 more deviated off course") is that part.

Pure: the sentences read (sentence, view, readings) in, the same with fewer or changed readings
out; a sentence left with no reading is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from bot.extract.cues import SentenceView
from bot.extract.vocabulary import Vocabulary

if TYPE_CHECKING:
    from bot.extract.reading import Reading

S = TypeVar("S")
_RELEASED = "swap.released"
Read = tuple[S, SentenceView, list["Reading"]]


def settle_document(read: Sequence[Read[S]], vocabulary: Vocabulary) -> list[Read[S]]:
    """The sentences read, with the counts that another count of the document holds taken out
    or read as parts."""
    every = [reading for _, _, readings in read for reading in readings]
    # (metric, value) of the launch counts said with a launch cue; a count of impacts of the
    # same value is the same figure said again, and is kept
    launches = {
        (r.rule.id, r.token.value)
        for r in every
        if r.rule.id in vocabulary.parts.wholes and not _impact(r, vocabulary)
    }
    launched = {metric for metric, _ in launches}
    injured = [r.token.value for _, view, rs in read for r in rs if _plain_injured(view, r)]
    out: list[Read[S]] = []
    previous: list[Reading] = []
    for sentence, view, readings in read:
        kept = [
            r
            for r in readings
            if not (
                r.rule.id in launched
                and (r.rule.id, r.token.value) not in launches
                and _impact(r, vocabulary)
            )
            and not _in_hospital(view, r, injured)
        ]
        kept = _split_across(previous, kept, vocabulary)
        if kept:
            out.append((sentence, view, kept))
            previous = kept
    return _by_type(_by_kind(_restated_parts(out, vocabulary)))


def _impact(reading: Reading, vocabulary: Vocabulary) -> bool:
    return "part:impacts" in vocabulary.families[reading.cue.number].context


def _hospital(view: SentenceView, reading: Reading) -> bool:
    """True when hospital words follow the count, before the next number of its clause ("36
    people sought help, 14 of them were hospitalised": 14 is, 36 is not)."""
    start, end = reading.token.end, reading.clause[1]
    following = [t.start for t, _ in view.numbers if start <= t.start < end]
    return bool(view.labelled("part:hospital", start, following[0] if following else end))


def _plain_injured(view: SentenceView, reading: Reading) -> bool:
    return reading.rule.id == "attack.injured" and not _hospital(view, reading)


def _in_hospital(view: SentenceView, reading: Reading, injured: list[int]) -> bool:
    """True for "22 wounded remain in hospital" where the document counts 48 injured."""
    return (
        reading.rule.id == "attack.injured"
        and _hospital(view, reading)
        and any(value > reading.token.value for value in injured)
    )


def _split_across(
    previous: list[Reading], kept: list[Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """The sentence before a sentence of split parts alone turns its one total into the split
    part its cue says (in place: `previous` is the last kept list)."""
    present = {r.rule.id for r in kept}
    for split in vocabulary.splits:
        if split.split_with.isdisjoint(present) or split.split_of in present or split.id in present:
            continue
        totals = [i for i, r in enumerate(previous) if r.rule.id == split.split_of]
        if len(totals) == 1 and previous[totals[0]].cue.phrase in split.cue_phrases:
            previous[totals[0]] = previous[totals[0]]._replace(rule=split)
    return kept


def _by_kind(read: list[Read[S]]) -> list[Read[S]]:
    """Without the released counts of sentences that count people by kind (unit, rank, sex)
    where another sentence gives a larger released count."""
    if not any("part:kinds" in view.context for _, view, _ in read):
        return read
    released = [
        (index, r.token.value)
        for index, (_, _, readings) in enumerate(read)
        for r in readings
        if r.rule.id == _RELEASED
    ]
    out: list[Read[S]] = []
    for index, (sentence, view, readings) in enumerate(read):
        if _counts_kinds(view, readings):
            most = max(readings, key=lambda r: r.token.value).token.value
            if any(i != index and value > most for i, value in released):
                readings = [r for r in readings if r.rule.id != _RELEASED]
        if readings:
            out.append((sentence, view, readings))
    return out


def _counts_kinds(view: SentenceView, readings: list[Reading]) -> bool:
    return any(
        r.rule.id == _RELEASED and view.labelled("part:kinds", r.token.end, r.phrase.end)
        for r in readings
    )


def _by_type(read: list[Read[S]]) -> list[Read[S]]:
    """Without the counts of one type of weapon where another sentence of the document gives a
    larger count of the same metric that names no type."""
    if not any("part:types" in view.context for _, view, _ in read):
        return read
    plain = [
        (index, r.rule.id, r.token.value)
        for index, (_, view, readings) in enumerate(read)
        for r in readings
        if not _names_type(view, r)
    ]
    out: list[Read[S]] = []
    for index, (sentence, view, readings) in enumerate(read):
        kept = [
            r
            for r in readings
            if not _names_type(view, r)
            or not any(
                i != index and metric == r.rule.id and value > r.token.value
                for i, metric, value in plain
            )
        ]
        if kept:
            out.append((sentence, view, kept))
    return out


def _names_type(view: SentenceView, reading: Reading) -> bool:
    return bool(view.labelled("part:types", reading.token.end, reading.phrase.end))


def _restated_parts(read: list[Read[S]], vocabulary: Vocabulary) -> list[Read[S]]:
    """A total of the value of a split part of the document is that part, said again."""
    parts = {
        (split.split_of, r.token.value)
        for split in vocabulary.splits
        for _, _, readings in read
        for r in readings
        if r.rule.id == split.id
    }
    if not parts:
        return read
    out: list[Read[S]] = []
    for sentence, view, readings in read:
        kept = [r for r in readings if (r.rule.id, r.token.value) not in parts]
        if kept:
            out.append((sentence, view, kept))
    return out
