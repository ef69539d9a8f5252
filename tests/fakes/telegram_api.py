"""A fake Telegram Bot API: real HTTP on 127.0.0.1 (port 0) answering /bot<token>/<method>.

    with TelegramApi("123:abc") as api:
        settings: TELEGRAM_API_URL = api.base_url   # ".../bot", the token appended by PTB
        api.user_sends(chat_id=42, user_id=42, text="/subscribe")
        ...
        assert api.violations == []

It answers getMe, getUpdates (offset and long-poll timeout honoured, bounded), sendMessage,
editMessageText, sendPhoto (multipart/form-data, the file kept in `Sent.photo`), getChat,
getChatMember, setMyCommands, setWebhook, deleteWebhook, getWebhookInfo, answerCallbackQuery and
editMessageReplyMarkup with the Bot API's JSON, and records every call (and each message's
reply_markup, in `Sent.markups`); `user_presses` queues a callback_query, as a pressed inline button
sends. On command it answers 429 with retry_after, 403, 409, 500 (for a number of calls or for some
seconds), migrates a group (400 with migrate_to_chat_id), or hangs after accepting. It enforces
Telegram's limits and records each breach in `violations`: text at most 4096 UTF-16 units after
entity parsing and at most 100 entities (HTML that does not parse is refused as Telegram refuses
it), at most one message a second per chat, 20 a minute per group or channel counting edits, 30 a
second overall.

With `throttle=True` it enforces the three rate limits as Telegram does instead of recording
them: a send or edit that would break one is answered 429 "Too Many Requests: retry after N"
(with parameters.retry_after), counted in `rejected_429`, and not posted. Overall, no more than
30 posts are accepted in any one second (a sliding window, no allowance for jitter: the bot must
keep its own margin); per chat, the loopback jitter allowance of the checks applies.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import html
import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from tests.fakes.loopback import serve, shut

BOT_ID = 777000111
BOT_USERNAME = "TallywireTestBot"
MAX_POLL_SECONDS = 10.0
CHAT_GAP = 1.0
GROUP_PER_MINUTE = 20
OVERALL_PER_SECOND = 30
JITTER = 0.05  # arrival-time noise on loopback
TAG = re.compile(r"<(/?)([a-zA-Z-]+)(?:\s[^<>]*)?>")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
ALLOWED_TAGS |= {"blockquote", "tg-spoiler", "span", "tg-emoji"}


@dataclass
class Call:
    """One request: the method, its parameters (JSON values decoded), when it arrived, and the
    HTTP status it was answered with."""

    method: str
    params: dict[str, object]
    at: float
    status: int = 200


@dataclass
class Sent:
    """A message the bot posted, with its edits."""

    message_id: int
    chat_id: int
    text: str
    reply_to: int | None
    thread_id: int | None
    at: float
    edits: list[str] = field(default_factory=list)
    photo: Upload | None = None  # sendPhoto's file, as uploaded
    markups: list[object] = field(default_factory=list)  # reply_markup of the send, each edit


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart/form-data request, as the Bot API takes uploads."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class _Failure:
    status: int
    methods: frozenset[str]
    retry_after: int | None = None
    times: int = 0  # calls left; 0 with `until` set: for a period
    until: float = 0.0


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; (0, 0) when `data` is not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return 0, 0
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> tuple[str, int]:
    """The text Telegram would show and its number of entities; ValueError as Telegram's
    "can't parse entities" when tags do not nest or an & or < is not escaped."""
    open_tags: list[str] = []
    entities = 0
    plain: list[str] = []
    position = 0
    for match in TAG.finditer(text):
        plain.append(text[position : match.start()])
        position = match.end()
        closing, name = match.group(1), match.group(2).lower()
        if name not in ALLOWED_TAGS:
            raise ValueError(f"unsupported start tag {name!r}")
        if closing:
            if not open_tags or open_tags.pop() != name:
                raise ValueError(f"can't find end tag corresponding to {name!r}")
        else:
            open_tags.append(name)
            entities += 1
    plain.append(text[position:])
    if open_tags:
        raise ValueError(f"can't find end tag corresponding to {open_tags[-1]!r}")
    joined = "".join(plain)
    if "<" in joined:
        raise ValueError("unescaped <")
    if "&" in ENTITY.sub("", joined):
        raise ValueError("unescaped &")
    return html.unescape(joined), entities


class TelegramApi:
    """Start with `with TelegramApi(token) as api:`."""

    def __init__(self, token: str, *, throttle: bool = False) -> None:
        self.token = token
        self.throttle = throttle  # answer 429 to what would break a limit, instead of recording it
        self.rejected_429 = 0  # sends and edits refused by `throttle`
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self._sent_by_id: dict[tuple[int, int], Sent] = {}  # (chat, message id) -> the message
        self.violations: list[str] = []
        self.admins: dict[tuple[int, int], str] = {}  # (chat, user) -> "administrator"|"creator"
        self.chat_types: dict[int, str] = {}
        self.usernames: dict[str, int] = {}  # "@channel" -> chat id
        # methods answered "ok" with a result that is no object of the documented shape
        self.garbled: set[str] = set()
        self.webhook: dict[str, object] = {}
        self.user_message_ids: set[int] = set()
        self._updates: list[dict[str, object]] = []
        self._failures: list[_Failure] = []
        self._migrations: dict[int, int] = {}
        self._hang_seconds = 0.0
        self._hang_times = 0
        self._next_update = 1
        self._next_message = 1000
        self._last_second: deque[float] = deque()  # times of the posts of the last second
        self._group_minute: dict[int, deque[float]] = {}  # a group's posts of the last minute
        self._chat_last: dict[int, float] = {}
        self._lock = threading.Condition()
        self._port = 0
        self._httpd: ThreadingHTTPServer | None = None

    # --- life --------------------------------------------------------------------------

    def __enter__(self) -> TelegramApi:
        self._httpd = serve(type("Handler", (_Handler,), {"api": self}), self._port)
        self._port = self._httpd.server_address[1]
        return self

    def __exit__(self, *exc: object) -> None:
        shut(self._httpd)
        self._httpd = None

    @property
    def base_url(self) -> str:
        """TELEGRAM_API_URL for the fake: PTB appends the token."""
        return f"http://127.0.0.1:{self._port}/bot"

    # --- scripting ---------------------------------------------------------------------

    def fail(
        self,
        status: int,
        times: int = 1,
        *,
        methods: Iterable[str] = ("sendMessage", "editMessageText"),
        retry_after: int | None = None,
        seconds: float = 0.0,
    ) -> None:
        """Answer the next `times` calls of `methods` (or every call for `seconds`) with
        `status`: 429 (with retry_after), 403, 409, 500."""
        until = time.monotonic() + seconds if seconds else 0.0
        with self._lock:
            self._failures.append(
                _Failure(status, frozenset(methods), retry_after, 0 if seconds else times, until)
            )

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """Sends to `chat_id` answer 400 with migrate_to_chat_id = `new_chat_id`."""
        with self._lock:
            self._migrations[chat_id] = new_chat_id
            self.chat_types[new_chat_id] = "supergroup"

    def hang(self, seconds: float, times: int = 1) -> None:
        """Accept the next `times` sendMessage calls, then answer only after `seconds`."""
        with self._lock:
            self._hang_seconds, self._hang_times = seconds, times

    def user_sends(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        chat_type: str | None = None,
        reply_to_bot: int | None = None,
        thread_id: int | None = None,
    ) -> int:
        """Queue an update: user `user_id` sends `text` in `chat_id`; its message id."""
        kind = (
            chat_type
            or self.chat_types.get(chat_id)
            or ("private" if chat_id > 0 else "supergroup")
        )
        with self._lock:
            self.chat_types.setdefault(chat_id, kind)
            message_id = self._new_message_id()
            self.user_message_ids.add(message_id)
            message: dict[str, object] = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"},
                "text": text,
                "entities": _entities(text),
            }
            if thread_id is not None:
                message |= {"message_thread_id": thread_id, "is_topic_message": True}
            if reply_to_bot is not None:
                message["reply_to_message"] = {
                    "message_id": reply_to_bot,
                    "date": int(time.time()),
                    "chat": self._chat(chat_id),
                    "from": self._me(),
                    "text": "…",
                }
            self._updates.append({"update_id": self._next_update, "message": message})
            self._next_update += 1
            self._lock.notify_all()
            return message_id

    def user_presses(self, chat_id: int, user_id: int, message_id: int, data: str) -> str:
        """Queue a callback_query update: user `user_id` presses the inline button whose
        callback_data is `data` under the bot's message `message_id`; the query's id."""
        with self._lock:
            sent = self._sent_by_id[(chat_id, message_id)]
            query_id = f"q{self._next_update}"
            query = {
                "id": query_id, "chat_instance": f"ci{chat_id}", "data": data,
                "from": {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"},
                "message": self._message_json(sent, sent.edits[-1] if sent.edits else sent.text),
            }  # fmt: skip
            self._updates.append({"update_id": self._next_update, "callback_query": query})
            self._next_update += 1
            self._lock.notify_all()
            return query_id

    # --- what happened -----------------------------------------------------------------

    def calls_of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def messages_to(self, chat_id: int) -> list[Sent]:
        with self._lock:
            return [m for m in self.sent if m.chat_id == chat_id]

    def alerts_to(self, chat_id: int) -> list[Sent]:
        """The bot's messages to a chat that are not answers to a user's message."""
        return [m for m in self.messages_to(chat_id) if m.reply_to not in self.user_message_ids]

    def answers_to(self, chat_id: int, message_id: int) -> list[Sent]:
        """The bot's messages that reply to message `message_id` of a user."""
        return [m for m in self.messages_to(chat_id) if m.reply_to == message_id]

    def photos_to(self, chat_id: int) -> list[Sent]:
        """The photos the bot sent to a chat, each with its uploaded file."""
        return [m for m in self.messages_to(chat_id) if m.photo is not None]

    def pending_updates(self) -> int:
        with self._lock:
            return len(self._updates)

    # --- the API -----------------------------------------------------------------------

    def handle(self, token: str, method: str, params: dict[str, object]) -> tuple[int, object]:
        """The HTTP status and JSON body for one call."""
        call = Call(method, params, time.monotonic())
        with self._lock:
            self.calls.append(call)
        if token != self.token:
            call.status = 401
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        failure = self._failure(method, params)
        if failure is not None:
            call.status = failure[0]
            return failure
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        if method in self.garbled:
            return 200, {"ok": True, "result": {"garbled": True}}
        with self._lock:  # the time taken under the lock: the posts are counted in order
            answer = self._answer(method, params, time.monotonic())
        call.status = answer[0]
        return answer

    def hang_now(self) -> float:
        with self._lock:
            if self._hang_times <= 0:
                return 0.0
            self._hang_times -= 1
            return self._hang_seconds

    def _failure(self, method: str, params: dict[str, object]) -> tuple[int, object] | None:
        with self._lock:
            now = time.monotonic()
            chat = _int(params.get("chat_id"))
            if chat in self._migrations and method in ("sendMessage", "editMessageText"):
                return 400, _error(
                    400, "Bad Request: group chat was upgraded to a supergroup chat",
                    {"migrate_to_chat_id": self._migrations[chat]},
                )  # fmt: skip
            for failure in self._failures:
                if method not in failure.methods:
                    continue
                if failure.until and failure.until < now:
                    continue
                if not failure.until:
                    if failure.times <= 0:
                        continue
                    failure.times -= 1
                return _failure_answer(failure)
        return None

    def _get_updates(self, params: dict[str, object]) -> list[dict[str, object]]:
        offset = _int(params.get("offset")) or 0
        timeout = min(float(_int(params.get("timeout")) or 0), MAX_POLL_SECONDS)
        deadline = time.monotonic() + timeout
        with self._lock:
            self._updates = [u for u in self._updates if int(str(u["update_id"])) >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._lock.wait(max(0.0, deadline - time.monotonic()))
            return list(self._updates)

    def _answer(self, method: str, params: dict[str, object], now: float) -> tuple[int, object]:
        if method == "getMe":
            return _ok(self._me())
        if method == "sendPhoto" and not isinstance(params.get("photo"), Upload):
            return 400, _error(400, "Bad Request: there is no photo in the request")
        if method in ("sendMessage", "sendPhoto"):
            return self._send(params, now)
        if method == "editMessageText":
            return self._edit(params, now)
        if method in ("answerCallbackQuery", "editMessageReplyMarkup"):
            return self._buttons(method, params)
        if method == "getChatMember":
            return _ok(self._member(params))
        if method == "getChat":
            return self._get_chat(params)
        if method == "setWebhook":
            self.webhook = dict(params)
            return _ok(True)
        if method == "deleteWebhook":
            self.webhook = {}
            return _ok(True)
        if method == "getWebhookInfo":
            return _ok({"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                        "pending_update_count": 0})  # fmt: skip
        if method in ("setMyCommands", "deleteMyCommands", "close", "logOut"):
            return _ok(True)
        return 404, _error(404, "Not Found")

    def _check_text(self, text: str, parse_mode: object) -> tuple[int, object] | None:
        try:
            shown, entities = parse_html(text) if parse_mode == "HTML" else (text, 0)
        except ValueError as error:
            self.violations.append(f"unparsable HTML: {error}")
            return 400, _error(400, f"Bad Request: can't parse entities: {error}")
        if utf16_len(shown) > 4096:
            self.violations.append(f"text of {utf16_len(shown)} UTF-16 units")
            return 400, _error(400, "Bad Request: message is too long")
        if entities > 100:
            self.violations.append(f"{entities} entities")
        if not shown.strip():
            return 400, _error(400, "Bad Request: message text is empty")
        return None

    def _count(self, chat: int, now: float, is_send: bool) -> None:
        """Record a post and any limit it breaks. Cheap: only the posts of the last second
        (overall) and of the last minute (per group) are kept."""
        if is_send:
            last = self._chat_last.get(chat)
            if last is not None and now - last < CHAT_GAP - JITTER:
                self.violations.append(f"chat {chat}: two messages {now - last:.2f} s apart")
            self._chat_last[chat] = now
        if chat < 0:
            recent = self._recent_in_group(chat, now)
            recent.append(now)
            in_minute = sum(1 for t in recent if now - t < 60 - JITTER)
            if in_minute > GROUP_PER_MINUTE:
                self.violations.append(f"group {chat}: {in_minute} messages in a minute")
        overall = self._recent_overall(now)
        overall.append(now)
        in_second = sum(1 for t in reversed(overall) if now - t < 1 - JITTER)
        if in_second > OVERALL_PER_SECOND:
            self.violations.append(f"{in_second} messages in a second")

    def _recent_overall(self, now: float) -> deque[float]:
        posts = self._last_second
        while posts and now - posts[0] >= 1.0:
            posts.popleft()
        return posts

    def _recent_in_group(self, chat: int, now: float) -> deque[float]:
        posts = self._group_minute.setdefault(chat, deque())
        while posts and now - posts[0] >= 60.0:
            posts.popleft()
        return posts

    def _throttled(self, chat: int, now: float, is_send: bool) -> tuple[int, object] | None:
        """With `throttle`: the 429 for a post that would break a limit, else None."""
        if not self.throttle:
            return None
        waits = []
        last = self._chat_last.get(chat)
        if is_send and last is not None and now - last < CHAT_GAP - JITTER:
            waits.append(last + CHAT_GAP - now)
        if chat < 0:
            recent = self._recent_in_group(chat, now)
            if len(recent) >= GROUP_PER_MINUTE:
                waits.append(recent[-GROUP_PER_MINUTE] + 60.0 - now)
        overall = self._recent_overall(now)
        if len(overall) >= OVERALL_PER_SECOND:
            waits.append(overall[-OVERALL_PER_SECOND] + 1.0 - now)
        if not waits:
            return None
        self.rejected_429 += 1
        retry_after = max(1, math.ceil(max(waits)))
        return 429, _error(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )

    def _send(self, params: dict[str, object], now: float) -> tuple[int, object]:
        chat = _int(params.get("chat_id"))
        if chat is None:
            return 400, _error(400, "Bad Request: chat not found")
        photo = params.get("photo")
        text = str(params.get("text") or params.get("caption") or "photo")
        refused = self._check_text(text, params.get("parse_mode"))
        if refused is not None:
            return refused
        shown = parse_html(text)[0] if params.get("parse_mode") == "HTML" else text
        if isinstance(photo, Upload) and utf16_len(shown) > 1024:
            self.violations.append(f"a caption of {utf16_len(shown)} UTF-16 units")
            return 400, _error(400, "Bad Request: message caption is too long")
        throttled = self._throttled(chat, now, is_send=True)
        if throttled is not None:
            return throttled
        self._count(chat, now, is_send=True)
        reply = params.get("reply_parameters")
        reply_to = _int(reply.get("message_id")) if isinstance(reply, dict) else None
        sent = Sent(self._new_message_id(), chat, text, reply_to,
                    _int(params.get("message_thread_id")), now,
                    photo=photo if isinstance(photo, Upload) else None)  # fmt: skip
        sent.markups.append(params.get("reply_markup"))
        self.sent.append(sent)
        self._sent_by_id[(chat, sent.message_id)] = sent
        return _ok(self._message_json(sent, text))

    def _edit(self, params: dict[str, object], now: float) -> tuple[int, object]:
        chat, message_id = _int(params.get("chat_id")), _int(params.get("message_id"))
        found = self._sent_by_id.get((chat or 0, message_id or 0))
        if found is None or chat is None:
            return 400, _error(400, "Bad Request: message to edit not found")
        text = str(params.get("text"))
        refused = self._check_text(text, params.get("parse_mode"))
        if refused is not None:
            return refused
        if text == (found.edits[-1] if found.edits else found.text):
            return 400, _error(400, "Bad Request: message is not modified: specified new "
                               "message content and reply markup are exactly the same")  # fmt: skip
        throttled = self._throttled(chat, now, is_send=False)
        if throttled is not None:
            return throttled
        self._count(chat, now, is_send=False)
        found.edits.append(text)
        found.markups.append(params.get("reply_markup"))
        return _ok(self._message_json(found, text))

    def _buttons(self, method: str, params: dict[str, object]) -> tuple[int, object]:
        if method == "answerCallbackQuery":
            return _ok(True)
        chat, message_id = _int(params.get("chat_id")), _int(params.get("message_id"))
        found = self._sent_by_id.get((chat or 0, message_id or 0))
        if found is None:
            return 400, _error(400, "Bad Request: message to edit not found")
        found.markups.append(params.get("reply_markup"))
        return _ok(self._message_json(found, found.edits[-1] if found.edits else found.text))

    def _member(self, params: dict[str, object]) -> dict[str, object]:
        chat, user = _int(params.get("chat_id")), _int(params.get("user_id"))
        status = self.admins.get((chat or 0, user or 0), "member")
        member: dict[str, object] = {
            "status": status,
            "user": {"id": user, "is_bot": False, "first_name": f"user{user}"},
        }
        if status == "creator":
            member["is_anonymous"] = False
        if status == "administrator":
            rights = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                      "can_restrict_members", "can_promote_members", "can_change_info",
                      "can_invite_users", "can_post_stories", "can_edit_stories",
                      "can_delete_stories", "can_be_edited", "is_anonymous")  # fmt: skip
            member |= {right: right != "is_anonymous" for right in rights}
        return member

    def _get_chat(self, params: dict[str, object]) -> tuple[int, object]:
        raw = params.get("chat_id")
        chat = self.usernames.get(str(raw)) if str(raw).startswith("@") else _int(raw)
        if chat is None or chat not in self.chat_types:
            return 400, _error(400, "Bad Request: chat not found")
        info = self._chat(chat) | {"accent_color_id": 0, "max_reaction_count": 11,
                                   "accepted_gift_types": {"unlimited_gifts": False,
                                   "limited_gifts": False, "unique_gifts": False,
                                   "premium_subscription": False,
                                   "gifts_from_channels": False}}  # fmt: skip
        return _ok(info)

    def _chat(self, chat_id: int) -> dict[str, object]:
        kind = self.chat_types.get(chat_id) or ("private" if chat_id > 0 else "supergroup")
        if kind == "private":
            return {"id": chat_id, "type": kind, "first_name": f"user{chat_id}"}
        return {"id": chat_id, "type": kind, "title": f"chat {chat_id}"}

    def _me(self) -> dict[str, object]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Tallywire",
                "username": BOT_USERNAME, "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": False}  # fmt: skip

    def _message_json(self, sent: Sent, text: str) -> dict[str, object]:
        found: dict[str, object] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self._chat(sent.chat_id),
            "from": self._me(),
        }
        if sent.photo is None:
            return found | {"text": text}
        width, height = png_size(sent.photo.data)
        size = {"file_id": f"photo{sent.message_id}", "file_unique_id": f"p{sent.message_id}",
                "width": width, "height": height, "file_size": len(sent.photo.data)}  # fmt: skip
        return found | {"caption": text, "photo": [size]}

    def _new_message_id(self) -> int:
        self._next_message += 1
        return self._next_message


def _entities(text: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    if text.startswith("/"):
        found.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
    for match in re.finditer(r"@\w+", text):
        if match.start() > 0 or not text.startswith("/"):
            found.append({"type": "mention", "offset": match.start(), "length": len(match[0])})
    return found


def _multipart(raw: bytes, kind: str) -> dict[str, object]:
    """The fields of a multipart/form-data body: a file as an Upload, any other value as the
    urlencoded ones are read (JSON where it looks like JSON)."""
    head = f"Content-Type: {kind}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    params: dict[str, object] = {}
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(data, bytes):
            continue
        filename = part.get_filename()
        if filename is not None:
            params[name] = Upload(filename, part.get_content_type(), data)
            continue
        value: object = data.decode()
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        params[name] = value
    return params


def _ok(result: object) -> tuple[int, object]:
    return 200, {"ok": True, "result": result}


def _error(code: int, description: str, parameters: dict[str, object] | None = None) -> object:
    body: dict[str, object] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def _failure_answer(failure: _Failure) -> tuple[int, object]:
    descriptions = {
        429: f"Too Many Requests: retry after {failure.retry_after}",
        403: "Forbidden: bot was blocked by the user",
        409: "Conflict: terminated by other getUpdates request",
        500: "Internal Server Error",
    }
    params: dict[str, object] | None = (
        {"retry_after": failure.retry_after} if failure.status == 429 else None
    )
    description = descriptions.get(failure.status, "Error")
    return failure.status, _error(failure.status, description, params)


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class _Handler(BaseHTTPRequestHandler):
    api: TelegramApi

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self._serve(self._params())

    def do_GET(self) -> None:
        self._serve({})

    def _params(self) -> dict[str, object]:
        length = int(self.headers.get("content-length", "0"))
        raw = self.rfile.read(length) if length else b""
        kind = self.headers.get("content-type", "")
        if "json" in kind:
            return dict(json.loads(raw or b"{}"))
        if "multipart" in kind:
            return _multipart(raw, kind)
        params: dict[str, object] = {}
        for key, values in parse_qs(raw.decode()).items():
            value: object = values[-1]
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            params[key] = value
        return params

    def _serve(self, params: dict[str, object]) -> None:
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", self.path.split("?", 1)[0])
        if match is None:
            self._answer(404, _error(404, "Not Found"))
            return
        status, body = self.api.handle(match[1], match[2], params)
        if match[2] == "sendMessage" and status == 200:
            delay = self.api.hang_now()
            if delay:
                time.sleep(delay)
        self._answer(status, body)

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
