"""What the service counts, for Prometheus: one `Metrics` per service, passed to whoever counts.

The series live in a `prometheus_client.CollectorRegistry` of the service's own (passed in, or
made here), never in the library's module-level default registry: two services in one process
(tests) keep apart. The series are fixed here, each with its help text and label names, so a
typo in a name or a label fails loudly at the call instead of growing a series nobody scrapes.

Gauges read at scrape time (the outbox backlog, up) are not kept: the caller reads them and
passes them to `render`/`exposition`. A scrape is the text format 0.0.4, or OpenMetrics when the
scraper asks for it (its Accept header).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Seconds. A poll is a fetch (10 s timeout) then storing within its budget; a message waits in
# the outbox for its pacing slot (seconds) or for a platform's outage to end (hours).
POLL_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
LATENCY_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400)


@dataclass(frozen=True)
class Series:
    """One metric family: its name, Prometheus type, help text and label names."""

    name: str
    kind: Literal["counter", "gauge", "histogram"]
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
HISTOGRAMS: tuple[Series, ...] = (
    Series(
        "tallywire_poll_duration_seconds",
        "histogram",
        "Seconds a feed poll took, from its request to its documents stored.",
    ),
    Series(
        "tallywire_delivery_latency_seconds",
        "histogram",
        "Seconds from a message's writing to the outbox to its delivery, by channel.",
        ("channel",),
    ),
)
GAUGES: tuple[Series, ...] = (
    Series("tallywire_outbox_backlog", "gauge", "Messages in the outbox waiting to be sent."),
    Series("tallywire_up", "gauge", "1 while the service is running."),
)
_BUCKETS = {
    "tallywire_poll_duration_seconds": POLL_BUCKETS,
    "tallywire_delivery_latency_seconds": LATENCY_BUCKETS,
}


def service_registry() -> CollectorRegistry:
    """A registry of its own for one service, with the process's metrics (CPU, memory, open
    files: `process_*`), the interpreter's (`python_info`) and the garbage collector's."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    return registry


class Metrics:
    """Counts and timings of what the service did, in `registry` (a fresh one if not given);
    safe to use from the event loop and from threads."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self._series = {series.name: series for series in (*COUNTERS, *HISTOGRAMS)}
        self._counters = {
            s.name: Counter(s.name, s.help, s.labels, registry=self.registry) for s in COUNTERS
        }
        self._histograms = {
            s.name: Histogram(
                s.name, s.help, s.labels, registry=self.registry, buckets=_BUCKETS[s.name]
            )
            for s in HISTOGRAMS
        }
        self._readings = _Readings()
        self.registry.register(self._readings)

    def count(self, name: str, amount: float = 1, **labels: str) -> None:
        """Add `amount` to the counter `name` for these label values.

        Raises ValueError for an unknown counter, label names other than the counter's own, or a
        negative amount (a counter only goes up).
        """
        self._check(name, "counter", labels)
        if amount < 0:
            raise ValueError(f"{name}: a counter cannot go down (amount {amount})")
        counter = self._counters[name]
        (counter.labels(**labels) if labels else counter).inc(amount)

    def observe(self, name: str, seconds: float, **labels: str) -> None:
        """Record `seconds` in the histogram `name` for these label values. Raises ValueError
        for an unknown histogram or label names other than its own."""
        self._check(name, "histogram", labels)
        histogram = self._histograms[name]
        (histogram.labels(**labels) if labels else histogram).observe(seconds)

    def value(self, name: str, **labels: str) -> float:
        """The current count of counter `name` for these label values; 0 if never counted."""
        self._check(name, "counter", labels)
        return self.registry.get_sample_value(name, labels) or 0

    def total(self, name: str) -> float:
        """The count of counter `name` summed over all its label values."""
        if name not in self._counters:
            raise ValueError(f"unknown counter {name!r}")
        return sum(
            sample.value
            for family in self._counters[name].collect()
            for sample in family.samples
            if sample.name == name
        )

    def render(self, gauges: Mapping[str, float]) -> str:
        """Every series in the text format 0.0.4; `gauges` as in `exposition`."""
        self._readings.set(gauges)
        return generate_latest(self.registry).decode("utf-8")

    def exposition(self, accept: str | None, gauges: Mapping[str, float]) -> tuple[bytes, str]:
        """The scrape (body, content type) in the format the `accept` header asks for:
        OpenMetrics if it names it, else the text format 0.0.4.

        `gauges` maps gauge names (`tallywire_outbox_backlog`, `tallywire_up`) to their current
        values; a gauge left out has no sample. Raises ValueError for an unknown gauge name.
        """
        self._readings.set(gauges)
        encode, content_type = choose_encoder(accept or "")
        return encode(self.registry), content_type

    def _check(self, name: str, kind: str, labels: Mapping[str, str]) -> None:
        series = self._series.get(name)
        if series is None or series.kind != kind:
            raise ValueError(f"unknown {kind} {name!r}")
        if set(labels) != set(series.labels):
            expected = ", ".join(series.labels) or "none"
            raise ValueError(f"{name} takes labels ({expected}), got ({', '.join(labels)})")


class _Readings(Collector):
    """The gauges the caller read for the scrape under way."""

    def __init__(self) -> None:
        self._values: dict[str, float] = {}
        self._known = {series.name: series for series in GAUGES}
        self._lock = threading.Lock()

    def set(self, gauges: Mapping[str, float]) -> None:
        unknown = sorted(set(gauges) - set(self._known))
        if unknown:
            raise ValueError(f"unknown gauges: {', '.join(unknown)}")
        with self._lock:
            self._values = dict(gauges)

    def collect(self) -> Iterator[Metric]:
        with self._lock:
            values = dict(self._values)
        for name, series in self._known.items():
            family = GaugeMetricFamily(name, series.help)
            if name in values:
                family.add_metric([], values[name])
            yield family
