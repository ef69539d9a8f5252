"""Issue 17's "done when" on Slack, end to end: `tallywire run` in HTTP mode as a process against
the fake Web API. Quiet hours hold the alerts of the seeds and deliver one digest when they end,
across a restart in between, once; a digest-mode channel gets one message at its time;
`/tallywire settings` changes each setting with a Block Kit button (a block_actions payload)
and with text."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.fakes.feed_server import FeedServer
from tests.fakes.service_harness import free_port, outbox_rows, start, stop, wait_until
from tests.fakes.slack_api import SlackApi
from tests.fakes.slack_harness import press, slack_env, slash
from tests.fakes.telegram_harness import FEED_PATH
from tests.handlers.test_slack_service import (
    ADMIN,
    CHANNEL,
    MEMBER,
    START_SECONDS,
    alerts,
    answer,
    api,
    db,
    feeds,
    listening,
)
from tests.handlers.test_telegram_settings import (
    digests_of,
    minute_after,
    publish_seeds,
    stored_settings,
)

__all__ = ["api", "db", "feeds"]  # the fixtures, shared with the service's tests


def serve(api: SlackApi, feeds: FeedServer, db: str, tmp: Path) -> tuple[dict[str, str], str]:
    port = free_port()
    return slack_env(tmp, api, db, feeds.url(FEED_PATH), port), f"http://127.0.0.1:{port}"


def test_quiet_hours_hold_alerts_and_end_in_one_digest_across_a_restart(
    api: SlackApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    env, base = serve(api, feeds, db, tmp_path)
    url = f"{base}/slack/events"
    service = start(env, tmp_path)
    end = minute_after(50)
    begin = end - timedelta(hours=2)
    try:
        assert wait_until(lambda: listening(int(env["PORT"])), START_SECONDS)
        assert "Subscribed" in answer(url, api, "/tallywire", "subscribe")
        quiet = f"settings quiet {begin:%H:%M}-{end:%H:%M} UTC"
        assert f"Quiet hours: {begin:%H:%M}-{end:%H:%M}" in answer(url, api, "/tallywire", quiet)
        publish_seeds(feeds, db)
        assert alerts(api) == [], "an alert went out in quiet hours"
        assert stop(service) == 0
        service = start(env, tmp_path, "restarted")
        assert datetime.now(UTC) < end, "too slow: the quiet hours ended before the restart"
        wait = (end - datetime.now(UTC)).total_seconds() + 30
        assert wait_until(lambda: alerts(api), wait), "no digest at the quiet end"
        time.sleep(7)
    finally:
        assert stop(service) == 0
    posts = alerts(api)
    assert len(posts) == 1 and posts[0].text.startswith("While it was quiet: 4 events changed")
    assert digests_of(db) == [(f"slack:{CHANNEL}|digest|{end.isoformat()}", "sent")]
    assert {s for k, r, s in outbox_rows(db) if r != "digest"} == {"folded"}
    assert api.violations == []


def test_a_digest_mode_channel_gets_one_message_at_its_time(
    api: SlackApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    env, base = serve(api, feeds, db, tmp_path)
    url = f"{base}/slack/events"
    service = start(env, tmp_path)
    at = minute_after(35)
    try:
        assert wait_until(lambda: listening(int(env["PORT"])), START_SECONDS)
        assert "Subscribed" in answer(url, api, "/tallywire", "subscribe")
        daily = answer(url, api, "/tallywire", f"settings digest {at:%H:%M}")
        assert f"Digest: daily at {at:%H:%M}" in daily
        publish_seeds(feeds, db)
        assert alerts(api) == []
        wait = (at - datetime.now(UTC)).total_seconds() + 30
        assert wait_until(lambda: alerts(api), wait), "no digest at its time"
        time.sleep(7)
    finally:
        assert stop(service) == 0
    posts = alerts(api)
    assert len(posts) == 1 and posts[0].text.startswith("Daily digest: 4 events changed")
    assert digests_of(db) == [(f"slack:{CHANNEL}|digest|{at.isoformat()}", "sent")]


def buttons_of(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The buttons of a response, by their value (the command's text)."""
    return {
        str(e["value"]): e
        for block in response.get("blocks") or []
        if block.get("type") == "actions"
        for e in block["elements"]
    }


def test_settings_change_with_buttons_and_with_text(
    api: SlackApi, feeds: FeedServer, db: str, tmp_path: Path
) -> None:
    env, base = serve(api, feeds, db, tmp_path)
    url = f"{base}/slack/events"
    service = start(env, tmp_path)
    destination = f"slack:{CHANNEL}"
    try:
        assert wait_until(lambda: listening(int(env["PORT"])), START_SECONDS)
        assert "Subscribed" in answer(url, api, "/tallywire", "subscribe")
        response, response_url = slash(url, api, "/tallywire", "settings", CHANNEL, ADMIN)
        assert response.status_code == 200
        assert wait_until(lambda: api.responded(response_url), 20)
        buttons = buttons_of(api.responded(response_url)[0])
        expected = {
            "settings quiet 23:00-07:00": ("quiet_start", "23:00"),
            "settings breakthrough conflict milestone": ("breakthrough", "conflict,milestone"),
            "settings alerts conflict milestone": ("alert_kinds", "conflict,milestone"),
            "settings digest 08:00": ("digest_at", "08:00"),
            "settings digest off": ("digest_at", None),
            "settings topics swap": None,
        }
        last: dict[str, Any] = {}
        for action, column in expected.items():
            pressed, replaced = press(url, api, buttons[action], CHANNEL, ADMIN)
            assert pressed.status_code == 200, pressed.text
            assert wait_until(lambda replaced=replaced: api.responded(replaced), 20), action
            last = api.responded(replaced)[0]
            assert last.get("replace_original") is True and buttons_of(last) == buttons
            if column is not None:
                assert stored_settings(db, destination)[column[0]] == column[1], action
        assert "Topics: swap" in last["text"]
        refused, refusal_url = press(url, api, buttons["settings quiet off"], CHANNEL, MEMBER)
        assert refused.status_code == 200
        assert wait_until(lambda: api.responded(refusal_url), 20)
        assert "Only workspace admins" in api.responded(refusal_url)[0]["text"]
        assert stored_settings(db, destination)["quiet_start"] == "23:00"
        by_text = answer(url, api, "/tallywire", "settings zone Europe/Kyiv")
        assert "Time zone: Europe/Kyiv" in by_text
        assert stored_settings(db, destination)["time_zone"] == "Europe/Kyiv"
    finally:
        assert stop(service) == 0
    assert api.violations == []
