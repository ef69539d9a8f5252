"""Running totals of released people, told by the sentence around them (issue 14, cause 1).

`swap.released_total` counts the people returned so far over the phases of one deal
(figures.md). The sentence says which deal:
- a running total tied to no deal, no phase and no span of days (`[parts] deal_ties`) is a
  count across separate swaps or since the war began ("In total, almost 200 people have
  already come home from captivity"): no figure of any one event;
- the count of an earlier exchange said to be completed (`[parts] completions` and a
  `[time] earlier` cue in the number's clause: "both sides completed an earlier exchange
  involving 1,200 prisoners from each side") is the total that deal reached, a running total
  of that earlier event, never one day's release;
- a release whose next sentence, with no number of its own, says it took place in stages or
  over days (`[parts] in_stages`: "We are bringing back 130 of our people. This has been
  taking place in several stages over the past few days.") counts the deal's phases so far.
Pure: readings in, the same with some dropped or read as another metric out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from bot.extract.cues import SentenceView
from bot.extract.sentences import Sentence
from bot.extract.vocabulary import Vocabulary

if TYPE_CHECKING:
    from bot.extract.reading import Reading

Read = tuple[Sentence, SentenceView, list["Reading"]]
_RELEASED = "swap.released"
_TOTAL = "swap.released_total"
_EARLIER = "time:earlier"
# The opening of a sentence that goes on about the release before it ("This took place ...",
# "The exchange was carried out ..."), after a closing quote mark or space.
_GOES_ON = re.compile(r"[\s\"”’']*(?:this|it|they|the (?:exchange|swap|release|return)s?)\b")
_NUMBER = re.compile(r"\d")
_END = re.compile(r"[.!?]")


def reread_totals(
    view: SentenceView, readings: list[Reading], vocabulary: Vocabulary
) -> list[Reading]:
    """`readings` without the running totals that no deal ties to one event, and with the
    count of a completed earlier exchange read as that deal's running total."""
    if not any(r.rule.topic == "swap" for r in readings):
        return readings
    words = vocabulary.parts
    out = []
    for reading in readings:
        rule_id = reading.rule.id
        if rule_id == _TOTAL and not _says(words.deal_ties, view.text, 0, len(view.text)):
            continue  # across separate swaps, or since the war: no one deal's total
        if rule_id == _RELEASED and _completed_earlier(view, reading, words.completions):
            reading = reading._replace(rule=vocabulary.metrics[_TOTAL])
        out.append(reading)
    return out


def staged_releases(read: Sequence[Read], low: str, vocabulary: Vocabulary) -> list[Read]:
    """The sentences read, with the one release of a sentence read as a running total where
    the sentence after it (in the folded document `low`) goes on about it with words of stages
    or days and no number."""
    stages = vocabulary.parts.in_stages
    out = []
    for sentence, view, readings in read:
        released = [n for n, r in enumerate(readings) if r.rule.id == _RELEASED]
        if len(released) == 1 and _goes_on_in_stages(low, sentence.end, stages):
            n = released[0]
            total = readings[n]._replace(rule=vocabulary.metrics[_TOTAL])
            readings = [*readings[:n], total, *readings[n + 1 :]]
        out.append((sentence, view, readings))
    return out


def _goes_on_in_stages(low: str, end: int, stages: tuple[str, ...]) -> bool:
    """Whether the sentence starting at `end` of `low` (in the same paragraph) goes on about
    the one before with words of stages or days, and holds no number."""
    opening = _GOES_ON.match(low, end)
    if opening is None or "\n" in low[end : opening.end()]:
        return False  # another paragraph, or no sentence going on
    stop = _END.search(low, opening.end())
    high = stop.start() if stop else len(low)
    if "\n" in low[end:high] or _NUMBER.search(low, end, high):
        return False
    return _says(stages, low, opening.end(), high)


def _completed_earlier(view: SentenceView, reading: Reading, completions: tuple[str, ...]) -> bool:
    """Whether the reading's clause calls the exchange it counts an earlier one, completed
    before the number."""
    low = reading.clause[0]
    start = reading.token.start
    return bool(view.labelled(_EARLIER, low, start)) and _says(completions, view.text, low, start)


def _says(words: tuple[str, ...], text: str, low: int, high: int) -> bool:
    """Whether one of `words` stands, as whole words, in text[low:high]."""
    return bool(words) and _pattern(words).search(text, low, high) is not None


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(
        (r"\b" if word[0].isalnum() else "")
        + re.escape(word)
        + (r"\b" if word[-1].isalnum() else "")
        for word in sorted(words, key=len, reverse=True)
    )
    return re.compile(alternatives)
