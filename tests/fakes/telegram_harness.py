"""Running `tallywire run` against the fake Bot API, with the seeds published one by one on a
local feed server."""

from __future__ import annotations

import html
from pathlib import Path

from bot.sources.seeds import load_manifest, split_date_line
from tests.fakes.feed_server import FeedItem
from tests.fakes.service_harness import base_env
from tests.fakes.telegram_api import TelegramApi

REPO = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAH-fakeTokenForTallywireTests_0123456"
FEED_PATH = "/wire.xml"


def seed_items() -> list[FeedItem]:
    """The shipped seeds as feed items, in manifest order, dated as the manifest says."""
    items = []
    for entry in load_manifest(REPO / "seeds"):
        published, text = split_date_line(entry.path.read_text(encoding="utf-8"))
        paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        items.append(
            FeedItem(
                paragraphs[0][:200],
                f"seed-{entry.id}",
                f"https://wire.test/{entry.id}",
                body,
                entry.published or published,
            )
        )
    return items


def telegram_env(
    tmp: Path, api: TelegramApi, database_url: str, feed_url: str, **extra: str
) -> dict[str, str]:
    """The environment of a service on the fake Bot API, polling one feed every second."""
    env = base_env(tmp, database_url)
    env.update(
        TALLYWIRE_SEEDS="off",
        TALLYWIRE_FEEDS=feed_url,
        TALLYWIRE_POLL_SECONDS="1",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api.base_url,
        LOG_LEVEL="DEBUG",
        PORT="",
    )
    env.update(extra)
    return env
