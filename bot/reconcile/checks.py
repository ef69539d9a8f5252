"""Arithmetic checks between the tallies of one event, as config/checks.toml states them.

A check is one class per kind behind the `Check` protocol; `KINDS` maps each array of tables
of checks.toml (`[[sum]]`, `[[at_most]]`) to the constructor of its kind, so a new kind is one
class and one entry there, and the code that runs checks (`breaches`, `breaches_involving`,
`holds`, the engine) never names a kind. `[phases]` is not a check but the rule of a swap's
running totals (`bot.reconcile.cumulative`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from bot.errors import ConfigError
from bot.reconcile.intervals import Interval, describe

MetricSide = tuple[str, str | None]
Values = Mapping[MetricSide, Interval]


@dataclass(frozen=True)
class Breach:
    """A check that fails, the keys (metric, side) it involves, and its arithmetic."""

    check: str
    keys: tuple[MetricSide, ...]
    detail: str


class Split(NamedTuple):
    """A whole and the parts that add up to it, as replies write them in one line."""

    whole: str
    parts: tuple[str, ...]


class Check(Protocol):
    """One rule of checks.toml: arithmetic between the chosen values of one event, compared
    side by side. `values` maps (metric, side) to the interval the engine chose for it."""

    @property
    def name(self) -> str:
        """The rule as checks.toml names it; its breaches carry it."""
        ...

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics whose values it compares: a value of any other metric never changes
        its verdict."""
        ...

    def breach(self, values: Values, side: str | None, *, explain: bool = True) -> Breach | None:
        """How the values of `side` break it: the keys it compares and, with `explain`, its
        arithmetic ("1,280 + 117 is not 245"). None when they keep it or one is not known."""
        ...

    def holds(self, values: Values, side: str | None) -> str | None:
        """Its arithmetic where the values of `side` are all known and keep it, as a summary
        writes it ("128 + 117 = 245"). None otherwise, and always for a kind with nothing to
        show when it holds."""
        ...


@dataclass(frozen=True)
class SumCheck:
    """`[[sum]]`: the parts add up to the total."""

    name: str
    parts: tuple[str, ...]
    total: str

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> SumCheck:
        """From `name`, `parts` and `total`. Raises KeyError or TypeError if one is missing."""
        return cls(str(table["name"]), tuple(map(str, table["parts"])), str(table["total"]))

    @property
    def metrics(self) -> tuple[str, ...]:
        return (*self.parts, self.total)

    def breach(self, values: Values, side: str | None, *, explain: bool = True) -> Breach | None:
        total = values.get((self.total, side))
        if total is None:
            return None
        keys, parts = [], []
        low, high = 0, 0
        unbounded = False
        for metric in self.parts:
            part = values.get((metric, side))
            if part is None:
                return None
            keys.append((metric, side))
            parts.append(part)
            low += part.low
            if part.high is None:
                unbounded = True
            else:
                high += part.high
        if Interval(low, None if unbounded else high).meets(total):
            return None
        keys.append((self.total, side))
        if not explain:
            return Breach(self.name, tuple(keys), "")
        arithmetic = " + ".join(describe(p) for p in parts)
        return Breach(self.name, tuple(keys), f"{arithmetic} is not {describe(total)}")

    def holds(self, values: Values, side: str | None) -> str | None:
        keys = [(m, side) for m in self.parts]
        total = values.get((self.total, side))
        if total is None or any(k not in values for k in keys):
            return None
        if self.breach(values, side, explain=False) is not None:
            return None
        return f"{' + '.join(describe(values[k]) for k in keys)} = {describe(total)}"

    @property
    def split(self) -> Split:
        """The total and its parts, for the replies' split line."""
        return Split(self.total, self.parts)


@dataclass(frozen=True)
class AtMostCheck:
    """`[[at_most]]`: `metric` is no larger than `limit`."""

    name: str
    metric: str
    limit: str

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> AtMostCheck:
        """From `name`, `metric` and `limit`. Raises KeyError if one is missing."""
        return cls(str(table["name"]), str(table["metric"]), str(table["limit"]))

    @property
    def metrics(self) -> tuple[str, ...]:
        return (self.metric, self.limit)

    def breach(self, values: Values, side: str | None, *, explain: bool = True) -> Breach | None:
        value, limit = values.get((self.metric, side)), values.get((self.limit, side))
        if value is None or limit is None or limit.high is None or value.low <= limit.high:
            return None
        return Breach(
            self.name,
            ((self.metric, side), (self.limit, side)),
            f"{describe(value)} is more than {describe(limit)}" if explain else "",
        )

    def holds(self, values: Values, side: str | None) -> str | None:
        return None


CheckKind = Callable[[Mapping[str, Any]], Check]

# The kinds of check, by the name of their array of tables in checks.toml. Checks run kind by
# kind in this order, then in the file's order.
KINDS: Mapping[str, CheckKind] = MappingProxyType(
    {"sum": SumCheck.from_table, "at_most": AtMostCheck.from_table}
)


@dataclass(frozen=True)
class PhaseRule:
    """`[phases]`: which metrics are a swap's phases, its cumulative total and its agreed
    total."""

    phase: str
    cumulative: str
    agreed: str


@dataclass(frozen=True)
class Checks:
    """The checks of a checks.toml in the order they run, and the swaps' running-total rule."""

    listed: tuple[Check, ...] = ()
    phases: PhaseRule | None = None

    @cached_property
    def sums(self) -> tuple[SumCheck, ...]:
        """The checks that parts add up to a total."""
        return tuple(c for c in self.listed if isinstance(c, SumCheck))

    @cached_property
    def splits(self) -> tuple[Split, ...]:
        """Each sum's total and parts, in order: the split lines of summaries and answers."""
        return tuple(c.split for c in self.sums)

    def naming(self, metric: str) -> tuple[Check, ...]:
        """The checks that compare `metric`, in the order they run."""
        return self._by_metric.get(metric, ())

    @cached_property
    def _by_metric(self) -> dict[str, tuple[Check, ...]]:
        found: dict[str, list[Check]] = {}
        for check in self.listed:
            for metric in dict.fromkeys(check.metrics):
                found.setdefault(metric, []).append(check)
        return {metric: tuple(checks) for metric, checks in found.items()}


def load_checks(path: Path | None, kinds: Mapping[str, CheckKind] = KINDS) -> Checks:
    """The checks of a checks.toml, each array of tables read by its kind in `kinds`; none when
    there is no file. Raises ConfigError if malformed or if it has a table of no known kind."""
    if path is None:
        return Checks()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        unknown = sorted(set(data) - set(kinds) - {"phases"})
        if unknown:
            known = ", ".join([*kinds, "phases"])
            raise ConfigError(f"{path}: no kind of check named {', '.join(unknown)} ({known})")
        listed = tuple(kind(table) for name, kind in kinds.items() for table in data.get(name, []))
        phases = data.get("phases")
        return Checks(
            listed,
            PhaseRule(str(phases["phase"]), str(phases["cumulative"]), str(phases["agreed"]))
            if phases
            else None,
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def breaches(values: Values, checks: Checks) -> list[Breach]:
    """Every check that the intervals break, side by side."""
    found = []
    for side in sorted({side for _, side in values}, key=str):
        for check in checks.listed:
            breach = check.breach(values, side)
            if breach:
                found.append(breach)
    return found


def breaches_involving(
    values: Values, checks: Checks, key: MetricSide, *, explain: bool = True
) -> list[Breach]:
    """The breaches of `breaches(values, checks)` whose keys include `key`, in the same order,
    without evaluating the checks that do not name it. With `explain` False the breaches carry
    no detail, which is all it takes to count them or to tell them apart."""
    if key not in values:
        return []
    metric, side = key
    found = []
    for check in checks.naming(metric):
        breach = check.breach(values, side, explain=explain)
        if breach:
            found.append(breach)
    return found


def holds(values: Values, checks: Checks) -> list[str]:
    """The arithmetic of the checks that hold with every value known: "128 + 117 = 245"."""
    found = []
    for side in sorted({side for _, side in values}, key=str):
        for check in checks.listed:
            text = check.holds(values, side)
            if text is not None:
                found.append(text)
    return found
