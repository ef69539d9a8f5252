"""From the outbox to the channels: the Channel port, chat adapters loaded by entry point, the
sender and its pacing, the console and webhook channels."""

from bot.delivery.adapters import (
    Adapters,
    ChatAdapter,
    ChatContext,
    ChatPlatform,
    destination_mover,
    installed_platforms,
    load_adapters,
)
from bot.delivery.channel import Channel
from bot.delivery.console import ConsoleChannel, render
from bot.delivery.deliverer import Deliverer, deliver_pending
from bot.delivery.pacing import RateLimiter
from bot.delivery.webhook import WebhookChannel

__all__ = [
    "Adapters",
    "Channel",
    "ChatAdapter",
    "ChatContext",
    "ChatPlatform",
    "ConsoleChannel",
    "Deliverer",
    "RateLimiter",
    "WebhookChannel",
    "deliver_pending",
    "destination_mover",
    "installed_platforms",
    "load_adapters",
    "render",
]
