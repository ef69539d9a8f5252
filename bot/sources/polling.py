"""Polling one feed: conditional fetch, parse off the event loop (the items capped), and when
to try again."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import httpx

from bot.errors import FeedRejected, FeedUnreadable, FetchError
from bot.settings import FetchLimits
from bot.sources.detached import run_detached
from bot.sources.documents import Document
from bot.sources.fetch import Validators, fetch_feed
from bot.sources.itemcap import MAX_TAGS, Cut, cut_items, newest, too_much_markup
from bot.sources.parse import ParsedFeed, parse_feed

# "partial": the poll stored part of what it fetched and left the rest for the next one.
PollStatus = Literal["ok", "not_modified", "error", "partial"]

# Back off after this many failures in a row, doubling each time, up to a day.
BACKOFF_AFTER = 3
MAX_BACKOFF = timedelta(hours=24)


@dataclass(frozen=True)
class PollOutcome:
    """One poll of one feed: what came in, or why nothing did.

    `dropped` counts the feed's items left out for being older than the newest the cap keeps.
    """

    status: PollStatus
    documents: tuple[Document, ...] = ()
    validators: Validators = field(default_factory=Validators)
    error: str | None = None
    problems: tuple[str, ...] = ()
    dropped: int = 0


@dataclass(frozen=True)
class CappedFeed:
    """A parsed feed cut down to its newest items: `dropped` counts the items left out."""

    parsed: ParsedFeed
    dropped: int


def parse_capped(
    body: bytes, source_id: str, base_url: str | None, max_items: int | None
) -> CappedFeed:
    """The feed in `body` parsed (see `parse_feed`, whose errors it raises), keeping its
    `max_items` newest documents: a feed of far more items is cut before parsing (see
    `bot.itemcap.cut_items`), and the newest are chosen from what is parsed. No cap if None.

    Raises FeedRejected, before parsing, if what is left to parse has more tags than
    `bot.itemcap.MAX_TAGS`, whatever the cap."""
    cut = cut_items(body, max_items) if max_items is not None else Cut(body, 0)
    tags = too_much_markup(cut.body)
    if tags is not None:
        raise FeedRejected(
            f"the feed has {tags:,} tags, more than the {MAX_TAGS:,} a poll parses; refused"
        )
    parsed = parse_feed(cut.body, source_id, base_url)
    if max_items is None:
        return CappedFeed(parsed, 0)
    kept = newest(parsed.documents, max_items)
    dropped = cut.removed + len(parsed.documents) - len(kept)
    return CappedFeed(ParsedFeed(parsed.title, kept, parsed.problems), dropped)


async def poll_feed(
    client: httpx.AsyncClient,
    source_id: str,
    url: str,
    validators: Validators,
    limits: FetchLimits,
    max_items: int | None = None,
    parsing: threading.Semaphore | None = None,
) -> PollOutcome:
    """Fetch and parse one feed, keeping its `max_items` newest items (all if None); every
    failure becomes an outcome, never an exception.

    The parse runs in a daemon thread, so that a process told to stop never waits for it (cut
    to the cap first, it is short anyway), once `parsing` (if given) lets it: how many parses
    run at once is the caller's to bound."""
    try:
        fetched = await fetch_feed(client, url, validators, limits)
        if fetched.body is None:
            return PollOutcome("not_modified", validators=fetched.validators)
        body, base = fetched.body, fetched.url

        def parse() -> CappedFeed:
            with parsing or contextlib.nullcontext():
                return parse_capped(body, source_id, base, max_items)

        capped = await run_detached(parse, f"parse {source_id}")
    except (FetchError, FeedRejected, FeedUnreadable) as exc:
        return PollOutcome("error", validators=validators, error=str(exc))
    return PollOutcome(
        "ok",
        documents=capped.parsed.documents,
        validators=fetched.validators,
        problems=capped.parsed.problems,
        dropped=capped.dropped,
    )


def poll_started(now: datetime, due: datetime | None, interval_seconds: int) -> datetime:
    """Where the next interval counts from: the time the feed was due, so that the time a poll
    waited and took does not drift every later poll; `now` when it was not due before or is
    more than an interval late (then the store is behind, and the next poll comes a whole
    interval later rather than at once)."""
    if due is None or due > now or now - due >= timedelta(seconds=interval_seconds):
        return now
    return due


def next_poll_at(now: datetime, interval_seconds: int, consecutive_errors: int) -> datetime:
    """When to poll a feed next: after its interval, doubled per failure past the third in a
    row, never later than a day."""
    delay = timedelta(seconds=interval_seconds)
    if consecutive_errors >= BACKOFF_AFTER:
        doublings = min(consecutive_errors - BACKOFF_AFTER + 1, 20)
        delay = min(delay * 2**doublings, max(MAX_BACKOFF, delay))
    return now + delay
