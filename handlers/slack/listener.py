"""Slash commands, mentions and direct messages from Slack, translated to the command table.

/swaps and /attacks [date] run the commands of those names; /tallywire NAME [text] runs any
command of bot.commands.COMMANDS, /tallywire alone is help. Each is acked at once
(Slack gives 3 seconds) and answered after, through the command's response_url (a chart, which
a response_url cannot carry, as a file shared in the channel). A mention of the
app in a channel, or a direct message, is a question (/ask), answered in the thread of the
message that asked. A retried event is answered once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import SUBSCRIBERS, CommandContext, dispatch, find
from handlers.slack.buttons import SettingsButtons
from handlers.slack.callers import command_caller, event_caller, question_of
from handlers.slack.channel import SlackChannel
from handlers.slack.dedupe import Seen
from handlers.slack.render import render

log = logging.getLogger(__name__)

MAIN_COMMAND = "/tallywire"
SLASH_COMMANDS: dict[str, str | None] = {
    "/swaps": "swaps",
    "/attacks": "attacks",
    MAIN_COMMAND: None,
}
"""Slash commands and the command each runs (None: the first word names it)."""


def command_and_text(slash: str, text: str) -> tuple[str, str]:
    """(command name, its text) of a slash command: "/attacks", "May 24" -> ("attacks",
    "May 24"); "/tallywire", "subscribe swap" -> ("subscribe", "swap"); "/tallywire", "" ->
    ("help", "")."""
    fixed = SLASH_COMMANDS.get(slash)
    if fixed is not None:
        return fixed, text.strip()
    word, _, rest = text.strip().partition(" ")
    return (word or "help").casefold(), rest.strip()


class Listener:
    """Registers the listeners on `app`; answers questions through `channel`."""

    def __init__(
        self, app: AsyncApp, channel: SlackChannel, commands: CommandContext, seen: Seen
    ) -> None:
        self._channel = channel
        self._commands = commands
        self._seen = seen
        app.middleware(self.once)
        SettingsButtons(app, commands)  # `/tallywire settings` and its buttons, before the table
        for slash in SLASH_COMMANDS:
            app.command(slash)(self.on_command)
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)

    async def once(
        self, body: Mapping[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Global middleware: an event already seen (a retry) is acked and dropped."""
        event_id = str(body.get("event_id", "")) if body.get("type") == "event_callback" else ""
        if event_id and not self._seen.first(f"event:{event_id}"):
            log.info("Slack retried event %s: already answered", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return None

    async def on_command(
        self,
        ack: Callable[..., Awaitable[None]],
        body: Mapping[str, Any],
        respond: Callable[..., Awaitable[Any]],
        client: AsyncWebClient,
    ) -> None:
        """A slash command: ack, run it for the caller, answer through response_url."""
        await ack()
        name, text = command_and_text(str(body.get("command", "")), str(body.get("text", "")))
        command = find(name)
        caller = await command_caller(
            client, body, ask_admin=command is not None and command.who == SUBSCRIBERS
        )
        reply = await dispatch(self._commands, caller, name, text)
        if reply.image is not None:  # a chart: a response_url takes no file, the channel does
            thread = str(body.get("thread_ts") or "") or None
            await self._channel.answer(str(body.get("channel_id", "")), thread, reply)
            return
        shown = render(reply)
        try:
            await respond(text=shown.text, blocks=shown.blocks, response_type="ephemeral")
        except Exception as error:  # a response_url that failed: the log says so, no more
            log.warning("the answer to a slash command was not sent: %s", type(error).__name__)

    async def on_mention(self, event: Mapping[str, Any]) -> None:
        """A mention of the app in a channel: a question."""
        await self._question(event)

    async def on_message(self, event: Mapping[str, Any]) -> None:
        """A message event: in a DM with the app, a question; anything else is ignored."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        await self._question(event)

    async def _question(self, event: Mapping[str, Any]) -> None:
        channel, ts = str(event.get("channel", "")), str(event.get("ts", ""))
        if not channel or not self._seen.first(f"message:{channel}/{ts}"):
            return
        question = question_of(str(event.get("text", "")))
        if question:
            reply = await dispatch(self._commands, event_caller(event), "ask", question)
        else:
            reply = await dispatch(self._commands, event_caller(event), "help", "")
        await self._channel.answer(channel, str(event.get("thread_ts") or ts) or None, reply)
