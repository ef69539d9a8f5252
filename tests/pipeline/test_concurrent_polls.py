"""Many polls at once into one store while a chat thread answers commands: every article
stored once, no poll failed and no "database is locked" (issue 15: ten feeds of 200 items
polled at once died on a locked SQLite file). On SQLite, and on PostgreSQL when
TALLYWIRE_TEST_DATABASE_URL is given."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.commands import Caller, CommandContext, dispatch
from bot.commands.table import TROUBLE
from bot.pipeline.flow import Pipeline
from bot.pipeline.recipients import subscribers
from bot.reconcile import Rulebook
from bot.settings import Settings
from bot.sources import FeedSpec
from bot.store import Store, database
from bot.store.schema import documents
from tests.fakes.feed_server import FeedItem, FeedServer

FEEDS = 12
ITEMS = 15
DAY = datetime(2025, 6, 3, 6, tzinfo=UTC)
SETTINGS = replace(Settings.from_env({"TALLYWIRE_SEEDS": "off"}), admins=frozenset({"op"}))
RULEBOOK = Rulebook.from_settings(SETTINGS)
OPERATOR = Caller("op", "slack:C1", private=False, chat_admin=False)
# Answers read, /subscribe and /unsubscribe write (a subscription and its thread roots).
COMMANDS = ("attacks", "status", "subscribe", "swaps", "unsubscribe", "feeds")


def article(feed: int, n: int) -> FeedItem:
    """One wire report of the same night, its figures a few units apart from the others'."""
    drones, killed = 470 + (feed + n) % 5, 12 + n % 3
    body = (
        f"<p>Russia launched {drones} drones and 7 missiles at Ukraine overnight, the air force "
        "said, adding that most were shot down over the central regions.</p>"
        f"<p>At least {killed} people were killed in Odesa, the regional governor said.</p>"
        "<p>Rescue crews worked through the morning to clear the debris.</p>"
    )
    return FeedItem(
        f"Overnight attack, report {feed}-{n}", f"urn:test:{feed}:{n}",
        f"https://wire.test/{feed}/{n}", body, DAY,
    )  # fmt: skip


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        for feed in range(FEEDS):
            server.set_feed(f"/f{feed}.xml", [article(feed, n) for n in range(ITEMS)])
        yield server


async def _resolve(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def _answer_until(done: threading.Event, store: Store, replies: list[str]) -> None:
    """Run commands one after another, as a chat adapter's thread would, until `done`."""
    context = CommandContext(store, RULEBOOK, SETTINGS, lambda: DAY, _resolve)

    async def loop() -> None:
        turn = 0
        while not done.is_set() or turn < len(COMMANDS):
            name = COMMANDS[turn % len(COMMANDS)]
            replies.append((await dispatch(context, OPERATOR, name, "")).title)
            turn += 1

    asyncio.run(loop())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_polls_store_every_article_once_while_commands_are_answered(
    backend: str,
    feeds: FeedServer,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if backend == "sqlite":
        # A short busy timeout: a writer of this process kept waiting on SQLite's lock by the
        # others would fail within the test, not after 30 s.
        monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 500)
        url = f"sqlite:///{tmp_path / 'polls.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    store = Store.open(url)
    pipeline = Pipeline(store, SETTINGS, lambda: datetime.now(UTC), RULEBOOK, subscribers(True))
    specs = [FeedSpec(f"f{n}", feeds.url(f"/f{n}.xml"), f"feed {n}") for n in range(FEEDS)]
    pipeline.register_feeds(specs)
    done, replies = threading.Event(), list[str]()
    chat = threading.Thread(target=_answer_until, args=(done, store, replies))
    caplog.set_level(logging.WARNING)
    chat.start()
    try:
        reports = asyncio.run(pipeline.poll_feeds(specs))
    finally:
        done.set()
        chat.join(timeout=60)
    with store.reading() as conn:
        stored = conn.execute(select(func.count()).select_from(documents)).scalar_one()
    store.close()

    assert not chat.is_alive()
    assert [r.error for r in reports] == [None] * FEEDS
    assert [r.status for r in reports] == ["ok"] * FEEDS
    assert [r.count("new") for r in reports] == [ITEMS] * FEEDS
    assert stored == FEEDS * ITEMS
    assert len(replies) >= len(COMMANDS)
    assert TROUBLE not in replies
    assert "locked" not in caplog.text
