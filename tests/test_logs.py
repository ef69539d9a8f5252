"""bot/logs.py: secrets redacted from every line, tracebacks included; repeats held back and
counted; errors of the environment on one line (issue 12, points 4 and 6)."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest

from bot.cli.main import main
from bot.logs import (
    QUIET,
    JsonFormatter,
    Redactor,
    RepeatFilter,
    TextFormatter,
    configure_logging,
    environmental,
    secrets_of,
    url_secrets,
)
from bot.settings import Settings

TOKEN = "123456789:AAH-fakeTokenForTallywireTests_0123456"
SECRETS = {
    "TELEGRAM_BOT_TOKEN": TOKEN,
    "TELEGRAM_WEBHOOK_SECRET": "hook-Secret_42",
    "SLACK_BOT_TOKEN": "xoxb-1111-2222-FakeBot",
    "SLACK_APP_TOKEN": "xapp-1-A0-3333-FakeApp",
    "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
}


class OperationalError(Exception):
    """Named as PEP 249 names it, as psycopg's, sqlite3's and SQLAlchemy's are."""


def test_every_configured_secret_is_found_in_the_settings() -> None:
    env = SECRETS | {
        "DATABASE_URL": "postgres://tally:db%40Pass-9@db.test:5432/tally?sslmode=require",
        "TALLYWIRE_WEBHOOK_URL": "https://hook:webPass77@chat.test/in?token=qTok3n&room=news",
    }
    found = set(secrets_of(Settings.from_env(env)))
    assert set(SECRETS.values()) <= found
    assert {"db%40Pass-9", "webPass77", "qTok3n"} <= found
    assert not {"require", "news", "tally", "hook"} & found  # not credentials: left alone


def test_a_secret_of_a_platform_installed_from_elsewhere_is_found_by_its_name() -> None:
    """Such a platform has no field in Settings: its variables are in `settings.env`."""
    env = {
        "FAKECHAT_TOKEN": "fake-Tok3n",
        "FAKECHAT_SIGNING_SECRET": "fake-Secr3t",
        "FAKECHAT_URL": "https://bot:urlPass5@chat.test/api?room=news",
        "FAKECHAT_ROOM": "general",
        "NO_AUTH": "true",
    }
    found = set(secrets_of(Settings.from_env(env)))
    assert {"fake-Tok3n", "fake-Secr3t", "urlPass5"} <= found
    assert not {"general", "true", "news", "bot"} & found


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://postgres@127.0.0.1:5432/test", []),
        ("postgresql://u:p%2Fw0rd@h/db", ["p%2Fw0rd"]),
        ("https://h.test/x?api_key=k123&x=1", ["k123"]),
        ("sqlite:///tallywire.db", []),
        (None, []),
    ],
)
def test_url_secrets_are_passwords_and_credential_parameters(
    url: str | None, expected: list[str]
) -> None:
    assert url_secrets(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # issue 12: the bare token, without the "bot" of its URL
        (f"token {TOKEN} refused", "token <redacted> refused"),
        (f"POST /bot{TOKEN}/sendMessage", "POST /bot<redacted>/sendMessage"),
        ("GET /bot123:short/getMe", "GET /bot<redacted>/getMe"),
        ("Bearer xoxb-9-8-Zz and xapp-1-2-Yy", "Bearer <redacted> and <redacted>"),
        # python-telegram-bot at DEBUG, on every setWebhook (issue 12)
        (
            "Calling Bot API endpoint `setWebhook` with parameters `{'url': 'https://x.test/t', "
            "'secret_token': 'unconfigured-Value'}`",
            "Calling Bot API endpoint `setWebhook` with parameters `{'url': 'https://x.test/t', "
            "'secret_token': '<redacted>'}`",
        ),
        ("'Authorization': 'Basic aG9vazp3ZWJQYXNz'", "'Authorization': 'Basic <redacted>'"),
        ("Authorization: Bearer abc.def-1", "Authorization: Bearer <redacted>"),
        ("Basic Information -> Signing Secret", "Basic Information -> Signing Secret"),
        ("at 12:34:56, 1748100000.000100", "at 12:34:56, 1748100000.000100"),
    ],
)
def test_token_shapes_are_redacted_even_when_not_configured(text: str, expected: str) -> None:
    assert Redactor()(text) == expected


def test_configured_values_are_redacted_in_every_spelling() -> None:
    redact = Redactor(["db%40Pass-9", "hook-Secret_42", "abc"])
    assert redact("password=db%40Pass-9 or db@Pass-9") == "password=<redacted> or <redacted>"
    assert redact("{'secret': 'hook-Secret_42'}") == "{'secret': '<redacted>'}"
    assert (
        redact("abc stays: too short to tell from text") == "abc stays: too short to tell from text"
    )


@pytest.fixture
def restored() -> Iterator[None]:
    """configure_logging changes the root logger and sys.excepthook: put them back."""
    root = logging.getLogger()
    handlers, level, hook = root.handlers[:], root.level, sys.excepthook
    quiet = {name: logging.getLogger(name).level for name in QUIET}
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook = hook
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_secret_in_a_traceback_is_redacted(
    fmt: str, restored: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before issue 12 only the message was redacted, not the formatter's traceback."""
    configure_logging("INFO", fmt, SECRETS.values())
    try:
        raise ValueError(f"bad token {SECRETS['SLACK_SIGNING_SECRET']} in {TOKEN}")
    except ValueError:
        logging.getLogger("tests.logs").exception(
            "failed with %s", SECRETS["TELEGRAM_WEBHOOK_SECRET"]
        )
    err = capsys.readouterr().err
    assert "Traceback" in err and "<redacted>" in err  # the traceback was written, redacted
    for secret in SECRETS.values():
        assert secret not in err
    assert "123456789" not in err


def test_an_uncaught_exception_is_logged_redacted(
    restored: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", "text", SECRETS.values())
    error = RuntimeError(f"crashed holding {SECRETS['SLACK_BOT_TOKEN']}")
    sys.excepthook(RuntimeError, error, None)
    err = capsys.readouterr().err
    assert (
        "CRITICAL tallywire: stopped by an error\nRuntimeError: crashed holding <redacted>" in err
    )
    assert SECRETS["SLACK_BOT_TOKEN"] not in err


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _logger(
    fmt: logging.Formatter, clock: Clock
) -> tuple[logging.Logger, io.StringIO, RepeatFilter]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    repeats = RepeatFilter(handler.handle, clock=clock)
    handler.addFilter(repeats)
    handler.setFormatter(fmt)
    logger = logging.getLogger(f"tests.logs.{id(stream)}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream, repeats


def _refused() -> OperationalError:
    try:
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except ConnectionRefusedError as cause:
            raise OperationalError(
                "connection failed: port 5432\n\tIs the server running?"
            ) from cause
    except OperationalError as error:
        return error


def test_an_outage_of_30_seconds_is_four_lines_with_their_counts() -> None:
    """Issue 12: 263 tracebacks in 30 s while the database refused connections."""
    clock = Clock()
    logger, stream, repeats = _logger(TextFormatter(Redactor()), clock)
    for tick in range(100):  # one failure every 0.3 s for 30 s
        clock.now = tick * 0.3
        error = _refused()
        logger.error("delivery failed; it is tried again", exc_info=(type(error), error, None))
    repeats.flush()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4
    assert all("OperationalError: connection failed: port 5432 Is the server running?" in line
               for line in lines)  # fmt: skip
    counts = [int(line.split("(and ")[1].split()[0]) for line in lines[1:]]
    assert 1 + len(lines[1:]) + sum(counts) == 100  # every failure written or counted
    assert "(and 33 more like it in the last 10 s)" in lines[1]


def test_a_bug_keeps_its_traceback_once_and_its_repeats_are_one_line() -> None:
    clock = Clock()
    logger, stream, repeats = _logger(TextFormatter(Redactor()), clock)
    for tick in range(25):
        clock.now = float(tick)
        try:
            {}["missing"]  # the bug
        except KeyError:
            logger.exception("job failed")
    repeats.flush()
    text = stream.getvalue()
    assert text.count("Traceback (most recent call last)") == 1
    # At 0 s, 10 s and 20 s, and the last, at 24 s, with the count of 21 s to 23 s
    assert text.count("job failed") == 4
    assert "job failed (and 9 more like it in the last 10 s): KeyError: 'missing'" in text


def test_only_warnings_and_errors_that_are_alike_are_held() -> None:
    clock = Clock()
    logger, stream, _ = _logger(TextFormatter(Redactor()), clock)
    for n in range(5):
        logger.info("feed %s: %d documents", f"f{n}", n)  # INFO: each its own line
        logger.warning("feed %s failed", f"f{n}")  # one template: the first only
        logger.warning("a different warning %d", n)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 5 + 1 + 1
    assert lines[1].endswith("feed f0 failed") and lines[2].endswith("a different warning 0")


def test_a_quiet_kind_has_its_count_written_by_the_next_record_of_any_kind() -> None:
    clock = Clock()
    logger, stream, _ = _logger(TextFormatter(Redactor()), clock)
    for tick in range(6):
        clock.now = float(tick)
        logger.warning("refused a Slack request from %s", "127.0.0.1")
    clock.now = 25.0
    logger.info("something else")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[1].endswith("refused a Slack request from 127.0.0.1 (and 4 more like it in "
                             "the last 10 s)")  # fmt: skip
    assert lines[2].endswith("something else")


def test_at_debug_an_environment_error_keeps_its_traceback() -> None:
    clock = Clock()
    logger, stream, _ = _logger(TextFormatter(Redactor(), tracebacks=True), clock)
    error = _refused()
    logger.error("store down", exc_info=(type(error), error, error.__traceback__))
    assert "Traceback (most recent call last)" in stream.getvalue()


def test_json_lines_carry_the_count_and_a_one_line_exception() -> None:
    clock = Clock()
    logger, stream, repeats = _logger(JsonFormatter(Redactor([TOKEN])), clock)
    for tick in range(12):
        clock.now = float(tick)
        error = _refused()
        logger.error("poll of %s failed", TOKEN, exc_info=(type(error), error, None))
    repeats.flush()
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [e.get("repeats", 0) for e in entries] == [0, 9, 0]
    assert (
        entries[1]["message"] == "poll of <redacted> failed (and 9 more like it in the last 10 s)"
    )
    assert entries[0]["exception"].startswith("OperationalError: connection failed")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (OperationalError("db down"), True),
        (ValueError("a bug"), False),
        (KeyError("x"), False),
    ],
)
def test_environment_errors_are_told_from_bugs(error: BaseException, expected: bool) -> None:
    assert environmental(error) is expected


def test_an_error_raised_while_handling_an_oserror_is_still_a_bug() -> None:
    try:
        try:
            raise ConnectionResetError()
        except ConnectionResetError:
            raise NameError("undefined") from None
    except NameError as error:
        assert not environmental(error)


# --- third-party chatter (issue 16) ----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "apscheduler.executors.default",  # "Running job … executed successfully", every second
        "apscheduler.scheduler",  # "Added job", "Scheduler started"
        "httpx",
        "telegram.ext.Application",
        "slack_bolt.App",
        "slack_sdk.socket_mode.aiohttp",
    ],
)
def test_the_libraries_say_only_their_warnings_at_info_and_everything_at_debug(
    name: str, restored: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", "text")
    logging.getLogger(name).info("Running job executed successfully")
    logging.getLogger(name).warning("the library warns")
    logging.getLogger("bot.pipeline.rounds").info("poll round: 1 polls")
    at_info = capsys.readouterr().err.splitlines()
    configure_logging("DEBUG", "text")
    logging.getLogger(name).info("Running job executed successfully")
    logging.getLogger(name).debug("the library's detail")
    at_debug = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 1)[1] for line in at_info] == [
        "the library warns",
        "poll round: 1 polls",
    ]
    assert [line.split(": ", 1)[1] for line in at_debug] == [
        "Running job executed successfully",
        "the library's detail",
    ]


def test_an_unknown_log_level_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, restored: None, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "nonsense")
    assert main(["migrate"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "tallywire: error: LOG_LEVEL='nonsense' must be one of debug, info, warning, error, "
        "critical"
    ]
