"""The HTTP server (real, on 127.0.0.1 port 0) and the Prometheus text that /metrics serves."""

from __future__ import annotations

import asyncio
import logging
import math
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import pytest
from aiohttp import web

from bot.telemetry.http import Health, HttpServer, RouteHandler
from bot.telemetry.metrics import Metrics, escape_label_value

HEALTHY = Health(scheduler_alive=True, store_reachable=True, detail={"version": "test"})
# One exposition line: name, optional {label="value",...} with escaped values, and a number.
_LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(
    rf"^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{{{_LABEL}(?:,{_LABEL})*\}})? "
    r"(?:[-+]?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?|NaN|[-+]Inf)$"
)
COMMENT = re.compile(r"^# (?:HELP [a-z_]+ .+|TYPE [a-z_]+ (?:counter|gauge))$")


class StoreDown(Exception):
    """What a store ping raises when the database is gone."""


@dataclass
class Probe:
    """A scriptable health callable: healthy, or reporting, raising or hanging on command."""

    health: Health = HEALTHY
    error: Exception | None = None
    hang: bool = False
    calls: int = 0
    released: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self) -> Health:
        self.calls += 1
        if self.hang:
            await self.released.wait()
        if self.error is not None:
            raise self.error
        return self.health


Started = Callable[..., Awaitable[HttpServer]]


@pytest.fixture
async def start_server() -> AsyncIterator[Started]:
    """Starts servers on 127.0.0.1 port 0, serving `metrics`, and stops them after the test."""
    servers: list[HttpServer] = []

    async def start(
        probe: Probe | None = None,
        metrics: Metrics | None = None,
        routes: tuple[tuple[str, str, RouteHandler], ...] = (),
        **options: float,
    ) -> HttpServer:
        counts = metrics if metrics is not None else Metrics()

        async def metrics_text() -> str:
            return counts.render({"tallywire_up": 1, "tallywire_outbox_backlog": 0})

        server = HttpServer(0, probe or Probe(), metrics_text, host="127.0.0.1", **options)
        for method, path, handler in routes:
            server.add_route(method, path, handler)
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()


def client(server: HttpServer) -> httpx.AsyncClient:
    # trust_env=False: a proxy from the environment must not get between the test and loopback.
    return httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{server.bound_port}", trust_env=False, timeout=10
    )


# --- /healthz --------------------------------------------------------------------------------


async def test_healthz_is_200_when_scheduler_and_store_are_fine(start_server: Started) -> None:
    server = await start_server(Probe())
    async with client(server) as http:
        response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {
        "status": "ok",
        "scheduler": True,
        "store": True,
        "failed": [],
        "detail": {"version": "test"},
    }


@pytest.mark.parametrize(
    ("scheduler", "store", "failed"),
    [
        (False, True, ["scheduler"]),
        (True, False, ["store"]),
        (False, False, ["scheduler", "store"]),
    ],
)
async def test_healthz_is_503_naming_what_is_down(
    start_server: Started, scheduler: bool, store: bool, failed: list[str]
) -> None:
    server = await start_server(Probe(Health(scheduler, store, {"jobs": "0"})))
    async with client(server) as http:
        response = await http.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "scheduler": scheduler,
        "store": store,
        "failed": failed,
        "detail": {"jobs": "0"},
    }


async def test_healthz_is_503_degraded_naming_each_problem(start_server: Started) -> None:
    wrong = {"telegram": "Telegram refused the bot token", "outbox": "a message has waited"}
    server = await start_server(Probe(Health(True, True, {}, wrong)))
    async with client(server) as http:
        response = await http.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "scheduler": True,
        "store": True,
        "failed": ["outbox", "telegram"],
        "problems": wrong,
        "detail": {},
    }


async def test_healthz_is_503_without_a_traceback_when_the_check_raises(
    start_server: Started,
) -> None:
    secret = "postgresql://tally:hunter2@db.internal/tallywire"
    server = await start_server(Probe(error=StoreDown(f"connection to {secret} refused")))
    async with client(server) as http:
        response = await http.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "scheduler": None,
        "store": None,
        "failed": ["health_check"],
        "detail": {"health_check": "raised StoreDown"},
    }
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text


async def test_healthz_is_503_within_3_s_when_the_store_hangs(start_server: Started) -> None:
    probe = Probe(hang=True)
    server = await start_server(probe)
    loop = asyncio.get_running_loop()
    began = loop.time()
    async with client(server) as http:
        response = await http.get("/healthz")
    elapsed = loop.time() - began
    assert response.status_code == 503
    assert response.json()["detail"] == {"health_check": "timed out after 2 s"}
    assert 1.9 <= elapsed < 3.0
    assert probe.calls == 1


async def test_healthz_recovers_once_the_store_answers_again(start_server: Started) -> None:
    probe = Probe(error=StoreDown("gone"))
    server = await start_server(probe)
    async with client(server) as http:
        first = await http.get("/healthz")
        probe.error = None
        second = await http.get("/healthz")
    assert (first.status_code, second.status_code) == (503, 200)


# --- /metrics --------------------------------------------------------------------------------


async def test_metrics_is_prometheus_text_with_parseable_lines(start_server: Started) -> None:
    metrics = Metrics()
    metrics.count("tallywire_polls_total", status="ok")
    metrics.count("tallywire_documents_total", 2, stored="new")
    server = await start_server(metrics=metrics)
    async with client(server) as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    lines = response.text.splitlines()
    assert [line for line in lines if not (COMMENT.match(line) or SAMPLE.match(line))] == []
    samples = [line for line in lines if not line.startswith("#")]
    assert 'tallywire_polls_total{status="ok"} 1' in samples
    assert 'tallywire_documents_total{stored="new"} 2' in samples
    assert "tallywire_up 1" in samples


async def test_metrics_escape_label_values_on_the_wire(start_server: Started) -> None:
    metrics = Metrics()
    metrics.count("tallywire_deliveries_total", result='say "hi"\\now\nthen')
    server = await start_server(metrics=metrics)
    async with client(server) as http:
        text = (await http.get("/metrics")).text
    assert 'tallywire_deliveries_total{result="say \\"hi\\"\\\\now\\nthen"} 1' in text.splitlines()
    assert all(SAMPLE.match(line) or COMMENT.match(line) for line in text.splitlines())


async def test_metrics_counters_accumulate_between_scrapes(start_server: Started) -> None:
    metrics = Metrics()
    server = await start_server(metrics=metrics)
    line = 'tallywire_changes_total{kind="conflict"}'
    async with client(server) as http:
        metrics.count("tallywire_changes_total", kind="conflict")
        first = (await http.get("/metrics")).text.splitlines()
        metrics.count("tallywire_changes_total", kind="conflict")
        metrics.count("tallywire_changes_total", 3, kind="conflict")
        second = (await http.get("/metrics")).text.splitlines()
    assert f"{line} 1" in first
    assert f"{line} 5" in second


async def test_metrics_is_503_when_rendering_fails(start_server: Started) -> None:
    async def broken() -> str:
        raise StoreDown("backlog query failed")

    server = HttpServer(0, Probe(), broken, host="127.0.0.1")
    await server.start()
    try:
        async with client(server) as http:
            response = await http.get("/metrics")
    finally:
        await server.stop()
    assert (response.status_code, response.text) == (503, "metrics unavailable\n")


# --- routes, access log, life cycle ----------------------------------------------------------


async def echo(request: web.Request) -> web.Response:
    """A stand-in for the Telegram webhook: echoes the update it was posted."""
    return web.json_response({"got": await request.json()})


async def test_a_route_added_before_start_answers(start_server: Started) -> None:
    server = await start_server(routes=(("POST", "/telegram/webhook", echo),))
    async with client(server) as http:
        response = await http.post("/telegram/webhook", json={"update_id": 7})
    assert (response.status_code, response.json()) == (200, {"got": {"update_id": 7}})


async def test_a_route_cannot_be_added_after_start(start_server: Started) -> None:
    server = await start_server()
    with pytest.raises(RuntimeError, match="before start"):
        server.add_route("POST", "/slack/events", echo)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/nope", 404), ("GET", "/healthz/", 404), ("POST", "/healthz", 405)],
)
async def test_unknown_paths_and_methods_are_refused(
    start_server: Started, method: str, path: str, status: int
) -> None:
    server = await start_server()
    async with client(server) as http:
        response = await http.request(method, path)
    assert response.status_code == status


async def test_requests_are_not_logged_at_info(
    start_server: Started, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    server = await start_server()
    async with client(server) as http:
        assert (await http.get("/healthz")).status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name.startswith("aiohttp")] == []


async def test_stop_frees_the_port() -> None:
    first = HttpServer(0, Probe(), _no_metrics, host="127.0.0.1")
    await first.start()
    port = first.bound_port
    async with client(first) as http:
        assert (await http.get("/healthz")).status_code == 200
    second = HttpServer(port, Probe(), _no_metrics, host="127.0.0.1")
    with pytest.raises(OSError):
        await second.start()  # the port is still taken
    await first.stop()
    await second.start()
    try:
        assert second.bound_port == port
        async with client(second) as http:
            assert (await http.get("/healthz")).status_code == 200
    finally:
        await second.stop()
    with pytest.raises(RuntimeError):
        _ = second.bound_port


async def test_stop_is_bounded_when_a_request_hangs() -> None:
    entered = asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        entered.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    server = HttpServer(0, Probe(), _no_metrics, host="127.0.0.1", shutdown_timeout=0.5)
    server.add_route("GET", "/hang", hang)
    await server.start()
    async with client(server) as http:
        request = asyncio.create_task(http.get("/hang"))
        await asyncio.wait_for(entered.wait(), 5)
        await asyncio.wait_for(server.stop(), 3)
        with pytest.raises(httpx.HTTPError):
            await asyncio.wait_for(request, 5)


async def test_start_twice_is_refused_and_stop_twice_is_harmless() -> None:
    server = HttpServer(0, Probe(), _no_metrics, host="127.0.0.1")
    await server.start()
    with pytest.raises(RuntimeError, match="already started"):
        await server.start()
    await server.stop()
    await server.stop()
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.bound_port


@pytest.mark.parametrize("port", [-1, 65536])
def test_a_port_out_of_range_is_refused(port: int) -> None:
    with pytest.raises(ValueError, match="port"):
        HttpServer(port, Probe(), _no_metrics)


async def _no_metrics() -> str:
    return ""


# --- Metrics.render, pure --------------------------------------------------------------------

FRESH = """\
# HELP tallywire_changes_total Tally changes, by kind.
# TYPE tallywire_changes_total counter
# HELP tallywire_deliveries_total Message deliveries, by result (sent, failed, uncertain, \
superseded, disabled, retried).
# TYPE tallywire_deliveries_total counter
# HELP tallywire_documents_total Documents seen, by how they were stored (new, version, duplicate).
# TYPE tallywire_documents_total counter
# HELP tallywire_feed_items_skipped_total Feed items a poll did not store, by reason: item_cap \
(dropped, older than the newest kept), time_budget, stopping, lease_lost (left for the next poll).
# TYPE tallywire_feed_items_skipped_total counter
# HELP tallywire_figures_total Figures extracted from documents.
# TYPE tallywire_figures_total counter
tallywire_figures_total 0
# HELP tallywire_outbox_backlog Messages in the outbox waiting to be sent.
# TYPE tallywire_outbox_backlog gauge
# HELP tallywire_poll_errors_total Feed polls that failed.
# TYPE tallywire_poll_errors_total counter
tallywire_poll_errors_total 0
# HELP tallywire_polls_total Feed polls, by outcome.
# TYPE tallywire_polls_total counter
# HELP tallywire_up 1 while the service is running.
# TYPE tallywire_up gauge
"""


def test_a_fresh_instance_renders_every_series_and_zero_for_unlabeled_counters() -> None:
    assert Metrics().render({}) == FRESH


def test_samples_render_sorted_by_label_value_whatever_the_counting_order() -> None:
    metrics = Metrics()
    for result in ["sent", "failed", "sent", "uncertain", "disabled", "sent"]:
        metrics.count("tallywire_deliveries_total", result=result)
    metrics.count("tallywire_figures_total", 14)
    lines = metrics.render({}).splitlines()
    assert [line for line in lines if line.startswith("tallywire_")] == [
        'tallywire_deliveries_total{result="disabled"} 1',
        'tallywire_deliveries_total{result="failed"} 1',
        'tallywire_deliveries_total{result="sent"} 3',
        'tallywire_deliveries_total{result="uncertain"} 1',
        "tallywire_figures_total 14",
        "tallywire_poll_errors_total 0",
    ]
    assert metrics.render({}) == metrics.render({})


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        (0, "0"),
        (42, "42"),
        (3.0, "3"),
        (0.25, "0.25"),
        (1e21, "1000000000000000000000"),
        (-1.5, "-1.5"),
        (math.inf, "+Inf"),
        (-math.inf, "-Inf"),
        (math.nan, "NaN"),
    ],
)
def test_gauge_values_render_as_prometheus_numbers(value: float, rendered: str) -> None:
    lines = Metrics().render({"tallywire_outbox_backlog": value}).splitlines()
    assert f"tallywire_outbox_backlog {rendered}" in lines


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("sent", "sent"),
        ('a "quoted" word', r"a \"quoted\" word"),
        ("back\\slash", r"back\\slash"),
        ("two\nlines", r"two\nlines"),
        ('\\"\n', r"\\\"\n"),
        ("tab\tstays", "tab\tstays"),
        ("Київ", "Київ"),
    ],
)
def test_label_values_are_escaped(raw: str, escaped: str) -> None:
    assert escape_label_value(raw) == escaped


@pytest.mark.parametrize(
    ("name", "amount", "labels", "message"),
    [
        ("tallywire_nope_total", 1, {}, "unknown counter"),
        ("polls_total", 1, {"status": "ok"}, "unknown counter"),
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
    with pytest.raises(ValueError, match=message):
        metrics.count(name, amount, **labels)
    assert metrics.render({}) == FRESH


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


@pytest.mark.parametrize(
    ("health", "failed"),
    [
        (Health(True, True), []),
        (Health(False, True), ["scheduler"]),
        (Health(True, False), ["store"]),
        (Health(False, False), ["scheduler", "store"]),
    ],
)
def test_health_names_the_parts_that_are_down(health: Health, failed: list[str]) -> None:
    assert health.failed == failed
