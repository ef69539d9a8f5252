"""Counters for Prometheus: one `Metrics` instance, passed to whoever counts, rendered on scrape.

The series are fixed here, each with its help text and its label names, so a typo in a name or a
label fails loudly at the call instead of growing a series nobody scrapes. Gauges (outbox backlog,
up) are not stored: the caller reads them when rendering and passes them to `render`.

The output is the Prometheus text exposition format 0.0.4, sorted so two renders of the same
counts are byte-identical. prometheus_client is not used: this format is small, and that library
keeps its registry in module state, which Tallywire does not have.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class Series:
    """One metric family: its name, Prometheus type, help text and label names."""

    name: str
    kind: Literal["counter", "gauge"]
    help: str
    labels: tuple[str, ...] = ()


COUNTERS: tuple[Series, ...] = (
    Series("tallywire_polls_total", "counter", "Feed polls, by outcome.", ("status",)),
    Series("tallywire_poll_errors_total", "counter", "Feed polls that failed."),
    Series(
        "tallywire_documents_total",
        "counter",
        "Documents seen, by how they were stored (new, version, duplicate).",
        ("stored",),
    ),
    Series("tallywire_figures_total", "counter", "Figures extracted from documents."),
    Series(
        "tallywire_feed_items_skipped_total",
        "counter",
        "Feed items a poll did not store, by reason: item_cap (dropped, older than the newest "
        "kept), time_budget, stopping, lease_lost (left for the next poll).",
        ("reason",),
    ),
    Series("tallywire_changes_total", "counter", "Tally changes, by kind.", ("kind",)),
    Series(
        "tallywire_deliveries_total",
        "counter",
        "Message deliveries, by result (sent, failed, uncertain, superseded, disabled, retried).",
        ("result",),
    ),
)
GAUGES: tuple[Series, ...] = (
    Series("tallywire_outbox_backlog", "gauge", "Messages in the outbox waiting to be sent."),
    Series("tallywire_up", "gauge", "1 while the service is running."),
)

LabelKey = tuple[tuple[str, str], ...]


class Metrics:
    """Counts of what the service did, safe to increment from the event loop and from threads."""

    def __init__(self) -> None:
        self._series = {series.name: series for series in COUNTERS}
        self._gauges = {series.name: series for series in GAUGES}
        self._counts: dict[str, dict[LabelKey, int]] = {name: {} for name in self._series}
        self._lock = threading.Lock()

    def count(self, name: str, amount: int = 1, **labels: str) -> None:
        """Add `amount` to the counter `name` for these label values.

        Raises ValueError for an unknown counter, label names other than the counter's own, or a
        negative amount (a counter only goes up).
        """
        key = self._key(name, labels)
        if amount < 0:
            raise ValueError(f"{name}: a counter cannot go down (amount {amount})")
        with self._lock:
            samples = self._counts[name]
            samples[key] = samples.get(key, 0) + amount

    def value(self, name: str, **labels: str) -> int:
        """The current count of `name` for these label values; 0 if never counted."""
        key = self._key(name, labels)
        with self._lock:
            return self._counts[name].get(key, 0)

    def render(self, gauges: Mapping[str, float]) -> str:
        """Every series in the text format 0.0.4, sorted by name, then by label values.

        `gauges` maps gauge names (`tallywire_outbox_backlog`, `tallywire_up`) to their current
        values; a gauge left out renders its HELP and TYPE with no sample. A counter never
        incremented renders 0 if it has no labels, and no sample otherwise.
        Raises ValueError for a gauge name that is not a known gauge.
        """
        unknown = sorted(set(gauges) - set(self._gauges))
        if unknown:
            raise ValueError(f"unknown gauges: {', '.join(unknown)}")
        with self._lock:
            counts = {name: dict(samples) for name, samples in self._counts.items()}
        lines: list[str] = []
        for name in sorted({*self._series, *self._gauges}):
            series = self._series.get(name) or self._gauges[name]
            lines += [f"# HELP {name} {_escape_help(series.help)}", f"# TYPE {name} {series.kind}"]
            if series.kind == "gauge":
                samples: dict[LabelKey, float] = {(): gauges[name]} if name in gauges else {}
            else:
                samples = dict(counts[name]) or ({} if series.labels else {(): 0})
            lines += [_sample(name, key, samples[key]) for key in sorted(samples)]
        return "\n".join(lines) + "\n"

    def _key(self, name: str, labels: Mapping[str, str]) -> LabelKey:
        series = self._series.get(name)
        if series is None:
            raise ValueError(f"unknown counter {name!r}")
        if set(labels) != set(series.labels):
            expected = ", ".join(series.labels) or "none"
            raise ValueError(f"{name} takes labels ({expected}), got ({', '.join(labels)})")
        return tuple(sorted(labels.items()))


def _sample(name: str, key: LabelKey, value: float) -> str:
    if not key:
        return f"{name} {_number(value)}"
    labels = ",".join(f'{label}="{escape_label_value(text)}"' for label, text in key)
    return f"{name}{{{labels}}} {_number(value)}"


def escape_label_value(text: str) -> str:
    """A label value as the text format wants it: backslash, double quote and newline escaped."""
    return text.replace("\\", r"\\").replace('"', r"\"").replace("\n", r"\n")


def _escape_help(text: str) -> str:
    # HELP text escapes backslash and newline, but not the double quote.
    return text.replace("\\", r"\\").replace("\n", r"\n")


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
