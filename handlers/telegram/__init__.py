"""Telegram as a chat platform: the `tallywire.channels` entry point `telegram` names this
package (a ChatPlatform of bot/delivery).

Telegram runs when TELEGRAM_BOT_TOKEN is set; the adapter itself (python-telegram-bot) is in
`adapter.py`, imported only then, so that a service without Telegram does not load it.
"""

from __future__ import annotations

from bot.delivery import ChatAdapter, ChatContext
from bot.settings import Settings


def enabled(settings: Settings) -> bool:
    """True when the settings hold a bot token (TELEGRAM_BOT_TOKEN)."""
    return bool(settings.telegram_token)


def build(context: ChatContext) -> ChatAdapter:
    """The Telegram adapter for `context`, not started. Raises ConfigError when the settings
    are incomplete (a webhook URL without PORT or without a secret)."""
    # Here, not at the top: python-telegram-bot costs time and memory only when Telegram runs.
    from handlers.telegram.adapter import TelegramAdapter

    return TelegramAdapter(context)
