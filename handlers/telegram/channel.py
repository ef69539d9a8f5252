"""The Telegram channel: Tallywire's messages posted, threaded and edited with PTB's Bot.

Implements bot.channels.Channel. Every message is HTML (values escaped), split over Telegram's
length limit, paced per chat (1 s in a private chat, 3.1 s in a group or channel, counted from
Telegram's answer) and overall (29 a second, never 31 in one second), the command answers
sharing the same pacing so that alerts and answers together keep within the limits. A thread's
messages are replies to its root (reply_parameters with allow_sending_without_reply); a forum
topic's messages carry its message_thread_id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, InputFile, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, RetryAfter, TelegramError

from bot.compose import Image, Message
from bot.delivery import RateLimiter
from bot.errors import RetryableDelivery
from handlers.telegram.addresses import address_for, parse_address, spacing_for
from handlers.telegram.errors import delivery_error, not_modified, retry_seconds
from handlers.telegram.render import first_chunk, split_html

log = logging.getLogger(__name__)

# Telegram takes 30 messages a second from a bot. Sends leave on an even beat just under that,
# and the pacer's cap makes 30 a hard bound as Telegram may count them (no send starts while 30
# others are in the air or were answered less than a second ago), whatever the network's jitter.
PER_SECOND = 29.0
OVERALL_CAP = 30
NOT_READY_SECONDS = 2.0
ANSWER_RETRY_LIMIT = 30.0  # a command's answer waits out a 429 this long, no longer
CAPTION_LIMIT = 1000  # UTF-16 units of a photo's caption: under Telegram's 1024


class TelegramChannel:
    """Sends through `bot`; `move(old, new)` carries a destination to a migrated chat's id."""

    per_second = PER_SECOND

    def __init__(
        self,
        bot: Bot,
        move: Callable[[str, str], Awaitable[None]],
        pacer: RateLimiter | None = None,
    ) -> None:
        self._bot = bot
        self._move = move
        self._pacer = pacer or RateLimiter(PER_SECOND, cap=OVERALL_CAP)
        self.ready = False  # set once the bot has introduced itself (getMe)

    def spacing(self, address: str) -> float:
        return spacing_for(parse_address(address)[0])

    async def send(self, address: str, message: Message, reply_to: str | None, key: str) -> str:
        """Post `message` (a reply to `reply_to` if given); the id of its first part. A message
        with an image (an event's chart) is a photo whose caption is its text, the rest of the
        text following as replies to it."""
        chat, topic = self._target(address)
        image = message.image
        chunks = split_html(message, CAPTION_LIMIT) if image else split_html(message)
        replying = int(reply_to) if reply_to else None
        try:
            if image is not None:
                first = await self.post_photo(chat, topic, image, chunks[0], replying)
            else:
                first = await self.post(chat, topic, chunks[0], replying)
        except ChatMigrated as moved:
            raise await self._migrated(address, moved) from None
        except TelegramError as error:
            raise delivery_error(error) from None
        for chunk in chunks[1:]:  # the rest of a long message, as replies to its first part
            try:
                await self.post(chat, topic, chunk, first)
            except TelegramError as error:  # the first part is posted: never resend it
                log.warning("part of a long message to %s was not sent: %s", chat, error)
        return str(first)

    async def edit(self, address: str, platform_id: str, message: Message) -> None:
        """Replace the text of message `platform_id`; "not modified" is no error."""
        chat, _ = self._target(address)
        try:
            async with self._pacer.sending(str(chat), spacing_for(chat)):
                await self._bot.edit_message_text(
                    first_chunk(message), chat_id=chat, message_id=int(platform_id),
                    parse_mode=ParseMode.HTML,
                )  # fmt: skip
        except ChatMigrated as moved:
            raise await self._migrated(address, moved) from None
        except TelegramError as error:
            if not_modified(error):
                return
            self._hold(chat, error)
            raise delivery_error(error) from None

    async def post(self, chat: int, topic: int | None, html: str, reply_to: int | None) -> int:
        """Post one HTML text to a chat (or forum topic), paced; the message's id. Raises
        TelegramError."""
        replying = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        try:
            async with self._pacer.sending(str(chat), spacing_for(chat)):
                sent = await self._bot.send_message(
                    chat, html, parse_mode=ParseMode.HTML, reply_parameters=replying,
                    message_thread_id=topic, disable_web_page_preview=True,
                )  # fmt: skip
        except TelegramError as error:
            self._hold(chat, error)
            raise
        return sent.message_id

    async def answer(
        self, chat: int, topic: int | None, message: Message, reply_to: int | None
    ) -> None:
        """Post a command's answer as a reply to the user's message; a 429 is waited out once
        (up to 30 s), any other failure is logged: an answer is never queued. An answer with an
        image (a chart) is a photo whose caption is the text (`answer_photo`)."""
        if message.image is not None:
            await self.answer_photo(chat, topic, message, message.image, reply_to)
            return
        for chunk in split_html(message):
            try:
                await self._answer_part(chat, topic, chunk, reply_to)
            except TelegramError as error:
                log.warning("an answer to chat %s was not sent: %s", chat, error)
                return

    async def _answer_part(
        self, chat: int, topic: int | None, html: str, reply_to: int | None
    ) -> None:
        try:
            await self.post(chat, topic, html, reply_to)
        except RetryAfter as error:
            if retry_seconds(error) > ANSWER_RETRY_LIMIT:
                raise
            await asyncio.sleep(retry_seconds(error))
            await self.post(chat, topic, html, reply_to)

    async def answer_photo(
        self, chat: int, topic: int | None, message: Message, image: Image, reply_to: int | None
    ) -> None:
        """Post `image` (sendPhoto, uploaded as a file) with the message as its caption, as a
        reply to the user's message; what does not fit a caption follows as replies to the
        photo. A 429 is waited out once, as for a text answer."""
        caption, *rest = split_html(message, CAPTION_LIMIT)
        try:
            photo = await self._once_more(
                lambda: self.post_photo(chat, topic, image, caption, reply_to)
            )
        except TelegramError as error:
            log.warning("a chart for chat %s was not sent: %s", chat, error)
            return
        for chunk in rest:
            try:
                await self._answer_part(chat, topic, chunk, photo)
            except TelegramError as error:
                log.warning("part of a chart's caption to chat %s was not sent: %s", chat, error)
                return

    async def post_photo(
        self, chat: int, topic: int | None, image: Image, caption: str, reply_to: int | None
    ) -> int:
        """Post one photo with an HTML caption, paced as a message; its id. Raises
        TelegramError."""
        replying = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        try:
            async with self._pacer.sending(str(chat), spacing_for(chat)):
                sent = await self._bot.send_photo(
                    chat, InputFile(image.png, filename=image.filename), caption=caption,
                    parse_mode=ParseMode.HTML, reply_parameters=replying, message_thread_id=topic,
                )  # fmt: skip
        except TelegramError as error:
            self._hold(chat, error)
            raise
        return sent.message_id

    async def _once_more(self, send: Callable[[], Awaitable[int]]) -> int:
        """`send()`, made again once after a 429 asking to wait at most ANSWER_RETRY_LIMIT."""
        try:
            return await send()
        except RetryAfter as error:
            if retry_seconds(error) > ANSWER_RETRY_LIMIT:
                raise
            await asyncio.sleep(retry_seconds(error))
            return await send()

    def _target(self, address: str) -> tuple[int, int | None]:
        if not self.ready:
            raise RetryableDelivery("Telegram: not connected yet", NOT_READY_SECONDS)
        return parse_address(address)

    def _hold(self, chat: int, error: TelegramError) -> None:
        if isinstance(error, RetryAfter):
            self._pacer.hold(str(chat), retry_seconds(error))

    async def _migrated(self, address: str, moved: ChatMigrated) -> RetryableDelivery:
        _, topic = parse_address(address)
        new = address_for(moved.new_chat_id, topic)
        await self._move(f"telegram:{address}", f"telegram:{new}")
        log.info("chat %s became %s: its subscription follows", address, new)
        return RetryableDelivery(f"Telegram: the chat moved to {new}", 0.0)
