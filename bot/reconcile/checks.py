"""Arithmetic checks between the tallies of one event, as config/checks.toml states them."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ConfigError
from bot.reconcile.intervals import Interval, describe

MetricSide = tuple[str, str | None]


@dataclass(frozen=True)
class SumCheck:
    """The parts add up to the total."""

    name: str
    parts: tuple[str, ...]
    total: str


@dataclass(frozen=True)
class AtMostCheck:
    """`metric` is no larger than `limit`."""

    name: str
    metric: str
    limit: str


@dataclass(frozen=True)
class PhaseRule:
    """Which metrics are a swap's phases, its cumulative total and its agreed total."""

    phase: str
    cumulative: str
    agreed: str


@dataclass(frozen=True)
class Checks:
    sums: tuple[SumCheck, ...] = ()
    at_most: tuple[AtMostCheck, ...] = ()
    phases: PhaseRule | None = None


@dataclass(frozen=True)
class Breach:
    """A check that fails, the keys (metric, side) it involves, and its arithmetic."""

    check: str
    keys: tuple[MetricSide, ...]
    detail: str


def load_checks(path: Path | None) -> Checks:
    """The checks of a checks.toml; none when there is no file. Raises ConfigError if malformed."""
    if path is None:
        return Checks()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        phases = data.get("phases")
        return Checks(
            sums=tuple(
                SumCheck(str(c["name"]), tuple(map(str, c["parts"])), str(c["total"]))
                for c in data.get("sum", [])
            ),
            at_most=tuple(
                AtMostCheck(str(c["name"]), str(c["metric"]), str(c["limit"]))
                for c in data.get("at_most", [])
            ),
            phases=PhaseRule(str(phases["phase"]), str(phases["cumulative"]), str(phases["agreed"]))
            if phases
            else None,
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def breaches(values: Mapping[MetricSide, Interval], checks: Checks) -> list[Breach]:
    """Every sum and at-most check that the intervals break, side by side."""
    found = []
    for side in sorted({side for _, side in values}, key=str):
        for check in checks.sums:
            breach = _sum_breach(check, values, side)
            if breach:
                found.append(breach)
        for limit in checks.at_most:
            breach = _at_most_breach(limit, values, side)
            if breach:
                found.append(breach)
    return found


def breaches_involving(
    values: Mapping[MetricSide, Interval], checks: Checks, key: MetricSide, *, explain: bool = True
) -> list[Breach]:
    """The breaches of `breaches(values, checks)` whose keys include `key`, in the same order,
    without evaluating the checks that do not name it. With `explain` False the breaches carry
    no detail, which is all it takes to count them or to tell them apart."""
    if key not in values:
        return []
    metric, side = key
    found = []
    for check in checks.sums:
        if metric in check.parts or metric == check.total:
            breach = _sum_breach(check, values, side, explain)
            if breach:
                found.append(breach)
    for limit in checks.at_most:
        if metric in (limit.metric, limit.limit):
            breach = _at_most_breach(limit, values, side, explain)
            if breach:
                found.append(breach)
    return found


def holds(values: Mapping[MetricSide, Interval], checks: Checks) -> list[str]:
    """The sums that hold with every part known, as arithmetic: "128 + 117 = 245"."""
    found = []
    for side in sorted({side for _, side in values}, key=str):
        for check in checks.sums:
            keys = [(m, side) for m in check.parts]
            total = values.get((check.total, side))
            if total is None or any(k not in values for k in keys):
                continue
            if _sum_breach(check, values, side) is None:
                parts = " + ".join(describe(values[k]) for k in keys)
                found.append(f"{parts} = {describe(total)}")
    return found


def _sum_breach(
    check: SumCheck, values: Mapping[MetricSide, Interval], side: str | None, explain: bool = True
) -> Breach | None:
    total = values.get((check.total, side))
    if total is None:
        return None
    keys, parts = [], []
    low, high = 0, 0
    unbounded = False
    for metric in check.parts:
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
    if not explain:
        return Breach(check.name, (*keys, (check.total, side)), "")
    arithmetic = " + ".join(describe(p) for p in parts)
    return Breach(
        check.name, (*keys, (check.total, side)), f"{arithmetic} is not {describe(total)}"
    )


def _at_most_breach(
    check: AtMostCheck,
    values: Mapping[MetricSide, Interval],
    side: str | None,
    explain: bool = True,
) -> Breach | None:
    value, limit = values.get((check.metric, side)), values.get((check.limit, side))
    if value is None or limit is None or limit.high is None or value.low <= limit.high:
        return None
    return Breach(
        check.name,
        ((check.metric, side), (check.limit, side)),
        f"{describe(value)} is more than {describe(limit)}" if explain else "",
    )
