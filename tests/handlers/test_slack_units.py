"""The Slack adapter's pure parts: rendering within Slack's limits, what errors mean for
delivery, parsing slash commands and mentions, remembering retried events."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.commands.table import COMMANDS, find
from bot.compose.messages import Message, Quote
from bot.delivery import ChatContext
from bot.errors import (
    ConfigError,
    DeliveryError,
    DestinationGone,
    RetryableDelivery,
    UncertainDelivery,
)
from bot.settings import Settings
from handlers.slack.adapter import SlackAdapter
from handlers.slack.callers import is_direct, question_of
from handlers.slack.dedupe import Seen
from handlers.slack.errors import api_error, transport_error
from handlers.slack.listener import SLASH_COMMANDS, command_and_text
from handlers.slack.render import MAX_BLOCKS, SECTION_LIMIT, TEXT_LIMIT, escape, render

MANIFEST = Path(__file__).resolve().parents[2] / "config" / "slack-app-manifest.json"


def test_every_text_object_is_escaped_plain_text() -> None:
    message = Message(
        "Swap <!channel> & more", ("a < b > c",), (Quote("x & <@U1>", "A&B"),), "n <b>"
    )
    shown = render(message)
    dumped = json.dumps(shown.blocks) + shown.text
    assert "<" not in dumped and ">" not in dumped
    assert escape("a & <b>") == "a &amp; &lt;b&gt;"
    assert shown.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Swap &lt;!channel&gt; &amp; more", "emoji": False},
    }


def test_a_huge_message_stays_within_slacks_limits() -> None:
    # reliability.md: "a 10,000-char summary incl. emoji" -> split or "…and N more", never 400
    lines = tuple(f"line {n} 🚀 " + "x" * 90 for n in range(400))
    quotes = tuple(Quote("q" * 50, f"s{n}") for n in range(80))
    shown = render(Message("T", lines, quotes, "note"))
    assert len(shown.text) <= TEXT_LIMIT
    assert shown.text.endswith("more lines")
    assert len(shown.blocks) <= MAX_BLOCKS
    assert shown.blocks[-1]["elements"][0]["text"].startswith("…and ")
    sections = [b["text"]["text"] for b in shown.blocks if b["type"] == "section"]
    assert max(len(s) for s in sections) <= SECTION_LIMIT
    one_long_line = render(Message("T", ("y" * 9000,)))
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in one_long_line.blocks)


def _error(status: int, data: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    response = AsyncSlackResponse(
        client=AsyncWebClient(), http_verb="POST", api_url="x", req_args={}, data=data,
        headers=headers or {}, status_code=status,
    )  # fmt: skip
    return SlackApiError("failed", response)


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (429, "ratelimited", RetryableDelivery),
        (200, "not_in_channel", DestinationGone),
        (200, "channel_not_found", DestinationGone),
        (200, "account_inactive", DestinationGone),
        (500, "internal_error", RetryableDelivery),
        (200, "invalid_blocks", DeliveryError),
        (200, "msg_too_long", DeliveryError),
    ],
)
def test_api_errors_map_to_delivery_policy(status: int, code: str, kind: type) -> None:
    error = api_error(_error(status, {"ok": False, "error": code}, {"Retry-After": "7"}))
    assert type(error) is kind
    if status == 429:
        assert isinstance(error, RetryableDelivery) and error.retry_after == 7.0


def test_a_refused_connection_is_retried_and_a_timeout_is_uncertain() -> None:
    import aiohttp

    refused = aiohttp.ClientConnectorError(None, OSError(111, "refused"))  # type: ignore[arg-type]
    assert type(transport_error(refused)) is RetryableDelivery
    assert type(transport_error(TimeoutError())) is UncertainDelivery
    assert type(transport_error(aiohttp.ServerDisconnectedError())) is UncertainDelivery


@pytest.mark.parametrize(
    ("slash", "text", "expected"),
    [
        ("/swaps", "", ("swaps", "")),
        ("/attacks", " 2025-05-24 ", ("attacks", "2025-05-24")),
        ("/tallywire", "", ("help", "")),
        ("/tallywire", "Subscribe swap", ("subscribe", "swap")),
        ("/tallywire", "ask how many drones?", ("ask", "how many drones?")),
    ],
)
def test_slash_commands_name_a_command(slash: str, text: str, expected: tuple[str, str]) -> None:
    assert command_and_text(slash, text) == expected


def test_mentions_are_stripped_and_dms_recognised() -> None:
    assert question_of("<@U0TALLYBOT> how many prisoners?") == "how many prisoners?"
    assert question_of("hey <@U0TALLYBOT|tallywire>  so?") == "hey so?"
    assert is_direct("D123") and is_direct("C1", "directmessage") and is_direct("C1", "", "im")
    assert not is_direct("C123", "news", "channel")


def test_a_retried_event_is_seen_once_for_fifteen_minutes() -> None:
    now = [0.0]
    seen = Seen(clock=lambda: now[0])
    assert seen.first("Ev1") and not seen.first("Ev1")
    now[0] = 600.0
    assert not seen.first("Ev1")
    now[0] = 901.0
    assert seen.first("Ev1")


# --- the app manifest, against the shape of Slack's manifest schema ------------------------
# https://api.slack.com/reference/manifests: the fields, their types and limits.


def _manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def test_the_manifest_has_slacks_required_shape() -> None:
    m = _manifest()
    assert set(m) <= {"_metadata", "display_information", "features", "oauth_config", "settings"}
    info = m["display_information"]
    assert isinstance(info["name"], str) and 0 < len(info["name"]) <= 35
    assert len(info.get("description", "")) <= 140
    assert 174 <= len(info.get("long_description", "x" * 174)) <= 4000
    assert info.get("background_color", "#000000")[0] == "#" and len(info["background_color"]) == 7
    bot = m["features"]["bot_user"]
    assert isinstance(bot["display_name"], str) and 0 < len(bot["display_name"]) <= 80
    assert isinstance(bot.get("always_online", False), bool)
    for command in m["features"]["slash_commands"]:
        assert set(command) <= {"command", "description", "usage_hint", "url", "should_escape"}
        assert command["command"].startswith("/") and len(command["command"]) <= 32
        assert isinstance(command["description"], str) and 0 < len(command["description"]) <= 2000
        assert len(command.get("usage_hint", "")) <= 1000
        assert isinstance(command.get("should_escape", False), bool)
    scopes = m["oauth_config"]["scopes"]["bot"]
    assert isinstance(scopes, list) and all(isinstance(s, str) for s in scopes)
    settings = m["settings"]
    assert isinstance(settings["socket_mode_enabled"], bool)
    assert all(isinstance(e, str) for e in settings["event_subscriptions"]["bot_events"])
    if not settings["socket_mode_enabled"]:  # HTTP mode needs where to send things
        assert settings["event_subscriptions"]["request_url"].startswith("https://")


def test_the_manifest_grants_what_the_adapter_uses() -> None:
    m = _manifest()
    scopes = set(m["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "commands", "app_mentions:read", "im:history", "users:read"} <= scopes
    assert {"channels:read", "groups:read"} <= scopes
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert m["settings"]["socket_mode_enabled"] is True
    assert {c["command"] for c in m["features"]["slash_commands"]} == set(SLASH_COMMANDS)


def test_the_manifests_slash_commands_match_the_table() -> None:
    slash = {c["command"]: c for c in _manifest()["features"]["slash_commands"]}
    listed = [c for c in COMMANDS if c.listed]
    assert slash["/tallywire"]["usage_hint"] == " | ".join(c.usage for c in listed)
    for name, command in SLASH_COMMANDS.items():  # the shortcuts: /swaps, /attacks
        if command is not None:
            found = find(command)
            assert found is not None
            assert slash[name]["description"] == found.help[:1].upper() + found.help[1:]
            assert slash[name].get("usage_hint", "") == found.usage.partition(" ")[2]


@pytest.mark.parametrize(
    ("env", "pace"),
    [
        ({}, 10.0),
        ({"TALLYWIRE_SLACK_PER_SECOND": "100"}, 100.0),
        ({"TALLYWIRE_SLACK_PER_SECOND": "2.5"}, 2.5),
    ],
)
def test_the_overall_pace_is_a_setting_that_reaches_the_channel(
    env: dict[str, str], pace: float
) -> None:
    """Slack states one message a second per channel but leaves its workspace-wide limit
    unstated ("several hundred messages per minute"): 10 a second unless the operator says."""
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", **env})

    async def move(old: str, new: str) -> None: ...

    async def build() -> float:
        adapter = SlackAdapter(ChatContext(settings, None, None, move))  # type: ignore[arg-type]
        return adapter.channel.per_second

    assert settings.slack_per_second == pace
    assert asyncio.run(build()) == pace


@pytest.mark.parametrize("raw", ["0", "-5", "fast"])
def test_a_pace_that_is_not_a_positive_number_is_refused(raw: str) -> None:
    with pytest.raises(ConfigError, match="TALLYWIRE_SLACK_PER_SECOND"):
        Settings.from_env({"TALLYWIRE_SLACK_PER_SECOND": raw})
