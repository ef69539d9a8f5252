"""Who typed a command, and where, as bot.commands.Caller: the chat's admins asked of Telegram.

A channel has no one typing in it: an admin of the channel names it instead, in a private chat
or a group with the bot ("/subscribe @mychannel swap", "/subscribe -1001234567890", "/settings
@mychannel quiet 23:00-07:00"), and the command is run for the channel, with the admin check made
against the channel.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from telegram import Bot, Chat, ChatMember, User
from telegram import Message as TelegramMessage
from telegram.error import TelegramError

from bot.commands import Caller, Dialect
from handlers.telegram.addresses import destination_for

log = logging.getLogger(__name__)

ADMINS = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
NAMES_A_CHAT = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,20}")
CHAT_COMMANDS = ("subscribe", "unsubscribe", "settings")
CANNOT_SEE = "I cannot see {chat}: add me to it as an admin first, then name it again."
TELEGRAM = Dialect("telegram", "/", "this chat's admins")
"""Commands as Telegram writes them: "/swaps"; a chat's admins by the kind of chat."""
_ADMINS = {
    Chat.GROUP: "this group's admins",
    Chat.SUPERGROUP: "this group's admins",
    Chat.CHANNEL: "this channel's admins",
}


def topic_of(message: TelegramMessage) -> int | None:
    """The forum topic a message was typed in, or None."""
    return message.message_thread_id if message.is_topic_message else None


def named_chat(command: str, text: str) -> tuple[str, str] | None:
    """(the chat named, the rest) when /subscribe, /unsubscribe or /settings names a channel or
    group as its first word ("@mychannel", "-1001234567890"); else None."""
    first, _, rest = text.strip().partition(" ")
    if command in CHAT_COMMANDS and NAMES_A_CHAT.fullmatch(first):
        return first, rest
    return None


async def is_admin(bot: Bot, chat_id: int | str, user_id: int) -> bool:
    """Whether Telegram says the user administers the chat; False when it cannot say."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError as error:
        log.info("cannot ask chat %s about a member: %s", chat_id, error)
        return False
    return member.status in ADMINS


async def caller_here(bot: Bot, message: TelegramMessage, ask_admin: bool) -> Caller:
    """The caller of a message, in the chat (or topic) it was typed in. Telegram is asked
    whether the user is an admin there only when `ask_admin` (the command needs it)."""
    chat = message.chat
    user = message.from_user
    private = chat.type == Chat.PRIVATE
    admin = False
    if message.sender_chat is not None and message.sender_chat.id == chat.id:
        admin = True  # an anonymous admin posts as the group itself
    elif ask_admin and not private and user is not None:
        admin = await is_admin(bot, chat.id, user.id)
    return Caller(
        str(user.id) if user else "",
        destination_for(chat.id, topic_of(message)),
        private,
        admin,
        replace(TELEGRAM, admins=_ADMINS.get(chat.type, TELEGRAM.admins)),
    )


async def caller_for_named(bot: Bot, user: User | None, named: str) -> Caller | None:
    """The caller as an admin of the chat `named` would be; None when the bot cannot see it."""
    try:
        chat = await bot.get_chat(named)
    except TelegramError as error:
        log.info("cannot see the chat %s: %s", named, error)
        return None
    admin = user is not None and await is_admin(bot, chat.id, user.id)
    dialect = replace(TELEGRAM, admins=f"{named}'s admins")
    return Caller(
        str(user.id) if user else "", destination_for(chat.id), False, admin, dialect, named
    )


async def command_caller(
    bot: Bot, message: TelegramMessage, command: str, text: str, ask_admin: bool
) -> tuple[Caller | None, str]:
    """(the caller of `command`, the text left for it): as an admin of the chat a chat command
    names first ("/subscribe @mychannel swap" -> the channel's caller, "swap"), else as the user
    here (asked about being an admin only when `ask_admin`); (None, the chat named) when the bot
    cannot see that chat (CANNOT_SEE says so)."""
    named = named_chat(command, text)
    if named is None:
        return await caller_here(bot, message, ask_admin), text
    caller = await caller_for_named(bot, message.from_user, named[0])
    return (caller, named[1]) if caller is not None else (None, named[0])
