"""A chat platform that is not Tallywire's own, for the tests that install it through a real
`tallywire.channels` entry point (issue 13: "a test adapter registered through the entry point
is enabled without a line of bot/ changing").

"fakechat" runs when FAKECHAT_URL is set, a variable Settings has no field for: the platform
reads it from `settings.env`. Its channel speaks the webhook wire format to that URL, so a
ChatServer records what it delivered, with the address of a destination "fakechat:ADDRESS" as
the message's `destination`. A FAKECHAT_URL that is not a loopback http URL makes `build`
raise ValueError (not a ConfigError), for the test that the loader names the platform.
"""

from __future__ import annotations

import httpx

from bot.delivery import ChatAdapter, ChatContext, WebhookChannel
from bot.settings import Settings

NAME = "fakechat"
URL_VARIABLE = "FAKECHAT_URL"


def enabled(settings: Settings) -> bool:
    """True when FAKECHAT_URL is set."""
    return bool(settings.env.get(URL_VARIABLE))


def build(context: ChatContext) -> ChatAdapter:
    """The adapter, sending to FAKECHAT_URL. Raises ValueError when it is not loopback http."""
    return FakeChatAdapter(context.settings.env[URL_VARIABLE])


class FakeChatAdapter:
    """Sends through a WebhookChannel and listens to nothing; records its start and stops."""

    name = NAME

    def __init__(self, url: str) -> None:
        if not url.startswith("http://127.0.0.1:"):
            raise ValueError(f"{URL_VARIABLE} must be a loopback http URL, not {url!r}")
        self._client = httpx.AsyncClient(timeout=5.0, trust_env=False)
        self.channel = WebhookChannel(url, self._client, spacing_seconds=0)
        self.calls: list[str] = []

    async def start(self) -> None:
        self.calls.append("start")

    async def stop_listening(self) -> None:
        self.calls.append("stop_listening")

    async def close(self) -> None:
        self.calls.append("close")
        await self._client.aclose()
