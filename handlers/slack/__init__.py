"""Slack as a chat platform: the `tallywire.channels` entry point `slack` names this package
(a ChatPlatform of bot/delivery).

Slack runs when SLACK_BOT_TOKEN is set; the adapter itself (slack-bolt, slack_sdk) is in
`adapter.py`, imported only then, so that a service without Slack does not load it.
"""

from __future__ import annotations

from bot.delivery import ChatAdapter, ChatContext
from bot.settings import Settings


def enabled(settings: Settings) -> bool:
    """True when the settings hold a bot token (SLACK_BOT_TOKEN)."""
    return bool(settings.slack_bot_token)


def build(context: ChatContext) -> ChatAdapter:
    """The Slack adapter for `context`, not started. Raises ConfigError when the settings are
    incomplete (HTTP mode without PORT or SLACK_SIGNING_SECRET)."""
    # Here, not at the top: slack-bolt and slack_sdk cost time and memory only when Slack runs.
    from handlers.slack.adapter import SlackAdapter

    return SlackAdapter(context)
