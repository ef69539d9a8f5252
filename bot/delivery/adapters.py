"""Chat adapters as the core sees them: found through entry points, so that bot/ never imports
handlers/ or a chat SDK, and names no chat platform.

A chat platform is installed as an entry point, `[project.entry-points."tallywire.channels"]
NAME = "module"` (or "module:object"), naming a ChatPlatform: `enabled(settings)` says whether
these settings turn the platform on (its token is set, say), and `build(ChatContext)` makes its
ChatAdapter. `load_adapters` asks every installed platform and builds those that say yes; the
core decides nothing by a platform's name. The adapter brings its Channel (for the Deliverer)
and starts and stops its own listening (polling, a webhook route on the service's HTTP server)
inside the service's event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import EntryPoint, entry_points
from typing import Protocol, TypeVar, cast

from bot.commands import CommandContext
from bot.delivery.channel import Channel
from bot.errors import ConfigError
from bot.settings import Settings
from bot.store import Store, move_destination
from bot.telemetry import HttpServer

log = logging.getLogger(__name__)
GROUP = "tallywire.channels"
A = TypeVar("A")
T = TypeVar("T")


class ChatAdapter(Protocol):
    """A chat platform: its channel, and its listening for commands and questions."""

    @property
    def name(self) -> str:
        """The platform's name, the "telegram" of a destination "telegram:-100123"."""
        ...

    @property
    def channel(self) -> Channel:
        """Where the Deliverer sends this platform's messages."""
        ...

    async def start(self) -> None:
        """Start listening; return at once (connecting may go on in the background)."""
        ...

    async def stop_listening(self) -> None:
        """Stop taking new commands (on SIGTERM); the channel keeps sending."""
        ...

    async def close(self) -> None:
        """Release everything, after the last send."""
        ...


@dataclass(frozen=True)
class ChatContext:
    """What an adapter is built from. `http` is the service's HTTP server (None without PORT),
    to mount webhook routes on before it starts; `move_destination(old, new)` carries a
    destination's subscription, pending messages and threads to a new address."""

    settings: Settings
    commands: CommandContext
    http: HttpServer | None
    move_destination: Callable[[str, str], Awaitable[None]]


class ChatPlatform(Protocol):
    """What a `tallywire.channels` entry point names: a module (handlers/telegram/) or any
    object with these two functions."""

    def enabled(self, settings: Settings) -> bool:
        """True if `settings` turn this platform on: its own settings are present (a field of
        Settings, or for a platform installed from elsewhere its variables in `settings.env`).
        Asked of every installed platform, used or not: cheap, and importing no chat SDK."""
        ...

    def build(self, context: ChatContext) -> ChatAdapter:
        """The platform's adapter, not started yet. Raises ConfigError when its settings are
        incomplete (a webhook without PORT, say)."""
        ...


def installed_platforms() -> list[tuple[str, ChatPlatform]]:
    """Every chat platform installed (the `tallywire.channels` entry points), as (name,
    platform) in the order of the names. Raises ConfigError naming an entry point that cannot
    be loaded or does not name a ChatPlatform: a broken install is not skipped quietly."""
    points = {point.name: point for point in entry_points(group=GROUP)}
    return [(name, _load(points[name])) for name in sorted(points)]


def load_adapters(context: ChatContext) -> list[ChatAdapter]:
    """Build the adapter of every installed chat platform that `context.settings` enable.
    Raises ConfigError naming the platform when one cannot be loaded or asked, or is enabled
    and cannot be built."""
    adapters = []
    for name, platform in installed_platforms():
        if _ask(name, "say whether it is enabled", platform.enabled, context.settings):
            adapters.append(_ask(name, "be built", platform.build, context))
    return adapters


def _load(point: EntryPoint) -> ChatPlatform:
    try:
        platform = point.load()
    except Exception as error:  # any failure of an installed plugin's import: name it
        raise ConfigError(
            f"the {point.name} chat platform ({point.value}) cannot be loaded: "
            f"{type(error).__name__}: {error}"
        ) from error
    if not all(callable(getattr(platform, part, None)) for part in ("enabled", "build")):
        raise ConfigError(
            f"the {point.name} chat platform ({point.value}) names no ChatPlatform: it needs "
            "enabled(settings) and build(context)"
        )
    return cast(ChatPlatform, platform)


def _ask(name: str, what: str, call: Callable[[A], T], argument: A) -> T:
    """`call(argument)`, its failure a ConfigError that names the platform."""
    try:
        return call(argument)
    except ConfigError as error:
        raise ConfigError(f"the {name} chat platform: {error}") from error
    except Exception as error:  # a plugin's own failure, reported before the service starts
        raise ConfigError(
            f"the {name} chat platform could not {what}: {type(error).__name__}: {error}"
        ) from error


def destination_mover(
    store: Store, clock: Callable[[], datetime]
) -> Callable[[str, str], Awaitable[None]]:
    """`move_destination` for a ChatContext: one transaction, in a thread."""

    def move(old: str, new: str) -> None:
        with store.transaction() as conn:
            move_destination(conn, old, new, clock())
        log.info("moved %s to %s", old, new)

    async def run(old: str, new: str) -> None:
        await asyncio.to_thread(move, old, new)

    return run


class Adapters:
    """The chat adapters of one service: started after the scheduler, told to stop listening
    as soon as `stop` is set, closed after the last delivery."""

    def __init__(self, adapters: list[ChatAdapter]) -> None:
        self._adapters = adapters
        self._watch: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    @property
    def channels(self) -> dict[str, Channel]:
        """The adapters' channels by name, for the Deliverer."""
        return {adapter.name: adapter.channel for adapter in self._adapters}

    async def start(self, stop: asyncio.Event) -> None:
        """Start every adapter, and stop their listening when `stop` is set."""
        self._stop = stop
        for adapter in self._adapters:
            await adapter.start()
        if self._adapters:
            self._watch = asyncio.create_task(self._stop_on(stop), name="chat adapters")

    async def _stop_on(self, stop: asyncio.Event) -> None:
        await stop.wait()
        await asyncio.gather(*(adapter.stop_listening() for adapter in self._adapters))

    async def close(self) -> None:
        """Close every adapter (each bounds its own time)."""
        if self._watch is not None:
            if not self._stop.is_set():
                self._watch.cancel()  # the service ended without a stop (an error)
            await asyncio.gather(self._watch, return_exceptions=True)
        await asyncio.gather(*(adapter.close() for adapter in self._adapters))
