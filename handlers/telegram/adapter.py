"""The Telegram adapter: python-telegram-bot v22 inside the service's one event loop.

Built by `handlers.telegram.build` when TELEGRAM_BOT_TOKEN is set. The adapter brings the
Telegram channel (alerts) and listens for commands: by long polling (getUpdates) by default; by
webhook when TELEGRAM_WEBHOOK_URL is set, on the service's HTTP server (PORT) at the URL's path;
not at all when TALLYWIRE_TELEGRAM_POLLING=off (the other workers of a deployment that polls in
one).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import Conflict, InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackContext
from telegram.request import HTTPXRequest

from bot.commands import TROUBLE
from bot.compose import Message
from bot.delivery import ChatContext
from bot.errors import ConfigError
from handlers.telegram.callers import topic_of
from handlers.telegram.channel import TelegramChannel
from handlers.telegram.listener import Listener, bot_commands
from handlers.telegram.webhook import webhook_route

log = logging.getLogger(__name__)

POLL_TIMEOUT = timedelta(seconds=10)
CONNECT_BACKOFF_MAX = 30.0
STOP_SECONDS = 2.0


class TelegramAdapter:
    """The channel and the listening of one bot token."""

    name = "telegram"

    def __init__(self, context: ChatContext) -> None:
        settings = context.settings
        if not settings.telegram_token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
        # A worker of a webhook deployment (chat_http off) sends only: the web process takes
        # the updates, and a second getUpdates poller would be refused beside a webhook.
        self._webhook = settings.telegram_webhook_url if settings.chat_http else None
        self._secret = settings.telegram_webhook_secret or ""
        self._polling = settings.telegram_polling and not settings.telegram_webhook_url
        self._app = _application(settings.telegram_token, settings.telegram_api_url, self._polling)
        self.channel = TelegramChannel(self._app.bot, context.move_destination)
        Listener(self._app, self.channel, context.commands)
        self._app.add_error_handler(self._update_failed)
        self._connecting: asyncio.Task[None] | None = None
        self._conflicts = 0
        self.problem: str | None = None  # what /healthz shows of this channel (None: fine)
        if self._webhook:
            self._mount(context)

    def _mount(self, context: ChatContext) -> None:
        if context.http is None:
            raise ConfigError("TELEGRAM_WEBHOOK_URL needs PORT: the webhook is served there")
        if not self._secret:
            raise ConfigError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET")
        path = urlsplit(self._webhook or "").path or "/telegram"
        route = webhook_route(self._secret, self._app.bot, self._app.update_queue)
        context.http.add_route("POST", path, route)

    async def start(self) -> None:
        """Connect in the background, retrying until Telegram answers."""
        self._connecting = asyncio.create_task(self._connect(), name="telegram connect")

    async def _connect(self) -> None:
        delay = 1.0
        while True:
            try:
                await self._start_once()
                self.problem = None
                return
            except InvalidToken:
                self.problem = "Telegram refused TELEGRAM_BOT_TOKEN"
                log.error("Telegram refused the bot token: no commands will be answered")
                return
            except TelegramError as error:
                log.warning("Telegram is not reachable yet (%s); retrying in %.0f s", error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, CONNECT_BACKOFF_MAX)

    async def _start_once(self) -> None:
        app = self._app
        await app.initialize()  # getMe
        self.channel.ready = True
        if not app.running:
            await app.bot.set_my_commands(bot_commands())
            await app.start()
        if self._webhook:
            await app.bot.set_webhook(self._webhook, secret_token=self._secret)
            log.info("Telegram: webhook set, served at %s", urlsplit(self._webhook).path)
        elif self._polling and app.updater is not None and not app.updater.running:
            await app.updater.start_polling(timeout=POLL_TIMEOUT, error_callback=self._poll_error)
            log.info("Telegram: polling for updates as @%s", app.bot.username)
        else:
            log.info("Telegram: sending only (TALLYWIRE_TELEGRAM_POLLING=off, or a worker "
                     "beside the web process that takes the webhook)")  # fmt: skip

    async def _update_failed(self, update: object, context: CallbackContext) -> None:
        """An update whose handling raised (Telegram answering what the library cannot read,
        say): one log line with the traceback, and the user told, as the command table tells
        its own failures; the other updates go on."""
        log.error("Telegram: an update failed", exc_info=context.error)
        message = update.effective_message if isinstance(update, Update) else None
        if message is not None:
            reply = Message(TROUBLE, failed=True)
            await self.channel.answer(message.chat.id, topic_of(message), reply, message.message_id)

    def _poll_error(self, error: TelegramError) -> None:
        if isinstance(error, Conflict):
            self._conflicts += 1
            if self._conflicts in (1, 10, 100) or self._conflicts % 1000 == 0:
                log.warning(
                    "Telegram: another process polls this bot token (409 Conflict, %d times); "
                    "poll in one worker only (TALLYWIRE_TELEGRAM_POLLING=off in the others) "
                    "or use webhook mode",
                    self._conflicts,
                )
            return
        log.warning("Telegram: polling failed, retrying: %s", error)

    async def stop_listening(self) -> None:
        """Stop polling (bounded); the channel keeps sending what is in hand."""
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
        updater = self._app.updater
        if updater is not None and updater.running:
            await _bounded(updater.stop(), "stop polling")

    async def close(self) -> None:
        """Stop the Application and close its HTTP clients (bounded)."""
        await self.stop_listening()
        if self._app.running:
            await _bounded(self._app.stop(), "stop the application")
        await _bounded(self._app.shutdown(), "shut down")


async def _bounded(work: object, what: str) -> None:
    try:
        await asyncio.wait_for(work, STOP_SECONDS)  # type: ignore[arg-type]
    except (TimeoutError, TelegramError, RuntimeError) as error:
        log.warning("Telegram: could not %s cleanly: %s", what, type(error).__name__)


def _application(token: str, base_url: str, polling: bool) -> Application:
    """PTB's Application on `base_url` (used as given; the token is appended), with the
    timeouts of reliability.md (5 s connect/read/write, 1 s pool)."""
    request = HTTPXRequest(
        connection_pool_size=32, connect_timeout=5.0, read_timeout=5.0, write_timeout=5.0,
        pool_timeout=1.0,
    )  # fmt: skip
    polls = HTTPXRequest(connection_pool_size=2, connect_timeout=5.0, read_timeout=5.0)
    builder: ApplicationBuilder = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .request(request)
        .get_updates_request(polls)
        .concurrent_updates(16)
        .job_queue(None)
    )
    if not polling:
        builder = builder.updater(None)
    return builder.build()
