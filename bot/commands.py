"""The one command table: what users can type, who may type it, and the reply, for every chat.

Platform-neutral: a chat adapter turns its input into a `Caller` and the command's name and
text, calls `dispatch`, and renders the `Message` it returns. Each adapter registers its
commands by looping over `COMMANDS` (and `ALIASES`); no adapter holds a business rule, SQL or
a reply of its own. Blocking store work runs in a thread, off the event loop.

Who may run a command (`Command.who`):
- "anyone";
- "subscribers": the user in a private chat with the bot, an admin of the group or channel the
  command was typed in (the adapter asks the platform), or an operator;
- "operators": the user ids in `Settings.admins` (TALLYWIRE_ADMINS), anywhere.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from bot import answers, netguard
from bot.cleaning import (
    COMMAND_NAME_CHARS,
    COMMAND_TEXT_CHARS,
    LINK_CHARS,
    OUTLET_CHARS,
    clean_line,
    clean_text,
)
from bot.compose import label
from bot.errors import FeedAddressRefused, StoreError, TallywireError
from bot.feedconfig import check_feed_url, feed_id_for
from bot.ledger import EventView
from bot.messages import Message
from bot.queries import EventStates, event_views, news_today
from bot.questions import ask, days_in, normalise
from bot.rulebook import Rulebook
from bot.settings import Settings
from bot.store import SourceRecord, Store
from bot.store import feeds as feed_sql
from bot.store import outbox as outbox_sql
from bot.store import sources as source_sql
from bot.store import subscriptions as subscription_sql
from bot.store.documents import documents_by_source
from bot.store.feeds import LastFigure
from bot.subscriptions import open_threads

log = logging.getLogger(__name__)

ANYONE, SUBSCRIBERS, OPERATORS = "anyone", "subscribers", "operators"
TOPICS = ("swap", "attack")
TROUBLE = "Something went wrong; the operators can see the log."
_TOPIC_WORDS = {
    "all": "all",
    "swap": "swap",
    "swaps": "swap",
    "attack": "attack",
    "attacks": "attack",
}
_FEED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


@dataclass(frozen=True)
class Caller:
    """Who typed a command, and where. `destination` is the chat it was typed in
    ("telegram:123", "slack:C1", "console"); `private` a private chat or DM with the bot;
    `chat_admin` whether the platform says the user administers that group or channel."""

    user_id: str
    destination: str
    private: bool
    chat_admin: bool


@dataclass(frozen=True)
class CommandContext:
    """What commands run against. `clock` gives an aware datetime; `resolver` resolves feed
    hosts for the SSRF guard; `treat_as_public` is the guard's test hook; `states` keeps the
    events' reconciled states between answers (one per process)."""

    store: Store
    rulebook: Rulebook
    settings: Settings
    clock: Callable[[], datetime]
    resolver: netguard.Resolver
    treat_as_public: frozenset[str] = frozenset()
    states: EventStates = field(default_factory=EventStates)


Run = Callable[[CommandContext, Caller, str], Awaitable[Message]]


@dataclass(frozen=True)
class Command:
    """A command: its name, usage ("attacks [date]"), one line of help, what runs it, who may
    run it ("anyone", "subscribers" or "operators") and the short reply when refused."""

    name: str
    usage: str
    help: str
    run: Run
    who: str
    refusal: str = ""


async def dispatch(ctx: CommandContext, caller: Caller, name: str, text: str) -> Message:
    """The reply to command `name` ("help", "/help", "help@TallywireBot") with `text` after it.

    Never raises (short of cancellation): an unknown command gets the list of commands, a
    refused one says who may run it, a TallywireError becomes its message, and anything else
    is logged and answered with TROUBLE; exception text never reaches the chat.

    This is where chat input enters: `name` is cleaned onto one line and `text` cleaned
    (bot.cleaning), each bounded (COMMAND_NAME_CHARS, COMMAND_TEXT_CHARS), before any command
    sees them, whichever adapter called.
    """
    name = clean_line(name, COMMAND_NAME_CHARS)
    text = clean_text(text, COMMAND_TEXT_CHARS)
    try:
        command = find(name)
        if command is None:
            return _unknown(name)
        if not permitted(command, caller, ctx.settings):
            log.info("refused /%s to %s in %s", command.name, caller.user_id, caller.destination)
            return Message(command.refusal or "You may not run that command here.")
        return await command.run(ctx, caller, text)
    except StoreError:
        log.exception("command %r: the store failed", name[:40])
        return Message(TROUBLE)
    except TallywireError as exc:
        return Message(str(exc) or TROUBLE)
    except Exception:
        log.exception("command %r failed", name[:40])
        return Message(TROUBLE)


def find(name: str) -> Command | None:
    """The command called `name`, with any "/" before it and "@botname" after it ignored."""
    wanted = name.strip().lstrip("/").split("@", 1)[0].casefold()
    wanted = ALIASES.get(wanted, wanted)
    return next((c for c in COMMANDS if c.name == wanted), None)


def permitted(command: Command, caller: Caller, settings: Settings) -> bool:
    """Whether `caller` may run `command` (see the module docstring)."""
    operator = caller.user_id in settings.admins
    if command.who == ANYONE:
        return True
    if command.who == SUBSCRIBERS:
        return operator or caller.private or caller.chat_admin
    return operator


def _unknown(name: str) -> Message:
    shown = " ".join(name.split()).lstrip("/")[:32]
    return Message(
        f"There is no command /{shown}." if shown else "That is not a command.",
        (f"Commands: {', '.join('/' + c.name for c in COMMANDS)}.",),
        note="/help says what each one does.",
    )


def _usage(name: str) -> Message:
    command = next(c for c in COMMANDS if c.name == name)
    return Message(f"Usage: /{command.usage}", (command.help,))


def _clip(text: str, limit: int = 64) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


# --- Help and subscriptions --------------------------------------------------------------


async def _help(ctx: CommandContext, caller: Caller, text: str) -> Message:
    lines = tuple(f"/{c.usage}: {c.help}" for c in COMMANDS)
    return Message("Tallywire commands", lines)


def parse_topics(text: str) -> frozenset[str] | None:
    """The topics `/subscribe` was given ("swap", "attack", "all", or several); all when none;
    None when a word is not a topic."""
    words = text.replace(",", " ").casefold().split()
    topics = {_TOPIC_WORDS.get(word) for word in words}
    if None in topics:
        return None
    found = frozenset(t for t in topics if t)
    return frozenset({"all"}) if not found or "all" in found else found


def topics_text(topics: frozenset[str]) -> str:
    """ "swap and attack" for every topic, else the topics in TOPICS order."""
    chosen = TOPICS if "all" in topics else [t for t in TOPICS if t in topics]
    return " and ".join(chosen)


async def _subscribe(ctx: CommandContext, caller: Caller, text: str) -> Message:
    topics = parse_topics(text)
    if topics is None:
        return _usage("subscribe")
    now = ctx.clock()
    done = await asyncio.to_thread(
        open_threads,
        ctx.store,
        ctx.rulebook,
        caller.destination,
        topics,
        caller.user_id,
        now,
        now.date(),
    )
    what = topics_text(topics)
    events = _plural(done.opened, "current event")
    follow = "follows as a thread" if done.opened == 1 else "follow as threads"
    if done.new and done.opened:
        title = f"Subscribed this chat to {what}: {events} {follow}."
    elif done.new:
        title = f"Subscribed this chat to {what}: new events will follow as threads."
    else:
        title = f"This chat's subscription now covers {what}."
        if done.opened:
            title += f" {events.capitalize()} {follow}."
    return Message(title, note="/unsubscribe stops them.")


async def _unsubscribe(ctx: CommandContext, caller: Caller, text: str) -> Message:
    def remove() -> bool:
        with ctx.store.transaction() as conn:
            return subscription_sql.unsubscribe(conn, caller.destination)

    if await asyncio.to_thread(remove):
        return Message("Unsubscribed this chat: no new threads will be posted here.")
    return Message("This chat was not subscribed.", note="/subscribe starts the threads.")


# --- Answers -----------------------------------------------------------------------------


async def _views_and_today(ctx: CommandContext) -> tuple[list[EventView], date]:
    def read() -> tuple[list[EventView], date]:
        views = event_views(ctx.store, ctx.rulebook, states=ctx.states)
        return views, news_today(ctx.store, ctx.clock().date())

    return await asyncio.to_thread(read)


async def _swaps(ctx: CommandContext, caller: Caller, text: str) -> Message:
    views, _ = await _views_and_today(ctx)
    return answers.swaps(views)


async def _attacks(ctx: CommandContext, caller: Caller, text: str) -> Message:
    views, today = await _views_and_today(ctx)
    if not text.strip():
        return answers.attacks(views)
    days = days_in(normalise(text), today)
    if not days:
        return Message(
            "That is not a date I can read.",
            ('Try "/attacks May 24", "/attacks 2025-05-24" or "/attacks yesterday".',),
        )
    return answers.attacks(views, days[0])


async def _ask(ctx: CommandContext, caller: Caller, text: str) -> Message:
    views, today = await _views_and_today(ctx)
    return ask(text if text.strip() else "help", views, today)


# --- Sources, feeds and status -----------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    sources: list[SourceRecord]
    documents: dict[str, int]
    figures: dict[str, LastFigure]
    pending: int
    subscriptions: dict[bool, int]


def _read_facts(store: Store) -> _Facts:
    with store.transaction() as conn:
        counts = outbox_sql.counts(conn)
        return _Facts(
            source_sql.list_sources(conn),
            documents_by_source(conn),
            feed_sql.last_figures(conn),
            sum(n for (_, status), n in counts.items() if status == "pending"),
            subscription_sql.subscription_counts(conn),
        )


def _when(moment: datetime | None) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if moment else "never"


def _poll_line(record: SourceRecord, documents: int) -> str:
    status = record.last_status or "not polled yet"
    return (
        f"last poll {_when(record.last_polled_at)}, {status}, "
        f"{_plural(documents, 'document')}, {_plural(record.error_count, 'error')}"
    )


def _figure_text(found: LastFigure) -> str:
    hedge = "" if found.qualifier == "exact" else found.qualifier.replace("_", " ") + " "
    day = f", {found.event_date:%Y-%m-%d}" if found.event_date else ""
    return f"{label(found.metric)}: {hedge}{found.value:,} ({found.source}{day})"


def source_lines(
    facts: _Facts, records: Iterable[SourceRecord], detail: bool, figure: bool = False
) -> list[str]:
    """A line per source; with `detail` its id, origin, URL and last error too, and with
    `figure` the newest figure read from it."""
    lines = []
    for record in records:
        polls = _poll_line(record, facts.documents.get(record.id, 0))
        if not detail:
            lines.append(f"{record.label}: {polls}.")
            continue
        lines += [f"{record.id} ({record.origin}): {record.url or record.label}", f"  {polls}."]
        if record.last_error:
            lines.append(f"  Last error: {_clip(record.last_error, 200)}")
        found = facts.figures.get(record.id) if figure else None
        if found:
            lines.append(f"  Last figure: {_figure_text(found)}")
    return lines


async def _sources(ctx: CommandContext, caller: Caller, text: str) -> Message:
    facts = await asyncio.to_thread(_read_facts, ctx.store)
    lines = source_lines(facts, facts.sources, detail=False)
    return Message("Sources", tuple(lines) or ("No sources yet.",))


async def _feeds(ctx: CommandContext, caller: Caller, text: str) -> Message:
    facts = await asyncio.to_thread(_read_facts, ctx.store)
    lines = source_lines(facts, [s for s in facts.sources if s.kind == "feed"], detail=True)
    return Message(
        "Feeds",
        tuple(lines) or ("No feeds yet.",),
        note="/addfeed URL adds one; /removefeed ID removes one added from chat.",
    )


async def _status(ctx: CommandContext, caller: Caller, text: str) -> Message:
    facts = await asyncio.to_thread(_read_facts, ctx.store)
    lines = source_lines(facts, facts.sources, detail=True, figure=True)
    enabled, disabled = facts.subscriptions[True], facts.subscriptions[False]
    lines.append(f"Outbox: {_plural(facts.pending, 'message')} waiting to be sent.")
    lines.append(f"Subscriptions: {enabled:,} active, {disabled:,} disabled.")
    return Message("Tallywire status", tuple(lines))


async def _addfeed(ctx: CommandContext, caller: Caller, text: str) -> Message:
    url = text.strip()
    if not url:
        return _usage("addfeed")
    if len(url) > LINK_CHARS:
        return Message(f"Feed not added: the URL is longer than {LINK_CHARS:,} characters.")
    check_feed_url(url, "Feed not added")
    try:
        await netguard.check_url(
            url, ctx.resolver, ctx.settings.feed_allow, treat_as_public=ctx.treat_as_public
        )
    except FeedAddressRefused as refused:
        return Message(f"Feed not added: {refused}.")
    feed_id = feed_id_for(url)
    label = clean_line(urlsplit(url).hostname or feed_id, OUTLET_CHARS)

    def add() -> str | None:
        with ctx.store.transaction() as conn:
            return feed_sql.add_chat_feed(conn, feed_id, url, label, ctx.clock())

    known = await asyncio.to_thread(add)
    if known is not None:
        return Message(f"That feed is already polled, as {known}.")
    log.info("feed %s (%s) added from chat by %s", feed_id, url, caller.user_id)
    return Message(f"Added feed {feed_id}.", (url,), note=f"/removefeed {feed_id} removes it.")


async def _removefeed(ctx: CommandContext, caller: Caller, text: str) -> Message:
    feed_id = text.strip()
    if not feed_id:
        return _usage("removefeed")
    record = (
        await asyncio.to_thread(ctx.store.source, feed_id) if _FEED_ID.fullmatch(feed_id) else None
    )
    if record is None or record.kind != "feed":
        what = "the seed documents, not a feed" if record else "not a feed's id"
        return Message(f"{_clip(feed_id)} is {what}.", note="/feeds lists the feeds and their ids.")
    if record.origin != "chat":
        where = "TALLYWIRE_FEEDS" if record.origin == "env" else "config (feeds.toml)"
        return Message(f"{feed_id} is in {where}; remove it there, not from chat.")

    def remove() -> bool:
        with ctx.store.transaction() as conn:
            return feed_sql.remove_chat_feed(conn, feed_id)

    if not await asyncio.to_thread(remove):
        return Message(f"{feed_id} was already removed.")
    log.info("feed %s removed from chat by %s", feed_id, caller.user_id)
    return Message(f"Removed feed {feed_id}: it is no longer polled.")


_FEEDS_REFUSAL = "Only Tallywire's operators can change feeds."

COMMANDS: tuple[Command, ...] = (
    Command("help", "help", "what each command does", _help, ANYONE),
    Command(
        "subscribe",
        "subscribe [swap|attack|all]",
        "post a thread per event of these topics here (all if none given)",
        _subscribe,
        SUBSCRIBERS,
        "Only this group's admins or Tallywire's operators can subscribe it.",
    ),
    Command(
        "unsubscribe",
        "unsubscribe",
        "stop posting threads here",
        _unsubscribe,
        SUBSCRIBERS,
        "Only this group's admins or Tallywire's operators can unsubscribe it.",
    ),
    Command("swaps", "swaps", "the prisoner exchanges and their totals", _swaps, ANYONE),
    Command(
        "attacks",
        "attacks [date]",
        "the air attacks of a day (the latest if no date): launched, downed, killed, injured",
        _attacks,
        ANYONE,
    ),
    Command(
        "ask",
        "ask QUESTION",
        'a question in plain words: "how many drones were shot down on May 24?"',
        _ask,
        ANYONE,
    ),
    Command(
        "sources", "sources", "where the figures come from and how polling goes", _sources, ANYONE
    ),
    Command(
        "status",
        "status",
        "each feed's last poll, error and figure; messages waiting; subscriptions",
        _status,
        OPERATORS,
        "Only Tallywire's operators can see its status.",
    ),
    Command(
        "feeds",
        "feeds",
        "the feeds with their ids, URLs and errors",
        _feeds,
        OPERATORS,
        "Only Tallywire's operators can see and change feeds.",
    ),
    Command(
        "addfeed",
        "addfeed URL",
        "poll an RSS or Atom feed on the public internet",
        _addfeed,
        OPERATORS,
        _FEEDS_REFUSAL,
    ),
    Command(
        "removefeed",
        "removefeed ID",
        "stop polling a feed added from chat",
        _removefeed,
        OPERATORS,
        _FEEDS_REFUSAL,
    ),
)

ALIASES: dict[str, str] = {"start": "help"}
"""Other names adapters register for a command: Telegram sends /start when a chat opens."""
