"""A chart's reply through each channel, against the fakes with the real client libraries
(issue 17): Telegram's caption kept within its 1,024 characters, the rest following as replies
to the photo; Slack's file shared in the thread asked from, its bytes as uploaded; the console
naming the picture it cannot show."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient
from telegram import Bot

from bot.compose import Image, Message
from bot.delivery import render
from handlers.slack.channel import SlackChannel
from handlers.telegram.channel import TelegramChannel
from tests.fakes.slack_api import SlackApi
from tests.fakes.telegram_api import TelegramApi, parse_html, png_size

TOKEN = "123456789:AAH-fakeTokenForChartUnitTests_0123"
USER = 42
# A PNG's signature and IHDR chunk (1000 x 400) and a little more: what the fakes read of it.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (1000).to_bytes(4, "big")
PNG += (400).to_bytes(4, "big") + b"\x08\x02\x00\x00\x00" + bytes(range(256)) * 4
CHART = Image(PNG, "chart-attacks.png", "Air attacks, night by night")


def long_reply() -> Message:
    lines = tuple(f"Night {n}: " + "drones launched and downed " * 3 for n in range(30))
    return Message("Air attacks, May 1 to 30, 2025", lines, image=CHART)


async def noop(old: str, new: str) -> None:
    return None


async def test_telegram_sends_a_photo_whose_long_caption_follows_in_replies() -> None:
    message = long_reply()
    with TelegramApi(TOKEN) as api:
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            channel = TelegramChannel(bot, noop)
            channel.ready = True
            await channel.answer(USER, None, message, 7)
        (photo,) = api.photos_to(USER)
        rest = [m for m in api.messages_to(USER) if m.reply_to == photo.message_id]
        assert api.violations == []
    assert photo.photo is not None and photo.photo.data == PNG
    assert photo.photo.filename == "chart-attacks.png"
    assert png_size(photo.photo.data) == (1000, 400)
    assert photo.reply_to == 7
    caption = parse_html(photo.text)[0]
    assert caption.startswith("Air attacks, May 1 to 30, 2025\nNight 0: ") and len(caption) <= 1024
    said = "\n".join([caption, *(parse_html(m.text)[0] for m in rest)])
    assert said == message.plain()


async def test_slack_uploads_the_chart_in_the_thread_asked_from() -> None:
    message = Message("Prisoner exchange", ("May 23: 390 each side.",), image=CHART)
    with SlackApi("xoxb-chart-units") as api:
        client = AsyncWebClient(token="xoxb-chart-units", base_url=api.base_url)
        await SlackChannel(client).answer("C0NEWS", "1748100000.000300", message)
        (upload,) = api.files_in("C0NEWS")
        assert api.violations == []
    assert (upload.data, upload.filename, upload.alt_txt) == (PNG, CHART.filename, CHART.alt)
    assert upload.thread_ts == "1748100000.000300"
    assert upload.title == "Prisoner exchange"
    assert upload.initial_comment == "Prisoner exchange\nMay 23: 390 each side."


def test_the_console_names_the_picture_it_cannot_show() -> None:
    shown = render(Message("Prisoner exchange", ("May 23: 390 each side.",), image=CHART))
    assert shown.splitlines()[-1] == (
        f"  [chart-attacks.png: Air attacks, night by night, {len(PNG):,} bytes]"
    )
    assert "bytes]" not in render(Message("Prisoner exchange"))


# --- a chart reply from the outbox (bot.pipeline.charted): Channel.send with an image ---------


async def test_telegram_sends_an_events_chart_as_a_photo_replying_to_its_thread_root() -> None:
    message = long_reply()
    with TelegramApi(TOKEN) as api:
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            channel = TelegramChannel(bot, noop)
            channel.ready = True
            root = await channel.send(str(USER), Message("The exchange"), None, "k|root")
            sent = await channel.send(str(USER), message, root, "k|chart|milestone-1000")
        (photo,) = api.photos_to(USER)
        rest = [m for m in api.messages_to(USER) if m.reply_to == photo.message_id]
        assert api.violations == []
    assert sent == str(photo.message_id) and photo.reply_to == int(root)
    assert photo.photo is not None and photo.photo.data == PNG
    caption = parse_html(photo.text)[0]
    assert len(caption) <= 1024 and rest
    assert "\n".join([caption, *(parse_html(m.text)[0] for m in rest)]) == message.plain()


async def test_slack_sends_an_events_chart_as_a_file_in_its_thread() -> None:
    message = Message("Prisoner exchange", ("May 23: 390 each side.",), image=CHART)
    with SlackApi("xoxb-chart-units") as api:
        client = AsyncWebClient(token="xoxb-chart-units", base_url=api.base_url)
        channel = SlackChannel(client)
        root = await channel.send("C0NEWS", Message("The exchange"), None, "k|root")
        sent = await channel.send("C0NEWS", message, root, "k|chart|milestone-1000")
        (upload,) = api.files_in("C0NEWS")
        assert api.violations == []
    assert (upload.data, upload.thread_ts, upload.title) == (PNG, root, "Prisoner exchange")
    assert upload.initial_comment == "Prisoner exchange\nMay 23: 390 each side."
    assert sent == upload.file_id
