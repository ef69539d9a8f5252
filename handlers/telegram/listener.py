"""Commands and questions from Telegram, translated to the command table and answered.

Every command of bot.commands.COMMANDS is registered by looping over the table; any other
command addressed to the bot (in a private chat, or "/name@bot" in a group) is answered with the
closest one, and a group's commands for other bots are left alone.
In a private chat, any text that is not a command is a question (/ask); in a group, a message
that mentions the bot or replies to one of its messages is. The answer is a reply to the user's
message, never to an alert.
"""

from __future__ import annotations

import logging

from telegram import BotCommand, Chat, Update
from telegram import Message as TelegramMessage
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.commands import COMMANDS, SUBSCRIBERS, CommandContext, dispatch, find
from bot.compose import Message
from handlers.telegram.buttons import SettingsButtons
from handlers.telegram.callers import CANNOT_SEE, caller_here, command_caller, topic_of
from handlers.telegram.channel import TelegramChannel

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


def bot_commands() -> list[BotCommand]:
    """The command list clients show (setMyCommands), from the command table."""
    return [BotCommand(c.name, c.help[:256]) for c in COMMANDS if c.listed]


class Listener:
    """Registers the handlers on `app` and answers through `channel`."""

    def __init__(
        self,
        app: Application,
        channel: TelegramChannel,
        commands: CommandContext,
    ) -> None:
        self._channel = channel
        self._commands = commands
        SettingsButtons(app, channel, commands)  # /settings and its buttons, before the table
        only_new = filters.UpdateType.MESSAGE
        for name in [c.name for c in COMMANDS]:
            app.add_handler(CommandHandler(name, self.on_command, filters=only_new))
        app.add_handler(MessageHandler(only_new & filters.COMMAND, self.on_unknown))
        app.add_handler(MessageHandler(only_new & filters.TEXT & ~filters.COMMAND, self.on_text))

    async def on_command(self, update: Update, context: Context) -> None:
        """/name text: run the command for the caller and answer."""
        message = update.effective_message
        if message is None or not message.text:
            return
        word, _, text = message.text.partition(" ")
        name = word.lstrip("/").split("@", 1)[0].casefold()
        command = find(name)
        ask_admin = command is not None and command.who == SUBSCRIBERS
        caller, text = await command_caller(
            context.bot, message, command.name if command else "", text, ask_admin
        )
        if caller is None:
            await self._answer(message, Message(CANNOT_SEE.format(chat=text)))
            return
        await self._answer(message, await dispatch(self._commands, caller, name, text))

    async def on_unknown(self, update: Update, context: Context) -> None:
        """A command not in the table: answered (with the closest command) when it is for this
        bot; in a group, only when it names the bot ("/frobnicate@TallywireBot")."""
        message = update.effective_message
        if message is None or not message.text:
            return
        _, _, addressee = message.text.split(maxsplit=1)[0].partition("@")
        ours = addressee.casefold() == (context.bot.username or "").casefold()
        if ours if addressee else message.chat.type == Chat.PRIVATE:
            await self.on_command(update, context)

    async def on_text(self, update: Update, context: Context) -> None:
        """A question: any text in a private chat; a mention of the bot or a reply to it in a
        group."""
        message = update.effective_message
        if message is None or not message.text:
            return
        question = addressed_text(message, context.bot.username, context.bot.id)
        if question is None:
            return
        caller = await caller_here(context.bot, message, ask_admin=False)
        await self._answer(message, await dispatch(self._commands, caller, "ask", question))

    async def _answer(self, message: TelegramMessage, reply: Message) -> None:
        await self._channel.answer(message.chat.id, topic_of(message), reply, message.message_id)


def addressed_text(message: TelegramMessage, username: str, bot_id: int) -> str | None:
    """The question in a message, or None when it is not for the bot: in a private chat the
    whole text; in a group the text with "@username" removed when it mentions the bot, or the
    text when it replies to one of the bot's messages."""
    text = message.text or ""
    if message.chat.type == Chat.PRIVATE:
        return text
    mention = f"@{username}".casefold()
    if username and mention in text.casefold():
        start = text.casefold().index(mention)
        return (text[:start] + text[start + len(mention) :]).strip()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    return None
