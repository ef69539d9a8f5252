"""Telegram's webhook, mounted on the service's HTTP server: every request must carry the
secret in X-Telegram-Bot-Api-Secret-Token (missing or wrong: 403, the update dropped). A body
behind the right secret that is not an update (not JSON, a JSON array or string, an object
without an integer update_id, or one python-telegram-bot cannot read) gets 400 and one log line,
never a 500 (issue 12)."""

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
        # aiohttp keeps undecodable header bytes as surrogates: encoded back, never an error.
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode()):
            log.warning("a Telegram webhook request without the right secret was refused")
            return web.Response(status=403, text="forbidden\n")
        if (request.content_length or 0) > MAX_BODY:
            return web.Response(status=413)
        try:
            body = await request.read()  # aiohttp caps an unannounced length at 1 MiB
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413)
        update = parse_update(body, bot)
        if update is None:
            return web.Response(status=400, text="not an update\n")
        await queue.put(update)
        return web.Response(status=200, text="ok\n")

    return handle


def parse_update(body: bytes, bot: Bot) -> Update | None:
    """`body` as an Update, or None (logged, one line) if it is not one."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            log.warning("a Telegram webhook body was not an update (no integer update_id): 400")
            return None
        return Update.de_json(data, bot)
    # PTB reads the fields as it builds the Update: whatever it raises (RecursionError
    # included, for JSON nested too deep) means a malformed body.
    except Exception as error:
        log.warning("a Telegram webhook body was not an update (%s): 400", type(error).__name__)
        return None
