"""Logging set-up: plain lines or one JSON object a line, secrets kept out, repeats held back.

Every record bound for stderr passes three steps (issue 12):

1. `RepeatFilter`: a warning or an error like one logged less than `WINDOW` seconds ago (same
   logger, level, message template and exception type) is held back and counted. The first one
   after the window is logged with the count ("… (and 57 more like it in the last 10 s)"); a
   kind that went quiet has its last record logged with the count by the next record of any
   kind, or at exit. A database outage is one line every 10 s per place that fails.
2. The formatter writes a record's exception as its traceback, except for an error of the
   environment (an `OSError`, such as a refused connection, or PEP 249's `OperationalError` or
   `InterfaceError`, such as a database that is down: the exception itself or its explicit
   cause) and for a repeat: those are one line, "Type: message". LOG_LEVEL=DEBUG shows the
   traceback of environment errors too.
3. `Redactor`: the configured secrets, and whatever is shaped like a Telegram bot token or a
   Slack token, become "<redacted>" anywhere in the line, tracebacks included, whichever
   library wrote it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from bot.settings import Settings

WINDOW = 10.0  # seconds during which the repeats of a kind are counted, not written
MAX_KINDS = 2000  # kinds tracked at once; past this a new kind is written, not tracked
MIN_SECRET = 4  # a shorter configured value cannot be told from ordinary text
EXCEPTION_LINE = 500  # characters of an exception written on one line
MARK = "<redacted>"

# Shapes of tokens, redacted even when not configured: a Telegram bot token, with or without
# the "bot" of its URL before it (the "bot" stays), and Slack's bot, user and app tokens.
_TOKENS = re.compile(
    r"(?<=bot)\d+:[A-Za-z0-9_-]+|\d+:[A-Za-z0-9_-]{30,}|xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+"
)
# A webhook secret as python-telegram-bot's DEBUG lines spell it ('secret_token': '…'), and
# the credentials of an Authorization header (Basic is the URL's user:password in base64).
_NAMED = re.compile(
    r"""(secret_token['"]?\s*[:=]\s*['"]?)[^'"\s,}&]+"""
    r"""|(Authorization['"]?\s*[:=]\s*['"]?(?:Basic|Bearer)\s+)[A-Za-z0-9+/=._~-]+"""
)
_CREDENTIAL_NAMES = re.compile(r"pass|pwd|secret|token|key|auth|sig|cred", re.IGNORECASE)
# An environment variable that holds a secret by its name, whoever reads it. Stricter than the
# query parameters' names: "KEYBOARD=us" or "NO_AUTH=true" would black out ordinary words.
_SECRET_VARIABLE = re.compile(r"_(TOKEN|SECRET|PASSWORD|KEY)$", re.IGNORECASE)


class Redactor:
    """Replaces secrets in text with "<redacted>": each of `secrets` (of at least MIN_SECRET
    characters) as given, percent-encoded, percent-decoded and as JSON and repr spell it; and
    anything shaped like a Telegram or Slack token."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        spellings = {
            form
            for secret in secrets
            if len(secret) >= MIN_SECRET
            for form in (
                secret,
                quote(secret, safe=""),
                unquote(secret),
                json.dumps(secret)[1:-1],
                repr(secret)[1:-1],
            )
            if len(form) >= MIN_SECRET
        }
        longest_first = sorted(spellings, key=len, reverse=True)
        self._values = re.compile("|".join(map(re.escape, longest_first))) if spellings else None

    def __call__(self, text: str) -> str:
        """`text` with every secret replaced."""
        if self._values is not None:
            text = self._values.sub(MARK, text)
        text = _TOKENS.sub(MARK, text)
        return _NAMED.sub(lambda m: (m.group(1) or m.group(2)) + MARK, text)


def url_secrets(url: str | None) -> list[str]:
    """The credentials in `url`: the password of its user part, and the values of its query
    parameters named like one (password, token, key, secret, sig, auth…)."""
    if not url or "://" not in url:
        return []
    try:
        parts = urlsplit(url)
        found = [parts.password] if parts.password else []
    except ValueError:  # a malformed port: the URL is refused elsewhere
        return []
    found += [v for k, v in parse_qsl(parts.query) if _CREDENTIAL_NAMES.search(k) and v]
    return found


def secrets_of(settings: Settings) -> list[str]:
    """Every secret the settings hold: each field kept out of repr (the tokens, the webhook
    secret, the signing secret); the credentials in every URL among the fields and in the
    environment they were read from; and the environment's variables named like a secret
    (`*_TOKEN`, `*_SECRET`, `*_PASSWORD`, `*_KEY`), which is where a chat platform installed
    from elsewhere keeps its own."""
    fields = [getattr(settings, f.name) for f in dataclasses.fields(settings)]
    hidden = [getattr(settings, f.name) for f in dataclasses.fields(settings) if not f.repr]
    values = hidden + [v for name, v in settings.env.items() if _SECRET_VARIABLE.search(name)]
    for url in (*fields, *settings.env.values()):
        values += url_secrets(url) if isinstance(url, str) else []
    return [value for value in values if isinstance(value, str) and value]


@dataclass
class _Kind:
    since: float  # when the record that opened the window was written
    held: int = 0
    last: logging.LogRecord | None = None


class RepeatFilter(logging.Filter):
    """Holds back warnings and errors that repeat within `window` seconds (see the module's
    docstring); a record held back and logged late goes to `emit`. Thread-safe."""

    def __init__(
        self,
        emit: Callable[[logging.LogRecord], object],
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._emit = emit
        self._window = window
        self._clock = clock
        self._kinds: dict[tuple[str, int, str, str], _Kind] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether `record` is written now; first writes the late records of quiet kinds."""
        if getattr(record, "late", False):
            return True
        now = self._clock()
        with self._lock:
            late = self._sweep(now)
            admitted = self._admit(record, now)
        for held in late:
            self._emit(held)
        return admitted

    def flush(self) -> None:
        """Write every record still held back, with its count (at exit)."""
        with self._lock:
            late = [self._late(kind) for kind in self._kinds.values() if kind.held]
            self._kinds.clear()
        for held in late:
            self._emit(held)

    def _admit(self, record: logging.LogRecord, now: float) -> bool:
        if record.levelno < logging.WARNING:
            return True
        kind_of = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        key = (record.name, record.levelno, str(record.msg), kind_of)
        kind = self._kinds.get(key)
        if kind is not None and now - kind.since < self._window:
            kind.held += 1
            kind.last = record
            return False
        if kind is not None:
            # Its traceback was written before: one line now, with the count of those held.
            _mark(record, repeats=kind.held, repeat_seconds=now - kind.since, seen=True)
        if kind is not None or len(self._kinds) < MAX_KINDS:
            self._kinds[key] = _Kind(now)
        return True

    def _sweep(self, now: float) -> list[logging.LogRecord]:
        """The kinds quiet for a whole window after theirs ended are forgotten; the last record
        each held back is returned, to be written with the count."""
        if now < self._next_sweep:
            return []
        self._next_sweep = now + 1.0
        quiet = [key for key, kind in self._kinds.items() if now - kind.since >= 2 * self._window]
        return [self._late(kind) for kind in (self._kinds.pop(key) for key in quiet) if kind.held]

    def _late(self, kind: _Kind) -> logging.LogRecord:
        record = kind.last
        assert record is not None  # held > 0
        _mark(record, late=True, seen=True, repeats=kind.held - 1, repeat_seconds=self._window)
        return record


def _mark(record: logging.LogRecord, **values: object) -> None:
    """Set attributes on `record` that the formatters read (LogRecord takes any)."""
    record.__dict__.update(values)


def environmental(error: BaseException | None) -> bool:
    """Whether `error` (or its explicit cause, `raise … from`) is a fault of the environment,
    not of the code: an OSError (refused, reset, timed out…) or PEP 249's OperationalError or
    InterfaceError (the database is down, the connection dropped), whatever the driver."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) or type(error).__name__ in (
            "OperationalError",
            "InterfaceError",
        ):
            return True
        error = error.__cause__
    return False


def one_line(error: BaseException) -> str:
    """`error` as "Type: message" on one line of at most EXCEPTION_LINE characters."""
    text = f"{type(error).__name__}: {' '.join(str(error).split())}".rstrip(": ")
    return text if len(text) <= EXCEPTION_LINE else text[: EXCEPTION_LINE - 1] + "…"


class _Lines:
    """What the text and JSON formatters share: a record's message with its count, and its
    exception as a traceback or one line."""

    def __init__(self, formatter: logging.Formatter, tracebacks: bool) -> None:
        self._formatter = formatter
        self._tracebacks = tracebacks

    def message(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        repeats = getattr(record, "repeats", 0)
        if repeats:
            seconds = getattr(record, "repeat_seconds", WINDOW)
            message += f" (and {repeats} more like it in the last {seconds:.0f} s)"
        return message

    def exception(self, record: logging.LogRecord) -> tuple[str, bool]:
        """(the exception's text, whether it is a whole traceback); ("", False) if none."""
        error = record.exc_info[1] if record.exc_info else None
        if error is None:
            return "", False
        brief = getattr(record, "seen", False) or (not self._tracebacks and environmental(error))
        if brief:
            return one_line(error), False
        assert record.exc_info is not None
        return self._formatter.formatException(record.exc_info), True


class TextFormatter(logging.Formatter):
    """Lines of "time LEVEL logger: message", the exception on the same line or as a traceback
    below; secrets redacted from the whole."""

    def __init__(self, redact: Redactor, tracebacks: bool = False) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._redact = redact
        self._lines = _Lines(self, tracebacks)

    def format(self, record: logging.LogRecord) -> str:
        record.message = self._lines.message(record)
        record.asctime = self.formatTime(record, self.datefmt)
        text = self.formatMessage(record)
        exception, whole = self._lines.exception(record)
        if exception:
            text += f"\n{exception}" if whole else f": {exception}"
        if record.stack_info:
            text += "\n" + self.formatStack(record.stack_info)
        return self._redact(text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the exception if any and the count
    of repeats held back; secrets redacted from each."""

    def __init__(self, redact: Redactor | None = None, tracebacks: bool = False) -> None:
        super().__init__()
        self._redact = redact or Redactor()
        self._lines = _Lines(self, tracebacks)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._redact(self._lines.message(record)),
        }
        exception, _ = self._lines.exception(record)
        if exception:
            entry["exception"] = self._redact(exception)
        if getattr(record, "repeats", 0):
            entry["repeats"] = getattr(record, "repeats", 0)
        return json.dumps(entry, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):
    """Stderr, through a RepeatFilter whose held-back records are written when it closes."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.repeats = RepeatFilter(self.handle)
        self.addFilter(self.repeats)

    def close(self) -> None:
        self.repeats.flush()
        super().close()


# The libraries' loggers, at WARNING unless LOG_LEVEL=DEBUG: at INFO they narrate what no
# operator needs (issue 16): httpx every request (whose URL may hold a token), alembic every
# start, APScheduler two lines for every job run, every second; the chat SDKs their polling.
QUIET = ("httpx", "httpcore", "alembic", "apscheduler", "telegram", "slack_bolt", "slack_sdk")


def configure_logging(level: str, fmt: str, secrets: Iterable[str] = ()) -> None:
    """Send logs to stderr at `level` (INFO if unknown), as text or JSON (`fmt`), with
    `secrets` (and token shapes) redacted, repeats held back, and an uncaught exception logged
    the same way. The libraries of QUIET say only their warnings, unless `level` is DEBUG."""
    known = level if level in logging.getLevelNamesMapping() else "INFO"
    redact = Redactor(secrets)
    tracebacks = known == "DEBUG"
    handler = _StderrHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter(redact, tracebacks))
    else:
        handler.setFormatter(TextFormatter(redact, tracebacks))
    root = logging.getLogger()
    for old in root.handlers:
        if isinstance(old, _StderrHandler):
            old.close()
    root.handlers[:] = [handler]
    root.setLevel(known)
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(logging.NOTSET if tracebacks else logging.WARNING)
    sys.excepthook = _log_uncaught


def _log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """sys.excepthook: an exception that ends the process goes through the log (redacted)."""
    logging.getLogger("tallywire").critical("stopped by an error", exc_info=(kind, error, trace))
