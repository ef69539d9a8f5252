"""The word lists of attribution (claimants, places, receivers), from config/metrics.toml, kept
apart from attribution itself so that the vocabulary can hold them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.extract.claimants import ClaimantWords, build_claimant_words
from bot.extract.places import PlaceWords, build_place_words
from bot.extract.receivers import ReceiverWords, build_receiver_words


@dataclass(frozen=True)
class AttributionWords:
    """The word lists attribution reads, from config/metrics.toml [claimants], [places] and
    [receivers]."""

    claimants: ClaimantWords
    places: PlaceWords
    receivers: ReceiverWords


def build_attribution_words(data: Mapping[str, Any]) -> AttributionWords:
    """The attribution words of a parsed metrics.toml; raises TypeError or ValueError when a
    table is malformed."""
    return AttributionWords(
        claimants=build_claimant_words(_table(data, "claimants")),
        places=build_place_words(_table(data, "places")),
        receivers=build_receiver_words(_table(data, "receivers")),
    )


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise TypeError(f"[{key}] must be a table")
    return value
