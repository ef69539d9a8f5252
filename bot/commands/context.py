"""What a command runs with: who called it and where (`Caller`), what it runs against
(`CommandContext`), and the `Command` record of the table; shared by the command modules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.commands.dialects import CHAT, Dialect
from bot.commands.views import EventStates
from bot.compose import Message
from bot.reconcile import Rulebook
from bot.settings import Settings
from bot.sources import Resolver
from bot.store import Store

ANYONE, SUBSCRIBERS, OPERATORS = "anyone", "subscribers", "operators"


class WrongUsage(Exception):
    """Raised by a command given text it cannot use: the reply is the command's usage."""


@dataclass(frozen=True)
class Caller:
    """Who typed a command, and where. `destination` is the chat it was typed in
    ("telegram:123", "slack:C1", "console"); `private` a private chat or DM with the bot;
    `chat_admin` whether the platform says the user administers that group or channel;
    `dialect` how that platform writes commands (bot.commands.dialects); `chat_name` the chat
    as the user named it when the command is run for another chat than the one it was typed
    in ("@mychannel"), else empty ("this chat")."""

    user_id: str
    destination: str
    private: bool
    chat_admin: bool
    dialect: Dialect = CHAT
    chat_name: str = ""

    @property
    def chat(self) -> str:
        """The chat the command is for, as a reply names it: "this chat" or "@mychannel"."""
        return self.chat_name or "this chat"


@dataclass(frozen=True)
class CommandContext:
    """What commands run against. `clock` gives an aware datetime; `resolver` resolves feed
    hosts for the SSRF guard; `treat_as_public` is the guard's test hook; `allow_private` is the
    operator's `tallywire addfeed --allow-private` (a feed on a private address, added as the
    operator's and polled as the feeds of config are); `states` keeps the events' reconciled
    states between answers (one per process)."""

    store: Store
    rulebook: Rulebook
    settings: Settings
    clock: Callable[[], datetime]
    resolver: Resolver
    treat_as_public: frozenset[str] = frozenset()
    allow_private: bool = False
    states: EventStates = field(default_factory=EventStates)


Run = Callable[[CommandContext, Caller, str], Awaitable[Message]]


@dataclass(frozen=True)
class Command:
    """A command: its name, usage ("attacks [date]"), one line of help, what runs it, who may
    run it ("anyone", "subscribers" or "operators"), the short reply when refused (where
    "{admins}" stands for the dialect's word for a chat's admins), and whether help and the
    platforms' command menus list it (`listed`)."""

    name: str
    usage: str
    help: str
    run: Run
    who: str
    refusal: str = ""
    listed: bool = True


def clip(text: str, limit: int = 64) -> str:
    """`text` on one line, at most `limit` characters, "…" at the end when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 document", "2 documents" (`many` for an irregular plural)."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"
