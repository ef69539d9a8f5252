"""Hostile titles and quotes are shown as written and ping no one (issue 12, point 7).

Slack: posted through the Slack channel to the fake Web API, and read back as Slack would show
them: every text object must be plain_text (mrkdwn has no escape for * _ ~ and backticks, and
auto-links mentions), with emoji off and &, < and > as entities; the fallback text is sent with
mrkdwn off, no link_names, parse=none, and @channel, @here and @everyone broken by a WORD JOINER.
Telegram: the HTML as Telegram reads it shows the same strings, with only our own tags.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.compose.messages import Message, Quote
from handlers.slack.channel import SlackChannel
from handlers.slack.render import HEADER_LIMIT, SECTION_LIMIT, WORD_JOINER, render
from handlers.telegram.render import split_html
from tests.fakes.slack_api import SlackApi
from tests.fakes.slack_harness import BOT_TOKEN
from tests.fakes.telegram_api import parse_html

HOSTILE = [
    "*bold*",
    "_x_",
    "~x~",
    "`code`",
    "```block```",
    "<!channel>",
    "<!here|here>",
    "@here",
    "@channel",
    "@everyone",
    "<@U0ADMIN>",
    "<#C0NEWS>",
    "<https://evil.test|click me>",
    ":rotating_light:",
    "> quoted",
    "&amp; &lt;",
]
CHANNEL = "C0NEWS"
ENTITY = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


def hostile_message(text: str) -> Message:
    return Message(
        f"Swap {text} today",
        (f"1,000 prisoners {text}",),
        (Quote(f"they said {text}", f"Wire {text}"),),
        f"note {text}",
    )


def shown_plain(obj: dict[str, Any]) -> str:
    """What Slack shows for a text object; fails for one Slack would format or parse."""
    assert obj["type"] == "plain_text", obj
    assert obj.get("emoji") is False, obj  # ":name:" stays text
    assert "<" not in obj["text"] and ">" not in obj["text"], obj  # no control sequence
    return re.sub("&(amp|lt|gt);", lambda m: ENTITY[m.group(0)], obj["text"])


def text_objects(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"])
        found += block.get("elements", [])
    return found


@pytest.fixture
def api() -> Iterator[SlackApi]:
    with SlackApi(BOT_TOKEN) as fake:
        yield fake


def post_and_edit(api: SlackApi, message: Message) -> None:
    async def go() -> None:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=api.base_url)
        channel = SlackChannel(client, per_second=1000)
        ts = await channel.send(CHANNEL, message, None, "k|1|root")
        await channel.edit(CHANNEL, ts, message)

    asyncio.run(go())


@pytest.mark.parametrize("text", HOSTILE)
def test_slack_shows_a_hostile_text_as_written_and_pings_no_one(api: SlackApi, text: str) -> None:
    message = hostile_message(text)
    post_and_edit(api, message)
    [post] = api.posts_to(CHANNEL)
    [(edited_text, edited_blocks)] = post.edits
    for fallback, blocks in ((post.text, post.blocks), (edited_text, edited_blocks)):
        shown = [shown_plain(obj) for obj in text_objects(blocks)]
        assert shown == [
            f"Swap {text} today",
            f"1,000 prisoners {text}",
            f'"they said {text}" (Wire {text})',
            f"note {text}",
        ]
        assert blocks[0]["type"] == "header"  # our own formatting: the title stands out
        assert "<" not in fallback and not BROADCAST.search(fallback)
        plain = re.sub("&(amp|lt|gt);", lambda m: ENTITY[m.group(0)], fallback)
        assert plain.replace(WORD_JOINER, "") == message.plain()
    [sent] = api.calls_of("chat.postMessage")
    assert (sent.params["mrkdwn"], sent.params["link_names"], sent.params["parse"]) == (
        False,
        False,
        "none",
    )
    [update] = api.calls_of("chat.update")
    assert (update.params["link_names"], update.params["parse"]) == (False, "none")
    assert api.violations == []


def test_a_title_longer_than_a_header_is_a_plain_section() -> None:
    long = "*" + "x" * HEADER_LIMIT + "*"
    first = render(Message(long)).blocks[0]
    assert first["type"] == "section" and shown_plain(first["text"]) == long


def test_a_piece_of_a_long_line_never_ends_inside_an_entity() -> None:
    line = "x" * (SECTION_LIMIT - 2) + "&&&&"
    pieces = [b["text"]["text"] for b in render(Message("T", (line,))).blocks[1:]]
    assert len(pieces) == 2 and all(len(p) <= SECTION_LIMIT for p in pieces)
    assert all(re.fullmatch(r"(?:[^&]|&(?:amp|lt|gt);)*", p) for p in pieces)
    assert "".join(shown_plain(b["text"]) for b in render(Message("T", (line,))).blocks[1:]) == line


@pytest.mark.parametrize("text", HOSTILE)
def test_telegram_shows_a_hostile_text_as_written(text: str) -> None:
    message = hostile_message(text)
    [chunk] = split_html(message)
    shown, entities = parse_html(chunk)  # Telegram's own reading: it must parse
    assert shown.splitlines() == [
        f"Swap {text} today",
        f"1,000 prisoners {text}",
        f'"they said {text}" (Wire {text})',
        f"note {text}",
    ]
    assert entities == 3  # ours only: the bold title, the italic quote and note
