"""Where documents come from: feeds (config, fetch under guard, parse, poll) and the seeds,
cleaned at the edge."""

from bot.sources.cleaning import (
    COMMAND_NAME_CHARS,
    COMMAND_TEXT_CHARS,
    LINK_CHARS,
    OUTLET_CHARS,
    clean_line,
    clean_text,
)
from bot.sources.detached import run_detached
from bot.sources.documents import Document
from bot.sources.feeds import FeedSpec, check_feed_url, feed_id_for, load_feeds
from bot.sources.fetch import Validators, make_client
from bot.sources.itemcap import extraction_text
from bot.sources.netguard import Resolver, check_url, guarded_transport, system_resolver
from bot.sources.polling import PollOutcome, next_poll_at, poll_feed, poll_started
from bot.sources.seeds import SEEDS_SOURCE, publication_date, read_document, seed_documents

__all__ = [
    "COMMAND_NAME_CHARS",
    "COMMAND_TEXT_CHARS",
    "LINK_CHARS",
    "OUTLET_CHARS",
    "SEEDS_SOURCE",
    "Document",
    "FeedSpec",
    "PollOutcome",
    "Resolver",
    "Validators",
    "check_feed_url",
    "check_url",
    "clean_line",
    "clean_text",
    "extraction_text",
    "feed_id_for",
    "guarded_transport",
    "load_feeds",
    "make_client",
    "next_poll_at",
    "poll_feed",
    "poll_started",
    "publication_date",
    "read_document",
    "run_detached",
    "seed_documents",
    "system_resolver",
]
