"""What every benchmark shares: a result row, the repository on sys.path, and small timers.

Each benchmark module in bench/ has `run(quick: bool) -> list[Row]`; bench/run.py runs them all
and prints one table (and writes it as JSON). `quick` shrinks the sizes for a smoke run: its
figures are not the ones to report.
"""

from __future__ import annotations

import resource
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@dataclass(frozen=True)
class Row:
    """One measured figure, with the target it is held to (if any) and whether it met it."""

    benchmark: str  # e.g. "ingest"
    measure: str  # e.g. "pipeline / feedparser time"
    value: float
    unit: str  # e.g. "x", "ms", "articles/s", "MB"
    target: str = ""  # e.g. "<= 2.0"; empty for a figure shown for context
    met: bool | None = None  # None when there is no target

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def held_to(
    benchmark: str,
    measure: str,
    value: float,
    unit: str,
    *,
    at_most: float | None = None,
    at_least: float | None = None,
) -> Row:
    """A row held to an upper bound (`at_most`) or a lower one (`at_least`)."""
    if at_most is not None:
        return Row(benchmark, measure, value, unit, f"<= {at_most:g}", value <= at_most)
    if at_least is not None:
        return Row(benchmark, measure, value, unit, f">= {at_least:g}", value >= at_least)
    return Row(benchmark, measure, value, unit)


def percentile(values: list[float], share: float) -> float:
    """The `share` (0..1) percentile of `values`, interpolated; 0.0 when there are none."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[min(max(round(share * 100) - 1, 0), 98)]


def cpu_seconds() -> float:
    """CPU time (user + system) of this process so far, threads included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
