"""Issue 17's charts in event threads, end to end on Telegram: `tallywire run` as a process
against the fake Bot API, the seeds published on a local feed server. A chat that turned
`/settings charts on` gets the exchange's chart as a photo (sendPhoto) replying to the
exchange's thread root once its 1,000-for-1,000 milestone is reached, and the May 24 attack's
chart in that night's thread; a chat with the defaults gets no photo at all."""

from __future__ import annotations

from pathlib import Path

from bot.charts import read_plotted
from bot.store import Store
from bot.store import outbox as outbox_sql
from bot.store.database import open_engine
from tests.fakes.feed_server import FeedServer
from tests.fakes.service_harness import outbox_rows, settled, start, stop, wait_until
from tests.fakes.telegram_api import TelegramApi, parse_html
from tests.fakes.telegram_harness import FEED_PATH, telegram_env
from tests.handlers.test_telegram_service import USER, api, ask, db, feeds
from tests.handlers.test_telegram_settings import publish_seeds

__all__ = ["api", "db", "feeds"]  # the fixtures, shared with the service's tests

PLAIN = 43  # a private chat subscribed with the defaults
SWAP, NIGHT = "swap-2025-05-24", "attack-ukraine-2025-05-24"


def thread_root(db: str, destination: str, event_id: str) -> str:
    """The platform's id of the event's thread root at `destination`."""
    store = Store(open_engine(db))
    try:
        with store.reading() as conn:
            root = outbox_sql.thread_root(conn, destination, event_id)
    finally:
        store.close()
    assert root, f"no thread of {event_id} at {destination}"
    return root


def test_a_chat_with_charts_on_gets_the_exchanges_chart_in_its_thread(
    api: TelegramApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    service = start(telegram_env(tmp_path, api, db, feeds.url(FEED_PATH)), tmp_path)
    try:
        assert wait_until(lambda: api.calls_of("getUpdates"), 15), "the bot does not poll"
        assert "Subscribed" in ask(api, USER, USER, "/subscribe")
        assert "Charts in event threads: on" in ask(api, USER, USER, "/settings charts on")
        assert "Subscribed" in ask(api, PLAIN, PLAIN, "/subscribe")
        publish_seeds(feeds, db)
        assert wait_until(lambda: len(api.photos_to(USER)) >= 2 and settled(db), 60)
    finally:
        assert stop(service) == 0
    charts = [(k.split("|", 1)[1], s) for k, r, s in outbox_rows(db) if r == "chart"]
    assert charts == [(f"{NIGHT}|chart|complete", "sent"), (f"{SWAP}|chart|milestone-1000", "sent")]
    night, swap = api.photos_to(USER)
    assert api.photos_to(PLAIN) == []
    assert swap.photo is not None and swap.photo.filename == "chart-swaps.png"
    assert str(swap.reply_to) == thread_root(db, f"telegram:{USER}", SWAP)
    assert "390 + 307 + 303 = 1,000 of 1,000" in parse_html(swap.text)[0]
    assert read_plotted(swap.photo.data)["kind"] == "swaps"
    milestone = [m for m in api.alerts_to(USER) if "Milestone" in parse_html(m.text)[0]]
    assert milestone and milestone[0].message_id < swap.message_id  # after the reply it follows
    assert night.photo is not None and night.photo.filename == "chart-attacks.png"
    assert str(night.reply_to) == thread_root(db, f"telegram:{USER}", NIGHT)
    assert api.violations == []
