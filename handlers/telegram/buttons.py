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
from handlers.telegram.callers import TELEGRAM, caller_here, is_admin, topic_of
from handlers.telegram.channel import TelegramChannel
from handlers.telegram.errors import not_modified
from handlers.telegram.render import first_chunk

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
SETTINGS = "settings"
CALLBACK_BYTES = 64  # Telegram's limit on callback_data
ANSWER_CHARS = 200  # Telegram's limit on answerCallbackQuery's text


def keyboard(message: Message) -> InlineKeyboardMarkup | None:
    """The message's buttons as an inline keyboard, or None when it has none."""
    if not message.buttons:
        return None
    rows = [
        [InlineKeyboardButton(b.label, callback_data=_callback(b.action)) for b in row]
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
        caller = await caller_here(context.bot, message, ask_admin=True)
        reply = await dispatch(self._commands, caller, SETTINGS, text)
        chat = message.chat.id
        try:
            # Posted as every answer is (paced with the alerts), then given its keyboard.
            sent = await self._channel.post(
                chat, topic_of(message), first_chunk(reply), message.message_id
            )
            buttons = keyboard(reply)
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
        private = chat.type == Chat.PRIVATE
        admin = not private and await is_admin(context.bot, chat.id, query.from_user.id)
        caller = Caller(
            str(query.from_user.id),
            destination_for(chat.id, topic_of(message)),
            private,
            admin,
            TELEGRAM,
        )
        reply = await dispatch(self._commands, caller, SETTINGS, query.data.partition(" ")[2])
        if not reply.failed:
            try:
                await query.edit_message_text(
                    first_chunk(reply), parse_mode=ParseMode.HTML, reply_markup=keyboard(reply)
                )
            except TelegramError as error:
                if not not_modified(error):
                    log.warning("the settings of chat %s were not updated: %s", chat.id, error)
        try:
            await query.answer(reply.title[:ANSWER_CHARS], show_alert=reply.failed)
        except TelegramError as error:
            log.info("a button press in chat %s was not answered: %s", chat.id, error)


def _callback(action: str) -> str:
    """`action` within Telegram's 64 bytes of callback_data (the table's actions fit)."""
    return action.encode()[:CALLBACK_BYTES].decode(errors="ignore")
