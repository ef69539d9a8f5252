"""Issue 16's failures through the command line, each one line and the right exit code (0
done, 1 a failure of the work, 2 bad usage or configuration), never a traceback; and
`tallywire check`, which runs the start-up checks and exits."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.service_harness import base_env, free_port
from tests.fakes.slack_api import SlackApi
from tests.fakes.telegram_api import TelegramApi

TOKEN = "123456:good-token-for-the-fake"
SLACK_BOT = "xoxb-good-bot-token"
SLACK_APP = "xapp-good-app-token"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    variables = base_env(tmp_path, f"sqlite:///{tmp_path / 'tallywire.db'}")
    variables.update(TALLYWIRE_SEEDS="off", LOG_LEVEL="INFO")
    return variables


def tallywire(env: dict[str, str], *args: str, cwd: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


def one_line(err: str, says: str) -> None:
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert says in err, err


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("missing/x.db", "No such file or directory"),
        ("file/x.db", "Not a directory"),  # a file where the folder should be
        ("locked/x.db", "Is a directory"),  # the lock file beside the database cannot be made
    ],
)
def test_a_store_that_cannot_be_opened_is_one_line_and_exit_2(
    env: dict[str, str], tmp_path: Path, where: str, says: str
) -> None:
    (tmp_path / "file").write_text("not a folder")
    (tmp_path / "locked" / "x.db.lock").mkdir(parents=True)
    code, out, err = tallywire(env, "swaps", "--db", str(tmp_path / where), cwd=tmp_path)
    assert (code, out) == (2, "")
    one_line(err, f"tallywire: error: cannot open the store at sqlite:///{tmp_path / where}")
    assert says in err


@pytest.mark.parametrize(
    ("variables", "args", "says"),
    [
        ({"PORT": "99999"}, ["run"], "PORT='99999' must be at most 65535"),
        ({"TALLYWIRE_WEBHOOK_URL": "notaurl"}, ["run", "--once"], "TALLYWIRE_WEBHOOK_URL is not"),
        ({}, ["swaps", "--db", "mysql://u:secret@db.example/tw"], "mysql:// is not a store"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_2(
    env: dict[str, str], tmp_path: Path, variables: dict[str, str], args: list[str], says: str
) -> None:
    code, out, err = tallywire({**env, **variables}, *args, cwd=tmp_path)
    assert (code, out) == (2, "")
    one_line(err, says)
    assert "secret" not in err


def test_a_port_in_use_is_one_line_and_exit_2_before_any_work(
    env: dict[str, str], tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = tallywire({**env, "PORT": str(port)}, "run", cwd=tmp_path)
    assert (code, out) == (2, "")
    one_line(err, f"tallywire: error: port: PORT={port} is in use by another process")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["addfeed", "http://127.0.0.1/feed.xml"], "Feed not added: 127.0.0.1 is a loopback"),
        (["removefeed", "no-such-feed"], "no-such-feed is not a feed's id."),
    ],
)
def test_a_refused_operator_command_exits_1(
    env: dict[str, str], tmp_path: Path, args: list[str], says: str
) -> None:
    code, out, err = tallywire(env, *args, cwd=tmp_path)
    assert (code, out) == (1, "")
    assert err.startswith(says) and "Traceback" not in err


def test_the_operator_adds_a_private_feed_only_when_asked(
    env: dict[str, str], tmp_path: Path
) -> None:
    url = "http://127.0.0.1:9/feed.xml"
    code, out, _ = tallywire(env, "addfeed", "--allow-private", url, cwd=tmp_path)
    assert code == 0 and out.startswith("Added feed ")
    assert "tallywire removefeed" in out and "/removefeed" not in out  # the CLI's words, not chat's
    feed_id = out.split()[2].rstrip(".")
    code, out, _ = tallywire(env, "feeds", cwd=tmp_path)
    assert code == 0 and feed_id in out
    code, out, _ = tallywire(env, "removefeed", feed_id, cwd=tmp_path)
    assert code == 0 and feed_id in out


def test_check_passes_a_good_configuration(env: dict[str, str], tmp_path: Path) -> None:
    with TelegramApi(TOKEN) as telegram, SlackApi(SLACK_BOT, SLACK_APP) as slack:
        good = {
            "PORT": str(free_port()),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": telegram.base_url,
            "SLACK_BOT_TOKEN": SLACK_BOT,
            "SLACK_APP_TOKEN": SLACK_APP,
            "SLACK_API_URL": slack.base_url,
        }
        code, out, err = tallywire({**env, **good}, "check", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out.startswith("the configuration is good")


def test_check_names_each_problem_and_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    with (
        TelegramApi(TOKEN) as telegram,
        SlackApi(SLACK_BOT, SLACK_APP) as slack,
        socket.socket() as taken,
    ):
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bad = {
            "PORT": str(port),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'x.db'}",
            "TELEGRAM_BOT_TOKEN": "123456:wrong",
            "TELEGRAM_API_URL": telegram.base_url,
            "SLACK_BOT_TOKEN": SLACK_BOT,
            "SLACK_APP_TOKEN": "xapp-refused",
            "SLACK_API_URL": slack.base_url,
        }
        code, out, err = tallywire({**env, **bad}, "check", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"tallywire: store: cannot open the store at sqlite:///{tmp_path}/missing/x.db: "
        f"No such file or directory: {tmp_path}/missing/x.db.lock",
        f"tallywire: port: PORT={port} is in use by another process",
        "tallywire: slack: Slack refused SLACK_APP_TOKEN (invalid_auth)",
        "tallywire: telegram: Telegram refused TELEGRAM_BOT_TOKEN (401)",
    ]
    assert "wrong" not in err and "xapp" not in err


def test_check_names_every_malformed_setting_at_once(env: dict[str, str], tmp_path: Path) -> None:
    bad = {"PORT": "99999", "LOG_LEVEL": "nonsense", "TALLYWIRE_WEBHOOK_URL": "notaurl"}
    code, out, err = tallywire({**env, **bad}, "check", cwd=tmp_path)
    assert (code, out) == (2, "")
    one_line(err, "PORT='99999' must be at most 65535")
    assert "LOG_LEVEL='nonsense' must be one of" in err
    assert "TALLYWIRE_WEBHOOK_URL is not an http(s) URL" in err


def test_a_refused_telegram_token_stops_the_start_with_exit_2(
    env: dict[str, str], tmp_path: Path
) -> None:
    with TelegramApi(TOKEN) as telegram:
        bad = {"TELEGRAM_BOT_TOKEN": "123456:wrong", "TELEGRAM_API_URL": telegram.base_url}
        code, out, err = tallywire({**env, **bad}, "run", cwd=tmp_path)
    assert (code, out) == (2, "")
    one_line(err, "tallywire: error: telegram: Telegram refused TELEGRAM_BOT_TOKEN (401)")


@pytest.fixture
def service(env: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env={**env, "TALLYWIRE_SEEDS": "on"},
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_sigterm_just_after_start_stops_without_a_traceback(
    service: subprocess.Popen[str],
) -> None:
    """Issue 16: a SIGTERM about a second after start logged APScheduler's CancelledError
    traceback for each job it had handed out and not run yet."""
    assert service.stderr is not None
    deadline = time.monotonic() + 30
    lines = []
    while time.monotonic() < deadline:
        line = service.stderr.readline()
        lines.append(line)
        if " running: " in line:
            break
    os.kill(service.pid, signal.SIGTERM)
    _, rest = service.communicate(timeout=30)
    log = "".join(lines) + rest
    assert service.returncode == 0
    assert "running: " in log and "stopped" in log
    assert "Traceback" not in log and "CancelledError" not in log and " ERROR " not in log
