"""The fake Bot API and the fake Slack Web API in their enforcing mode (`throttle=True`): a send
over a platform limit is answered 429 as the platform answers it, counted, and not posted;
without it, the fakes accept the send and record the breach, as the other tests expect."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.slack_api import SlackApi
from tests.fakes.telegram_api import TelegramApi

TOKEN = "123:fake"
SLACK_TOKEN = "xoxb-fake"


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5, trust_env=False) as opened:
        yield opened


def telegram(client: httpx.Client, api: TelegramApi, method: str, **params: Any) -> Any:
    answer = client.post(f"{api.base_url}{TOKEN}/{method}", json=params)
    return answer.json()


def slack_post(client: httpx.Client, api: SlackApi, channel: str) -> httpx.Response:
    return client.post(
        f"{api.base_url}chat.postMessage",
        json={"channel": channel, "text": "hello"},
        headers={"Authorization": f"Bearer {SLACK_TOKEN}"},
    )


def test_telegram_answers_a_second_message_to_a_chat_within_a_second_with_429(
    client: httpx.Client,
) -> None:
    with TelegramApi(TOKEN, throttle=True) as api:
        first = telegram(client, api, "sendMessage", chat_id=42, text="one")
        second = telegram(client, api, "sendMessage", chat_id=42, text="two")
        other = telegram(client, api, "sendMessage", chat_id=43, text="three")
    assert first["ok"] and other["ok"]
    assert second == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert [m.text for m in api.sent] == ["one", "three"]
    assert api.rejected_429 == 1
    assert api.violations == []


def test_telegram_takes_30_messages_in_a_second_and_refuses_the_31st(
    client: httpx.Client,
) -> None:
    with TelegramApi(TOKEN, throttle=True) as api:
        answers = [
            telegram(client, api, "sendMessage", chat_id=1000 + n, text=f"alert {n}")
            for n in range(31)
        ]
    assert [a["ok"] for a in answers] == [True] * 30 + [False]
    assert answers[30]["parameters"] == {"retry_after": 1}
    assert len(api.sent) == 30 and api.rejected_429 == 1


def test_telegram_counts_edits_in_a_groups_20_a_minute(client: httpx.Client) -> None:
    group = -100777
    with TelegramApi(TOKEN, throttle=True) as api:
        sent = telegram(client, api, "sendMessage", chat_id=group, text="summary 0")
        edit = {"chat_id": group, "message_id": sent["result"]["message_id"]}
        edits = [
            telegram(client, api, "editMessageText", **edit, text=f"summary {n}")
            for n in range(1, 21)
        ]
    assert [e["ok"] for e in edits] == [True] * 19 + [False]
    assert edits[19]["error_code"] == 429
    assert 55 <= edits[19]["parameters"]["retry_after"] <= 60
    assert api.rejected_429 == 1


def test_without_throttle_telegram_accepts_and_records_the_breach(client: httpx.Client) -> None:
    with TelegramApi(TOKEN) as api:
        telegram(client, api, "sendMessage", chat_id=42, text="one")
        second = telegram(client, api, "sendMessage", chat_id=42, text="two")
    assert second["ok"]
    assert len(api.sent) == 2 and api.rejected_429 == 0
    assert len(api.violations) == 1 and api.violations[0].startswith("chat 42: two messages")


def test_slack_answers_a_second_post_to_a_channel_within_a_second_with_429(
    client: httpx.Client,
) -> None:
    with SlackApi(SLACK_TOKEN, throttle=True) as api:
        first = slack_post(client, api, "C1")
        second = slack_post(client, api, "C1")
        other = slack_post(client, api, "C2")
    assert first.json()["ok"] and other.json()["ok"]
    assert second.status_code == 429
    assert second.headers["Retry-After"] == "1"
    assert second.json() == {"ok": False, "error": "ratelimited"}
    assert [p.channel for p in api.posted] == ["C1", "C2"]
    assert api.rejected_429 == 1
    assert api.violations == []


def test_without_throttle_slack_accepts_and_records_the_breach(client: httpx.Client) -> None:
    with SlackApi(SLACK_TOKEN) as api:
        slack_post(client, api, "C1")
        second = slack_post(client, api, "C1")
    assert second.status_code == 200 and second.json()["ok"]
    assert len(api.posted) == 2 and api.rejected_429 == 0
    assert len(api.violations) == 1 and api.violations[0].startswith("C1: two messages")


def test_a_scripted_slack_429_still_carries_its_retry_after(client: httpx.Client) -> None:
    with SlackApi(SLACK_TOKEN) as api:
        api.fail(429, retry_after=7)
        answer = slack_post(client, api, "C1")
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "7"
    assert api.posted == [] and api.rejected_429 == 0
