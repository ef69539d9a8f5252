"""What the service shows of itself: Prometheus counters and the HTTP server (/healthz,
/metrics)."""

from bot.telemetry.http import Health, HttpServer
from bot.telemetry.metrics import Metrics

__all__ = ["Health", "HttpServer", "Metrics"]
