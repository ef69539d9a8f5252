"""Which metric a number reports: the nearest cue that fits what it counts.

A cue counts for a number when one of its metrics counts the number's noun class. Distance is
measured in characters, with a cost for each clause boundary crossed, and a cost for a cue on
the unexpected side: a number that is a subject ("245 drones had been destroyed") takes its cue
after it, an object ("shot down six missiles") before it. A metric with `requires` met in the
number's clause is more specific and wins over a plain one; blockers then rule the number out.
"""

from __future__ import annotations

from collections.abc import Mapping
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


class SentenceView(NamedTuple):
    """One folded sentence, scanned once: its clauses, its cue hits, its context hits by label
    (requirements, blockers, sides, breakdowns), its date words, the classes its numbers count
    (`named`: (start, class) in order), and, where an elliptic number needs it, the class the
    sentence before it ended on."""

    text: str
    clauses: Clauses
    cues: tuple[Hit, ...]
    context: Mapping[str, tuple[Hit, ...]]
    named: tuple[tuple[int, str], ...] = ()
    dates: tuple[Hit, ...] = ()
    context_class: str | None = None

    def labelled(self, label: str, low: int, high: int) -> list[Hit]:
        """The context hits with `label` that start in text[low:high]."""
        return [h for h in self.context.get(label, ()) if low <= h.start < high]


class Choice(NamedTuple):
    """The metric chosen for a number, the cue that chose it, and how far that cue was."""

    rule: MetricRule
    cue: Hit
    score: int


# (score, metric id, cue): compared as tuples, so that ties go to the first metric id
Candidate = tuple[int, str, Hit]


def choose_metric(
    view: SentenceView, token: NumberToken, phrase: NounPhrase, vocabulary: Vocabulary
) -> Choice | None:
    """The metric of `token`, or None when no cue fits or a blocker rules it out."""
    clause = view.clauses.bounds(token.start, phrase.end)
    specific: Candidate | None = None
    plain: Candidate | None = None
    for candidate in _candidates(view, token, phrase, vocabulary):
        rule = vocabulary.metrics[candidate[1]]
        if not rule.requires:
            plain = candidate if plain is None or _ahead(candidate, plain) else plain
        elif view.labelled(rule.requires_label, *clause):
            specific = candidate if specific is None or _ahead(candidate, specific) else specific
    # A more specific metric wins where its cue is as near as the plain one's: "deal involving
    # the exchange of 1,000" is agreed, "exchanged 84 prisoners each ... in a deal" is not.
    best = specific if specific and (plain is None or specific[0] <= plain[0]) else plain
    if best is None:
        return None
    chosen = Choice(vocabulary.metrics[best[1]], best[2], best[0])
    return None if is_blocked(view, chosen, token, phrase, clause) else chosen


def _ahead(candidate: Candidate, best: Candidate) -> bool:
    return candidate[0] < best[0] or (candidate[0] == best[0] and candidate[1] < best[1])


def _candidates(
    view: SentenceView, token: NumberToken, phrase: NounPhrase, vocabulary: Vocabulary
) -> list[Candidate]:
    """Every (score, metric, cue) within reach: a named noun takes the metrics that count its
    class; an elliptic number any metric, at a cost unless it counts the class named before."""
    noun_class = phrase.noun_class
    inherited: str | None = noun_class
    if noun_class:
        allowed, limit = vocabulary.counting.get(noun_class, frozenset()), MAX_SCORE
    else:
        allowed, limit = vocabulary.choosable, MAX_ELLIPTIC_SCORE
        inherited = inherited_class(view, token.start)
    # "Of the 40 missiles, 36 were intercepted": the 40 is the frame of a part; only a cue of its
    # own clause ("of the 50 drones launched") says what it counts.
    low, high = (
        _frame(view, token, phrase) if _is_frame(view.text, token.start) else (0, len(view.text))
    )
    out = []
    for hit in view.cues:
        ids = hit.labels & allowed
        if not ids or not low <= hit.start < high:
            continue
        distance = _distance(view, hit, token.start, phrase)
        for metric_id in ids:
            counts = vocabulary.metrics[metric_id].counts
            score = (
                distance
                if inherited is None or inherited in counts
                else distance + OTHER_CLASS_COST
            )
            if score <= limit:
                out.append((score, metric_id, hit))
    return out


def _is_frame(text: str, start: int) -> bool:
    return text.endswith(("of the ", "of ", "of all "), 0, start)


def _frame(view: SentenceView, token: NumberToken, phrase: NounPhrase) -> tuple[int, int]:
    """The clause of a frame, up to the first comma after it ("Of the 40 missiles, 36 ...")."""
    low, high = view.clauses.bounds(token.start, phrase.end)
    comma = view.text.find(",", phrase.end, high)
    return low, comma if comma >= 0 else high


def inherited_class(view: SentenceView, position: int) -> str | None:
    """The class counted by the last number before `position` in the sentence, else the last
    class of the sentence before: what an elliptic number ("245 drones - 128 were shot down")
    counts."""
    before = [name for start, name in view.named if start < position]
    return before[-1] if before else view.context_class


def _distance(view: SentenceView, hit: Hit, start: int, phrase: NounPhrase) -> int:
    if hit.end <= start:
        low, high, against = hit.end, start, phrase.role == "subject"
    elif hit.start >= phrase.end:
        low, high, against = phrase.end, hit.start, phrase.role == "object"
    else:
        return 0  # the cue is inside the phrase: "15 casualties", "two fires"
    commas, strong = view.clauses.crossed(low, high)
    cost = (high - low) + COMMA_COST * commas + STRONG_COST * strong
    return cost + (AGAINST_ROLE_COST if against else 0)


def is_blocked(
    view: SentenceView,
    choice: Choice,
    token: NumberToken,
    phrase: NounPhrase,
    clause: tuple[int, int],
) -> bool:
    """True when one of the chosen metric's blockers stands where its scope says."""
    return any(
        _blocks(view, b, choice.cue, token, phrase, clause)
        for b in choice.rule.blockers
        if b.label in view.context
    )


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
    if blocker.scope != "between":
        return bool(hits)
    return any(_uncovered(hit, cue, token, phrase) for hit in hits)


def _uncovered(blocker: Hit, cue: Hit, token: NumberToken, phrase: NounPhrase) -> bool:
    """A "between" blocker counts unless the metric's own cue stands between it and the number
    ("debris of intercepted drones fell in six districts": "fell" is nearer than "intercepted")."""
    if blocker.end <= token.start:
        return not blocker.start < cue.start < token.start
    if blocker.start >= phrase.end:
        return not phrase.end <= cue.start < blocker.start
    return False
