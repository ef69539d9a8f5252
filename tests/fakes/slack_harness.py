"""Running `tallywire run` in Slack's HTTP mode against the fake Web API, and talking to it as
Slack does: slash commands form-encoded, events as JSON, each signed with the v0 scheme."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.fakes.service_harness import base_env
from tests.fakes.slack_api import TEAM, SlackApi

BOT_TOKEN = "xoxb-1111111111-2222222222-FakeBotTokenForTests"
APP_TOKEN = "xapp-1-A0TALLY-3333333333-FakeAppTokenForTests"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def slack_env(
    tmp: Path, api: SlackApi, database_url: str, feed_url: str, port: int, **extra: str
) -> dict[str, str]:
    """The environment of a service in Slack's HTTP mode on `port`, polling one feed every
    second."""
    env = base_env(tmp, database_url)
    env.update(
        TALLYWIRE_SEEDS="off",
        TALLYWIRE_FEEDS=feed_url,
        TALLYWIRE_POLL_SECONDS="1",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api.base_url,
        LOG_LEVEL="DEBUG",
        PORT=str(port),
    )
    env.update(extra)
    return env


def signed_headers(
    body: str, kind: str, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """The headers Slack sends with `body`: X-Slack-Request-Timestamp and the v0 signature."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    return {
        "Content-Type": kind,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


FORM = "application/x-www-form-urlencoded"


def command_body(command: str, text: str, channel: str, user: str, response_url: str) -> str:
    """A slash command's form body, as Slack posts it."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "team_domain": "tally",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "news",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0TALLY",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )


def event_body(event: dict[str, Any], event_id: str) -> str:
    """An Events API callback wrapping `event`, as Slack posts it."""
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "api_app_id": "A0TALLY",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "U0TALLYBOT", "is_bot": True}],
        }
    )


def post(url: str, body: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(url, content=body.encode(), headers=headers, timeout=10)


def slash(
    url: str, api: SlackApi, command: str, text: str, channel: str, user: str
) -> tuple[httpx.Response, str]:
    """Send a signed slash command; (the HTTP answer, its response_url)."""
    response_url = api.response_url()
    body = command_body(command, text, channel, user, response_url)
    return post(url, body, signed_headers(body, FORM)), response_url


def action_body(value: str, action_id: str, channel: str, user: str, response_url: str) -> str:
    """A block_actions payload for a pressed button, form-encoded as Slack posts it."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": "A0TALLY",
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": "0", "channel_id": channel,
                      "is_ephemeral": True},
        "trigger_id": "4.5.6",
        "team": {"id": TEAM, "domain": "tally"},
        "channel": {"id": channel, "name": "directmessage" if channel.startswith("D") else "news"},
        "response_url": response_url,
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b",
                     "value": value, "action_ts": str(time.time())}],
    }  # fmt: skip
    return urlencode({"payload": json.dumps(payload)})


def press(
    url: str, api: SlackApi, button: dict[str, Any], channel: str, user: str
) -> tuple[httpx.Response, str]:
    """Press a Block Kit `button` (an element of an actions block), signed; (the HTTP answer,
    the payload's response_url)."""
    response_url = api.response_url()
    body = action_body(str(button["value"]), str(button["action_id"]), channel, user, response_url)
    return post(url, body, signed_headers(body, FORM)), response_url
