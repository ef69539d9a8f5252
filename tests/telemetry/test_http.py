"""The HTTP server (real, on 127.0.0.1 port 0) and the Prometheus text that /metrics serves."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import pytest
from aiohttp import web
from prometheus_client.metrics_core import Metric
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as openmetrics_families,
)
from prometheus_client.parser import text_string_to_metric_families

from bot.telemetry.http import Health, HttpServer, RouteHandler
from bot.telemetry.metrics import Metrics

HEALTHY = Health(scheduler_alive=True, store_reachable=True, detail={"version": "test"})


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

        async def scrape(accept: str | None) -> tuple[bytes, str]:
            return counts.exposition(accept, {"tallywire_up": 1, "tallywire_outbox_backlog": 0})

        server = HttpServer(0, probe or Probe(), scrape, host="127.0.0.1", **options)
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


def families(text: str) -> dict[str, Metric]:
    return {family.name: family for family in text_string_to_metric_families(text)}


async def test_metrics_is_prometheus_text_that_its_parser_reads(start_server: Started) -> None:
    metrics = Metrics()
    metrics.count("tallywire_polls_total", status="ok")
    metrics.count("tallywire_documents_total", 2, stored="new")
    server = await start_server(metrics=metrics)
    async with client(server) as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    found = families(response.text)
    assert [(s.labels, s.value) for s in found["tallywire_polls"].samples if s.labels] == [
        ({"status": "ok"}, 1.0)
    ]
    assert found["tallywire_documents"].type == "counter"
    assert found["tallywire_up"].samples[0].value == 1.0
    assert found["tallywire_outbox_backlog"].samples[0].value == 0.0


async def test_metrics_is_openmetrics_when_the_scraper_asks_for_it(start_server: Started) -> None:
    metrics = Metrics()
    metrics.observe("tallywire_poll_duration_seconds", 0.3)
    server = await start_server(metrics=metrics)
    async with client(server) as http:
        response = await http.get(
            "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
        )
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.endswith("# EOF\n")
    found = {f.name: f for f in openmetrics_families(response.text)}
    buckets = {
        s.labels["le"]: s.value
        for s in found["tallywire_poll_duration_seconds"].samples
        if s.name.endswith("_bucket")
    }
    assert (buckets["0.25"], buckets["0.5"], buckets["+Inf"]) == (0.0, 1.0, 1.0)


async def test_metrics_escape_label_values_on_the_wire(start_server: Started) -> None:
    metrics = Metrics()
    metrics.count("tallywire_deliveries_total", result='say "hi"\\now\nthen')
    server = await start_server(metrics=metrics)
    async with client(server) as http:
        text = (await http.get("/metrics")).text
    assert (
        'tallywire_deliveries_total{result="say \\"hi\\"\\\\now\\nthen"} 1.0' in text.splitlines()
    )
    samples = families(text)["tallywire_deliveries"].samples
    assert [s.labels for s in samples if s.name.endswith("_total")] == [
        {"result": 'say "hi"\\now\nthen'}
    ]


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
    assert f"{line} 1.0" in first
    assert f"{line} 5.0" in second


async def test_metrics_is_503_when_rendering_fails(start_server: Started) -> None:
    async def broken(accept: str | None) -> tuple[bytes, str]:
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


async def _no_metrics(accept: str | None) -> tuple[bytes, str]:
    return b"", "text/plain"


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
