"""What a hedged figure allows: "at least 15" is every count from 15 up (design.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Interval:
    """The counts a report allows, from `low` to `high` inclusive; `high` None is unbounded."""

    low: int
    high: int | None

    def meets(self, other: Interval) -> bool:
        """Whether some count is allowed by both."""
        low = max(self.low, other.low)
        return (self.high is None or self.high >= low) and (other.high is None or other.high >= low)

    def intersect(self, other: Interval) -> Interval | None:
        """The counts both allow, or None when they do not meet."""
        low = max(self.low, other.low)
        if self.high is None:
            high = other.high
        elif other.high is None:
            high = self.high
        else:
            high = min(self.high, other.high)
        if high is not None and high < low:
            return None
        return Interval(low, high)

    @property
    def exact(self) -> bool:
        return self.high == self.low


def interval_of(value: int, qualifier: str) -> Interval:
    """The interval a value and its qualifier allow: `about` is roughly ±10 %, `nearly` is up to
    10 % below, `up_to` is anything up to the value."""
    if qualifier == "at_least":
        return Interval(value, None)
    if qualifier == "more_than":
        return Interval(value + 1, None)
    if qualifier == "about":
        spread = max(1, math.ceil(value * 0.1))
        return Interval(max(0, value - spread), value + spread)
    if qualifier == "nearly":
        return Interval(max(0, math.floor(value * 0.9)), value)
    if qualifier == "up_to":
        return Interval(0, value)
    return Interval(value, value)


def describe(interval: Interval) -> str:
    """The interval as a reader says it, in digits: "15", "at least 15", "900 to 1,000"."""
    if interval.high is None:
        return f"at least {interval.low:,}"
    if interval.exact:
        return f"{interval.low:,}"
    if interval.low == 0:
        return f"up to {interval.high:,}"
    return f"{interval.low:,} to {interval.high:,}"
