"""Polling one feed: conditional fetch, parse off the event loop, and when to try again."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import httpx

from bot.documents import Document
from bot.errors import FeedRejected, FeedUnreadable, FetchError
from bot.feedparse import parse_feed
from bot.fetch import Validators, fetch_feed
from bot.settings import FetchLimits

PollStatus = Literal["ok", "not_modified", "error"]

# Back off after this many failures in a row, doubling each time, up to a day.
BACKOFF_AFTER = 3
MAX_BACKOFF = timedelta(hours=24)


@dataclass(frozen=True)
class PollOutcome:
    """One poll of one feed: what came in, or why nothing did."""

    status: PollStatus
    documents: tuple[Document, ...] = ()
    validators: Validators = field(default_factory=Validators)
    error: str | None = None
    problems: tuple[str, ...] = ()


async def poll_feed(
    client: httpx.AsyncClient,
    source_id: str,
    url: str,
    validators: Validators,
    limits: FetchLimits,
) -> PollOutcome:
    """Fetch and parse one feed; every failure becomes an outcome, never an exception."""
    try:
        fetched = await fetch_feed(client, url, validators, limits)
        if fetched.body is None:
            return PollOutcome("not_modified", validators=fetched.validators)
        parsed = await asyncio.to_thread(parse_feed, fetched.body, source_id, fetched.url)
    except (FetchError, FeedRejected, FeedUnreadable) as exc:
        return PollOutcome("error", validators=validators, error=str(exc))
    return PollOutcome(
        "ok",
        documents=parsed.documents,
        validators=fetched.validators,
        problems=parsed.problems,
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
