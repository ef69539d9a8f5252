"""Who receives the people of a swap figure (its side, figures.md): read from the words around
the number (config/metrics.toml [receivers]): whose people they are ("118 Ukrainian service
members"), who held them ("held in Russian captivity"), where they went ("returned to Russia"),
and who gives or receives them by the verb and its subject ("Ukraine brought home 90": Ukraine;
"Russia handed over 118": Ukraine; "the 155 soldiers Ukraine turned over": Russia).

Pure: folded text in, a side out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.extract.phrases import PhraseIndex, compile_phrases

_COUNTRIES = ("ukraine", "russia")
# How far (characters) a verb, its subject, or a "held" phrase may stand from the number.
_VERB_REACH = 60
_HELD_REACH = 60


@dataclass(frozen=True)
class ReceiverWords:
    """The [receivers] table compiled (folded phrases): `verbs` labelled "receive" or "give",
    `actors` and `adjectives` and `held` labelled by side, `own` (the claimant's own people)."""

    verbs: PhraseIndex
    actors: PhraseIndex
    adjectives: PhraseIndex
    held: PhraseIndex
    own: PhraseIndex


def build_receiver_words(spec: Mapping[str, Any]) -> ReceiverWords:
    """The receiver words of a parsed [receivers] table; raises TypeError when a list is not a
    list of strings."""

    def by_side(kind: str) -> PhraseIndex:
        return compile_phrases({side: _strings(spec, f"{side}_{kind}") for side in _COUNTRIES})

    return ReceiverWords(
        verbs=compile_phrases({kind: _strings(spec, kind) for kind in ("receive", "give")}),
        actors=by_side("actors"),
        adjectives=by_side("adjectives"),
        held=by_side("held"),
        own=compile_phrases({"own": _strings(spec, "own")}),
    )


def receiver(
    words: ReceiverWords,
    low: str,
    token: tuple[int, int],
    phrase_end: int,
    clause: tuple[int, int],
    claimant_side: str | None,
) -> str | None:
    """The side that receives the people counted by the number at low[token[0]:token[1]] (a
    swap figure) of the folded sentence `low`, from the words around it, or None where they do
    not say; `claimant_side` is the side the figure's claimant speaks for ("195 of its
    servicemen").

    In order: the nationality in the number's noun phrase ("118 Ukrainian service members"), the
    claimant's own people ("of its servicemen", "our defenders"), who held them or where they
    went ("held in Russian captivity", "returned to Russia"), and the verb with its subject or
    agent ("Ukraine brought home", "Russia handed over", "returned by Russia")."""
    low_clause, high_clause = clause
    own_side = _side_in(words.adjectives, low, token[1], phrase_end)
    if own_side is not None:
        return own_side
    if claimant_side in _COUNTRIES and _labels_in(words.own, low, token[0] - 8, phrase_end):
        return claimant_side
    held = _side_in(words.held, low, phrase_end, min(high_clause, phrase_end + _HELD_REACH))
    if held is not None:
        return held
    return _verb_side(words, low, token, phrase_end, low_clause, high_clause)


def _verb_side(
    words: ReceiverWords, low: str, token: tuple[int, int], phrase_end: int, start: int, end: int
) -> str | None:
    """The receiver from the verb before the number and its subject, or a give verb after the
    number with its agent ("the 155 soldiers Ukraine turned over", "returned by Russia")."""
    before = [h for h in words.verbs.finditer(low, max(start, token[0] - _VERB_REACH), token[0])]
    if before:
        verb = before[-1]
        subject = _last_side(words.actors, low, max(start, verb.start - _VERB_REACH), verb.start)
        if subject is not None:
            return subject if "receive" in verb.labels else _other(subject)
    after = list(words.verbs.finditer(low, phrase_end, min(end, phrase_end + _VERB_REACH)))
    if after and "give" in after[0].labels:
        between = _last_side(words.actors, low, phrase_end, after[0].start)
        if between is not None:  # "the 155 soldiers Ukraine turned over"
            return _other(between)
        agent = re.match(r"\s+by\s+", low[after[0].end :])
        if agent is not None:
            at = after[0].end + agent.end()
            side = _last_side(words.actors, low, at, at + 30)
            return _other(side) if side is not None else None
    return None


def _side_in(index: PhraseIndex, low: str, start: int, end: int) -> str | None:
    hits = list(index.finditer(low, max(0, start), end))
    return min(hits[0].labels) if hits else None


def _last_side(index: PhraseIndex, low: str, start: int, end: int) -> str | None:
    hits = list(index.finditer(low, max(0, start), end))
    return min(hits[-1].labels) if hits else None


def _labels_in(index: PhraseIndex, low: str, start: int, end: int) -> bool:
    return any(True for _ in index.finditer(low, max(0, start), end))


def _other(side: str) -> str:
    return "russia" if side == "ukraine" else "ukraine"


def _strings(spec: Mapping[str, Any], key: str) -> list[str]:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"receivers: {key} must be a list of strings")
    return value
