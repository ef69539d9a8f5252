"""A fake chat channel server: the webhook wire format of bot/webhook.py on 127.0.0.1, port 0.

It records every message it accepts (so a test asserts on what arrived, in order) and, on
command, goes down (connections refused), answers with an error status, or answers slowly.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fakes.loopback import serve, shut


@dataclass
class Received:
    """A message as the server accepted it."""

    id: str
    key: str
    destination: str
    reply_to: str | None
    title: str
    text: str
    edits: list[str] = field(default_factory=list)


class ChatServer:
    """Start with `with ChatServer() as chat:`; `chat.url` is the webhook base URL."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.messages: list[Received] = []
        self.refused_requests = 0
        self._failures: list[tuple[int, float | None]] = []
        self._delay = 0.0
        self._port = 0
        self._httpd: ThreadingHTTPServer | None = None

    def __enter__(self) -> ChatServer:
        self.up()
        return self

    def __exit__(self, *exc: object) -> None:
        self.down()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def up(self) -> None:
        """Listen (again, on the same port after `down`)."""
        self._httpd = serve(type("Handler", (_Handler,), {"chat": self}), self._port)
        self._port = self._httpd.server_address[1]

    def down(self) -> None:
        """Stop listening: connections are refused until `up`."""
        shut(self._httpd)
        self._httpd = None

    def fail(self, status: int, times: int = 1, retry_after: float | None = None) -> None:
        """Answer the next `times` requests with `status` (and Retry-After), recording nothing."""
        with self._lock:
            self._failures += [(status, retry_after)] * times

    def slow(self, seconds: float) -> None:
        """Wait `seconds` after recording a message before answering."""
        self._delay = seconds

    def keys(self) -> list[str]:
        with self._lock:
            return [m.key for m in self.messages]

    def _next_failure(self) -> tuple[int, float | None] | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def _accept(self, body: dict[str, object]) -> Received:
        with self._lock:
            received = Received(
                id=str(len(self.messages) + 1),
                key=str(body.get("key", "")),
                destination=str(body.get("destination", "")),
                reply_to=body.get("reply_to") and str(body["reply_to"]),  # type: ignore[arg-type]
                title=str(body.get("title", "")),
                text=str(body.get("text", "")),
            )
            self.messages.append(received)
            return received

    def _edit(self, message_id: str, body: dict[str, object]) -> bool:
        with self._lock:
            for message in self.messages:
                if message.id == message_id:
                    message.edits.append(str(body.get("text", "")))
                    return True
            return False


class _Handler(BaseHTTPRequestHandler):
    chat: ChatServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self._body()
        if self._failed() or self.path != "/messages":
            return
        received = self.chat._accept(body)
        self._delayed_answer(200, {"id": received.id})

    def do_PUT(self) -> None:
        body = self._body()
        if self._failed():
            return
        found = self.chat._edit(self.path.rsplit("/", 1)[-1], body)
        self._delayed_answer(200 if found else 404, {"ok": found})

    def _body(self) -> dict[str, object]:
        length = int(self.headers.get("content-length", "0"))
        return json.loads(self.rfile.read(length) or b"{}")  # type: ignore[no-any-return]

    def _failed(self) -> bool:
        failure = self.chat._next_failure()
        if failure is None:
            return False
        status, retry_after = failure
        headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
        self._answer(status, {"error": status}, headers)
        return True

    def _delayed_answer(self, status: int, body: dict[str, object]) -> None:
        if self.chat._delay:
            time.sleep(self.chat._delay)
        self._answer(status, body, {})

    def _answer(self, status: int, body: dict[str, object], headers: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
