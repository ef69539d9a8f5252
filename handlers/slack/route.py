"""Slack's HTTP mode: the Events API and slash commands at /slack/events on the service's HTTP
server.

Each request's signature is checked here, before Bolt sees it (SLACK_SIGNING_SECRET, v0
HMAC-SHA256 over "v0:timestamp:body", the timestamp a number within 5 minutes of now): one that
fails gets 401 and one log line without its body (Bolt's own check would log the whole body at
INFO, a megabyte a request; issue 12), and the log holds back the repeats of that line. A body
that is signed but is not a Slack payload (not UTF-8, not JSON where JSON is due, a JSON array,
a `payload=` that is not a JSON object) gets 400 and one log line, never a 500. What passes is
handed to the Bolt app, which checks the signature again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

log = logging.getLogger(__name__)

PATH = "/slack/events"  # Bolt's default
MAX_BODY = 1024 * 1024
WINDOW = 300  # seconds a signature's timestamp may be off from now (Slack's rule)
STAMP = re.compile(r"[0-9]{1,12}")

Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Verifier:
    """Checks Slack's v0 request signature over the body's bytes as received (slack_sdk's
    SignatureVerifier decodes them first, and raises on bytes that are not UTF-8); `clock`
    gives the time (injectable for tests)."""

    def __init__(self, signing_secret: str, clock: Callable[[], float] = time.time) -> None:
        self._secret = signing_secret.encode()
        self._clock = clock

    def refusal_of_headers(self, headers: Mapping[str, str]) -> str | None:
        """Why the request is refused before its body is read (a short reason), or None."""
        stamp = headers.get("X-Slack-Request-Timestamp", "")
        if not headers.get("X-Slack-Signature"):
            return "no signature"
        if not STAMP.fullmatch(stamp):
            return "a timestamp that is not a number"
        if abs(self._clock() - int(stamp)) > WINDOW:
            return "a timestamp more than 5 minutes off"
        return None

    def refusal(self, body: bytes, headers: Mapping[str, str]) -> str | None:
        """Why the request is refused (a short reason, never its content), or None if its
        signature is right."""
        reason = self.refusal_of_headers(headers)
        if reason is not None:
            return reason
        stamp = headers["X-Slack-Request-Timestamp"].encode()
        digest = hmac.new(self._secret, b"v0:" + stamp + b":" + body, hashlib.sha256)
        expected = f"v0={digest.hexdigest()}".encode()
        given = headers["X-Slack-Signature"]
        # aiohttp keeps undecodable header bytes as surrogates: encoded back, never an error.
        if not hmac.compare_digest(expected, given.encode("utf-8", "surrogateescape")):
            return "a wrong signature"
        return None


def events_route(app: AsyncApp, verifier: Verifier) -> Route:
    """An aiohttp handler: 413 over MAX_BODY, 401 unless `verifier` accepts the signature, 400
    for a signed body that is not a Slack payload; else `app`'s answer."""

    async def handle(request: web.Request) -> web.StreamResponse:
        # What the headers alone refuse is refused before the body is read.
        reason = verifier.refusal_of_headers(request.headers)
        if reason is not None:
            return _refused(request, reason)
        if (request.content_length or 0) > MAX_BODY:
            return web.Response(status=413)
        try:
            body = await request.read()  # aiohttp caps an unannounced length at 1 MiB
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413)
        reason = verifier.refusal(body, request.headers)
        if reason is not None:
            return _refused(request, reason)
        bolt_request = slack_request(body, request)
        if bolt_request is None:
            return web.Response(status=400, text="not a Slack payload\n")
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    return handle


def _refused(request: web.Request, reason: str) -> web.Response:
    """401, and one line without the body (the log holds back its repeats)."""
    log.warning("refused a Slack request from %s: %s", request.remote, reason)
    return web.Response(status=401, text="invalid request\n")


def slack_request(body: bytes, request: web.Request) -> AsyncBoltRequest | None:
    """`body` as Bolt's request, or None (logged, one line) if it is not a Slack payload: a
    JSON object, or a form (whose `payload`, if any, is a JSON object)."""
    try:
        parsed = AsyncBoltRequest(
            body=body.decode("utf-8"),
            query=request.query_string,
            headers=dict(request.headers),
        )
    # Bolt parses the body and reads its fields as it builds the request: whatever it raises
    # (RecursionError included, for JSON nested too deep) means a malformed body.
    except Exception as error:
        log.warning(
            "a signed Slack request was not a Slack payload (%s): 400",
            type(error).__name__,
        )
        return None
    if not isinstance(parsed.body, dict):
        log.warning("a signed Slack request was not a Slack payload (a JSON array or value): 400")
        return None
    return parsed
