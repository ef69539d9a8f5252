"""The operators' commands and `/sources`: the sources and how their polls go, the feeds
added from chat, and the service's status."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from bot.commands.context import Caller, CommandContext, WrongUsage, clip, plural
from bot.compose import Message, label
from bot.errors import FeedAddressRefused
from bot.extract import Naming
from bot.reconcile import Interval, describe
from bot.sources import LINK_CHARS, OUTLET_CHARS, check_feed_url, check_url, clean_line, feed_id_for
from bot.store import LastChange, SourceRecord, Store, documents_by_source
from bot.store import feeds as feed_sql
from bot.store import outbox as outbox_sql
from bot.store import sources as source_sql
from bot.store import subscriptions as subscription_sql

log = logging.getLogger(__name__)

# Ends of a message other than "sent": failed for good, maybe delivered, its destination gone.
UNSENT = ("failed", "uncertain", "disabled")
_FEED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


@dataclass(frozen=True)
class _Facts:
    sources: list[SourceRecord]
    documents: dict[str, int]
    changes: dict[str, LastChange]
    pending: int
    subscriptions: dict[bool, int]
    # (destination, status) -> messages that ended unsent or maybe unsent (issue 16)
    unsent: dict[tuple[str, str], int]


def _read_facts(store: Store) -> _Facts:
    with store.reading() as conn:
        counts = outbox_sql.counts(conn)
        return _Facts(
            source_sql.list_sources(conn),
            documents_by_source(conn),
            feed_sql.last_changes(conn),
            sum(n for (_, status), n in counts.items() if status == "pending"),
            subscription_sql.subscription_counts(conn),
            outbox_sql.by_destination(conn, UNSENT),
        )


def unsent_lines(unsent: dict[tuple[str, str], int]) -> list[str]:
    """A line per destination with messages that failed or may not have arrived."""
    lines = []
    for destination in sorted({destination for destination, _ in unsent}):
        counts = [f"{unsent[destination, s]:,} {s}" for s in UNSENT if (destination, s) in unsent]
        lines.append(f"  {destination}: {', '.join(counts)}.")
    return lines


def _when(moment: datetime | None) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if moment else "never"


def _poll_line(record: SourceRecord, documents: int) -> str:
    status = record.last_status or "not polled yet"
    return (
        f"last poll {_when(record.last_polled_at)}, {status}, "
        f"{plural(documents, 'document')}, {plural(record.error_count, 'error')}"
    )


def change_text(found: LastChange, names: Naming) -> str:
    """The change as a summary line shows the tally: "drones downed: 40 to 46 (revised)"."""
    side = f" ({found.side})" if found.side else ""
    value = describe(Interval(found.low, found.high))
    return f"{label(found.metric, names)}{side}: {value} ({found.kind}, {_when(found.created_at)})"


def source_lines(
    facts: _Facts, records: Iterable[SourceRecord], detail: bool, names: Naming | None = None
) -> list[str]:
    """A line per source; with `detail` its id, origin, URL and last error too, and with
    `names` (the words of the metrics) the newest figure read from it."""
    lines = []
    for record in records:
        polls = _poll_line(record, facts.documents.get(record.id, 0))
        if not detail:
            lines.append(f"{record.label}: {polls}.")
            continue
        lines += [f"{record.id} ({record.origin}): {record.url or record.label}", f"  {polls}."]
        if record.last_error:
            lines.append(f"  Last error: {clip(record.last_error, 200)}")
        found = facts.changes.get(record.id) if names else None
        if found and names:
            lines.append(f"  Last change: {change_text(found, names)}")
    return lines


async def sources(ctx: CommandContext, caller: Caller, text: str) -> Message:
    facts = await asyncio.to_thread(_read_facts, ctx.store)
    lines = source_lines(facts, facts.sources, detail=False)
    return Message("Sources", tuple(lines) or ("No sources yet.",))


async def feeds(ctx: CommandContext, caller: Caller, text: str) -> Message:
    facts = await asyncio.to_thread(_read_facts, ctx.store)
    lines = source_lines(facts, [s for s in facts.sources if s.kind == "feed"], detail=True)
    return Message(
        "Feeds",
        tuple(lines) or ("No feeds yet.",),
        note=f"{caller.dialect.command('addfeed URL')} adds one; "
        f"{caller.dialect.command('removefeed ID')} removes one added from chat.",
    )


async def status(ctx: CommandContext, caller: Caller, text: str) -> Message:
    facts = await asyncio.to_thread(_read_facts, ctx.store)
    lines = source_lines(facts, facts.sources, detail=True, names=ctx.rulebook.naming)
    enabled, disabled = facts.subscriptions[True], facts.subscriptions[False]
    lines.append(f"Outbox: {plural(facts.pending, 'message')} waiting to be sent.")
    lines += unsent_lines(facts.unsent)
    lines.append(f"Subscriptions: {enabled:,} active, {disabled:,} disabled.")
    return Message("Tallywire status", tuple(lines))


async def add_feed(ctx: CommandContext, caller: Caller, text: str) -> Message:
    url = text.strip()
    if not url:
        raise WrongUsage
    if len(url) > LINK_CHARS:
        return Message(
            f"Feed not added: the URL is longer than {LINK_CHARS:,} characters.", failed=True
        )
    check_feed_url(url, "Feed not added")
    try:
        if not ctx.allow_private:
            await check_url(
                url, ctx.resolver, ctx.settings.feed_allow, treat_as_public=ctx.treat_as_public
            )
    except FeedAddressRefused as refused:
        return Message(f"Feed not added: {refused}.", failed=True)
    origin = feed_sql.OPERATOR if ctx.allow_private else "chat"
    feed_id = feed_id_for(url)
    label = clean_line(urlsplit(url).hostname or feed_id, OUTLET_CHARS)

    def add() -> str | None:
        with ctx.store.transaction() as conn:
            return feed_sql.add_chat_feed(conn, feed_id, url, label, ctx.clock(), origin)

    known = await asyncio.to_thread(add)
    if known is not None:
        return Message(f"That feed is already polled, as {known}.")
    log.info("feed %s (%s) added from chat by %s", feed_id, url, caller.user_id)
    return Message(
        f"Added feed {feed_id}.",
        (url,),
        note=f"{caller.dialect.command(f'removefeed {feed_id}')} removes it.",
    )


async def remove_feed(ctx: CommandContext, caller: Caller, text: str) -> Message:
    feed_id = text.strip()
    if not feed_id:
        raise WrongUsage
    record = (
        await asyncio.to_thread(ctx.store.source, feed_id) if _FEED_ID.fullmatch(feed_id) else None
    )
    if record is None or record.kind != "feed":
        what = "the seed documents, not a feed" if record else "not a feed's id"
        return Message(
            f"{clip(feed_id)} is {what}.",
            note=f"{caller.dialect.command('feeds')} lists the feeds and their ids.",
            failed=True,
        )
    if record.origin not in ("chat", feed_sql.OPERATOR):
        where = "TALLYWIRE_FEEDS" if record.origin == "env" else "config (feeds.toml)"
        return Message(f"{feed_id} is in {where}; remove it there, not from chat.", failed=True)

    def remove() -> bool:
        with ctx.store.transaction() as conn:
            return feed_sql.remove_chat_feed(conn, feed_id)

    if not await asyncio.to_thread(remove):
        return Message(f"{feed_id} was already removed.")
    log.info("feed %s removed from chat by %s", feed_id, caller.user_id)
    return Message(f"Removed feed {feed_id}: it is no longer polled.")
