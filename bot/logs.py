"""Logging set-up: plain lines or one JSON object a line, with secrets kept out."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

# A Telegram bot token in a URL ("/bot123:ABC…/sendMessage") or Slack tokens ("xoxb-…").
_SECRETS = re.compile(r"(bot)\d+:[A-Za-z0-9_-]+|xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")


def redact_secrets(text: str) -> str:
    """`text` with bot tokens replaced by a marker."""
    return _SECRETS.sub(lambda m: (m.group(1) or "") + "<redacted>", text)


class RedactingFilter(logging.Filter):
    """Renders each record's message once, with secrets removed, before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_secrets(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = redact_secrets(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, fmt: str) -> None:
    """Send logs to stderr at `level`, as text or JSON (`fmt`)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level if level in logging.getLevelNamesMapping() else "INFO")
    # httpx logs every request URL at INFO, and a Telegram URL holds the bot token; alembic
    # narrates every start.
    for noisy in ("httpx", "httpcore", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
