"""Metrics, pure: the series a service counts, in a registry of its own, and how they render."""

from __future__ import annotations

import math
import threading

import pytest
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from bot.telemetry.metrics import COUNTERS, GAUGES, HISTOGRAMS, Metrics, service_registry


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """(sample name, sorted labels) -> value, as prometheus_client's own parser reads `text`."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_a_fresh_instance_renders_every_series_and_zero_for_unlabeled_counters() -> None:
    text = Metrics().render({})
    for series in (*COUNTERS, *HISTOGRAMS, *GAUGES):
        assert f"# TYPE {series.name} {series.kind}" in text
    found = samples(text)
    assert found[("tallywire_figures_total", ())] == 0.0
    assert found[("tallywire_poll_errors_total", ())] == 0.0
    assert found[("tallywire_poll_duration_seconds_count", ())] == 0.0
    assert not [name for name, _ in found if name.startswith("tallywire_polls")]  # labelled
    assert not [name for name, _ in found if name in ("tallywire_up", "tallywire_outbox_backlog")]


def test_counts_render_by_label_value() -> None:
    metrics = Metrics()
    for result in ["sent", "failed", "sent", "uncertain", "disabled", "sent"]:
        metrics.count("tallywire_deliveries_total", result=result)
    metrics.count("tallywire_figures_total", 14)
    found = samples(metrics.render({}))
    delivered = {
        dict(labels)["result"]: value
        for (name, labels), value in found.items()
        if name == "tallywire_deliveries_total"
    }
    assert delivered == {"sent": 3.0, "failed": 1.0, "uncertain": 1.0, "disabled": 1.0}
    assert found[("tallywire_figures_total", ())] == 14.0
    assert metrics.total("tallywire_deliveries_total") == 6.0
    assert metrics.value("tallywire_deliveries_total", result="sent") == 3.0


def test_histograms_count_into_their_buckets_by_label() -> None:
    metrics = Metrics()
    for seconds in (0.2, 0.7, 40.0):
        metrics.observe("tallywire_delivery_latency_seconds", seconds, channel="telegram")
    found = samples(metrics.render({}))

    def bucket(le: str) -> float:
        key = ("tallywire_delivery_latency_seconds_bucket", (("channel", "telegram"), ("le", le)))
        return found[key]

    assert (bucket("0.1"), bucket("0.5"), bucket("1.0"), bucket("30.0"), bucket("+Inf")) == (
        0.0, 1.0, 2.0, 2.0, 3.0,
    )  # fmt: skip
    assert found[("tallywire_delivery_latency_seconds_sum", (("channel", "telegram"),))] == 40.9


def test_each_instance_counts_in_its_own_registry_never_the_global_one() -> None:
    first, second = Metrics(), Metrics()
    first.count("tallywire_figures_total", 5)
    assert (first.value("tallywire_figures_total"), second.value("tallywire_figures_total")) == (
        5.0,
        0.0,
    )
    assert REGISTRY.get_sample_value("tallywire_figures_total") is None
    given = CollectorRegistry()
    assert Metrics(given).registry is given


def test_a_service_registry_has_the_process_and_interpreter_metrics() -> None:
    found = samples(Metrics(service_registry()).render({}))
    names = {name for name, _ in found}
    assert {"process_cpu_seconds_total", "process_resident_memory_bytes", "python_info"} <= names
    assert "tallywire_figures_total" in names


@pytest.mark.parametrize("value", [0, 42, 0.25, 1e21, -1.5, math.inf, -math.inf])
def test_gauge_values_render_as_read(value: float) -> None:
    found = samples(Metrics().render({"tallywire_outbox_backlog": value, "tallywire_up": 1}))
    assert found[("tallywire_outbox_backlog", ())] == value
    assert found[("tallywire_up", ())] == 1.0


def test_a_gauge_left_out_of_a_scrape_has_no_sample() -> None:
    metrics = Metrics()
    metrics.render({"tallywire_outbox_backlog": 3})
    found = samples(metrics.render({"tallywire_up": 1}))
    assert ("tallywire_outbox_backlog", ()) not in found


@pytest.mark.parametrize(
    ("name", "amount", "labels", "message"),
    [
        ("tallywire_nope_total", 1, {}, "unknown counter"),
        ("polls_total", 1, {"status": "ok"}, "unknown counter"),
        ("tallywire_poll_duration_seconds", 1, {}, "unknown counter"),
        ("tallywire_polls_total", 1, {}, r"takes labels \(status\), got \(\)"),
        ("tallywire_polls_total", 1, {"state": "ok"}, r"takes labels \(status\)"),
        ("tallywire_figures_total", 1, {"kind": "x"}, r"takes labels \(none\)"),
        ("tallywire_figures_total", -1, {}, "cannot go down"),
    ],
)
def test_count_refuses_unknown_series_wrong_labels_and_negative_amounts(
    name: str, amount: int, labels: dict[str, str], message: str
) -> None:
    metrics = Metrics()
    fresh = metrics.render({})
    with pytest.raises(ValueError, match=message):
        metrics.count(name, amount, **labels)
    assert samples(metrics.render({})) == samples(fresh)


@pytest.mark.parametrize(
    ("name", "labels", "message"),
    [
        ("tallywire_figures_total", {}, "unknown histogram"),
        ("tallywire_delivery_latency_seconds", {}, r"takes labels \(channel\)"),
        ("tallywire_poll_duration_seconds", {"feed": "x"}, r"takes labels \(none\)"),
    ],
)
def test_observe_refuses_unknown_series_and_wrong_labels(
    name: str, labels: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Metrics().observe(name, 1.0, **labels)


def test_render_refuses_an_unknown_gauge() -> None:
    with pytest.raises(ValueError, match="unknown gauges: tallywire_backlog"):
        Metrics().render({"tallywire_backlog": 1})


def test_counts_from_many_threads_are_not_lost() -> None:
    metrics = Metrics()

    def work() -> None:
        for _ in range(2000):
            metrics.count("tallywire_documents_total", stored="duplicate")
            metrics.count("tallywire_poll_errors_total")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert metrics.value("tallywire_documents_total", stored="duplicate") == 16000
    assert metrics.value("tallywire_poll_errors_total") == 16000
    assert metrics.value("tallywire_documents_total", stored="new") == 0
