"""Issue 17's charts, end to end: `tallywire run` as a process against the fake Bot API and the
fake Slack Web API, the seeds published on a local feed server; `/chart attacks` and
`/chart swaps` arrive as PNGs (Telegram: a sendPhoto upload; Slack: files_upload_v2 in the
channel, or the thread asked from), which the test decodes and checks against the store's
tallies: the size, the plotted values and the pixels of each point."""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from PIL import Image

from bot.charts import ATTACK_METRICS, height_of, read_plotted
from bot.commands import EventView, event_views
from bot.compose import SIDE_NAMES, trusted
from bot.reconcile import Rulebook
from bot.settings import Settings
from bot.store import Store
from bot.store.database import open_engine
from tests.fakes.feed_server import FeedServer
from tests.fakes.service_harness import free_port, start, stop, wait_until
from tests.fakes.slack_api import SlackApi
from tests.fakes.slack_harness import (
    BOT_TOKEN,
    FORM,
    command_body,
    post,
    signed_headers,
    slack_env,
)
from tests.fakes.telegram_api import Sent, TelegramApi, parse_html
from tests.fakes.telegram_harness import FEED_PATH, TOKEN, seed_items, telegram_env

USER = 42
CHANNEL, MEMBER = "C0CHARTS", "U0MEMBER"
THREAD = "1748100000.000200"


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.set_feed(FEED_PATH, [])
        yield server


def read_views(db: str) -> list[EventView]:
    """The store's events with their tallies, read beside the running service (which migrated
    the store already)."""
    store = Store(open_engine(db))
    try:
        return event_views(store, Rulebook.from_settings(Settings.from_env({})))
    finally:
        store.close()


def seeds_folded(db: str) -> bool:
    """Whether the seeds' exchange reached its agreed 1,000 and the May 25 attack is known: the
    five seeds are in."""
    try:
        views = read_views(db)
    except Exception:  # the service has not created its store yet
        return False
    swaps = [v for v in views if v.event.topic == "swap" and v.state.complete]
    nights = {v.event.last_date for v in views if v.event.topic == "attack"}
    return bool(swaps) and len(nights) >= 3


def publish_seeds(feeds: FeedServer, db: str) -> None:
    for item in seed_items():
        feeds.publish(FEED_PATH, item)
        time.sleep(1.5)
    assert wait_until(lambda: seeds_folded(db), 90), "the seeds were not folded"


def decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image.convert("RGB")


def rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def covering(panel: dict[str, Any], index: int, point: dict[str, Any]) -> set[tuple[int, ...]]:
    """The colours of the series drawn after series `index` (on top of it) that have a point
    within a marker's width of `point` (250 drones launched beside 245 downed)."""
    column, row = point["pixel"]
    return {
        rgb(later["colour"])
        for later in panel["series"][index + 1 :]
        for other in later["points"]
        if abs(other["pixel"][0] - column) <= 6 and abs(other["pixel"][1] - row) <= 6
    }


def blend(shown: tuple[int, ...], colours: set[tuple[int, int, int]]) -> bool:
    """Whether `shown` is one of `colours` or an antialiased mix of them (an edge)."""
    return all(
        min(c[i] for c in colours) - 8 <= shown[i] <= max(c[i] for c in colours) + 8
        for i in range(3)
    )


def check_attacks_chart(png: bytes, views: list[EventView]) -> None:
    """The PNG plots each night's trusted count of each charted metric, per country attacked,
    as the store's tallies give them, each marker in its series' colour."""
    image, plotted = decoded(png), read_plotted(png)
    assert plotted["kind"] == "attacks"
    assert image.size == (1000, height_of(len(plotted["panels"])))
    expected: dict[tuple[str, str], set[tuple[str, int, int | None]]] = {}
    for view in views:
        if view.event.topic != "attack" or view.event.last_date is None:
            continue
        for metric in ATTACK_METRICS:
            if tally := trusted(view.state, metric):
                assert tally.interval is not None
                key = (f"Attacks on {SIDE_NAMES[view.event.side or '']}", metric)
                night = (view.event.last_date.isoformat(), tally.interval.low, tally.interval.high)
                expected.setdefault(key, set()).add(night)
    found: dict[tuple[str, str], set[tuple[str, int, int | None]]] = {}
    for panel in plotted["panels"]:
        for index, series in enumerate(panel["series"]):
            for point in series["points"]:
                found.setdefault((panel["title"], series["metric"]), set()).add(
                    (point["day"], point["low"], point["high"])
                )
                shown = image.getpixel(tuple(point["pixel"]))
                own, above = rgb(series["colour"]), covering(panel, index, point)
                assert shown == own or (above and blend(shown, {own, *above})), point
    assert found == expected
    # The seeds' May 24 attack on Ukraine, as README's "Replaying the five seeds" gives it.
    assert ("2025-05-24", 250, 250) in found[("Attacks on Ukraine", "attack.drones_launched")]
    assert ("2025-05-24", 245, 245) in found[("Attacks on Ukraine", "attack.drones_downed")]


def check_swaps_chart(png: bytes, views: list[EventView]) -> None:
    """The PNG plots the exchange's phases, running total and agreed number as the store's
    running totals give them (390 + 307 + 303 = 1,000 of 1,000, each side)."""
    image, plotted = decoded(png), read_plotted(png)
    assert plotted["kind"] == "swaps"
    assert image.size == (1000, height_of(1))
    (swap,) = [v for v in views if v.event.topic == "swap"]
    totals = {c.side: c for c in swap.state.cumulative}
    assert totals["ukraine"].phases == totals["russia"].phases
    phases = sorted(totals["ukraine"].phases, key=lambda p: (p[0] is None, p[0] or date.min))
    (side,) = plotted["panels"][0]["sides"]
    assert side["label"] == "each side"
    assert [p["value"] for p in side["phases"]] == [i.low for _, i in phases] == [390, 307, 303]
    assert [r["value"] for r in side["running"]] == [390, 697, 1000]
    agreed = totals["ukraine"].agreed
    assert agreed is not None and side["agreed"]["value"] == agreed.low == 1000
    for phase in side["phases"]:
        assert image.getpixel(tuple(phase["bar"])) == rgb(side["bar_colour"])
    for total in side["running"]:
        assert image.getpixel(tuple(total["pixel"])) == rgb(side["line_colour"])


# --- Telegram ----------------------------------------------------------------------------


def photo_answer(api: TelegramApi, text: str) -> Sent:
    """Send `text` in the private chat; the photo the bot answers it with."""
    message_id = api.user_sends(USER, USER, text)
    assert wait_until(lambda: any(m.photo for m in api.answers_to(USER, message_id)), 30), (
        f"no photo answers {text!r}"
    )
    return next(m for m in api.answers_to(USER, message_id) if m.photo)


def test_telegram_answers_chart_with_a_photo_of_the_tallies(
    feeds: FeedServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'telegram.db'}"
    with TelegramApi(TOKEN) as api:
        service = start(telegram_env(tmp_path, api, db, feeds.url(FEED_PATH)), tmp_path)
        try:
            assert wait_until(lambda: api.calls_of("getUpdates"), 15), "the bot does not poll"
            publish_seeds(feeds, db)
            attacks = photo_answer(api, "/chart attacks")
            swaps = photo_answer(api, "/chart swaps")
            wrong = api.user_sends(USER, USER, "/chart frobs")
            assert wait_until(lambda: api.answers_to(USER, wrong), 20)
        finally:
            assert stop(service) == 0
        views = read_views(db)
        assert attacks.photo is not None and swaps.photo is not None
        assert attacks.photo.filename == "chart-attacks.png"
        check_attacks_chart(attacks.photo.data, views)
        check_swaps_chart(swaps.photo.data, views)
        caption = parse_html(attacks.text)[0]
        assert "Drones launched: " in caption and "250 on May 24" in caption
        assert "390 + 307 + 303 = 1,000 of 1,000" in parse_html(swaps.text)[0]
        (usage,) = api.answers_to(USER, wrong)
        assert "Usage:" in parse_html(usage.text)[0] and usage.photo is None
        assert api.violations == []


# --- Slack -------------------------------------------------------------------------------


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def slash_chart(url: str, api: SlackApi, text: str, thread: str = "") -> str:
    """/tallywire `text` in CHANNEL (from the thread `thread` when given); its response_url."""
    response_url = api.response_url()
    body = command_body("/tallywire", text, CHANNEL, MEMBER, response_url)
    if thread:
        body += "&" + urlencode({"thread_ts": thread})
    answer = post(url, body, signed_headers(body, FORM))
    assert answer.status_code == 200, answer.text
    return response_url


def uploaded(api: SlackApi, count: int) -> list[Any]:
    assert wait_until(lambda: len(api.files_in(CHANNEL)) >= count, 30), "no chart was uploaded"
    return api.files_in(CHANNEL)


def test_slack_answers_chart_with_a_file_in_the_channel_or_thread(
    feeds: FeedServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'slack.db'}"
    port = free_port()
    url = f"http://127.0.0.1:{port}/slack/events"
    with SlackApi(BOT_TOKEN) as api:
        service = start(slack_env(tmp_path, api, db, feeds.url(FEED_PATH), port), tmp_path)
        try:
            assert wait_until(lambda: listening(port), 30), "PORT is not listened on"
            publish_seeds(feeds, db)
            first = slash_chart(url, api, "chart attacks")
            attacks = uploaded(api, 1)[0]
            second = slash_chart(url, api, "chart swaps", thread=THREAD)
            swaps = uploaded(api, 2)[1]
            wrong = slash_chart(url, api, "chart attacks 99999")
            assert wait_until(lambda: api.responded(wrong), 20)
        finally:
            assert stop(service) == 0
        views = read_views(db)
        assert (attacks.filename, attacks.thread_ts) == ("chart-attacks.png", None)
        assert (swaps.filename, swaps.thread_ts) == ("chart-swaps.png", THREAD)
        check_attacks_chart(attacks.data, views)
        check_swaps_chart(swaps.data, views)
        assert "250 on May 24" in attacks.initial_comment
        assert "390 + 307 + 303 = 1,000 of 1,000" in swaps.initial_comment
        assert api.responded(first) == [] and api.responded(second) == []
        assert "Usage:" in str(api.responded(wrong)[0]["text"])
        assert len(api.files_in(CHANNEL)) == 2
        assert api.violations == []
