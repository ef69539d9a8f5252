"""The word lists of parts and splits, from config/metrics.toml [parts], kept apart from the
vocabulary that holds them (parts.py, contexts.py, splits.py, inside.py read them)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

# [parts] lists that are no phrases to scan for: metric ids, and words looked up at a number.
_LOOKED_UP = frozenset({"wholes", "place_openers", "deal_ties", "completions", "in_stages"})


@dataclass(frozen=True)
class PartWords:
    """`wholes`: the metrics a fraction's whole is read as, the one that counts its class
    ("shot down 27 of 35 drones": 35 launched); `place_openers`: the words after an unnamed
    count that say where it happened ("four over the Rostov region"), looked up at a
    number; `deal_ties`: the words that tie a running total to one deal ("under the deal",
    "over the past two days"), and `completions` those that say a deal was carried out in
    full ("completed"), looked up in the sentence of a swap count, and `in_stages` those of the
    sentence after a release that make it a running total (running_totals). The other
    [parts] lists are phrases of the sentence scan, labelled "part:<name>"."""

    wholes: frozenset[str] = frozenset()
    place_openers: frozenset[str] = frozenset()
    deal_ties: tuple[str, ...] = ()
    completions: tuple[str, ...] = ()
    in_stages: tuple[str, ...] = ()


def build_part_words(
    data: Mapping[str, Any], metric_ids: Collection[str], context: dict[str, list[str]]
) -> PartWords:
    """The part words of a parsed metrics.toml; its lists to scan for are added to `context`
    (the vocabulary's phrase lists by label, while it is built) as "part:<name>". Raises
    TypeError or ValueError when [parts] is malformed."""
    table = data.get("parts", {})
    if not isinstance(table, Mapping):
        raise TypeError("[parts] must be a table")
    lists = {name: _strings(table, name) for name in table}
    wholes = frozenset(lists.get("wholes", []))
    unknown = sorted(wholes - set(metric_ids))
    if unknown:
        raise ValueError(f"[parts] wholes names unknown metrics: {unknown}")
    words = PartWords(
        wholes=wholes,
        place_openers=frozenset(w.lower() for w in lists.get("place_openers", [])),
        deal_ties=tuple(w.lower() for w in lists.get("deal_ties", [])),
        completions=tuple(w.lower() for w in lists.get("completions", [])),
        in_stages=tuple(w.lower() for w in lists.get("in_stages", [])),
    )
    context.update(
        (f"part:{name}", phrases) for name, phrases in lists.items() if name not in _LOOKED_UP
    )
    return words


def _strings(spec: Mapping[str, Any], key: str) -> list[str]:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"{key} must be a list of strings")
    return value
