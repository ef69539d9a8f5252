"""What is checked before the service starts (`tallywire check`, `tallywire run`), and what
makes a running service degraded on /healthz (issue 16).

Before start: the store opens and migrates, PORT can be bound, the feeds' config reads, and
each chat platform that is on accepts its tokens (its own `check`, see ChatPlatform). While
running: a chat channel that cannot authenticate, an outbox whose oldest waiting message is
older than OUTBOX_AGE_LIMIT, a feed that has failed for FEED_FAILING_LIMIT.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.errors import ConfigError, StoreError
from bot.settings import Settings

OUTBOX_AGE_LIMIT = timedelta(minutes=30)
FEED_FAILING_LIMIT = timedelta(days=1)


@dataclass(frozen=True)
class Problem:
    """What is wrong, in one line, and where (`part`: "store", "port", "telegram", "feed
    reuters"...). `refused` is False for what may pass by itself (a platform not reachable
    now): the service starts anyway and its adapter keeps trying; `tallywire check` reports it
    all the same."""

    part: str
    text: str
    refused: bool = True

    def line(self) -> str:
        """The problem as `tallywire check` prints it."""
        return f"{self.part}: {self.text}"


async def startup_problems(settings: Settings) -> list[Problem]:
    """Every problem that can be found before the service starts, in a fixed order."""
    problems = await asyncio.to_thread(_store_problems, settings.database_url)
    problems += port_problems(settings.port)
    problems += _feed_problems(settings)
    problems += await _channel_problems(settings)
    return problems


def _store_problems(url: str) -> list[Problem]:
    from bot.store import Store  # SQLAlchemy, only for the commands that open a store

    try:
        Store.open(url).close()
    except StoreError as error:
        return [Problem("store", first_line(error))]
    return []


def port_problems(port: int | None, host: str = "0.0.0.0") -> list[Problem]:
    """A problem when `port` cannot be bound on `host` now (taken, or privileged)."""
    if port is None:
        return []
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return [Problem("port", port_refusal(port, error))]
    return []


def port_refusal(port: int, error: OSError) -> str:
    """One line on why PORT cannot be served."""
    if error.errno == errno.EADDRINUSE:
        return f"PORT={port} is in use by another process"
    if error.errno == errno.EACCES:
        return f"PORT={port} needs privileges to bind (use a port above 1023)"
    return f"PORT={port} cannot be bound: {error.strerror or error}"


def _feed_problems(settings: Settings) -> list[Problem]:
    from bot.sources import load_feeds

    try:
        load_feeds(settings)
    except ConfigError as error:
        return [Problem("feeds", first_line(error))]
    return []


async def _channel_problems(settings: Settings) -> list[Problem]:
    from bot.delivery import installed_platforms

    problems: list[Problem] = []
    try:
        platforms = installed_platforms()
    except ConfigError as error:
        return [Problem("chat", first_line(error))]
    for name, platform in platforms:
        check = getattr(platform, "check", None)
        if check is None or not platform.enabled(settings):
            continue
        try:
            problems += await check(settings)
        except Exception as error:  # a plugin's own failure: named, not a traceback
            problems.append(Problem(name, f"its check failed: {type(error).__name__}"))
    return problems


def running_problems(
    channels: Mapping[str, str | None],
    oldest_waiting: datetime | None,
    failing_feeds: Iterable[tuple[str, timedelta]],
    now: datetime,
) -> list[Problem]:
    """What makes a running service degraded: `channels` maps each chat channel to what is
    wrong with it (None when nothing); `oldest_waiting` is when the outbox's oldest waiting
    message was written; `failing_feeds` are (feed id, how long it has failed)."""
    problems = [Problem(name, wrong) for name, wrong in sorted(channels.items()) if wrong]
    if oldest_waiting is not None and now - oldest_waiting > OUTBOX_AGE_LIMIT:
        minutes = int((now - oldest_waiting).total_seconds() // 60)
        problems.append(Problem("outbox", f"a message has waited {minutes} min to be sent"))
    for feed_id, failing in failing_feeds:
        if failing >= FEED_FAILING_LIMIT:
            hours = int(failing.total_seconds() // 3600)
            problems.append(Problem(f"feed {feed_id}", f"every poll has failed for {hours} h"))
    return problems


def first_line(error: BaseException) -> str:
    """The first line of `error`'s message (a driver's runs on with hints and links), its
    type's name when it has none."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
