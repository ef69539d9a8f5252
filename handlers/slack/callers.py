"""Who typed a command or asked a question, and where, as bot.commands.Caller.

A destination is "slack:<conversation id>". A direct message with the app is private (anyone
may subscribe it, as a private chat on Telegram); elsewhere, subscribing takes a workspace admin
or owner (users.info's is_admin / is_owner), or an operator of TALLYWIRE_ADMINS (bot.commands).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import Caller, Dialect

log = logging.getLogger(__name__)

MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
SLACK = Dialect("slack", "/tallywire ", "workspace admins")
"""Commands as Slack writes them: the app's one slash command and the command's name."""


def destination_for(channel_id: str) -> str:
    """The destination of a conversation: "slack:C0123"."""
    return f"slack:{channel_id}"


def is_direct(channel_id: str, channel_name: str = "", channel_type: str = "") -> bool:
    """Whether a conversation is a direct message (slash commands say "directmessage" in
    channel_name, events "im" in channel_type; DM ids start with D)."""
    return channel_type == "im" or channel_name == "directmessage" or channel_id.startswith("D")


def question_of(text: str) -> str:
    """A mention's text without the mentions ("<@U0BOT> how many?" -> "how many?")."""
    return " ".join(MENTION.sub(" ", text).split())


async def is_admin(client: AsyncWebClient, user_id: str) -> bool:
    """Whether users.info says the user is a workspace admin or owner; False when it cannot
    say."""
    try:
        answer = await client.users_info(user=user_id)
    except (SlackClientError, aiohttp.ClientError, OSError, TimeoutError) as error:
        log.info("cannot ask Slack about user %s: %s", user_id, type(error).__name__)
        return False
    user: Mapping[str, Any] = answer.get("user") or {}
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


async def command_caller(
    client: AsyncWebClient, body: Mapping[str, Any], ask_admin: bool
) -> Caller:
    """The caller of a slash command (its form fields in `body`); Slack is asked whether the
    user is an admin only when `ask_admin` (the command needs it) and not in a DM."""
    user = str(body.get("user_id", ""))
    channel = str(body.get("channel_id", ""))
    private = is_direct(channel, str(body.get("channel_name", "")))
    admin = ask_admin and not private and bool(user) and await is_admin(client, user)
    return Caller(user, destination_for(channel), private, admin, SLACK)


def event_caller(event: Mapping[str, Any]) -> Caller:
    """The caller of a message event (a question: no admin check is needed)."""
    channel = str(event.get("channel", ""))
    private = is_direct(channel, channel_type=str(event.get("channel_type", "")))
    return Caller(str(event.get("user", "")), destination_for(channel), private, False, SLACK)
