"""Which metric a number reports: the nearest cue that fits what it counts.

A cue counts for a number when one of its metrics counts the number's noun class. Distance is
measured in characters, with a cost for each clause boundary crossed, and a cost for a cue on
the unexpected side: a number that is a subject ("245 drones had been destroyed") takes its cue
after it, an object ("shot down six missiles") before it. A metric with `requires` met in the
number's clause is more specific and wins over a plain one; blockers then rule the number out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import NamedTuple

from bot.extract.nounphrase import NounPhrase
from bot.extract.numbers import NumberToken
from bot.extract.phrases import Hit
from bot.extract.sentences import Clauses
from bot.extract.vocabulary import Blocker, MetricRule, Vocabulary

COMMA_COST = 25
STRONG_COST = 60
AGAINST_ROLE_COST = 30
OTHER_CLASS_COST = 30
MAX_SCORE = 220
MAX_ELLIPTIC_SCORE = 80
NEAR = 40
_NOTHING: frozenset[str] = frozenset()
# A toll's "has risen to 18" says what it counts however long the subject before it ("the death
# toll from Friday's missile strike on the city of X has risen to 18"): its words, from the
# [time] table, and how close before the number they stand.
_RISE = "time:rise"
_RISE_GAP = 4
# A frame word (config [time] frame: "largest", "first") this close before a period phrase
# makes it describe the event ("the largest attack this month"), in characters.
_FRAME = "time:frame"
_FRAME_REACH = 30
# A number after these is the frame of a part ("of the 40 missiles, 36 were intercepted").
_FRAMES = ("of the ", "of ", "of all ")


class SentenceView(NamedTuple):
    """One folded sentence, scanned once: its clauses, its cue hits, its context hits by label
    (requirements, blockers, sides, breakdowns), its date words, its numbers with their noun
    phrases in order, and, where an elliptic number needs it, the class the sentence before it
    ended on."""

    text: str
    clauses: Clauses
    cues: Sequence[Hit]
    context: Mapping[str, Sequence[Hit]]
    numbers: Sequence[tuple[NumberToken, NounPhrase]] = ()
    dates: Sequence[Hit] = ()
    context_class: str | None = None

    def labelled(self, label: str, low: int, high: int) -> list[Hit]:
        """The context hits with `label` that start in text[low:high]."""
        return [h for h in self.context.get(label, ()) if low <= h.start < high]


class Choice(NamedTuple):
    """The metric chosen for a number, the cue that chose it, and how far that cue was."""

    rule: MetricRule
    cue: Hit
    score: int


# (score, metric id, cue): ranked by score, then metric id
Candidate = tuple[int, str, Hit]
_RANK = itemgetter(0, 1)
# Builds a NamedTuple from all its fields, as NamedTuple._make does, without the slower
# Python-level constructor (choices are made for every number).
_new = tuple.__new__


def choose_metric(
    view: SentenceView,
    token: NumberToken,
    phrase: NounPhrase,
    vocabulary: Vocabulary,
    clause: tuple[int, int] | None = None,
) -> Choice | None:
    """The metric of `token`, or None when no cue fits or a blocker rules it out. `clause`: the
    number's clause (Clauses.bounds of the token and its phrase), where the caller has it."""
    if clause is None:
        clause = view.clauses.bounds(token.start, phrase.end)
    plain, specific = _nearest(view, token, phrase, vocabulary, clause)
    # A more specific metric wins where its cue is as near as the plain one's: "deal involving
    # the exchange of 1,000" is agreed, "exchanged 84 prisoners each ... in a deal" is not.
    best = specific if specific and (plain is None or specific[0] <= plain[0]) else plain
    if best is None:
        return None
    score, metric_id, cue = best
    chosen = _new(Choice, (vocabulary.metrics[metric_id], cue, score))
    return None if is_blocked(view, chosen, token, phrase, clause) else chosen


def _nearest(
    view: SentenceView,
    token: NumberToken,
    phrase: NounPhrase,
    vocabulary: Vocabulary,
    clause: tuple[int, int],
) -> tuple[Candidate | None, Candidate | None]:
    """(the nearest plain candidate, the nearest specific one: a metric whose requirement
    stands in the number's clause), of every (score, metric, cue) within reach. A named noun
    takes the metrics that count its class; an elliptic number any metric, at a cost unless it
    counts the class named before."""
    noun_class, end, role = phrase
    if noun_class:
        allowed, limit = vocabulary.counting.get(noun_class, _NOTHING), MAX_SCORE
        inherited: str | None = noun_class
    else:
        allowed, limit = vocabulary.choosable, MAX_ELLIPTIC_SCORE
        inherited = inherited_class(view, token.start)
    # A toll "risen to" a bare number reaches as far as a named noun does.
    rising = vocabulary.tolls if limit < MAX_SCORE and _rises_to(view, token.start) else _NOTHING
    # A metric that counts another class than the number's costs more; with no class, none does.
    inherited_cost = 0 if inherited is None else OTHER_CLASS_COST
    start = token.start
    text = view.text
    # "Of the 40 missiles, 36 were intercepted": the 40 is the frame of a part; only a cue of its
    # own clause ("of the 50 drones launched") says what it counts.
    cues = _framed(view, phrase, clause) if text.endswith(_FRAMES, 0, start) else view.cues
    counted = vocabulary.counted
    requiring = vocabulary.requiring
    clauses = view.clauses
    plain: list[Candidate] = []
    specific: list[Candidate] = []
    for hit in cues:
        hit_start, hit_end, _, labels, _ = hit
        if labels.isdisjoint(allowed):
            continue
        distance = _distance(clauses, hit_start, hit_end, start, end, role)
        for metric_id in labels & allowed:
            score = distance if inherited in counted[metric_id] else distance + inherited_cost
            if score > (MAX_SCORE if metric_id in rising else limit):
                continue
            if metric_id not in requiring:
                plain.append((score, metric_id, hit))
            elif view.labelled(requiring[metric_id], *clause):
                specific.append((score, metric_id, hit))
    # The nearest; on a tie, the first metric id, else the cue found first.
    return (
        min(plain, key=_RANK) if plain else None,
        min(specific, key=_RANK) if specific else None,
    )


def _framed(view: SentenceView, phrase: NounPhrase, clause: tuple[int, int]) -> list[Hit]:
    """The cues of a frame's clause, up to the first comma after it ("Of the 40 missiles,
    36 ...")."""
    low, high = clause
    comma = view.text.find(",", phrase.end, high)
    if comma >= 0:
        high = comma
    return [hit for hit in view.cues if low <= hit.start < high]


def _rises_to(view: SentenceView, start: int) -> bool:
    """Whether a rise word ("rose to", "has risen to") ends right before the number at `start`."""
    return any(0 <= start - hit.end <= _RISE_GAP for hit in view.context.get(_RISE, ()))


def inherited_class(view: SentenceView, position: int) -> str | None:
    """The class counted by the last number before `position` in the sentence, else the last
    class of the sentence before: what an elliptic number ("245 drones - 128 were shot down")
    counts."""
    before = [
        phrase.noun_class
        for token, phrase in view.numbers
        if phrase.noun_class and token.start < position
    ]
    return before[-1] if before else view.context_class


def _distance(
    clauses: Clauses, hit_start: int, hit_end: int, start: int, end: int, role: str
) -> int:
    """How far a cue (hit_start to hit_end) is from the number at `start` whose phrase ends at
    `end` and has `role`."""
    if hit_end <= start:
        low, high, against = hit_end, start, role == "subject"
    elif hit_start >= end:
        low, high, against = end, hit_start, role == "object"
    else:
        return 0  # the cue is inside the phrase: "15 casualties", "two fires"
    cost = high - low
    positions = clauses.positions
    if positions and positions[0] < high and positions[-1] >= low:  # a separator in between
        commas, strong = clauses.crossed(low, high)
        cost += COMMA_COST * commas + STRONG_COST * strong
    return cost + (AGAINST_ROLE_COST if against else 0)


def is_blocked(
    view: SentenceView,
    choice: Choice,
    token: NumberToken,
    phrase: NounPhrase,
    clause: tuple[int, int],
) -> bool:
    """True when one of the chosen metric's blockers stands where its scope says."""
    context = view.context
    rule = choice.rule
    if context.keys().isdisjoint(rule.blocker_labels):
        return False  # the common case: none of its blockers is in the sentence
    for blocker in rule.blockers:
        if blocker.label in context and _blocks(view, blocker, choice.cue, token, phrase, clause):
            return True
    return False


def _blocks(
    view: SentenceView,
    blocker: Blocker,
    cue: Hit,
    token: NumberToken,
    phrase: NounPhrase,
    clause: tuple[int, int],
) -> bool:
    low, high = clause
    if blocker.scope == "sentence":
        low, high = 0, len(view.text)
    elif blocker.scope == "before":
        low, high = max(low, token.start - NEAR), token.start
    elif blocker.scope == "after":
        low, high = phrase.end, min(high, phrase.end + NEAR)
    hits = view.labelled(blocker.label, low, high)
    if blocker.scope == "sentence":
        # another clause's "the largest attack this month" describes this event: no period
        return any(_outside_a_frame(view, hit, clause) for hit in hits)
    if blocker.scope != "between":
        return bool(hits)
    return any(_uncovered(hit, cue, token, phrase) for hit in hits)


def _outside_a_frame(view: SentenceView, hit: Hit, clause: tuple[int, int]) -> bool:
    """Whether a sentence-wide blocker `hit` stands in the number's clause, or in another one
    without a frame word (a superlative, an ordinal word: time:frame) right before it."""
    if clause[0] <= hit.start < clause[1]:
        return True
    return not view.labelled(_FRAME, max(0, hit.start - _FRAME_REACH), hit.start)


def _uncovered(blocker: Hit, cue: Hit, token: NumberToken, phrase: NounPhrase) -> bool:
    """A "between" blocker counts unless the metric's own cue stands between it and the number
    ("debris of intercepted drones fell in six districts": "fell" is nearer than "intercepted")."""
    if blocker.end <= token.start:
        return not blocker.start < cue.start < token.start
    if blocker.start >= phrase.end:
        return not phrase.end <= cue.start < blocker.start
    return False
