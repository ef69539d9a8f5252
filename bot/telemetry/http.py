"""The service's HTTP server: /healthz and /metrics, and a place for webhooks to mount.

It runs on the service's own event loop (aiohttp), so the Telegram webhook and Slack's HTTP mode
can share it via `add_route` before `start`. The health and metrics callables are the caller's;
this module only bounds them in time and turns their failures into 503s, never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.http_exceptions import HttpProcessingError

logger = logging.getLogger(__name__)
SERVER_LOGGER = "bot.telemetry.http.server"  # aiohttp's own lines about the requests it serves

RouteHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Given the scraper's Accept header (None without one), the scrape's body and content type.
Exposition = Callable[[str | None], Awaitable[tuple[bytes, str]]]
HEALTH_CHECK = "health_check"


@dataclass(frozen=True)
class Health:
    """What the health callable reports: both parts must be true for the service to be healthy.

    `detail` is shown as is on /healthz, which may be public: keep secrets out of it.
    """

    scheduler_alive: bool
    store_reachable: bool
    detail: dict[str, str] = field(default_factory=dict)
    # What else is wrong, by part ("telegram": "Telegram refused the bot token", "outbox":
    # ...): the service runs, degraded (issue 16).
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        """The names of the parts that are down, in a fixed order; empty when healthy."""
        parts = (("scheduler", self.scheduler_alive), ("store", self.store_reachable))
        return [name for name, up in parts if not up] + sorted(self.problems)


class HttpServer:
    """An aiohttp server answering GET /healthz, GET /metrics and any routes added before start.

    `health` and `metrics` are awaited on each request, each bounded by `check_timeout`
    seconds; a timeout or an exception gives 503. `stop` waits at most `shutdown_timeout`
    seconds for requests in flight.
    """

    def __init__(
        self,
        port: int,
        health: Callable[[], Awaitable[Health]],
        metrics: Exposition,
        host: str = "0.0.0.0",
        *,
        check_timeout: float = 2.0,
        shutdown_timeout: float = 3.0,
    ) -> None:
        if not 0 <= port <= 65535:
            raise ValueError(f"port {port} is not between 0 and 65535")
        self._port = port
        self._host = host
        self._health = health
        self._exposition = metrics
        self._check_timeout = check_timeout
        self._shutdown_timeout = shutdown_timeout
        self._app = web.Application()
        self._app.router.add_get("/healthz", self._healthz)
        self._app.router.add_get("/metrics", self._metrics)
        self._runner: web.AppRunner | None = None

    def add_route(self, method: str, path: str, handler: RouteHandler) -> None:
        """Serve `method path` with `handler`. Raises RuntimeError once the server has started."""
        if self._runner is not None:
            raise RuntimeError(f"cannot add {method} {path}: routes are added before start()")
        self._app.router.add_route(method, path, handler)

    async def start(self) -> None:
        """Bind and listen. Raises OSError when the port is taken, RuntimeError if started."""
        if self._runner is not None:
            raise RuntimeError("the HTTP server is already started")
        runner = web.AppRunner(
            self._app,
            shutdown_timeout=self._shutdown_timeout,
            access_log_class=DebugAccessLogger,
            logger=server_logger(),
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        logger.info("serving HTTP on %s:%d", self._host, self.bound_port)

    async def stop(self) -> None:
        """Stop listening, then let requests in flight finish for up to `shutdown_timeout` s.

        Does nothing if the server is not running.
        """
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            logger.info("HTTP server stopped")

    @property
    def bound_port(self) -> int:
        """The port actually listened on (the one chosen for port 0). RuntimeError if stopped."""
        if self._runner is None or not self._runner.addresses:
            raise RuntimeError("the HTTP server is not running")
        port: int = self._runner.addresses[0][1]
        return port

    async def _healthz(self, request: web.Request) -> web.Response:
        try:
            health = await asyncio.wait_for(self._health(), self._check_timeout)
        except TimeoutError:
            logger.warning("health check timed out after %s s", self._check_timeout)
            return _health_unknown(f"timed out after {self._check_timeout:g} s")
        except Exception as error:
            logger.warning("health check failed", exc_info=True)
            # The type only: the message may carry a database URL or a path.
            return _health_unknown(f"raised {type(error).__name__}")
        failed = health.failed
        down = not (health.scheduler_alive and health.store_reachable)
        body = {
            "status": "unavailable" if down else "degraded" if failed else "ok",
            "scheduler": health.scheduler_alive,
            "store": health.store_reachable,
            "failed": failed,
            "detail": health.detail,
        }
        if health.problems:
            body["problems"] = health.problems
        return web.json_response(body, status=503 if failed else 200, dumps=_dumps)

    async def _metrics(self, request: web.Request) -> web.Response:
        try:
            accept = request.headers.get("Accept")
            body, kind = await asyncio.wait_for(self._exposition(accept), self._check_timeout)
        except Exception:  # TimeoutError included
            logger.warning("metrics could not be rendered", exc_info=True)
            return web.Response(status=503, text="metrics unavailable\n")
        return web.Response(body=body, headers={"Content-Type": kind})


def _health_unknown(reason: str) -> web.Response:
    body = {
        "status": "unavailable",
        "scheduler": None,
        "store": None,
        "failed": [HEALTH_CHECK],
        "detail": {HEALTH_CHECK: reason},
    }
    return web.json_response(body, status=503, dumps=_dumps)


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def server_logger() -> logging.Logger:
    """The logger aiohttp's server writes to, its malformed requests made one line each."""
    found = logging.getLogger(SERVER_LOGGER)
    if not any(isinstance(f, MalformedRequests) for f in found.filters):
        found.addFilter(MalformedRequests())
    return found


class MalformedRequests(logging.Filter):
    """aiohttp logs a request it cannot parse (a header line over 8 KB, Content-Length with
    Transfer-Encoding…) as an ERROR with a traceback: the client's fault, not the service's.
    Such a record becomes one WARNING line naming the error, without the bytes it quotes."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always True; rewrites the records of malformed requests."""
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            said = record.getMessage()
            record.msg = "%s: refused as malformed HTTP (%s %d)"
            record.args = (said, type(error).__name__, error.code)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = None
        return True


class DebugAccessLogger(AbstractAccessLogger):
    """One line per request at DEBUG: at INFO, probes every few seconds would drown the log.

    Only the path is logged, not the query string, which could carry a token.
    """

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        """Log method, path, status and duration."""
        self.logger.debug(
            "%s %s -> %d in %.1f ms", request.method, request.path, response.status, time * 1000
        )

    @property
    def enabled(self) -> bool:
        """Skip formatting entirely unless DEBUG is on for the access logger."""
        return self.logger.isEnabledFor(logging.DEBUG)
