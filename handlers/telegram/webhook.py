"""Telegram's webhook, mounted on the service's HTTP server: every request must carry the
secret in X-Telegram-Bot-Api-Secret-Token (missing or wrong: 403, the update dropped)."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from telegram import Bot, Update

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024


def webhook_route(
    secret: str, bot: Bot, queue: asyncio.Queue[object]
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """An aiohttp handler that checks the secret and queues the update for the Application."""

    async def handle(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("a Telegram webhook request without the right secret was refused")
            return web.Response(status=403, text="forbidden\n")
        if (request.content_length or 0) > MAX_BODY:
            return web.Response(status=413)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400, text="not an update\n")
        await queue.put(update)
        return web.Response(status=200, text="ok\n")

    return handle
