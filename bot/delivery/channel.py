"""The port every chat channel implements: send, reply in a thread, edit a thread's root."""

from __future__ import annotations

from typing import Protocol

from bot.compose import Message


class Channel(Protocol):
    """A place messages go: the console, a Telegram chat, a Slack channel.

    `address` is the part of a destination after "name:" (a chat id, a channel id; empty for
    the console). Implementations raise DeliveryError subclasses (bot.errors) on failure:
    RetryableDelivery, UncertainDelivery, DestinationGone; any other
    DeliveryError is permanent. `per_second` is the platform's overall limit; `spacing` the
    least time between two messages to one destination.
    """

    per_second: float

    def spacing(self, address: str) -> float:
        """Seconds to leave between two messages to this address."""
        ...

    async def send(self, address: str, message: Message, reply_to: str | None, key: str) -> str:
        """Post `message` (as a reply to `reply_to` when given); return the platform's id of it.
        `key` is the outbox's idempotency key, for platforms that can keep it."""
        ...

    async def edit(self, address: str, platform_id: str, message: Message) -> None:
        """Replace the text of an earlier message."""
        ...


def channel_name(destination: str) -> str:
    """The channel of a destination: "telegram" for "telegram:-100123", "console" for "console"."""
    return destination.split(":", 1)[0]


def address_of(destination: str) -> str:
    """The address within the channel: "-100123" for "telegram:-100123"."""
    return destination.split(":", 1)[1] if ":" in destination else ""
