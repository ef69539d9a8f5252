"""Telegram as a chat platform: the `tallywire.channels` entry point `telegram` names this
package (a ChatPlatform of bot/delivery).

Telegram runs when TELEGRAM_BOT_TOKEN is set; the adapter itself (python-telegram-bot) is in
`adapter.py`, imported only then, so that a service without Telegram does not load it.
"""

from __future__ import annotations

from bot.checks import Problem
from bot.delivery import ChatAdapter, ChatContext
from bot.settings import Settings

CHECK_SECONDS = 5.0


def enabled(settings: Settings) -> bool:
    """True when the settings hold a bot token (TELEGRAM_BOT_TOKEN)."""
    return bool(settings.telegram_token)


def build(context: ChatContext) -> ChatAdapter:
    """The Telegram adapter for `context`, not started. Raises ConfigError when the settings
    are incomplete (a webhook URL without PORT or without a secret)."""
    # Here, not at the top: python-telegram-bot costs time and memory only when Telegram runs.
    from handlers.telegram.adapter import TelegramAdapter

    return TelegramAdapter(context)


async def check(settings: Settings) -> list[Problem]:
    """Whether Telegram accepts the bot token (getMe), with plain httpx: no PTB to load."""
    import httpx

    url = f"{settings.telegram_api_url}{settings.telegram_token}/getMe"
    try:
        async with httpx.AsyncClient(timeout=CHECK_SECONDS, trust_env=False) as client:
            answer = await client.get(url)
    except httpx.HTTPError as error:
        return [Problem("telegram", f"not reachable: {type(error).__name__}", refused=False)]
    if answer.status_code in (401, 404):
        return [Problem("telegram", f"Telegram refused TELEGRAM_BOT_TOKEN ({answer.status_code})")]
    if answer.status_code != 200:
        return [Problem("telegram", f"getMe answered {answer.status_code}", refused=False)]
    return []
