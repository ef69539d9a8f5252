"""Running totals of released people, told by the sentence around them (issue 14, cause 1).

`swap.released_total` counts the people returned so far over the phases of one deal
(figures.md). The sentence says which deal:
- a running total tied to no deal, no phase and no span of days (`[parts] deal_ties`) is a
  count across separate swaps or since the war began ("In total, almost 200 people have
  already come home from captivity"): no figure of any one event;
- the count of an earlier exchange said to be completed (`[parts] completions` and a
  `[time] earlier` cue in the number's clause: "both sides completed an earlier exchange
  involving 1,200 prisoners from each side") is the total that deal reached, a running total
  of that earlier event, never one day's release.
Pure: a sentence's readings in, the same with some dropped or read as another metric out.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from bot.extract.cues import SentenceView
from bot.extract.vocabulary import Vocabulary

if TYPE_CHECKING:
    from bot.extract.reading import Reading

_RELEASED = "swap.released"
_TOTAL = "swap.released_total"
_EARLIER = "time:earlier"


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
