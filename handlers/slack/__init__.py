"""Slack as a chat platform: the `tallywire.channels` entry point `slack` names this package
(a ChatPlatform of bot/delivery).

Slack runs when SLACK_BOT_TOKEN is set; the adapter itself (slack-bolt, slack_sdk) is in
`adapter.py`, imported only then, so that a service without Slack does not load it.
"""

from __future__ import annotations

from bot.checks import Problem
from bot.delivery import ChatAdapter, ChatContext
from bot.settings import Settings

CHECK_SECONDS = 5.0


def enabled(settings: Settings) -> bool:
    """True when the settings hold a bot token (SLACK_BOT_TOKEN)."""
    return bool(settings.slack_bot_token)


def build(context: ChatContext) -> ChatAdapter:
    """The Slack adapter for `context`, not started. Raises ConfigError when the settings are
    incomplete (HTTP mode without PORT or SLACK_SIGNING_SECRET)."""
    # Here, not at the top: slack-bolt and slack_sdk cost time and memory only when Slack runs.
    from handlers.slack.adapter import SlackAdapter

    return SlackAdapter(context)


async def check(settings: Settings) -> list[Problem]:
    """Whether Slack accepts the bot token (auth.test) and, for Socket Mode, the app token
    (apps.connections.open), with plain httpx: no slack_sdk to load."""
    import httpx

    tokens = [("SLACK_BOT_TOKEN", "auth.test", settings.slack_bot_token)]
    if settings.slack_app_token:
        tokens.append(("SLACK_APP_TOKEN", "apps.connections.open", settings.slack_app_token))
    problems = []
    async with httpx.AsyncClient(timeout=CHECK_SECONDS, trust_env=False) as client:
        for variable, method, token in tokens:
            try:
                answer = await client.post(
                    f"{settings.slack_api_url}{method}",
                    headers={"Authorization": f"Bearer {token}"},
                )
                said = answer.json() if answer.status_code == 200 else {}
            except (httpx.HTTPError, ValueError) as error:
                problems.append(
                    Problem("slack", f"not reachable: {type(error).__name__}", refused=False)
                )
                break
            if answer.status_code != 200:
                problems.append(
                    Problem("slack", f"{method} answered {answer.status_code}", refused=False)
                )
            elif not said.get("ok"):
                problems.append(
                    Problem("slack", f"Slack refused {variable} ({said.get('error', '?')})")
                )
    return problems
