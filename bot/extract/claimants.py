"""Who gives a count (Figure.claimant): the ministry, official or person the text attributes a
figure to, by a short stable name; None where it names no one (the outlet's own report).

A claimant is named where the text attributes to it: "X said", "X reported the return of",
"said X", "according to X" (config/metrics.toml [claimants]). Names come from the configured
lists ("Russia's defence ministry" -> "Russian defence ministry"), from a role and a name
("Kyiv mayor Vitali Klitschko" -> "Klitschko"; a role alone is its own name, "regional
governor"), or from a person's two-word name next to an attribution ("Oleh Hryhorov said" ->
"Hryhorov"). A speaker given as a pronoun ("he said", "the ministry said") is the last claimant
named before it in the document; a quotation with no speaker of its own (a sentence that opens
with a quote mark, or follows a colon) takes the speaker named just before it.

Pure: text in, names out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from bot.extract.phrases import PhraseIndex, compile_phrases

SIDES = ("ukraine", "russia", "other")
# How far (characters) an attribution may stand from the name it attributes to.
_REACH = 45
# How far back a quotation or a pronoun looks for its speaker.
_LOOK_BACK = 600
_QUOTE_OPENERS = ("“", '"', "‘", "'", "«")
_NAME = r"[A-Z][a-z’'\-]+(?:-[A-Z][a-z]+)?"
# A person's name next to an attribution: a run of two to five capitalised words (titles and
# a name, "Deputy Prime Minister Iryna Vereshchuk"), the last the surname.
_PERSON = re.compile(rf"(?<![\w’'])(?:{_NAME}\s+){{1,4}}({_NAME})(?![\w’'])")
_PERSON_BEFORE = re.compile(rf"(?<![\w’'])(?:{_NAME}\s+){{1,4}}({_NAME}),?\s*\Z")
# What may follow the verb of an attribution that comes after the number: the end of the
# clause, or a short tail ("..., the mayor said on Telegram"), not a clause of its own ("days
# after Putin said there would be no more strikes").
_TAIL = re.compile(r"[^,;.!?:“”\"]{0,30}(?:[,;.!?:“”\"]|\Z)")
_STRONG = re.compile(r"[;]")
# The verb of an attribution right after a name ("Putin said"), for _TAIL.
_VERB_AFTER = re.compile(
    r"\s*(?:[\w’']+\s+){0,2}?"
    r"(?:said|says|wrote|told|added|reported|announced|stated|claimed|confirmed)\b"
)
# A name set before its role: "Ihor Lysenko, the regional governor".
_APPOSED = re.compile(rf"({_NAME})\s*,\s*(?:the\s+)?(?:[\w’'-]+\s+){{0,3}}\Z")
_SINGLE = re.compile(rf"\s+({_NAME})(?![\w’'])")
# Capitalised words after a role that are no name ("the mayor Said ...", "Governor On ...").
_NOT_NAMES = frozenset({"said", "says", "on", "in", "and", "of", "the", "told", "wrote"})
_PRONOUN_LABEL = "pronoun"
_VERB_LABEL = "verb"
_ACCORDING_LABEL = "according"
_ROLE_LABEL = "role"
_NAME_LABEL = "name:"
_PERSONAL = frozenset({"he", "she", "they", "it"})
# Last words of a capitalised run that make it a body, not a person.
_BODIES = frozenset(
    {
        "ministry",
        "forces",
        "force",
        "service",
        "office",
        "committee",
        "headquarters",
        "police",
        "administration",
        "council",
        "staff",
        "command",
        "agency",
        "guard",
    }
)
_SPEECH = frozenset({_VERB_LABEL, _ACCORDING_LABEL, _PRONOUN_LABEL})


class Mention(NamedTuple):
    """A claimant named at text[start:end] of a sentence, and whether the text attributes to it
    there; `name` is None for a pronoun still to be resolved."""

    start: int
    end: int
    name: str | None
    attributed: bool


@dataclass(frozen=True)
class ClaimantWords:
    """The [claimants] table compiled: `index` finds, in one pass over folded text, the
    claimants' names (labels "name:<name>"), the attributions ("verb", "according"), the
    pronouns ("pronoun") and the roles ("role"); `names` the names alone, to match at a
    position; `named` the name each phrase's labels give (None for no name), so that a hit is not
    read label by label; `sides` the side each name speaks for."""

    index: PhraseIndex
    names: PhraseIndex
    named: Mapping[frozenset[str], str | None]
    sides: Mapping[str, str | None]


def build_claimant_words(spec: Mapping[str, Any]) -> ClaimantWords:
    """The claimant words of a parsed [claimants] table; raises TypeError or ValueError when a
    list is not a list of strings."""
    labelled: dict[str, list[str]] = {}
    sides: dict[str, str | None] = {}
    for side in SIDES:
        table = spec.get(side, {})
        if not isinstance(table, Mapping):
            raise TypeError(f"[claimants.{side}] must be a table")
        for name, phrases in table.items():
            labelled[_NAME_LABEL + name] = [*_strings(phrases, name), name]
            sides[name] = side if side != "other" else None
    words = {
        _VERB_LABEL: _strings(spec.get("verbs", []), "verbs"),
        _ACCORDING_LABEL: _strings(spec.get("according", []), "according"),
        _PRONOUN_LABEL: _strings(spec.get("pronouns", []), "pronouns"),
        _ROLE_LABEL: _strings(spec.get("roles", []), "roles"),
    }
    index = compile_phrases({**labelled, **words})
    names = compile_phrases(labelled)
    return ClaimantWords(
        index=index,
        names=names,
        named={labels: _name_of(labels) for labels in (*index.labels, *names.labels)},
        sides=sides,
    )


def mentions(
    words: ClaimantWords, text: str, low: str, unattributed: bool = False
) -> list[Mention]:
    """The claimants named in `text` (a sentence or a stretch of a document; `low` folded), in
    order, each marked attributed or not; overlapping names keep the configured one. Where no
    attribution stands in the text, none unless `unattributed`."""
    hits = list(words.index.finditer(low))
    speech = [h for h in hits if not h.labels.isdisjoint(_SPEECH)]
    if not speech and not unattributed:
        return []  # the common case: nothing attributed, nothing to look for
    verbs = [h for h in speech if _VERB_LABEL in h.labels]
    found: list[Mention] = []
    for hit in hits:
        name = words.named[hit.labels]
        if name is not None:
            attributed = _attributed(speech, hit.start, hit.end)
            found.append(Mention(hit.start, hit.end, name, attributed))
        elif _ROLE_LABEL in hit.labels:
            found.append(_role_mention(words, hit.start, hit.end, text, low, speech))
    according = [h for h in speech if _ACCORDING_LABEL in h.labels]
    for match in _persons(text, verbs, according):
        name = _canonical(words, low, match.start(1)) or _person_name(match)
        found.append(Mention(match.start(), match.end(), name, True))
    for hit in speech:
        if _PRONOUN_LABEL in hit.labels and _next_to_verb(verbs, hit.start, hit.end):
            found.append(Mention(hit.start, hit.end, None, True))
    return _without_overlaps(found)


def _name_of(labels: frozenset[str]) -> str | None:
    names = [label[len(_NAME_LABEL) :] for label in labels if label.startswith(_NAME_LABEL)]
    return min(names) if names else None


def claimant_at(found: Sequence[Mention], position: int, text: str) -> Mention | None:
    """The attributed mention that speaks for the number at `position` of the sentence `text`:
    the nearest, a mention beyond a semicolon costing more ("the ministry said 180 were
    returned; Zelensky said 193")."""
    if len(found) == 1 and found[0].attributed and found[0].start < position:
        return found[0]  # the common case: one speaker, named before the number
    attributed = [m for m in found if m.attributed and _speaks_for(m, position, text)]
    if not attributed:
        return None

    def cost(mention: Mention) -> int:
        low, high = sorted((mention.start, position))
        distance = abs(position - (mention.end if mention.end <= position else mention.start))
        return distance + 1000 * len(_STRONG.findall(text, low, high))

    return min(attributed, key=cost)


def _speaks_for(mention: Mention, position: int, text: str) -> bool:
    """True unless the mention stands after the number with a clause of its own after its
    verb ("..., days after Putin said there would be no more strikes")."""
    if mention.start < position:
        return True
    verb = _VERB_AFTER.match(text, mention.end)
    if verb is None:
        return True
    return bool(_TAIL.match(text, verb.end()))


def resolved(
    words: ClaimantWords, mention: Mention | None, text: str, low: str, start: int
) -> str | None:
    """The name of `mention` of a sentence starting at `start` of the document (`text`, `low`
    folded); a pronoun takes the last name given before it in the document, and where there is
    none, a pronoun that names a body ("the ministry") is its own name."""
    if mention is None:
        return None
    if mention.name is not None:
        return mention.name
    at = start + mention.start
    phrase = " ".join(low[at : start + mention.end].split()).removeprefix("the ")
    return last_named(words, text, low, at) or (phrase if phrase not in _PERSONAL else None)


def last_named(words: ClaimantWords, text: str, low: str, end: int) -> str | None:
    """The last claimant named (attributed or not) in the document before `end`."""
    begin = max(0, end - _LOOK_BACK)
    named = [m for m in mentions(words, text[begin:end], low[begin:end], True) if m.name]
    return named[-1].name if named else None


def quoted_speaker(
    words: ClaimantWords, text: str, low: str, start: int, sentence: str
) -> str | None:
    """The speaker of a quotation with no speaker of its own: where `sentence` (at `start` of the
    document) opens with a quote mark or follows a colon, the last attributed name before it."""
    before = text[max(0, start - _LOOK_BACK) : start].rstrip()
    if not (sentence.lstrip().startswith(_QUOTE_OPENERS) or before.endswith(":")):
        return None
    begin = start - len(text[max(0, start - _LOOK_BACK) : start])
    found = [m for m in mentions(words, text[begin:start], low[begin:start]) if m.attributed]
    if not found:
        return None
    return resolved(words, found[-1], text, low, begin)


def side_of_claimant(words: ClaimantWords, name: str | None) -> str | None:
    """The side a claimant speaks for ("ukraine", "russia"), None when unknown or neither."""
    return words.sides.get(name) if name else None


def _role_mention(
    words: ClaimantWords, start: int, role_end: int, text: str, low: str, speech: list[Any]
) -> Mention:
    """A role at text[start:role_end], with the name right after it where there is one
    ("Governor Oleh Hryhorov") or right before it ("Ihor Lysenko, the regional governor")."""
    after = _PERSON.match(text, _skip_spaces(text, role_end))
    single = _SINGLE.match(text, role_end)
    if after is not None:
        end, name = after.end(), _canonical(words, low, after.start(1)) or after.group(1)
    elif single is not None and single.group(1).lower() not in _NOT_NAMES:
        end, name = single.end(), _canonical(words, low, single.start(1)) or single.group(1)
    else:
        apposed = _APPOSED.search(text, max(0, start - 60), start)
        end = role_end
        name = apposed.group(1) if apposed else " ".join(low[start:role_end].split())
    return Mention(start, end, name, _attributed(speech, start, end))


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def _attributed(speech: list[Any], start: int, end: int) -> bool:
    """True when an attribution stands next to the name at [start, end): a verb after it or
    before it ("Zelensky said", "said Zelensky"), or "according to" right before it."""
    for hit in speech:
        if _ACCORDING_LABEL in hit.labels and 0 <= start - hit.end <= 6:
            return True
        if _VERB_LABEL in hit.labels and (
            0 <= hit.start - end <= _REACH or 0 <= start - hit.end <= 6
        ):
            return True
    return False


def _persons(text: str, verbs: list[Any], according: list[Any]) -> list[re.Match[str]]:
    """The persons' names right before a verb ("Oleh Hryhorov said") or right after it ("said
    Deputy Prime Minister Iryna Vereshchuk"), or right after "according to" or "citing"
    ("citing Andriy Kovalenko, an adviser")."""
    found = [
        after
        for hit in according
        if (after := _PERSON.match(text, _skip_spaces(text, hit.end))) is not None
    ]
    for verb in verbs:
        # Most verbs follow a lower-case word ("the ministry said"): no name to look for.
        word = text[max(0, verb.start - 30) : verb.start].rstrip(" ,").rsplit(" ", 1)[-1]
        if word[:1].isupper():
            before = _PERSON_BEFORE.search(text, max(0, verb.start - 80), verb.start)
            if before is not None:
                found.append(before)
        after = _PERSON.match(text, _skip_spaces(text, verb.end))
        if after is not None:
            found.append(after)
    return found


def _next_to_verb(verbs: list[Any], start: int, end: int) -> bool:
    """True when a verb stands right after [start, end) ("he said") or right before it ("said
    Zelensky")."""
    return any(0 <= hit.start - end <= 2 or 0 <= start - hit.end <= 2 for hit in verbs)


def _person_name(match: re.Match[str]) -> str:
    """A person's surname, or a body's whole name ("Defense Ministry", "Armed Forces")."""
    if match.group(1).lower() in _BODIES:
        return " ".join(match.group(0).rstrip(" ,").split())
    return match.group(1)


def _canonical(words: ClaimantWords, low: str, at: int) -> str | None:
    """The configured name that starts at `at` ("Zelenskyy" -> "Zelensky"), if any."""
    hit = words.names.match(low, at)
    return words.named[hit.labels] if hit is not None else None


def _without_overlaps(found: list[Mention]) -> list[Mention]:
    """The mentions in order, where two overlap the one found first (configured names come
    first, then roles, then persons)."""
    kept: list[Mention] = []
    for mention in found:
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept)


def _strings(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"claimants: {key} must be a list of strings")
    return value
