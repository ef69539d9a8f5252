"""What the service shows of itself: Prometheus metrics, the HTTP server (/healthz, /metrics)
and the line each poll round logs."""

from bot.telemetry.http import Health, HttpServer
from bot.telemetry.metrics import Metrics, service_registry
from bot.telemetry.rounds import PollRounds

__all__ = ["Health", "HttpServer", "Metrics", "PollRounds", "service_registry"]
