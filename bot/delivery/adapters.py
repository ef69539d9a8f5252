"""Chat adapters (Telegram, Slack) as the core sees them: found through entry points, so
that bot/ never imports handlers/ or a chat SDK.

An adapter package declares `[project.entry-points."tallywire.channels"] NAME = "module:build"`;
`build(ChatContext) -> ChatAdapter` is called when the settings enable NAME. The adapter brings
its Channel (for the Deliverer) and starts and stops its own listening (polling, a webhook route
on the service's HTTP server) inside the service's event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import entry_points
from typing import Protocol

from bot.commands import CommandContext
from bot.delivery.channel import Channel
from bot.errors import ConfigError
from bot.settings import Settings
from bot.store import Store, move_destination
from bot.telemetry import HttpServer

log = logging.getLogger(__name__)
GROUP = "tallywire.channels"


class ChatAdapter(Protocol):
    """A chat platform: its channel, and its listening for commands and questions."""

    name: str
    channel: Channel

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


def enabled_names(settings: Settings) -> list[str]:
    """The chat adapters these settings turn on."""
    names = ["telegram"] if settings.telegram_token else []
    if settings.slack_bot_token:
        names.append("slack")
    return names


def load_adapters(context: ChatContext) -> list[ChatAdapter]:
    """Build every enabled adapter from its entry point. Raises ConfigError when one is
    enabled but not installed."""
    found = {point.name: point for point in entry_points(group=GROUP)}
    adapters = []
    for name in enabled_names(context.settings):
        if name not in found:
            raise ConfigError(f"the {name} channel is configured but not installed")
        adapters.append(found[name].load()(context))
    return adapters


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
