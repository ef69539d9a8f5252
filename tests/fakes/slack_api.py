"""A fake Slack Web API: real HTTP on 127.0.0.1 (port 0), answering /api/<method>.

    with SlackApi("xoxb-…") as api:
        settings: SLACK_API_URL = api.base_url        # ".../api/", used as slack_sdk's base_url
        api.users["U1"] = {"is_admin": True}
        url = api.response_url()                      # a slash command's response_url
        ...
        assert api.violations == []

It answers auth.test, chat.postMessage (returning a ts), chat.update, conversations.info,
users.info, apps.connections.open, and files_upload_v2's three steps (files.getUploadURLExternal,
the POST of the bytes to the upload URL it hands out, raw or multipart, and
files.completeUploadExternal; kept in `uploads`) as the Web API does (form, query or JSON
parameters; the token as a Bearer header), records every call, and takes the POSTs to
response URLs it hands out. On command it answers 429 with Retry-After, an error code
("not_in_channel"), 500 (for a number of calls or for some seconds), or hangs after
accepting. It records each breach of
Slack's limits in `violations`: text over 4000 characters, more than 50 blocks, a section over
3000, a header over 150 or not plain_text, an unescaped < or &, more than one message a second
to one channel.

With `throttle=True` it enforces chat.postMessage's documented limit, one message a second per
channel (with the checks' allowance for loopback jitter), as Slack does instead of recording
it: a post that would break it is answered HTTP 429 with a Retry-After header and
{"ok": false, "error": "ratelimited"}, counted in `rejected_429`, and not posted. Slack's
workspace-wide limit is unstated, so it is not enforced.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import math
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.loopback import serve, shut

BOT_USER = "U0TALLYBOT"
BOT_ID = "B0TALLYBOT"
TEAM = "T0TEAM"
CHANNEL_GAP = 1.0
JITTER = 0.05
ENTITY = re.compile(r"&(amp|lt|gt);")
SENDS = ("chat.postMessage", "chat.update")


@dataclass
class Call:
    """One request: the method, its parameters, its token, when, and the status answered."""

    method: str
    params: dict[str, Any]
    token: str
    at: float
    status: int = 200


@dataclass
class Posted:
    """A message the app posted, with its edits (each the text and blocks)."""

    ts: str
    channel: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None
    at: float
    metadata: dict[str, Any] | None = None
    edits: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)


@dataclass
class Uploaded:
    """A file the app uploaded with files_upload_v2: what files.getUploadURLExternal was told
    (name, length, alt text), the bytes POSTed to the upload URL, and where
    files.completeUploadExternal shared it (channel, thread, title, comment)."""

    file_id: str
    filename: str
    length: int
    alt_txt: str
    data: bytes | None = None
    channel: str | None = None
    thread_ts: str | None = None
    title: str = ""
    initial_comment: str = ""
    completed: bool = False


@dataclass
class _Failure:
    status: int
    methods: frozenset[str]
    error: str = ""
    retry_after: int | None = None
    times: int = 0
    until: float = 0.0
    channels: frozenset[str] = frozenset()


class SlackApi:
    """Start with `with SlackApi(bot_token) as api:`."""

    def __init__(self, token: str, app_token: str = "", *, throttle: bool = False) -> None:
        self.token = token
        self.app_token = app_token
        self.throttle = throttle  # answer 429 to what would break a limit, instead of recording it
        self.rejected_429 = 0  # posts refused by `throttle`
        self.calls: list[Call] = []
        self.posted: list[Posted] = []
        self.responses: dict[str, list[dict[str, Any]]] = {}
        self.violations: list[str] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.uploads: list[Uploaded] = []
        self.socket_url = "ws://127.0.0.1:9/link"
        self._failures: list[_Failure] = []
        self._hang_seconds = 0.0
        self._hang_times = 0
        self._next_ts = 0
        self._channel_last: dict[str, float] = {}
        self._by_ts: dict[tuple[str, str], Posted] = {}  # (channel, ts) -> the post
        self._lock = threading.Lock()
        self._port = 0
        self._httpd: ThreadingHTTPServer | None = None

    def __enter__(self) -> SlackApi:
        self._httpd = serve(type("Handler", (_Handler,), {"api": self}))
        self._port = self._httpd.server_address[1]
        return self

    def __exit__(self, *exc: object) -> None:
        shut(self._httpd)
        self._httpd = None

    @property
    def base_url(self) -> str:
        """SLACK_API_URL for the fake."""
        return f"http://127.0.0.1:{self._port}/api/"

    def response_url(self) -> str:
        """A new response_url, whose POSTs are kept in `responses`."""
        with self._lock:
            key = f"r{len(self.responses) + 1}"
            self.responses[key] = []
        return f"http://127.0.0.1:{self._port}/respond/{key}"

    # --- scripting ---------------------------------------------------------------------

    def fail(
        self,
        status: int = 200,
        times: int = 1,
        *,
        error: str = "",
        methods: Iterable[str] = SENDS,
        retry_after: int | None = None,
        seconds: float = 0.0,
        channels: Iterable[str] = (),
    ) -> None:
        """Answer the next `times` calls of `methods` (or every call for `seconds`) with
        `status` (429 with Retry-After, 500) or, with status 200, `{"ok": false, "error"}`."""
        until = time.monotonic() + seconds if seconds else 0.0
        with self._lock:
            self._failures.append(
                _Failure(
                    status, frozenset(methods), error, retry_after,
                    0 if seconds else times, until, frozenset(channels),
                )
            )  # fmt: skip

    def hang(self, seconds: float, times: int = 1) -> None:
        """Accept the next `times` chat.postMessage calls, then answer only after `seconds`."""
        with self._lock:
            self._hang_seconds, self._hang_times = seconds, times

    # --- what happened -----------------------------------------------------------------

    def calls_of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def posts_to(self, channel: str) -> list[Posted]:
        with self._lock:
            return [p for p in self.posted if p.channel == channel]

    def answers_in_thread(self, channel: str, thread_ts: str) -> list[Posted]:
        return [p for p in self.posts_to(channel) if p.thread_ts == thread_ts]

    def files_in(self, channel: str) -> list[Uploaded]:
        """The files shared in a channel (files.completeUploadExternal), in order."""
        with self._lock:
            return [u for u in self.uploads if u.completed and u.channel == channel]

    def responded(self, url: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.responses.get(url.rsplit("/", 1)[1], []))

    # --- the API -----------------------------------------------------------------------

    def handle(
        self, method: str, params: dict[str, Any], token: str
    ) -> tuple[int, Any, float, dict[str, str]]:
        """(HTTP status, JSON body, seconds to wait before answering, extra headers) for one
        call."""
        call = Call(method, params, token, time.monotonic())
        with self._lock:
            self.calls.append(call)
            wanted = self.app_token if method == "apps.connections.open" else self.token
            if not token or token != wanted:
                return 200, {"ok": False, "error": "invalid_auth"}, 0.0, {}
            failure = self._failure(method, params, call)
            if failure is not None:
                return failure
            # The time taken under the lock: the posts of one channel are checked in order.
            status, body, headers = self._answer(method, params, time.monotonic())
            call.status = status
            wait = 0.0
            if method == "chat.postMessage" and status == 200 and self._hang_times > 0:
                self._hang_times -= 1
                wait = self._hang_seconds
        return status, body, wait, headers

    def respond(self, key: str, body: dict[str, Any]) -> bool:
        with self._lock:
            if key not in self.responses:
                return False
            self.responses[key].append(body)
            self._check(body.get("text", ""), body.get("blocks") or [], "response_url")
            return True

    def _failure(self, method: str, params: dict[str, Any], call: Call) -> Any:
        now = time.monotonic()
        for failure in self._failures:
            if method not in failure.methods:
                continue
            if failure.channels and str(params.get("channel")) not in failure.channels:
                continue
            if failure.until and failure.until < now:
                continue
            if not failure.until:
                if failure.times <= 0:
                    continue
                failure.times -= 1
            call.status = failure.status
            if failure.status == 429:
                status, body, headers = _ratelimited(failure.retry_after or 1)
                return status, body, 0.0, headers
            if failure.status >= 500:
                return failure.status, {"ok": False, "error": "internal_error"}, 0.0, {}
            return 200, {"ok": False, "error": failure.error or "fatal_error"}, 0.0, {}
        return None

    def _answer(
        self, method: str, params: dict[str, Any], now: float
    ) -> tuple[int, Any, dict[str, str]]:
        if method == "chat.postMessage":
            return self._post(params, now)
        return (*self._answer_other(method, params), {})

    def _answer_other(self, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        if method == "auth.test":
            return 200, {"ok": True, "url": "https://tally.test/", "team": "Tally",
                         "user": "tallywire", "team_id": TEAM, "user_id": BOT_USER,
                         "bot_id": BOT_ID}  # fmt: skip
        if method == "chat.update":
            return self._update(params)
        if method == "users.info":
            user = str(params.get("user", ""))
            found = {"id": user, "name": user.lower(), "is_admin": False, "is_owner": False}
            return 200, {"ok": True, "user": found | self.users.get(user, {})}
        if method == "conversations.info":
            channel = str(params.get("channel", ""))
            return 200, {"ok": True, "channel": {"id": channel, "is_im": channel[:1] == "D"}}
        if method == "apps.connections.open":
            return 200, {"ok": True, "url": self.socket_url}
        if method == "files.getUploadURLExternal":
            return self._upload_url(params)
        if method == "files.completeUploadExternal":
            return self._complete_upload(params)
        return 200, {"ok": False, "error": "unknown_method"}

    def _upload_url(self, params: dict[str, Any]) -> tuple[int, Any]:
        filename, length = str(params.get("filename") or ""), str(params.get("length") or "")
        if not filename or not length.isdigit():
            return 200, {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{len(self.uploads) + 1:08d}"
        self.uploads.append(
            Uploaded(file_id, filename, int(length), str(params.get("alt_txt") or ""))
        )
        url = f"http://127.0.0.1:{self._port}/upload/{file_id}"
        return 200, {"ok": True, "upload_url": url, "file_id": file_id}

    def take_upload(self, file_id: str, data: bytes) -> bool:
        """The bytes POSTed to an upload URL; False for a URL this fake did not hand out."""
        with self._lock:
            found = next((u for u in self.uploads if u.file_id == file_id), None)
            if found is None:
                return False
            if len(data) != found.length:
                self.violations.append(
                    f"{file_id}: {len(data)} bytes uploaded, {found.length} told"
                )
            found.data = data
            return True

    def _complete_upload(self, params: dict[str, Any]) -> tuple[int, Any]:
        listed = _json(params.get("files"))
        if not isinstance(listed, list) or not listed:
            return 200, {"ok": False, "error": "invalid_arguments"}
        by_id = {u.file_id: u for u in self.uploads}
        found = [by_id.get(str(f.get("id"))) for f in listed if isinstance(f, dict)]
        if any(u is None or u.data is None for u in found):
            return 200, {"ok": False, "error": "file_not_found"}
        channel = str(params.get("channel_id") or "") or None
        thread = str(params.get("thread_ts") or "") or None
        comment = str(params.get("initial_comment") or "")
        self._check(comment, [], f"{channel}: initial_comment")
        files = []
        for upload, item in zip(found, listed, strict=True):
            assert upload is not None and upload.data is not None
            upload.channel, upload.thread_ts, upload.completed = channel, thread, True
            upload.title, upload.initial_comment = str(item.get("title") or ""), comment
            files.append({"id": upload.file_id, "name": upload.filename, "title": upload.title,
                          "size": len(upload.data)})  # fmt: skip
        return 200, {"ok": True, "files": files}

    def _post(self, params: dict[str, Any], now: float) -> tuple[int, Any, dict[str, str]]:
        channel = str(params.get("channel", ""))
        text, blocks = str(params.get("text") or ""), _blocks(params.get("blocks"))
        if not text and not blocks:
            return 200, {"ok": False, "error": "no_text"}, {}
        last = self._channel_last.get(channel)
        if last is not None and now - last < CHANNEL_GAP - JITTER:
            if self.throttle:
                self.rejected_429 += 1
                return _ratelimited(max(1, math.ceil(last + CHANNEL_GAP - now)))
            self.violations.append(f"{channel}: two messages {now - last:.2f} s apart")
        self._check(text, blocks, channel)
        self._channel_last[channel] = now
        self._next_ts += 1
        ts = f"{1748000000 + self._next_ts}.{self._next_ts:06d}"
        thread = params.get("thread_ts")
        post = Posted(ts, channel, text, blocks, str(thread) if thread else None, now,
                      _json(params.get("metadata")))  # fmt: skip
        self.posted.append(post)
        self._by_ts[(channel, ts)] = post
        return 200, {"ok": True, "channel": channel, "ts": ts, "message": {"text": text}}, {}

    def _update(self, params: dict[str, Any]) -> tuple[int, Any]:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        text, blocks = str(params.get("text") or ""), _blocks(params.get("blocks"))
        self._check(text, blocks, channel)
        post = self._by_ts.get((channel, ts))
        if post is None:
            return 200, {"ok": False, "error": "message_not_found"}
        post.edits.append((text, blocks))
        return 200, {"ok": True, "channel": channel, "ts": ts}

    def _check(self, text: str, blocks: list[dict[str, Any]], where: str) -> None:
        if len(text) > 4000:
            self.violations.append(f"{where}: text of {len(text)} characters")
        if len(blocks) > 50:
            self.violations.append(f"{where}: {len(blocks)} blocks")
        texts = [text]
        for block in blocks:
            if block.get("type") == "header":
                header = block.get("text", {})
                if header.get("type") != "plain_text" or len(str(header.get("text", ""))) > 150:
                    self.violations.append(f"{where}: a header that is not plain text of <= 150")
                texts.append(str(header.get("text", "")))
            if block.get("type") == "section":
                section = str(block.get("text", {}).get("text", ""))
                if len(section) > 3000:
                    self.violations.append(f"{where}: a section of {len(section)} characters")
                texts.append(section)
            texts += [str(e.get("text", "")) for e in block.get("elements", [])]
        for shown in texts:
            if "<" in shown or ">" in shown or "&" in ENTITY.sub("", shown):
                self.violations.append(f"{where}: unescaped mrkdwn in {shown[:60]!r}")


def _ratelimited(retry_after: int) -> tuple[int, Any, dict[str, str]]:
    """Slack's answer to a call over a rate limit: HTTP 429 with Retry-After."""
    return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _blocks(value: Any) -> list[dict[str, Any]]:
    found = _json(value)
    return list(found) if isinstance(found, list) else []


def _uploaded_bytes(raw: bytes, kind: str) -> bytes:
    """The file in an upload URL's body: the body itself, or the file part of a
    multipart/form-data body (Slack takes both)."""
    if "multipart/form-data" not in kind:
        return raw
    head = f"Content-Type: {kind}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    for part in message.iter_parts() if message.is_multipart() else ():
        data = part.get_payload(decode=True)
        if part.get_filename() is not None and isinstance(data, bytes):
            return data
    return b""


class _Handler(BaseHTTPRequestHandler):
    api: SlackApi
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(self.rfile.read(length) if length else b"")

    def _serve(self, raw: bytes) -> None:
        url = urlsplit(self.path)
        if url.path.startswith("/upload/"):
            data = _uploaded_bytes(raw, self.headers.get("Content-Type", ""))
            ok = self.api.take_upload(url.path.rsplit("/", 1)[1], data)
            self._reply(200 if ok else 404, f"OK - {len(data)}" if ok else "not found", {})
            return
        if url.path.startswith("/respond/"):
            body = _json(raw.decode() or "{}")
            ok = self.api.respond(
                url.path.rsplit("/", 1)[1], body if isinstance(body, dict) else {}
            )
            self._reply(200 if ok else 404, "ok" if ok else "no such response_url", {})
            return
        if not url.path.startswith("/api/"):
            self._reply(404, {"ok": False, "error": "not_found"}, {})
            return
        params: dict[str, Any] = dict(parse_qsl(url.query))
        kind = self.headers.get("Content-Type", "")
        if raw and "json" in kind:
            params.update(json.loads(raw))
        elif raw:
            params.update(parse_qsl(raw.decode()))
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else ""
        token = token or str(params.pop("token", ""))
        method = url.path.removeprefix("/api/")
        status, body, wait, headers = self.api.handle(method, params, token)
        if wait:
            time.sleep(wait)
        self._reply(status, body, headers)

    def _reply(self, status: int, body: Any, headers: dict[str, str]) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        try:
            self.send_response(status)
            kind = "text/plain" if isinstance(body, str) else "application/json; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
