"""The Slack channel: Tallywire's messages posted, threaded and edited with slack_sdk.

Implements bot.channels.Channel. An address is a conversation id ("C0123", "G0123", "D0123").
A thread's root is a chat.postMessage whose `ts` is the thread's id; each reply is posted with
that `thread_ts`; a summary edit is a chat.update of the root. At most one message a second per
conversation (chat.postMessage's documented limit) and `per_second` overall (10 by default, as
Slack's workspace-wide limit is unstated beyond "several hundred messages per minute";
TALLYWIRE_SLACK_PER_SECOND), the answers to questions sharing the same pacing. The client has no
retry handlers of its own: the Deliverer retries what certainly failed and never resends what
may have posted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.compose import Message
from bot.delivery import RateLimiter
from bot.errors import DeliveryError, RetryableDelivery
from handlers.slack.errors import api_error, transport_error
from handlers.slack.render import render

log = logging.getLogger(__name__)

PER_SECOND = 10.0  # the default overall pace (TALLYWIRE_SLACK_PER_SECOND sets another)
SPACING = 1.0  # chat.postMessage: one a second per conversation
ANSWER_RETRY_LIMIT = 30.0  # an answer waits out a 429 this long, no longer
METADATA_EVENT = "tallywire_message"
# The fallback text as it is: no mention, channel or URL linked by Slack (the blocks are
# plain_text, see render.py; chat.postMessage also takes mrkdwn=False, chat.update does not).
PLAIN_FALLBACK: dict[str, Any] = {"link_names": False, "parse": "none"}


class SlackChannel:
    """Sends through `client` (an AsyncWebClient with the bot token), at most `per_second`
    messages a second overall."""

    def __init__(
        self,
        client: AsyncWebClient,
        pacer: RateLimiter | None = None,
        per_second: float = PER_SECOND,
    ) -> None:
        self._client = client
        self.per_second = per_second
        self._pacer = pacer or RateLimiter(per_second)

    def spacing(self, address: str) -> float:
        return SPACING

    async def send(self, address: str, message: Message, reply_to: str | None, key: str) -> str:
        """Post `message` to conversation `address` (in the thread `reply_to` if given); its ts.
        The outbox key rides along as message metadata, so a duplicate can be recognised. A
        message with an image (an event's chart) is uploaded as a file (`_upload`) with its
        text as the comment; its id is the file's."""
        if message.image is not None:  # an event's chart: a file shared in the thread
            shared = await self._call(address, lambda: self._upload(address, message, reply_to))
            return _file_id(shared)
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        answer = await self._call(
            address, lambda: self._post(address, message, reply_to, metadata=metadata)
        )
        return str(answer["ts"])

    async def edit(self, address: str, platform_id: str, message: Message) -> None:
        """Replace message `platform_id` (a ts) with `message`."""
        shown = render(message)
        await self._call(
            address,
            lambda: self._client.chat_update(
                channel=address,
                ts=platform_id,
                text=shown.text,
                blocks=shown.blocks,
                **PLAIN_FALLBACK,
            ),
        )

    async def answer(self, address: str, thread_ts: str | None, message: Message) -> None:
        """Post an answer in the thread of the message that asked; a 429 is waited out once
        (up to 30 s); any other failure is logged: an answer is never queued. An answer with an
        image (a chart) is uploaded as a file with the text as its comment (`_upload`)."""
        for attempt in (1, 2):
            try:
                if message.image is not None:
                    await self._call(address, lambda: self._upload(address, message, thread_ts))
                else:
                    await self._call(address, lambda: self._post(address, message, thread_ts))
                return
            except RetryableDelivery as error:
                wait = error.retry_after or 0.0
                if attempt == 2 or wait > ANSWER_RETRY_LIMIT:
                    log.warning("an answer to %s was not sent: %s", address, error)
                    return
                await asyncio.sleep(wait)
            except DeliveryError as error:
                log.warning("an answer to %s was not sent: %s", address, error)
                return

    def _post(self, address: str, message: Message, thread_ts: str | None, **extra: Any) -> Any:
        shown = render(message)
        return self._client.chat_postMessage(
            channel=address, text=shown.text, blocks=shown.blocks, thread_ts=thread_ts,
            unfurl_links=False, unfurl_media=False, mrkdwn=False, **PLAIN_FALLBACK, **extra,
        )  # fmt: skip

    def _upload(self, address: str, message: Message, thread_ts: str | None) -> Any:
        """files_upload_v2: the upload URL asked for (files.getUploadURLExternal), the bytes
        POSTed to it, then the file shared in `address` (in the thread `thread_ts` if given)
        with the message's fallback text as its comment (files.completeUploadExternal)."""
        image = message.image
        assert image is not None
        return self._client.files_upload_v2(
            channel=address, thread_ts=thread_ts, file=image.png, filename=image.filename,
            title=message.title[:250], alt_txt=image.alt[:1000],
            initial_comment=render(message).text,
        )  # fmt: skip

    async def _call(self, address: str, request: Callable[[], Awaitable[Any]]) -> Any:
        """Make `request` in `address`'s next slot; slack_sdk errors as DeliveryErrors."""
        try:
            async with self._pacer.sending(address, SPACING):
                return await request()
        except SlackApiError as error:
            failure = api_error(error)
            if isinstance(failure, RetryableDelivery) and failure.retry_after:
                self._pacer.hold(address, failure.retry_after)
            raise failure from None
        except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError) as error:
            raise transport_error(error) from None


def _file_id(answer: Any) -> str:
    """The id of the file files_upload_v2 shared ("" when the answer names none)."""
    files = answer.get("files") or [answer.get("file") or {}]
    return str(files[0].get("id", "")) if files else ""
