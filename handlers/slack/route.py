"""Slack's HTTP mode: the Events API and slash commands at /slack/events on the service's HTTP
server, handed to the Bolt app, which verifies each request's signature (SLACK_SIGNING_SECRET,
v0 HMAC-SHA256 over "v0:timestamp:body", timestamps within 5 minutes) and answers 401 when it
is missing, wrong or stale."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

PATH = "/slack/events"  # Bolt's default
MAX_BODY = 1024 * 1024


def events_route(app: AsyncApp) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """An aiohttp handler that dispatches a request to `app` and returns its answer."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if (request.content_length or 0) > MAX_BODY:
            return web.Response(status=413)
        answer = await app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(answer)

    return handle
