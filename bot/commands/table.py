"""The one command table: what users can type, who may type it, and the reply, for every chat.

Platform-neutral: a chat adapter turns its input into a `Caller` and the command's name and
text, calls `dispatch`, and renders the `Message` it returns. Each adapter registers its
commands by looping over `COMMANDS`; no adapter holds a business rule, SQL or
a reply of its own. Blocking store work runs in a thread, off the event loop.

Who may run a command (`Command.who`):
- "anyone";
- "subscribers": the user in a private chat with the bot, an admin of the group or channel the
  command was typed in (the adapter asks the platform), or an operator;
- "operators": the user ids in `Settings.admins` (TALLYWIRE_ADMINS), anywhere.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
from datetime import date

from bot.commands import answers
from bot.commands.charting import chart
from bot.commands.chat_settings import settings as chat_settings
from bot.commands.context import (
    ANYONE,
    OPERATORS,
    SUBSCRIBERS,
    Caller,
    Command,
    CommandContext,
    WrongUsage,
)
from bot.commands.days import days_in
from bot.commands.dialects import Dialect
from bot.commands.operating import add_feed, feeds, remove_feed, sources, status
from bot.commands.questions import ask, normalise
from bot.commands.subscribing import subscribe, unsubscribe
from bot.commands.views import EventView, event_views, news_today
from bot.compose import Message
from bot.errors import StoreError, TallywireError
from bot.settings import Settings
from bot.sources import COMMAND_NAME_CHARS, COMMAND_TEXT_CHARS, clean_line, clean_text

log = logging.getLogger(__name__)

TROUBLE = "Something went wrong; the operators can see the log."


async def dispatch(ctx: CommandContext, caller: Caller, name: str, text: str) -> Message:
    """The reply to command `name` ("help", "/help", "help@TallywireBot") with `text` after it.

    Never raises (short of cancellation): an unknown command gets the list of commands, a
    refused one says who may run it, a TallywireError becomes its message, and anything else
    is logged and answered with TROUBLE; exception text never reaches the chat.

    This is where chat input enters: `name` is cleaned onto one line and `text` cleaned
    (bot.sources.cleaning), each bounded (COMMAND_NAME_CHARS, COMMAND_TEXT_CHARS), before any
    command sees them, whichever adapter called. A command that raises WrongUsage is answered
    with its usage.
    """
    name = clean_line(name, COMMAND_NAME_CHARS)
    text = clean_text(text, COMMAND_TEXT_CHARS)
    try:
        command = find(name)
        if command is None:
            return _unknown(name, caller)
        if not permitted(command, caller, ctx.settings):
            log.info("refused /%s to %s in %s", command.name, caller.user_id, caller.destination)
            return Message(_refusal(command, caller), failed=True)
        try:
            return await command.run(ctx, caller, text)
        except WrongUsage:
            return _usage(command, caller)
    except StoreError:
        log.exception("command %r: the store failed", name[:40])
        return Message(TROUBLE, failed=True)
    except TallywireError as exc:
        return Message(str(exc) or TROUBLE, failed=True)
    except Exception:
        log.exception("command %r failed", name[:40])
        return Message(TROUBLE, failed=True)


def find(name: str) -> Command | None:
    """The command called `name`, with any "/" before it and "@botname" after it ignored."""
    wanted = name.strip().lstrip("/").split("@", 1)[0].casefold()
    return next((c for c in COMMANDS if c.name == wanted), None)


def permitted(command: Command, caller: Caller, settings: Settings) -> bool:
    """Whether `caller` may run `command` (see the module docstring)."""
    operator = caller.user_id in settings.admins
    if command.who == ANYONE:
        return True
    if command.who == SUBSCRIBERS:
        return operator or caller.private or caller.chat_admin
    return operator


def _unknown(name: str, caller: Caller) -> Message:
    """The reply to a command that is not in the table: the closest command, if one is close,
    and the list of commands, written as the caller's platform writes them."""
    shown = " ".join(name.split()).lstrip("/")[:32]
    dialect = caller.dialect
    if not shown:
        return Message("That is not a command.", (_command_list(dialect),), failed=True)
    title = f"There is no command {dialect.command(shown)}."
    close = difflib.get_close_matches(shown.casefold(), _names(), n=1, cutoff=0.6)
    if close:
        title += f" Did you mean {dialect.command(close[0])}?"
    note = f"{dialect.command('help')} says what each one does."
    return Message(title, (_command_list(dialect),), note=note, failed=True)


def _names() -> list[str]:
    """The commands help lists, by name."""
    return [c.name for c in COMMANDS if c.listed]


def _command_list(dialect: Dialect) -> str:
    return f"Commands: {dialect.commands(_names())}."


def _usage(command: Command, caller: Caller) -> Message:
    return Message(f"Usage: {caller.dialect.command(command.usage)}", (command.help,), failed=True)


def _refusal(command: Command, caller: Caller) -> str:
    return (command.refusal or "You may not run that command here.").format(
        admins=caller.dialect.admins
    )


# --- Help ------------------------------------------------------------------------------


async def _help(ctx: CommandContext, caller: Caller, text: str) -> Message:
    return Message("Tallywire commands", _command_lines(caller.dialect))


async def _start(ctx: CommandContext, caller: Caller, text: str) -> Message:
    """The welcome of a chat that has just opened (Telegram sends /start): what the bot does,
    in three lines, and the commands."""
    about = (
        "Tallywire reads the news for the figures of fast-moving events: prisoners exchanged, "
        "missiles and drones launched and shot down, people killed or injured.",
        "It reconciles them across sources into one tally per event, and says when a figure "
        "appears, is revised or disagrees between sources.",
        f"Subscribe a chat with {caller.dialect.command('subscribe')} (one thread per event), "
        "or just ask: how many drones were shot down yesterday?",
    )
    return Message("Welcome to Tallywire", (*about, "", *_command_lines(caller.dialect)))


def _command_lines(dialect: Dialect) -> tuple[str, ...]:
    return tuple(f"{dialect.command(c.usage)}: {c.help}" for c in COMMANDS if c.listed)


# --- Answers -----------------------------------------------------------------------------


async def _views_and_today(ctx: CommandContext) -> tuple[list[EventView], date]:
    def read() -> tuple[list[EventView], date]:
        views = event_views(ctx.store, ctx.rulebook, states=ctx.states)
        return views, news_today(ctx.store, ctx.clock().date())

    return await asyncio.to_thread(read)


async def _swaps(ctx: CommandContext, caller: Caller, text: str) -> Message:
    views, _ = await _views_and_today(ctx)
    return answers.swaps(views, ctx.rulebook.naming)


async def _attacks(ctx: CommandContext, caller: Caller, text: str) -> Message:
    views, today = await _views_and_today(ctx)
    if not text.strip():
        return answers.attacks(views, names=ctx.rulebook.naming)
    days = days_in(normalise(text), today)
    if not days:
        tries = [caller.dialect.command(f"attacks {day}") for day in _DAY_EXAMPLES]
        return Message(
            "That is not a date I can read.",
            (f'Try "{tries[0]}", "{tries[1]}" or "{tries[2]}".',),
        )
    return answers.attacks(views, days[0], names=ctx.rulebook.naming)


async def _ask(ctx: CommandContext, caller: Caller, text: str) -> Message:
    views, today = await _views_and_today(ctx)
    return ask(text if text.strip() else "help", views, today, ctx.rulebook.naming)


_DAY_EXAMPLES = ("May 24", "2025-05-24", "yesterday")
_FEEDS_REFUSAL = "Only Tallywire's operators can change feeds."

COMMANDS: tuple[Command, ...] = (
    Command("help", "help", "what each command does", _help, ANYONE),
    Command(
        "start", "start", "what Tallywire does, and its commands", _start, ANYONE, listed=False
    ),
    Command(
        "subscribe",
        "subscribe [swap|attack|all]",
        "post a thread per event of these topics here (all if none given)",
        subscribe,
        SUBSCRIBERS,
        "Only {admins} or Tallywire's operators can subscribe it.",
    ),
    Command(
        "unsubscribe",
        "unsubscribe",
        "stop posting threads here",
        unsubscribe,
        SUBSCRIBERS,
        "Only {admins} or Tallywire's operators can unsubscribe it.",
    ),
    Command(
        "settings",
        "settings [topics|alerts|zone|quiet|breakthrough|digest VALUE]",
        "this chat's settings: topics, alert kinds, quiet hours, daily digest",
        chat_settings,
        SUBSCRIBERS,
        "Only {admins} or Tallywire's operators can see and change its settings.",
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
        "chart",
        "chart attacks|swaps [days]",
        "a chart of the air attacks of the last days (1 to 366, 30 if none given) or of the "
        "prisoner exchanges",
        chart,
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
        "sources", "sources", "where the figures come from and how polling goes", sources, ANYONE
    ),
    Command(
        "status",
        "status",
        "each feed's last poll, error and figure; messages waiting; subscriptions",
        status,
        OPERATORS,
        "Only Tallywire's operators can see its status.",
    ),
    Command(
        "feeds",
        "feeds",
        "the feeds with their ids, URLs and errors",
        feeds,
        OPERATORS,
        "Only Tallywire's operators can see and change feeds.",
    ),
    Command(
        "addfeed",
        "addfeed URL",
        "poll an RSS or Atom feed on the public internet",
        add_feed,
        OPERATORS,
        _FEEDS_REFUSAL,
    ),
    Command(
        "removefeed",
        "removefeed ID",
        "stop polling a feed added from chat",
        remove_feed,
        OPERATORS,
        _FEEDS_REFUSAL,
    ),
)
