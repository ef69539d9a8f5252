"""The /settings buttons as each platform takes them (issue 17): Telegram's inline keyboard
(callback_data at most 64 bytes) and Slack's actions blocks (button text at most 75 characters,
unique action ids, 50 blocks in all). Pure."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.commands.chat_settings import BUTTONS, describe
from bot.compose import Button, Message
from bot.store import ChatSettings
from handlers.slack.buttons import action_blocks, with_buttons
from handlers.telegram.buttons import keyboard

SHOWN = describe(ChatSettings(), frozenset({"all"}), datetime(2025, 6, 1, tzinfo=UTC))


def test_telegram_renders_each_row_with_its_actions_as_callback_data() -> None:
    markup = keyboard(SHOWN)
    assert markup is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [[(b.label, b.action) for b in row] for row in BUTTONS]
    assert keyboard(Message("no buttons")) is None


def test_telegram_callback_data_is_cut_to_64_bytes_on_a_character() -> None:
    long = Message("t", buttons=((Button("x", "settings " + "é" * 40),),))
    markup = keyboard(long)
    assert markup is not None
    data = str(markup.inline_keyboard[0][0].callback_data)
    assert len(data.encode()) <= 64 and data.startswith("settings é")


def test_slack_renders_actions_blocks_within_its_limits() -> None:
    blocks = action_blocks(SHOWN)
    assert [b["type"] for b in blocks] == ["actions"] * len(BUTTONS)
    elements = [e for b in blocks for e in b["elements"]]
    assert [e["value"] for e in elements] == [b.action for row in BUTTONS for b in row]
    assert len({e["action_id"] for e in elements}) == len(elements)
    assert all(len(e["text"]["text"]) <= 75 and e["text"]["type"] == "plain_text" for e in elements)
    answer = with_buttons(SHOWN)
    assert answer["blocks"][-len(blocks) :] == blocks and len(answer["blocks"]) <= 50
    assert "Quiet hours: off" in answer["text"]
