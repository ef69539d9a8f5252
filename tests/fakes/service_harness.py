"""Running `tallywire run` as a real process, and reading what it left in its store."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.store.database import open_engine
from bot.store.schema import outbox
from tests.fakes.chat_server import ChatServer

REPO = Path(__file__).resolve().parents[2]


def base_env(tmp: Path, database_url: str) -> dict[str, str]:
    """This process's environment without Tallywire's settings, a store, and a config folder
    whose feeds.toml lists no feed."""
    config = tmp / "config"
    config.mkdir(exist_ok=True)
    (config / "feeds.toml").write_text("feeds = []\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TALLYWIRE_", "TELEGRAM_", "SLACK_"))
    }
    env.update(DATABASE_URL=database_url, TALLYWIRE_CONFIG=str(config))
    return env


def service_env(tmp: Path, chat: ChatServer, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a service that replays the seeds and posts to the fake chat server."""
    env = base_env(tmp, database_url)
    env.update(
        TALLYWIRE_WEBHOOK_URL=chat.url,
        TALLYWIRE_WEBHOOK_SPACING="0",
        TALLYWIRE_POLL_SECONDS="2",
        LOG_LEVEL="WARNING",
        PORT="",
    )
    env.update(extra)
    return env


# The interpreter's own start-up, before any of Tallywire's code runs, cannot catch a signal;
# a PaaS never signals a process that young, and neither do these tests.
STARTUP_SECONDS = 1.5
_started: dict[int, float] = {}


def start(env: dict[str, str], tmp: Path, name: str = "service") -> subprocess.Popen[bytes]:
    log = open(tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], env=env, cwd=tmp, stdout=log, stderr=log
    )
    _started[process.pid] = time.monotonic()
    return process


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 15) -> int:
    young = STARTUP_SECONDS - (time.monotonic() - _started.get(process.pid, 0.0))
    if young > 0:
        time.sleep(young)
    if process.poll() is None:
        process.send_signal(sig)
    return process.wait(timeout=timeout)


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def outbox_rows(database_url: str) -> list[tuple[str, str, str]]:
    """(key, role, status) of every outbox message, in the order written; none while the
    service has not created its store yet (the test reads, it never migrates)."""
    engine = open_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(outbox.c.key, outbox.c.role, outbox.c.status).order_by(outbox.c.id)
            ).all()
        return [(k, r, s) for k, r, s in rows]
    except (OperationalError, ProgrammingError):
        return []
    finally:
        engine.dispose()


def settled(database_url: str) -> bool:
    """Whether the outbox holds messages and none is pending."""
    rows = outbox_rows(database_url)
    return bool(rows) and all(status != "pending" for _, _, status in rows)


def sent_posts(database_url: str) -> set[str]:
    """The keys of the roots and replies the store says were sent (edits are not posts)."""
    return {
        k for k, role, status in outbox_rows(database_url) if role != "edit" and status == "sent"
    }


def unsent(database_url: str) -> list[str]:
    """Each outbox message neither sent nor superseded (an edit a later one made needless), as
    "key: status, claimed by ..., attempts, error", to say what a test found instead."""
    engine = open_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(outbox).where(outbox.c.status.not_in(("sent", "superseded")))
            ).all()
    except (OperationalError, ProgrammingError) as exc:
        return [f"the store cannot be read: {exc}"]
    finally:
        engine.dispose()
    return [
        f"{r.key}: {r.status}, claimed by {r.claimed_by} until {r.claimed_until}, "
        f"{r.attempts} attempts, next at {r.next_attempt_at}, error {r.error}"
        for r in rows
    ]


def log_tail(tmp: Path, name: str = "service", lines: int = 30) -> str:
    """The last lines the service `name` started in `tmp` wrote, for a failure's message."""
    log = tmp / f"{name}.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:]) or "(the log is empty)"


def twice_delivered(chat: ChatServer) -> dict[str, int]:
    """The keys the chat server received more than once, with how many times each."""
    return {key: n for key, n in Counter(chat.keys()).items() if n > 1}


def duplicates(chat: ChatServer) -> int:
    return sum(n - 1 for n in twice_delivered(chat).values())


def out_of_thread_order(chat: ChatServer) -> list[str]:
    """The replies that did not come after their thread's root or do not name it, each as
    "key (#id) replies to X; its root's copies so far: ..." (a root posted twice, in the one
    window for a duplicate, may be either copy)."""
    roots: dict[str, set[str]] = {}
    wrong = []
    for message in chat.messages:
        thread = message.key.split("|")[1]
        if message.key.endswith("|root"):
            roots.setdefault(thread, set()).add(message.id)
        elif message.reply_to not in roots.get(thread, set()):
            copies = sorted(roots.get(thread, set()))
            wrong.append(
                f"{message.key} (#{message.id}) replies to {message.reply_to}; "
                f"its root's copies so far: {copies or 'none'}"
            )
    return wrong


def in_thread_order(chat: ChatServer) -> bool:
    """Every reply came after its thread's root and names it (see out_of_thread_order)."""
    return not out_of_thread_order(chat)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
