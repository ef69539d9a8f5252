"""/tallywire settings with Block Kit buttons (issue 17).

The answer to `/tallywire settings` carries the message's buttons as actions blocks: each button
has the action id "settings:<row>:<n>" and, as its value, the command's text ("settings quiet
off"). Pressing one sends a block_actions payload: it is acked at once, its value runs through
the command table exactly as the typed text would (same permission check, same core), and the
ephemeral settings message is replaced through the payload's response_url; a refusal comes as
a new ephemeral message.

`/tallywire settings` is registered here ahead of the table's generic /tallywire listener (Bolt
runs the first listener that matches), because only this answer needs buttons.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import Caller, CommandContext, dispatch
from bot.compose import Message
from handlers.slack.callers import SLACK, command_caller, destination_for, is_admin, is_direct
from handlers.slack.render import Block, clip, escape, render

log = logging.getLogger(__name__)

SLASH = "/tallywire"
SETTINGS = "settings"
ACTION = re.compile(r"^settings:")
LABEL_LIMIT = 75  # a button's text
MAX_ACTION_BLOCKS = 6  # rows kept (the settings have 6), within the message's 50 blocks


def action_blocks(message: Message) -> list[Block]:
    """The message's buttons as actions blocks, one a row."""
    return [
        {
            "type": "actions",
            "block_id": f"settings-{r}",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": clip(escape(b.label), LABEL_LIMIT)},
                    "action_id": f"settings:{r}:{n}",
                    "value": b.action,
                }
                for n, b in enumerate(row)
            ],
        }
        for r, row in enumerate(message.buttons[:MAX_ACTION_BLOCKS])
    ]


def with_buttons(message: Message) -> dict[str, Any]:
    """`text` and `blocks` of a response carrying the message and its buttons."""
    shown = render(message)
    extra = action_blocks(message)
    blocks = shown.blocks[: 50 - len(extra)] + extra
    return {"text": shown.text, "blocks": blocks}


async def is_settings(body: Mapping[str, Any]) -> bool:
    """Whether a /tallywire command is `/tallywire settings ...`."""
    return str(body.get("text", "")).strip().partition(" ")[0].casefold() == SETTINGS


class SettingsButtons:
    """Registers `/tallywire settings` and its buttons' actions on `app`."""

    def __init__(self, app: AsyncApp, commands: CommandContext) -> None:
        self._commands = commands
        app.command(SLASH, matchers=[is_settings])(self.on_command)
        app.action(ACTION)(self.on_press)

    async def on_command(
        self,
        ack: Callable[..., Awaitable[None]],
        body: Mapping[str, Any],
        respond: Callable[..., Awaitable[Any]],
        client: AsyncWebClient,
    ) -> None:
        """`/tallywire settings [NAME VALUE]`: ack, run it, answer with the buttons."""
        await ack()
        text = str(body.get("text", "")).strip().partition(" ")[2]
        caller = await command_caller(client, body, ask_admin=True)
        reply = await dispatch(self._commands, caller, SETTINGS, text)
        await _respond(respond, response_type="ephemeral", **with_buttons(reply))

    async def on_press(
        self,
        ack: Callable[..., Awaitable[None]],
        body: Mapping[str, Any],
        respond: Callable[..., Awaitable[Any]],
        client: AsyncWebClient,
    ) -> None:
        """A settings button: ack, run its action, replace the settings message."""
        await ack()
        actions = body.get("actions") or [{}]
        value = str(actions[0].get("value", ""))
        caller = await _press_caller(client, body)
        reply = await dispatch(self._commands, caller, SETTINGS, value.partition(" ")[2])
        if reply.failed:
            shown = render(reply)
            await _respond(respond, text=shown.text, blocks=shown.blocks, replace_original=False)
            return
        await _respond(respond, replace_original=True, **with_buttons(reply))


async def _press_caller(client: AsyncWebClient, body: Mapping[str, Any]) -> Caller:
    """Who pressed a button, and in which conversation."""
    user = str((body.get("user") or {}).get("id", ""))
    channel = str((body.get("channel") or {}).get("id", "")) or str(
        (body.get("container") or {}).get("channel_id", "")
    )
    private = is_direct(channel, str((body.get("channel") or {}).get("name", "")))
    admin = not private and bool(user) and await is_admin(client, user)
    return Caller(user, destination_for(channel), private, admin, SLACK)


async def _respond(respond: Callable[..., Awaitable[Any]], **answer: Any) -> None:
    try:
        await respond(**answer)
    except Exception as error:  # a response_url that failed: the log says so, no more
        log.warning("a settings answer was not sent: %s", type(error).__name__)
