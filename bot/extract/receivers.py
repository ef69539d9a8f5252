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
# What may stand between a subject and its verb: "Russia has also handed over".
_AUXILIARIES = re.compile(
    r"\s+(?:(?:has|have|had|also|reportedly|then|now|finally|already|in turn|itself|"
    r"on \w+|managed to|was able to|were able to|,)\s+)*"
)
_AGENT = re.compile(r"\s+by\s+(?:the\s+)?")


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
    if claimant_side in _COUNTRIES and _labels_in(words.own, low, low_clause, phrase_end):
        return claimant_side
    held = _side_in(words.held, low, phrase_end, min(high_clause, phrase_end + _HELD_REACH))
    if held is not None:
        return held
    return _verb_side(words, low, token, phrase_end, clause, claimant_side)


def _verb_side(
    words: ReceiverWords,
    low: str,
    token: tuple[int, int],
    phrase_end: int,
    clause: tuple[int, int],
    claimant_side: str | None,
) -> str | None:
    """The receiver from the verb before the number and its subject ("Ukraine brought home",
    "Russia handed over"), or a give verb after the number with its agent ("the 155 soldiers
    Ukraine turned over", "returned by Russia"); a receive verb with no subject speaks for the
    claimant ("the ministry reported the return of 82")."""
    start, end = clause
    before = list(words.verbs.finditer(low, max(start, token[0] - _VERB_REACH), token[0]))
    if before:
        verb = before[-1]
        subject = _subject(words, low, max(start, verb.start - _VERB_REACH), verb.start)
        receives = "receive" in verb.labels
        if subject is not None:
            return subject if receives else _other(subject)
        if receives and claimant_side in _COUNTRIES:
            return claimant_side
    after = list(words.verbs.finditer(low, phrase_end, min(end, phrase_end + _VERB_REACH)))
    if after and "give" in after[0].labels:
        return _agent_side(words, low, phrase_end, after[0].start, after[0].end)
    return None


def _subject(words: ReceiverWords, low: str, start: int, verb: int) -> str | None:
    """The side named as the subject right before a verb at `verb` ("Russia has handed over")."""
    hits = list(words.actors.finditer(low, max(0, start), verb))
    if not hits or not _AUXILIARIES.fullmatch(low, hits[-1].end, verb):
        return None
    return min(hits[-1].labels)


def _agent_side(
    words: ReceiverWords, low: str, phrase_end: int, verb_start: int, verb_end: int
) -> str | None:
    """The receiver of a give verb after the number: the other side of its subject ("the 155
    soldiers Ukraine turned over") or of its agent ("returned by Russia")."""
    between = _subject(words, low, phrase_end, verb_start)
    if between is not None:
        return _other(between)
    agent = _AGENT.match(low, verb_end)
    if agent is None:
        return None
    side = _side_in(words.actors, low, agent.end(), agent.end() + 30)
    return _other(side) if side is not None else None


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
