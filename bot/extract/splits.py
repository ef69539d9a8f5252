"""Split readings of one sentence: a count read as parts of another (figures.md, issue 14 cause 6).

- A fraction: "shot down 27 of 35 drones" and "nine out of twelve missiles were downed" give
  the part (27 downed) and the whole (35 launched, the `[parts] wholes` metric that counts its
  class); "a total of 58 drones, 44 of which were shot down" too. A part whose own cue was the
  whole's ("14 out of 19 missiles fired by bombers") takes the sentence's other cue.
- A participle after the counted thing describes it, it is not the verb: "downed about 20
  drones heading for the port" are 20 downed.
- An elliptic part of a combined count ("of the 96 missiles and drones, 80 were downed") is
  no figure where no metric counts the combined class that way.
- A total of weapons in general split into drone parts ("neutralised 388 aerial targets,
  301 were shot down and 87 were lost") is the drones' total.
- A part by place after its whole ("destroyed nine drones: four over the Rostov region")
  is a figure of the whole's metric.
- A split total ("neutralized 245 drones: 128 shot down and 117 jammed") turns its parts into
  the split metrics while the stated total keeps its own.

Pure: readings in, readings out (reading.Reading, built by `_replace` on the reading they come
from, since reading.py imports this module).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.extract.cues import SentenceView, choose_metric, inherited_class
from bot.extract.nounphrase import NounPhrase
from bot.extract.numbers import NumberToken
from bot.extract.vocabulary import Vocabulary

if TYPE_CHECKING:
    from bot.extract.reading import Reading

_PLACE = "place"
# A number after these is the frame of a part ("of the 40 missiles, 36 were intercepted").
_FRAMES = ("of the ", "of ", "of all ")
# "58 drones, 44 of which": the part of the number before it.
_OF_WHICH = re.compile(r"\s+of\s+(?:which|them|those|these)\b")
_WHOLE_AFTER = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+|all\s+)?")
_TO_PART = re.compile(r"\s*,?\s*\Z")
# The words of a participle that describes what is counted ("drones heading for the port").
_PARTICIPLE = ("ing", "ed")
# "shot down all of the 40 drones launched": the part is the whole.
_ALL = ("all of the ", "all the ", "all ", "all of ")


def read_splits(
    view: SentenceView, readings: list[Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """`readings` with the sentence's fractions, participles and split totals read."""
    if vocabulary.parts.wholes:
        readings = _participles(view, readings, vocabulary)
        if "of " in view.text:  # every fraction says "of"
            readings = _fractions(view, readings, vocabulary)
    if any(reading.phrase.noun_class is None for reading in readings):
        readings = [r for r in readings if not _part_of_combined(view, r)]
    if vocabulary.parts.place_openers and any(p.noun_class is None for _, p in view.numbers):
        readings = _place_parts(view, readings, vocabulary)
    return _weapon_totals(view, apply_split_totals(readings, vocabulary), vocabulary)


def is_place_part(
    view: SentenceView, token: NumberToken, phrase: NounPhrase, vocabulary: Vocabulary
) -> bool:
    """True for an unnamed count followed by where it happened: "four over the Rostov region",
    "30 targeting the Moscow region" (`[parts] place_openers`, then a place noun in its
    clause, or "over"); not "five in serious condition"."""
    if phrase.noun_class is not None:
        return False
    _, high = view.clauses.bounds(token.start, phrase.end)
    item = view.text[phrase.end : high].strip()
    opener = next((w for w in vocabulary.parts.place_openers if item.startswith(w + " ")), None)
    if opener is None:
        return False
    return opener == "over" or any(
        _PLACE in hit.labels for hit in vocabulary.nouns.finditer(item, len(opener))
    )


def _place_parts(
    view: SentenceView, readings: list[Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """The parts by place of a count before them ("destroyed nine drones: four over the Rostov
    region and five over the Sea of Azov"; "downed 120 drones, including 30 targeting the
    Moscow region") read with their whole's metric."""
    read = {r.token.start: r for r in readings}
    out = dict(read)
    whole: Reading | None = None  # the last named count before the number
    for token, phrase in view.numbers:
        if phrase.noun_class is not None:
            whole = read.get(token.start, whole)
            continue
        if whole is None or not is_place_part(view, token, phrase, vocabulary):
            continue
        between = view.text[whole.phrase.end : token.start]
        if ":" not in between and not view.labelled(
            "breakdown:before", whole.phrase.end, token.start
        ):
            continue
        part = read.get(token.start)
        clause = part.clause if part else view.clauses.bounds(token.start, phrase.end)
        out[token.start] = whole._replace(
            token=token, phrase=phrase, qualifier=token.qualifier, clause=clause
        )
    return [out[start] for start in sorted(out)]


def _weapon_totals(
    view: SentenceView, readings: list[Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """The total of split parts said of weapons in general ("neutralised 388 aerial targets,
    301 were shot down and 87 were locationally lost"): the parts say what the total counts,
    so it is the total their split metric is a part of."""
    if all(r.phrase.noun_class for r in readings):
        return readings  # the common case: no unnamed part ("301 were shot down")
    present = {r.rule.id for r in readings}
    split = next(
        (
            rule
            for rule in vocabulary.splits
            if rule.id in present or not rule.split_with.isdisjoint(present)
        ),
        None,
    )
    if split is None or split.split_of is None:
        return readings
    named = {split.id, *split.split_with}
    parts = [r for r in readings if r.rule.id in named and r.phrase.noun_class is None]
    if not parts:
        return readings
    first = parts[0]
    before = [(t, p) for t, p in view.numbers if p.end <= first.token.start]
    if not before or any(r.token.start == before[-1][0].start for r in readings):
        return readings
    token, phrase = before[-1]
    total = vocabulary.metrics[split.split_of]
    low, _ = view.clauses.bounds(token.start, phrase.end)
    cues = [h for h in view.cues if low <= h.start < token.start and total.id in h.labels]
    if not cues or not _TO_PART.match(view.text[phrase.end : first.token.start]):
        return readings
    whole = first._replace(
        token=token, phrase=phrase, rule=total, cue=cues[-1], qualifier=token.qualifier
    )
    return [whole, *readings]


def _part_of_combined(view: SentenceView, reading: Reading) -> bool:
    """True for "Of the 96 missiles and drones fired, air defence downed 80": an elliptic
    part of a combined count (drone+missile) that no metric of its cue counts."""
    if reading.phrase.noun_class is not None:
        return False
    inherited = inherited_class(view, reading.token.start)
    return inherited is not None and "+" in inherited and inherited not in reading.rule.counts


def _participles(
    view: SentenceView, readings: list[Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """A whole's cue right after the counted thing, as a participle, gives way to a cue
    before the number in its clause ("downed 20 drones heading for Odesa")."""
    out = []
    for reading in readings:
        cue, phrase = reading.cue, reading.phrase
        if cue.start < phrase.end:
            out.append(reading)  # the common case: the cue comes first
            continue
        if (
            reading.rule.id in vocabulary.parts.wholes
            and phrase.noun_class
            and cue.start >= phrase.end
            and not view.text[phrase.end : cue.start].strip()
            and cue.phrase.endswith(_PARTICIPLE)
        ):
            rechosen = _rechosen(view, reading, vocabulary, before=True)
            if rechosen is not None and view.text.endswith(_ALL, 0, reading.token.start):
                out.append(rechosen)  # all of the whole is the part too
            else:
                reading = rechosen or reading
        out.append(reading)
    return out


def _fractions(
    view: SentenceView, readings: list[Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """The parts of fractions read as parts, with their wholes added after them."""
    out: list[Reading] = []
    read = {reading.token.start: reading for reading in readings}
    previous: Reading | None = None
    for reading in readings:
        # "27 drones out of 35 were shot down": the number after "out of" is the whole
        wholes = []
        if previous is not None and _WHOLE_AFTER.fullmatch(
            view.text, previous.phrase.end, reading.token.start
        ):
            wholes = _whole(previous, reading.token, previous.phrase, vocabulary)
        previous = None if wholes else reading
        if wholes:
            out.extend(wholes)
            continue
        whole = _whole_inside(view, reading.token, reading.phrase)
        if whole is None:
            before = _whole_before(view, reading)
            if before is not None and before[0].start not in read:
                out.extend(_whole(reading, before[0], before[1], vocabulary))
            out.append(reading)
            continue
        part: Reading | None = reading
        if reading.rule.id in vocabulary.parts.wholes:
            part = _rechosen(view, reading, vocabulary, before=False)
        if part is not None:
            out.append(part)
        out.extend(_whole(reading, whole, reading.phrase, vocabulary))
    if readings:
        out.extend(_unread_wholes(view, readings[0], read, vocabulary))
        out.extend(_frames(view, readings, read, vocabulary))
    return sorted(out, key=lambda r: r.token.start)


def _frames(
    view: SentenceView, readings: list[Reading], read: dict[int, Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """The frame of a part ("Of the 40 missiles, 36 were intercepted": 40 launched) where its
    own clause says nothing of it: the whole of the part after it."""
    out = []
    for token, phrase in view.numbers:
        if token.start in read or not view.text.endswith(_FRAMES, 0, token.start):
            continue
        after = [r for r in readings if r.token.start >= phrase.end]
        if not after or after[0].rule.id in vocabulary.parts.wholes:
            continue
        part = after[0]
        if part.phrase.noun_class not in (None, phrase.noun_class):
            continue
        if "," in view.text[phrase.end : part.token.start]:
            out.extend(_whole(part, token, phrase, vocabulary))
    return out


def _unread_wholes(
    view: SentenceView, model: Reading, read: dict[int, Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """The wholes of fractions whose part is no figure of its own ("destroyed 230 of the 260
    means of air attack": no metric counts them downed, one counts them launched), where a cue other
    than a whole's stands in the part's clause."""
    out = []
    for token, phrase in view.numbers:
        whole = None if token.start in read else _whole_inside(view, token, phrase)
        if whole is None:
            continue
        low, high = view.clauses.bounds(token.start, phrase.end)
        if any(
            low <= hit.start < high and not hit.labels <= vocabulary.parts.wholes
            for hit in view.cues
        ):
            shaped = model._replace(token=token, phrase=phrase, clause=(low, high))
            out.extend(_whole(shaped, whole, phrase, vocabulary))
    return out


def _whole_inside(view: SentenceView, token: NumberToken, phrase: NounPhrase) -> NumberToken | None:
    """The whole of "27 of 35 drones", "nine out of twelve missiles": a number in the part's own
    phrase."""
    for other, _ in view.numbers:
        if token.end <= other.start < phrase.end:
            return other
    return None


def _whole_before(view: SentenceView, reading: Reading) -> tuple[NumberToken, NounPhrase] | None:
    """The whole of "58 drones, 44 of which were shot down": the number right before the
    part, of the class the part counts."""
    token = reading.token
    if not _OF_WHICH.match(view.text, token.end):
        return None
    before = [(t, p) for t, p in view.numbers if p.end <= token.start]
    if not before:
        return None
    whole, phrase = before[-1]
    joined = _TO_PART.match(view.text[phrase.end : token.start])
    return (whole, phrase) if joined and phrase.noun_class else None


def _whole(
    part: Reading, whole: NumberToken, phrase: NounPhrase, vocabulary: Vocabulary
) -> list[Reading]:
    """The whole as a reading of the `wholes` metric that counts its class, if one does."""
    noun_class = phrase.noun_class or ""
    metrics = sorted(vocabulary.counting.get(noun_class, frozenset()) & vocabulary.parts.wholes)
    if not metrics:
        return []
    rule = vocabulary.metrics[metrics[0]]
    return [part._replace(token=whole, phrase=phrase, rule=rule, qualifier=whole.qualifier)]


def _rechosen(
    view: SentenceView, reading: Reading, vocabulary: Vocabulary, before: bool
) -> Reading | None:
    """`reading` read again without the cues of a whole (or, `before`, without any cue after
    its phrase); None when no other cue fits."""
    return rechosen(
        view, reading, vocabulary, vocabulary.parts.wholes, reading.phrase.end if before else None
    )


def rechosen(
    view: SentenceView,
    reading: Reading,
    vocabulary: Vocabulary,
    without: frozenset[str],
    until: int | None = None,
) -> Reading | None:
    """`reading` read again as if the cues said none of the metrics `without` (and, with
    `until`, as if no cue stood from there on); None when no other cue fits."""
    cues = []
    for hit in view.cues:
        if until is not None and hit.start >= until:
            continue
        if hit.labels.isdisjoint(without):
            cues.append(hit)
        elif labels := hit.labels - without:
            cues.append(hit._replace(labels=labels))
    choice = choose_metric(
        view._replace(cues=cues), reading.token, reading.phrase, vocabulary, reading.clause
    )
    if choice is None:
        return None
    return reading._replace(rule=choice.rule, cue=choice.cue)


def apply_split_totals(readings: list[Reading], vocabulary: Vocabulary) -> list[Reading]:
    """Parts of a split total as the split metrics ("neutralized 245 drones: 128 shot down and
    117 jammed"; "shot down 296 drones, while 415 were lost to jamming")."""
    present = {reading.rule.id for reading in readings}
    for split in vocabulary.splits:
        if split.split_with.isdisjoint(present):
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
