"""Issue 17's charts in event threads, end to end on Slack: `tallywire run` in HTTP mode as a
process against the fake Web API, the seeds published on a local feed server. A channel that
turned `/tallywire settings charts on` gets the exchange's chart as a file (files_upload_v2)
in the exchange's thread once its 1,000-for-1,000 milestone is reached."""

from __future__ import annotations

from pathlib import Path

from bot.charts import read_plotted
from tests.fakes.feed_server import FeedServer
from tests.fakes.service_harness import outbox_rows, settled, start, stop, wait_until
from tests.fakes.slack_api import SlackApi
from tests.handlers.test_chart_threads import SWAP, thread_root
from tests.handlers.test_slack_service import (
    CHANNEL,
    START_SECONDS,
    answer,
    api,
    db,
    feeds,
    listening,
)
from tests.handlers.test_slack_settings import serve
from tests.handlers.test_telegram_settings import publish_seeds

__all__ = ["api", "db", "feeds"]  # the fixtures, shared with the service's tests


def test_a_channel_with_charts_on_gets_the_exchanges_chart_in_its_thread(
    api: SlackApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    env, base = serve(api, feeds, db, tmp_path)
    url = f"{base}/slack/events"
    service = start(env, tmp_path)
    try:
        assert wait_until(lambda: listening(int(env["PORT"])), START_SECONDS)
        assert "Subscribed" in answer(url, api, "/tallywire", "subscribe")
        shown = answer(url, api, "/tallywire", "settings charts on")
        assert "Charts in event threads: on" in shown
        publish_seeds(feeds, db)
        assert wait_until(lambda: len(api.files_in(CHANNEL)) >= 2 and settled(db), 60)
    finally:
        assert stop(service) == 0
    charts = [(k, s) for k, r, s in outbox_rows(db) if r == "chart"]
    assert [s for _, s in charts] == ["sent", "sent"]
    swap = next(u for u in api.files_in(CHANNEL) if u.filename == "chart-swaps.png")
    assert swap.thread_ts == thread_root(db, f"slack:{CHANNEL}", SWAP)
    assert "390 + 307 + 303 = 1,000 of 1,000" in swap.initial_comment
    assert read_plotted(swap.data)["kind"] == "swaps"
    assert api.violations == []
