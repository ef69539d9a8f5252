"""The side of a figure (figures.md): for swaps, whose people were returned to them; for
attacks, the country attacked.

side_of reads the configured cues: "both" in the number's clause ("each side brought home
307") wins; otherwise the nearest side cue of the clause, then of the sentence (but "both",
which speaks for its own clause only); otherwise the topic's default (attacks: Ukraine; swaps:
none, as for a combined total "more than 300 prisoners were swapped"). An "N-for-N" exchange is
per side.

receivers.receiver reads a swap figure's receiver from the words around the number; where it
says, it overrides these cues (attribution runs it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.extract.numbers import NumberToken
from bot.extract.phrases import Hit


def side_of(
    context: Mapping[str, Sequence[Hit]],
    token: NumberToken,
    clause: tuple[int, int],
    labels: Sequence[tuple[str, str]],
    default: str | None,
) -> str | None:
    """The side of the number `token`, from the context hits of its sentence by label;
    `labels` are the side labels of the metric's topic with their sides (MetricRule.side_labels,
    in the order of figures.SIDES), `default` its side where no cue says one."""
    if token.pair:
        return "both"
    sided = [(hit, side) for label, side in labels if label in context for hit in context[label]]
    if not sided:
        return default
    own = [(hit, side) for hit, side in sided if clause[0] <= hit.start < clause[1]]
    if any(side == "both" for _, side in own):
        return "both"
    if own:
        return _nearest(own, token)
    # "Both" speaks for its own clause only ("150 were freed, though the number from each side
    # was not given" is no per-side count).
    around = [(hit, side) for hit, side in sided if side != "both"]
    return _nearest(around, token) if around else default


def _nearest(sided: list[tuple[Hit, str]], token: NumberToken) -> str:
    def distance(item: tuple[Hit, str]) -> int:
        hit = item[0]
        return min(abs(hit.start - token.end), abs(token.start - hit.end))

    return min(sided, key=distance)[1]
