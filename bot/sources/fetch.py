"""Feed fetching: one conditional HTTP GET under hard limits of time, redirects and size.

This is the I/O edge of the feed source. It turns everything that can go wrong on the wire into
`FetchError` (or its subclasses `FetchTimeout` and `FeedTooLarge`) with a short message meant
for a human operator; exception reprs, which may carry URLs with tokens, never leak into it.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import zlib
from dataclasses import dataclass
from typing import Protocol

import httpx

from bot.errors import FeedTooLarge, FetchError, FetchTimeout
from bot.settings import FetchLimits

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
# Only codings this module can inflate with a bound on the output: httpx would also offer br or
# zstd when their packages are installed, and inflate them without one.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True)
class Validators:
    """The cache validators of a feed, sent back on the next poll to make it conditional."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """The outcome of one successful fetch.

    `url` is the final URL after redirects; `status` is 304 when the server said "not modified",
    else the 2xx status. `body` is None when there is nothing new to parse: a 304, or a 2xx with
    an empty body. `validators` are the server's new ones; on a 304 that resends none, the ones
    that were sent are kept.
    """

    url: str
    status: int
    body: bytes | None
    validators: Validators


def make_client(
    limits: FetchLimits, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """An HTTP client for feeds: Tallywire's User-Agent, feed Accept headers, redirects followed
    up to `limits.max_redirects`, and `transport` (say, an SSRF guard) if given.

    The environment is ignored (`trust_env=False`): no proxy variables and no `.netrc`
    credentials are picked up behind the settings' back.
    """
    return httpx.AsyncClient(
        headers={
            "User-Agent": limits.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        timeout=httpx.Timeout(limits.timeout_seconds),
        transport=transport,
        trust_env=False,
    )


async def fetch_feed(
    client: httpx.AsyncClient, url: str, validators: Validators, limits: FetchLimits
) -> Fetched:
    """GET `url` conditionally on `validators`, within `limits`.

    The whole request, body included, must finish within `limits.timeout_seconds`: httpx's own
    timeouts apply per read, so a server trickling one byte a second would otherwise never end.
    Reading stops as soon as the decoded body passes `limits.max_bytes`.

    Raises FetchTimeout past the deadline, FeedTooLarge past the byte cap, and FetchError for
    anything else: connection failures, too many redirects, an HTTP status of 400 or more, a
    body that cannot be decoded.
    """
    try:
        async with asyncio.timeout(limits.timeout_seconds):
            return await _get(client, url, validators, limits)
    except (TimeoutError, httpx.TimeoutException):
        raise FetchTimeout(f"timed out after {limits.timeout_seconds:g} s") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {limits.max_redirects} redirects") from None
    except httpx.InvalidURL:
        raise FetchError("not a valid URL") from None
    except httpx.HTTPError as exc:
        raise FetchError(_describe(exc)) from None


async def _get(
    client: httpx.AsyncClient, url: str, validators: Validators, limits: FetchLimits
) -> Fetched:
    headers = {"Accept-Encoding": ACCEPT_ENCODING}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    async with client.stream("GET", url, headers=headers) as response:
        final_url = str(response.url)
        if response.status_code == httpx.codes.NOT_MODIFIED:
            return Fetched(final_url, response.status_code, None, _kept(response, validators))
        if not response.is_success:
            code = response.status_code
            # The standard phrase, not the server's: the server's text is not ours to show.
            raise FetchError(f"HTTP {code} {httpx.codes.get_reason_phrase(code)}".rstrip())
        _refuse_announced_size(response, limits.max_bytes)
        body = await _read_body(response, limits.max_bytes)
        validators_now = Validators(
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
        return Fetched(final_url, response.status_code, body or None, validators_now)


def _kept(response: httpx.Response, sent: Validators) -> Validators:
    """The validators after a 304: the server's if it resent them, else the ones sent."""
    return Validators(
        etag=response.headers.get("etag") or sent.etag,
        last_modified=response.headers.get("last-modified") or sent.last_modified,
    )


def _refuse_announced_size(response: httpx.Response, max_bytes: int) -> None:
    announced = response.headers.get("content-length", "").strip()
    if announced.isdigit() and int(announced) > max_bytes:
        raise FeedTooLarge(
            f"the server announced {int(announced)} bytes, larger than {_size(max_bytes)}"
        )


async def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body, read chunk by chunk; raises FeedTooLarge once it passes `max_bytes`.

    Raw bytes are inflated here rather than by httpx so that one small compressed chunk can
    never expand to more than the bytes still allowed (a gzip bomb stays within the cap).
    """
    decoder = _decoder_for(response.headers.get("content-encoding", ""))
    body = bytearray()
    async for chunk in response.aiter_raw():
        body += decoder.decode(chunk, max_bytes - len(body) + 1)
        if len(body) > max_bytes:
            raise FeedTooLarge(f"the body is larger than {_size(max_bytes)}; stopped reading")
    body += decoder.finish()
    if len(body) > max_bytes:
        raise FeedTooLarge(f"the body is larger than {_size(max_bytes)}; stopped reading")
    return bytes(body)


class _Decoder(Protocol):
    def decode(self, data: bytes, limit: int) -> bytes:
        """At most `limit` bytes of output for `data` (more input is then left unread)."""
        ...

    def finish(self) -> bytes:
        """The rest of the output once the input has ended."""
        ...


class _Identity:
    def decode(self, data: bytes, limit: int) -> bytes:
        return data

    def finish(self) -> bytes:
        return b""


class _Inflate:
    """gzip or zlib (`deflate`), and raw deflate, which some servers send as `deflate`."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        # 32 + MAX_WBITS: zlib detects a gzip or a zlib header by itself.
        self._inflate = zlib.decompressobj(32 + zlib.MAX_WBITS)
        self._started = False

    def decode(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._inflate.decompress(data, limit)
        except zlib.error:
            if self._started or self._coding != "deflate":
                raise FetchError(f"the {self._coding} body could not be decompressed") from None
            # Some servers send raw deflate, without the zlib wrapper, as `deflate`.
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            self._started = True
            return self.decode(data, limit)
        self._started = self._started or bool(data)
        return out

    def finish(self) -> bytes:
        if not self._started:
            return b""  # an empty body is empty in any coding
        try:
            tail = self._inflate.flush()
        except zlib.error:
            tail = b""
        if not self._inflate.eof:
            raise FetchError(f"the {self._coding} body ended early")
        return tail


def _decoder_for(content_encoding: str) -> _Decoder:
    coding = content_encoding.strip().lower()
    if coding in ("", "identity"):
        return _Identity()
    if coding in ("gzip", "x-gzip"):
        return _Inflate("gzip")
    if coding == "deflate":
        return _Inflate("deflate")
    raise FetchError(f"unsupported Content-Encoding {coding[:40]!r}")


def _describe(exc: httpx.HTTPError) -> str:
    """A short operator-facing account of a transport failure, without the exception's text."""
    if isinstance(exc, httpx.ConnectError):
        return _connect_failure(exc)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not an http or https URL"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server broke the HTTP protocol (a truncated or malformed response)"
    if isinstance(exc, httpx.NetworkError):
        return "the connection was lost"
    return f"the request failed ({type(exc).__name__})"


def _connect_failure(exc: BaseException) -> str:
    causes: list[BaseException] = []
    seen: BaseException | None = exc
    # The root cause sits a few links down the chain (httpx -> httpcore -> OSError).
    while seen is not None and len(causes) < 10:
        causes.append(seen)
        seen = seen.__cause__ or seen.__context__
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused"
    if any(isinstance(c, socket.gaierror) for c in causes):
        return "the host name could not be resolved"
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return "the TLS handshake failed"
    return "could not connect"


def _size(n: int) -> str:
    mib = 1024 * 1024
    return f"{n // mib} MiB" if n % mib == 0 else f"{n} bytes"
