"""A fake feed server: real HTTP on 127.0.0.1 (port 0), scripted per path, recording requests.

    with FeedServer() as server:
        server.set_feed("/feed.xml", [FeedItem("Title", "guid-1", "https://x.test/1", "<p>Hi</p>")])
        url = server.url("/feed.xml")
        ...
        assert server.requests("/feed.xml")[0].headers["user-agent"] == ...

A feed route answers with an ETag and a Last-Modified, and 304 when the request's
If-None-Match (else If-Modified-Since) matches. Other routes misbehave on command: `hang`,
`trickle`, `huge`, `entity_bomb`, `not_xml`, `fail` (a status code), `redirect_chain`, and any
fixed response with `serve` (gzip-encoded if asked). Unscripted paths answer 404.

Every request is recorded before it is answered, with `bytes_sent` (body bytes actually
written) and a `finished` event set when the server is done with it, so a test can wait for
the server's side with a bound and assert on what it sent.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import itertools
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal
from xml.sax.saxutils import escape

MIB = 1024 * 1024
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"

# --- Hostile and broken bodies ---------------------------------------------------------------

# The one-line 5-level bomb: feedparser's DOCTYPE stripping only looks at line starts, so this
# reaches expat intact and expands the title to 100,000 characters without a bozo flag.
ENTITY_BOMB_ONE_LINE = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
    b'<rss version="2.0"><channel><title>&e;</title><item><title>&e;</title></item>'
    b"</channel></rss>"
)


def _billion_laughs() -> bytes:
    lines = [b'<?xml version="1.0"?>', b"<!DOCTYPE rss [", b' <!ENTITY lol0 "lol">']
    for level in range(1, 10):
        lines.append(b' <!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10))
    lines += [b"]>", b'<rss version="2.0"><channel><title>&lol9;</title></channel></rss>']
    return b"\n".join(lines) + b"\n"


# The classic 9-level billion laughs: 10^9 "lol"s, 3 GB expanded.
ENTITY_BOMB_NINE_LEVEL = _billion_laughs()

# XXE: an external entity naming a local file.
XXE_FEED = (
    b'<?xml version="1.0"?>\n'
    b'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
    b'<rss version="2.0"><channel><title>XXE</title>'
    b"<item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>\n"
)

NOT_XML_HTML = (
    b"<!DOCTYPE html>\n<html><head><title>Welcome</title></head>\n"
    b"<body><h1>Welcome</h1><p>This is a web page, not a feed.</p></body></html>\n"
)
NOT_XML_TEXT = b"Service temporarily unavailable. Please try again later.\n"

BombKind = Literal["one_line", "nine_level", "xxe"]
BOMBS: Mapping[str, bytes] = {
    "one_line": ENTITY_BOMB_ONE_LINE,
    "nine_level": ENTITY_BOMB_NINE_LEVEL,
    "xxe": XXE_FEED,
}

# NUL in every spelling that reaches feedparser's result as U+0000 (issue 12). expat refuses each
# of them and feedparser's lenient parser takes over, keeping the NUL. Each feed says the same
# once its NULs are removed: the NUL_* texts below, one item with a figure in its title and
# one in its body. (Overlong UTF-8, b"\xc0\x80", is no spelling of NUL here: feedparser reads a
# feed that is not valid UTF-8 as windows-1252, so it becomes "À€"; see OVERLONG_NUL_FEED.)
NUL_FEED_TITLE = "Night Wire"
NUL_ITEM_TITLE = "Air defences shot down 36 drones overnight"
NUL_ITEM_BODY = "Russia launched 40 drones at Ukraine, the air force said."
NUL_ITEM_TEXT = f"{NUL_ITEM_TITLE}\n\n{NUL_ITEM_BODY}"
NUL_ITEM_GUID = "urn:night:1"
NUL_ITEM_LINK = "https://night.example/drones"


def _nul_rss(nul: bytes, encoding: bytes = b"utf-8", title: bytes | None = None) -> bytes:
    """The NUL feed as RSS, in ASCII bytes, with `nul` (NUL as the feed spells it) in the feed's
    title and the item's title, body, guid and link; `title`, if given, is the item title's
    bytes instead."""
    item_title = b"Air defences" + nul + b" shot down 36 drones" + nul + b" overnight"
    return (
        b'<?xml version="1.0" encoding="' + encoding + b'"?>\n<rss version="2.0"><channel>'
        b"<title>Night" + nul + b" Wire</title><link>https://night.example/</link>"
        b"<item><title>" + (item_title if title is None else title) + b"</title>"
        b"<guid>urn:night:" + nul + b"1</guid><link>https://night.example/" + nul + b"drones</link>"
        b"<description>Russia launched 40" + nul + b" drones at Ukraine, the air force said."
        b"</description><pubDate>Sat, 24 May 2025 06:00:00 GMT</pubDate></item>"
        b"</channel></rss>\n"
    )


# A raw NUL byte.
NUL_RAW_FEED = _nul_rss(b"\x00")
# Character references: expat refuses `&#0;`, feedparser's own parser turns it into U+0000.
NUL_REFERENCE_FEED = _nul_rss(b"&#0;").replace(b"40&#0;", b"40&#x0;")
# Bytes of another encoding: the item title as UTF-16 (a NUL after each ASCII letter) in a
# feed declared UTF-8; and UTF-7, whose `+AAA-` is plain ASCII that decodes to U+0000.
NUL_UTF16_FEED = _nul_rss(b"", title=NUL_ITEM_TITLE.encode("utf-16-le"))
NUL_UTF7_FEED = _nul_rss(b"+AAA-", encoding=b"utf-7")
# Atom 0.3 content in base64, which feedparser decodes to any bytes at all, a NUL included.
NUL_BASE64_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Night Wire</title>'
    b"<entry><title>Air defences shot down 36 drones overnight</title><id>urn:night:1</id>"
    b'<link rel="alternate" type="text/html" href="https://night.example/drones"/>'
    b"<issued>2025-05-24T06:00:00Z</issued>"
    b'<content type="text/plain" mode="base64">'
    + base64.b64encode(b"Russia launched 40\x00 drones at Ukraine, the air force said.")
    + b"</content></entry></feed>\n"
)
NUL_FEEDS: Mapping[str, bytes] = {
    "raw": NUL_RAW_FEED,
    "reference": NUL_REFERENCE_FEED,
    "utf16": NUL_UTF16_FEED,
    "utf7": NUL_UTF7_FEED,
    "base64": NUL_BASE64_FEED,
}
# Java's "modified UTF-8" NUL: what a feed holds when it means NUL and is not valid UTF-8.
OVERLONG_NUL_FEED = _nul_rss(b"\xc0\x80")


# --- Building feeds --------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    """One article of a fake feed. `html` is the body; `published` a datetime or a day."""

    title: str
    guid: str
    link: str
    html: str = ""
    published: datetime | date | None = None


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, 12, 0, tzinfo=UTC)


def rss_feed(items: Iterable[FeedItem], title: str = "Fake Wire", link: str = "") -> bytes:
    """An RSS 2.0 document of `items`, bodies as entity-escaped HTML in `<description>`."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link or 'https://wire.test/')}</link>",
        "<description>A fake feed for tests</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        parts.append(f"<link>{escape(item.link)}</link>")
        if item.html:
            parts.append(f"<description>{escape(item.html)}</description>")
        if item.published is not None:
            parts.append(f"<pubDate>{format_datetime(_as_datetime(item.published))}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>\n")
    return "\n".join(parts).encode("utf-8")


def atom_feed(items: Iterable[FeedItem], title: str = "Fake Wire", feed_id: str = "") -> bytes:
    """An Atom 1.0 document of `items`, bodies as `<content type="html">`."""
    items = list(items)
    stamps = [_as_datetime(i.published) for i in items if i.published is not None]
    updated = max(stamps, default=datetime(2024, 1, 1, tzinfo=UTC)).isoformat()
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>{escape(feed_id or 'urn:fake:wire')}</id>",
        f"<updated>{updated}</updated>",
    ]
    for item in items:
        parts.append("<entry>")
        parts.append(f'<title type="text">{escape(item.title)}</title>')
        parts.append(f"<id>{escape(item.guid)}</id>")
        parts.append(f'<link rel="alternate" href="{escape(item.link, {chr(34): "&quot;"})}"/>')
        if item.published is not None:
            stamp = _as_datetime(item.published).isoformat()
            parts.append(f"<published>{stamp}</published><updated>{stamp}</updated>")
        if item.html:
            parts.append(f'<content type="html">{escape(item.html)}</content>')
        parts.append("</entry>")
    parts.append("</feed>\n")
    return "\n".join(parts).encode("utf-8")


def many_items_feed(
    count: int, *, newest_first: bool = True, prefix: str = "Raid", first: int = 1
) -> bytes:
    """An RSS feed of `count` tiny undated items, "<prefix> N" each (no guid: each is known by
    its title), numbered from the oldest, `first`, up, listed newest first unless asked
    otherwise. 100,000 of them take 4 MB, within the 5 MiB a fetch allows (issue 12)."""
    last = first + count - 1
    numbers = range(last, first - 1, -1) if newest_first else range(first, last + 1)
    items = "".join(f"<item><title>{prefix} {n}</title></item>\n" for n in numbers)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Many Items</title><link>https://many.test/</link>\n{items}</channel></rss>\n"
    ).encode()


def huge_item_feed(size: int = 4_500_000, guid: str = "huge-1") -> bytes:
    """An RSS feed of one item (`guid`, also in its title, so that two such feeds are not one
    article syndicated) whose HTML body brings the feed to about `size` bytes: paragraphs of
    figures, each with numbers of its own (issue 12's "single 4.5 MB item")."""
    paragraph = (
        "<p>Russia launched {0} drones and 7 missiles at Ukraine overnight; air defences shot "
        "down {1} drones, the air force said.</p>\n"
    )
    size_of_one = len(escape(paragraph.format(100, 50)).encode())
    html = "".join(
        paragraph.format(100 + n % 900, 50 + n % 400) for n in range(size // size_of_one)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Huge Item</title><link>https://huge.test/</link><item>"
        f"<title>Russia launched 472 drones overnight ({escape(guid)})</title>"
        f"<guid>{escape(guid)}</guid>"
        "<pubDate>Tue, 03 Jun 2025 07:00:00 GMT</pubDate>"
        f"<description>{escape(html)}</description></item></channel></rss>\n"
    ).encode()


# --- Routes ----------------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    """One request as the server received it. Header names are lower-case.

    `bytes_sent` (body bytes written so far) and `finished` (set once the server is done with
    the request) are updated by the server's thread.
    """

    method: str
    path: str
    headers: dict[str, str]
    bytes_sent: int = 0
    finished: threading.Event = field(default_factory=threading.Event)
    at: float = field(default_factory=time.monotonic)


Respond = Callable[["_Handler", RecordedRequest], None]


@dataclass(frozen=True)
class ServedFeed:
    """A feed as served at one path: its items, bytes and validators."""

    items: tuple[FeedItem, ...]
    kind: Literal["rss", "atom"]
    title: str
    body: bytes
    etag: str
    last_modified: datetime
    gzip: bool


class FeedServer:
    """The fake feed server. Start it with `with FeedServer() as server:` (or `start()` and
    `close()`); scripting methods may be called from any thread, at any time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._routes: dict[str, Respond] = {}
        self._feeds: dict[str, ServedFeed] = {}
        self._requests: list[RecordedRequest] = []
        self._connections: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # Lifecycle

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and cut every open connection, hung or trickling ones included."""
        self._stopping.set()
        if self._thread.is_alive():
            self._httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    # What was received

    def requests(self, path: str | None = None) -> list[RecordedRequest]:
        """The requests received so far (to `path` only, if given), oldest first."""
        with self._lock:
            return [r for r in self._requests if path is None or r.path == path]

    # Feeds

    def set_feed(
        self,
        path: str,
        items: Iterable[FeedItem],
        *,
        kind: Literal["rss", "atom"] = "rss",
        title: str = "Fake Wire",
        gzip_body: bool = False,
    ) -> ServedFeed:
        """Serve `items` at `path` as RSS 2.0 or Atom 1.0, with a fresh ETag and Last-Modified."""
        with self._lock:
            previous = self._feeds.get(path)
            feed = _build_feed(tuple(items), kind, title, gzip_body, previous)
            self._feeds[path] = feed
            self._routes[path] = _serve_feed(path)
        return feed

    def publish(self, path: str, item: FeedItem) -> ServedFeed:
        """Add `item` to the feed at `path` (an RSS feed is created if there is none)."""
        with self._lock:
            previous = self._feeds.get(path)
            if previous is None:
                feed = _build_feed((item,), "rss", "Fake Wire", False, None)
            else:
                items = (*previous.items, item)
                feed = _build_feed(items, previous.kind, previous.title, previous.gzip, previous)
            self._feeds[path] = feed
            self._routes[path] = _serve_feed(path)
        return feed

    def feed(self, path: str) -> ServedFeed:
        """The feed currently served at `path`: its body, ETag and Last-Modified."""
        with self._lock:
            return self._feeds[path]

    def last_modified(self, path: str) -> str:
        return format_datetime(self.feed(path).last_modified, usegmt=True)

    # Fixed responses and misbehaviour

    def serve(
        self,
        path: str,
        body: bytes,
        *,
        status: int = 200,
        content_type: str = RSS_TYPE,
        headers: Mapping[str, str] | None = None,
        gzip_body: bool = False,
    ) -> None:
        """Answer `path` with `body` as given (gzip-encoded on the wire if `gzip_body`)."""
        extra = dict(headers or {})
        if gzip_body:
            body = gzip.compress(body)
            extra["Content-Encoding"] = "gzip"
        self._route(path, _fixed(status, body, content_type, extra))

    def fail(self, path: str, status: int = 500) -> None:
        """Answer `path` with an error status and a short HTML body."""
        phrase = HTTPStatus(status).phrase
        body = f"<html><body><h1>{status} {phrase}</h1></body></html>".encode()
        self._route(path, _fixed(status, body, "text/html", {}))

    def not_xml(self, path: str, kind: Literal["html", "text"] = "html") -> None:
        """Answer `path` with a web page or plain text instead of a feed."""
        if kind == "html":
            self.serve(path, NOT_XML_HTML, content_type="text/html; charset=utf-8")
        else:
            self.serve(path, NOT_XML_TEXT, content_type="text/plain; charset=utf-8")

    def entity_bomb(self, path: str, kind: BombKind = "one_line") -> None:
        """Answer `path` with an entity bomb ("one_line", "nine_level") or an XXE ("xxe")."""
        self.serve(path, BOMBS[kind])

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self._route(path, _fixed(status, b"", "text/plain", {"Location": location}))

    def redirect_chain(self, path: str, hops: int, final_path: str) -> list[str]:
        """`path` redirects `hops` times (302) before landing on `final_path`; returns the hop
        paths in order, `path` first."""
        chain = [path] + [f"{path}/hop{n}" for n in range(1, hops)]
        for here, there in zip(chain, [*chain[1:], final_path], strict=True):
            self.redirect(here, there)
        return chain

    def hang(self, path: str) -> None:
        """Accept requests to `path` and never answer them, until the server closes."""
        self._route(path, _hang)

    def trickle(self, path: str, body: bytes | None = None, interval: float = 1.0) -> None:
        """Send a 200 with headers at once, then `body` one byte per `interval` seconds."""
        self._route(path, _trickle(body or rss_feed([]), interval))

    def huge(self, path: str, size: int = 50 * MIB, *, declare_length: bool = False) -> None:
        """Stream `size` bytes at `path`, chunked (or with a Content-Length if
        `declare_length`), counting in `bytes_sent` what was actually written."""
        self._route(path, _huge(size, declare_length))

    def slowly(self, path: str, body: bytes, seconds: float) -> None:
        """Answer `path` with `body` (Content-Length declared), spread evenly over `seconds`:
        a feed whose fetch outlasts a short lease."""
        self._route(path, _slowly(body, seconds))

    def rolling(self, path: str, count: int, step: int) -> None:
        """Answer `path` with a feed of `count` tiny items (see `many_items_feed`) whose newest
        `step` are new at each request: a huge feed that is busy too."""
        self._route(path, _rolling(count, step))

    # Internals

    def _route(self, path: str, respond: Respond) -> None:
        with self._lock:
            self._feeds.pop(path, None)
            self._routes[path] = respond

    def _dispatch(self, handler: _Handler) -> None:
        record = RecordedRequest(
            method=handler.command,
            path=handler.path,
            headers={name.lower(): value for name, value in handler.headers.items()},
        )
        with self._lock:
            self._requests.append(record)
            respond = self._routes.get(handler.path.split("?", 1)[0], _not_found)
        try:
            respond(handler, record)
        except OSError:
            # The client gave up (that is often the point of the test).
            handler.close_connection = True
        finally:
            record.finished.set()

    def _connection_opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def _connection_closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)


def _build_feed(
    items: tuple[FeedItem, ...],
    kind: Literal["rss", "atom"],
    title: str,
    gzip_body: bool,
    previous: ServedFeed | None,
) -> ServedFeed:
    body = rss_feed(items, title) if kind == "rss" else atom_feed(items, title)
    now = datetime.now(UTC).replace(microsecond=0)
    # Last-Modified has one-second resolution: a change within the same second must still
    # move it forward, or If-Modified-Since would wrongly match.
    if previous is not None and now <= previous.last_modified:
        now = previous.last_modified + timedelta(seconds=1)
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    feed = ServedFeed(items, kind, title, body, etag, now, gzip_body)
    return feed if previous is None or previous.body != body else replace(previous, items=items)


# --- Responders (run on the server's connection threads) -----------------------------------


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # a poll round opens many connections at once
    fake: FeedServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer
    # A bound on any one socket operation, so no connection thread outlives a test for long.
    timeout = 15

    def setup(self) -> None:
        super().setup()
        self.server.fake._connection_opened(self.connection)

    def finish(self) -> None:
        self.server.fake._connection_closed(self.connection)
        # Flushing to a client that has gone away fails; there is nothing left to tell it.
        with contextlib.suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        self.server.fake._dispatch(self)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests assert on recorded requests, not on a log."""

    def head(self, status: int, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def body(self, record: RecordedRequest, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        record.bytes_sent += len(data)

    @property
    def stopping(self) -> threading.Event:
        return self.server.fake._stopping


def _not_found(handler: _Handler, record: RecordedRequest) -> None:
    _fixed(404, b"not found\n", "text/plain", {})(handler, record)


def _fixed(status: int, body: bytes, content_type: str, headers: Mapping[str, str]) -> Respond:
    def respond(handler: _Handler, record: RecordedRequest) -> None:
        handler.head(
            status,
            {"Content-Type": content_type, "Content-Length": str(len(body)), **headers},
        )
        handler.body(record, body)

    return respond


def _serve_feed(path: str) -> Respond:
    def respond(handler: _Handler, record: RecordedRequest) -> None:
        feed = handler.server.fake.feed(path)
        validators = {
            "ETag": feed.etag,
            "Last-Modified": format_datetime(feed.last_modified, usegmt=True),
        }
        if _not_modified(record.headers, feed):
            handler.head(304, validators)
            return
        body, encoding = feed.body, {}
        if feed.gzip:
            body, encoding = gzip.compress(body), {"Content-Encoding": "gzip"}
        content_type = RSS_TYPE if feed.kind == "rss" else ATOM_TYPE
        headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
        handler.head(200, {**headers, **validators, **encoding})
        handler.body(record, body)

    return respond


def _not_modified(headers: Mapping[str, str], feed: ServedFeed) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since."""
    if "if-none-match" in headers:
        tags = [t.strip().removeprefix("W/") for t in headers["if-none-match"].split(",")]
        return "*" in tags or feed.etag in tags
    if "if-modified-since" in headers:
        try:
            since = parsedate_to_datetime(headers["if-modified-since"])
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and feed.last_modified <= since
    return False


def _hang(handler: _Handler, record: RecordedRequest) -> None:
    handler.stopping.wait()
    handler.close_connection = True


def _trickle(body: bytes, interval: float) -> Respond:
    def respond(handler: _Handler, record: RecordedRequest) -> None:
        # No Content-Length: the body ends when the connection does.
        handler.head(200, {"Content-Type": RSS_TYPE})
        for offset in range(len(body)):
            if handler.stopping.wait(interval):
                return
            handler.body(record, body[offset : offset + 1])

    return respond


def _huge(size: int, declare_length: bool) -> Respond:
    chunk = b"<!-- " + b"x" * (64 * 1024 - 9) + b" -->"

    def respond(handler: _Handler, record: RecordedRequest) -> None:
        framing = (
            {"Content-Length": str(size)} if declare_length else {"Transfer-Encoding": "chunked"}
        )
        handler.head(200, {"Content-Type": RSS_TYPE, **framing})
        remaining = size
        while remaining > 0 and not handler.stopping.is_set():
            data = chunk[:remaining]
            if declare_length:
                handler.wfile.write(data)
            else:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            record.bytes_sent += len(data)
            remaining -= len(data)
        if not declare_length:
            handler.wfile.write(b"0\r\n\r\n")

    return respond


def _slowly(body: bytes, seconds: float, pieces: int = 20) -> Respond:
    step = -(-len(body) // pieces)

    def respond(handler: _Handler, record: RecordedRequest) -> None:
        handler.head(200, {"Content-Type": RSS_TYPE, "Content-Length": str(len(body))})
        for offset in range(0, len(body), step):
            if handler.stopping.wait(seconds / pieces):
                return
            handler.body(record, body[offset : offset + step])

    return respond


def _rolling(count: int, step: int) -> Respond:
    served = itertools.count()

    def respond(handler: _Handler, record: RecordedRequest) -> None:
        body = many_items_feed(count, first=1 + next(served) * step)
        _fixed(200, body, RSS_TYPE, {})(handler, record)

    return respond
