"""/settings with inline keyboard buttons (issue 17).

The reply to /settings carries the message's buttons as an InlineKeyboardMarkup whose
callback_data is each button's action ("settings quiet off"). A pressed button arrives as a
callback query: its action runs through the command table exactly as the typed text would
(same permission check, same core), the settings message is edited in place with the new
settings and buttons, and the query is answered (answerCallbackQuery) with the result's title,
as an alert when refused.

/settings is handled here, ahead of the table's generic handler (group -1, which then stops
the update), because only this reply needs a keyboard: it is posted as every answer is, paced
with the alerts (TelegramChannel.post), then given its keyboard (editMessageReplyMarkup, an
edit, which Telegram does not count as a message). A press's edit is the user's own, one per
press.
"""

from __future__ import annotations

import logging

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram import Message as TelegramMessage
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.commands import Caller, CommandContext, dispatch
from bot.compose import Message
from handlers.telegram.addresses import destination_for
from handlers.telegram.callers import (
    CANNOT_SEE,
    TELEGRAM,
    caller_for_named,
    command_caller,
    is_admin,
    named_chat,
    topic_of,
)
from handlers.telegram.channel import TelegramChannel
from handlers.telegram.errors import not_modified
from handlers.telegram.render import first_chunk

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
SETTINGS = "settings"
CALLBACK_BYTES = 64  # Telegram's limit on callback_data
ANSWER_CHARS = 200  # Telegram's limit on answerCallbackQuery's text


def keyboard(message: Message, caller: Caller | None = None) -> InlineKeyboardMarkup | None:
    """The message's buttons as an inline keyboard, or None when it has none. For a caller
    acting for a chat it named ("/settings @mychannel"), each action names that chat by its id
    ("settings -1001234567890 quiet off"), so that a press changes that chat's settings."""
    if not message.buttons:
        return None
    named = caller is not None and bool(caller.chat_name)
    chat = caller.destination.removeprefix("telegram:") if caller is not None else ""
    rows = [
        [
            InlineKeyboardButton(
                b.label, callback_data=_callback(_for_chat(b.action, chat) if named else b.action)
            )
            for b in row
        ]
        for row in message.buttons
    ]
    return InlineKeyboardMarkup(rows)


class SettingsButtons:
    """Registers /settings and its buttons' callback queries on `app`."""

    def __init__(
        self, app: Application, channel: TelegramChannel, commands: CommandContext
    ) -> None:
        self._channel = channel
        self._commands = commands
        only_new = filters.UpdateType.MESSAGE
        app.add_handler(CommandHandler(SETTINGS, self.on_command, filters=only_new), group=-1)
        app.add_handler(CallbackQueryHandler(self.on_press, pattern=r"^settings(\s|$)"), group=-1)

    async def on_command(self, update: Update, context: Context) -> None:
        """/settings [NAME VALUE]: run it and answer with the settings and their buttons."""
        message = update.effective_message
        if message is None or not message.text:
            return
        text = message.text.partition(" ")[2]
        caller, text = await command_caller(context.bot, message, SETTINGS, text, True)
        if caller is None:
            reply = Message(CANNOT_SEE.format(chat=text))
        else:
            reply = await dispatch(self._commands, caller, SETTINGS, text)
        chat = message.chat.id
        try:
            # Posted as every answer is (paced with the alerts), then given its keyboard.
            sent = await self._channel.post(
                chat, topic_of(message), first_chunk(reply), message.message_id
            )
            buttons = keyboard(reply, caller)
            if buttons is not None:
                await context.bot.edit_message_reply_markup(chat, sent, reply_markup=buttons)
        except TelegramError as error:
            log.warning("the settings of chat %s were not sent: %s", chat, error)
        raise ApplicationHandlerStop

    async def on_press(self, update: Update, context: Context) -> None:
        """A button under the settings: run its action, edit the settings in place, answer."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        message = query.message
        if not isinstance(message, TelegramMessage):
            await query.answer("That message is too old to change; send /settings again.")
            return
        chat = message.chat
        action = query.data.partition(" ")[2]
        named = named_chat(SETTINGS, action)
        if named is not None:  # a press under the settings of a chat named ("/settings @ch")
            caller = await caller_for_named(context.bot, query.from_user, named[0])
            if caller is None:
                await query.answer(CANNOT_SEE.format(chat=named[0])[:ANSWER_CHARS], True)
                return
            action = named[1]
        else:
            private = chat.type == Chat.PRIVATE
            admin = not private and await is_admin(context.bot, chat.id, query.from_user.id)
            destination = destination_for(chat.id, topic_of(message))
            caller = Caller(str(query.from_user.id), destination, private, admin, TELEGRAM)
        reply = await dispatch(self._commands, caller, SETTINGS, action)
        if not reply.failed:
            try:
                await query.edit_message_text(
                    first_chunk(reply),
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(reply, caller),
                )
            except TelegramError as error:
                if not not_modified(error):
                    log.warning("the settings of chat %s were not updated: %s", chat.id, error)
        try:
            await query.answer(reply.title[:ANSWER_CHARS], show_alert=reply.failed)
        except TelegramError as error:
            log.info("a button press in chat %s was not answered: %s", chat.id, error)


def _for_chat(action: str, chat: str) -> str:
    """ "settings quiet off" for the chat `chat` (its id): "settings -100123 quiet off"."""
    command, _, rest = action.partition(" ")
    return f"{command} {chat} {rest}".rstrip()


def _callback(action: str) -> str:
    """`action` within Telegram's 64 bytes of callback_data (the table's actions fit)."""
    return action.encode()[:CALLBACK_BYTES].decode(errors="ignore")
