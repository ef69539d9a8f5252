"""The Slack adapter: slack-bolt's AsyncApp and slack_sdk inside the service's one event loop.

Built by `handlers.slack.build` when SLACK_BOT_TOKEN is set. The adapter brings the Slack
channel (alerts as threads) and listens for slash commands, mentions and direct messages: in
Socket Mode when SLACK_APP_TOKEN is set (no public URL needed); otherwise in HTTP mode, at
/slack/events on the service's HTTP server (PORT), every request's signature checked with
SLACK_SIGNING_SECRET. SLACK_API_URL is the Web API's base URL, used as given. Tokens are never
logged.
"""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import ChatContext
from bot.errors import ConfigError
from bot.settings import Settings
from handlers.slack.channel import SlackChannel
from handlers.slack.dedupe import Seen
from handlers.slack.listener import Listener
from handlers.slack.route import PATH, Verifier, events_route

log = logging.getLogger(__name__)

TIMEOUT = 10  # seconds per Web API call (slack_sdk's default is 30)
CONNECT_BACKOFF_MAX = 30.0
STOP_SECONDS = 2.0


class SlackAdapter:
    """The channel and the listening of one bot token."""

    name = "slack"

    def __init__(self, context: ChatContext) -> None:
        settings = context.settings
        if not settings.slack_bot_token:
            raise ConfigError("SLACK_BOT_TOKEN is not set")
        self._app_token = settings.slack_app_token
        self._app = _bolt_app(settings)
        self.channel = SlackChannel(
            _client(settings, retries=False), per_second=settings.slack_per_second
        )
        Listener(self._app, self.channel, context.commands, Seen())
        self._socket: AsyncSocketModeHandler | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._http_mode = not self._app_token and settings.chat_http
        if self._http_mode:
            if context.http is None:
                raise ConfigError(
                    "Slack's HTTP mode needs PORT (or SLACK_APP_TOKEN for Socket Mode)"
                )
            verifier = Verifier(settings.slack_signing_secret or "")
            context.http.add_route("POST", PATH, events_route(self._app, verifier))

    async def start(self) -> None:
        """Introduce the app to Slack (auth.test) and, in Socket Mode, connect; in the
        background, retrying until Slack answers."""
        self._connecting = asyncio.create_task(self._connect(), name="slack connect")

    async def _connect(self) -> None:
        delay = 1.0
        while True:
            try:
                await self._start_once()
                return
            except SlackApiError as error:
                log.error("Slack refused the bot token (%s): no commands will be answered",
                          error.response.get("error") if error.response else "?")  # fmt: skip
                return
            except (SlackClientError, OSError, TimeoutError) as error:
                log.warning("Slack is not reachable yet (%s); retrying in %.0f s",
                            type(error).__name__, delay)  # fmt: skip
            await asyncio.sleep(delay)
            delay = min(delay * 2, CONNECT_BACKOFF_MAX)

    async def _start_once(self) -> None:
        me = await self._app.client.auth_test()
        log.info("Slack: connected as %s in %s", me.get("user"), me.get("team"))
        if self._http_mode:
            log.info("Slack: HTTP mode, events and slash commands at %s", PATH)
            return
        if not self._app_token:
            log.info("Slack: sending only (the web process takes the events)")
            return
        if self._socket is None:
            web = _client_with(self._app.client, self._app_token)
            self._socket = AsyncSocketModeHandler(self._app, self._app_token, web_client=web)
        await self._socket.connect_async()
        log.info("Slack: connected in Socket Mode")

    async def stop_listening(self) -> None:
        """Stop taking new commands (bounded); the channel keeps sending."""
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
            await asyncio.gather(self._connecting, return_exceptions=True)
        if self._socket is not None:
            await _bounded(self._socket.disconnect_async(), "disconnect Socket Mode")

    async def close(self) -> None:
        """Release everything, after the last send."""
        await self.stop_listening()
        if self._socket is not None:
            await _bounded(self._socket.close_async(), "close Socket Mode")


async def _bounded(work: object, what: str) -> None:
    try:
        await asyncio.wait_for(work, STOP_SECONDS)  # type: ignore[arg-type]
    except (TimeoutError, SlackClientError, OSError, RuntimeError) as error:
        log.warning("Slack: could not %s cleanly: %s", what, type(error).__name__)


def _client(settings: Settings, retries: bool) -> AsyncWebClient:
    """A Web API client on SLACK_API_URL (as given) with a 10 s timeout; with `retries`, one
    retry after a 429's Retry-After (for answers and lookups; alerts are retried by the
    Deliverer)."""
    client = AsyncWebClient(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=TIMEOUT
    )
    client.retry_handlers = [AsyncRateLimitErrorRetryHandler(max_retry_count=1)] if retries else []
    return client


def _client_with(client: AsyncWebClient, token: str) -> AsyncWebClient:
    """A client like `client` with another token (the app-level one, for Socket Mode)."""
    return AsyncWebClient(token=token, base_url=client.base_url, timeout=TIMEOUT)


def _bolt_app(settings: Settings) -> AsyncApp:
    """Bolt's AsyncApp: request signatures verified in HTTP mode (SLACK_SIGNING_SECRET is then
    required), not in Socket Mode, where Slack's own connection vouches for each request."""
    socket_mode = bool(settings.slack_app_token)
    if not socket_mode and not settings.slack_signing_secret:
        raise ConfigError("Slack's HTTP mode needs SLACK_SIGNING_SECRET")
    return AsyncApp(
        client=_client(settings, retries=True),
        signing_secret=settings.slack_signing_secret or "unused-in-socket-mode",
        request_verification_enabled=not socket_mode,
        raise_error_for_unhandled_request=False,
    )
