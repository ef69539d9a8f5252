"""What the service shows of itself: Prometheus metrics and the HTTP server (/healthz,
/metrics)."""

from bot.telemetry.http import Health, HttpServer
from bot.telemetry.metrics import Metrics, service_registry

__all__ = ["Health", "HttpServer", "Metrics", "service_registry"]
