"""The pure parts of the Telegram adapter: HTML with escaping, splitting by UTF-16 units, what
an error means for delivery, addresses; and moving a migrated chat in the store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.commands.table import COMMANDS
from bot.compose.messages import Message, Quote
from bot.errors import DeliveryError, DestinationGone, RetryableDelivery, UncertainDelivery
from bot.store import Store
from bot.store import outbox as outbox_sql
from bot.store import subscriptions as subscription_sql
from bot.store.moves import move_destination
from bot.store.outbox import Outgoing
from handlers.telegram.addresses import destination_for, parse_address, spacing_for
from handlers.telegram.errors import delivery_error, not_modified
from handlers.telegram.listener import bot_commands
from handlers.telegram.render import LIMIT, first_chunk, split_html, to_html, utf16_len
from tests.fakes.telegram_api import parse_html

NOW = datetime(2025, 5, 24, 12, tzinfo=UTC)


def test_every_value_is_escaped() -> None:
    message = Message(
        "Drones <b>shot</b> & jammed",
        ("1,280 > 250 & <script>",),
        (Quote('He said "128 <= 245"', "A&B <News>"),),
        "note <i>",
    )
    text = to_html(message)
    shown, entities = parse_html(text)  # Telegram's own reading: it must parse
    assert shown.splitlines() == [
        "Drones <b>shot</b> & jammed",
        "1,280 > 250 & <script>",
        '"He said "128 <= 245"" (A&B <News>)',
        "note <i>",
    ]
    assert entities == 3  # the title, the quote, the note


@pytest.mark.parametrize("line", ["a" * 50, "🛩" * 40, "<&>" * 20])
def test_long_messages_split_on_line_boundaries_within_the_limit(line: str) -> None:
    message = Message("Title", tuple(f"{i}: {line}" for i in range(400)))
    chunks = split_html(message)
    assert len(chunks) > 1
    assert all(utf16_len(chunk) <= LIMIT for chunk in chunks)
    shown = [parse_html(chunk)[0] for chunk in chunks]
    assert all(utf16_len(text) <= 4096 for text in shown)
    assert "\n".join(shown).splitlines() == ["Title", *(f"{i}: {line}" for i in range(400))]


def test_a_line_over_the_limit_is_cut_without_breaking_a_surrogate_pair() -> None:
    message = Message("T", ("🛩" * 3000,))
    chunks = split_html(message)
    assert all(utf16_len(chunk) <= LIMIT for chunk in chunks)
    assert "".join(parse_html(c)[0] for c in chunks).count("🛩") == 3000


def test_an_edit_is_one_message_cut_with_an_ellipsis() -> None:
    message = Message("T", tuple("x" * 100 for _ in range(100)))
    text = first_chunk(message)
    assert utf16_len(text) <= LIMIT and text.endswith("…")
    assert first_chunk(Message("Short")) == "<b>Short</b>"


def _cause(error: TelegramError, cause: BaseException) -> TelegramError:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (RetryAfter(7), RetryableDelivery),
        (Forbidden("Forbidden: bot was blocked by the user"), DestinationGone),
        (BadRequest("Bad Request: can't parse entities"), DeliveryError),
        (_cause(TimedOut(), httpx.ReadTimeout("read")), UncertainDelivery),
        (_cause(TimedOut(), httpx.ConnectTimeout("connect")), RetryableDelivery),
        (_cause(TimedOut(), httpx.PoolTimeout("pool")), RetryableDelivery),
        (_cause(NetworkError("x"), httpx.ConnectError("refused")), RetryableDelivery),
        (_cause(NetworkError("x"), httpx.RemoteProtocolError("closed")), UncertainDelivery),
        (NetworkError("Bad Gateway"), RetryableDelivery),
        (TelegramError("Internal Server Error (500)"), RetryableDelivery),
    ],
)
def test_what_an_error_means_for_delivery(error: TelegramError, kind: type) -> None:
    assert type(delivery_error(error)) is kind


def test_retry_after_is_kept_and_not_modified_is_no_error() -> None:
    found = delivery_error(RetryAfter(7))
    assert isinstance(found, RetryableDelivery) and found.retry_after == 7
    assert not_modified(BadRequest("Bad Request: message is not modified: same"))
    assert not not_modified(BadRequest("Bad Request: message to edit not found"))
    assert ChatMigrated(5).new_chat_id == 5


def test_addresses_and_spacing() -> None:
    assert parse_address("-100123/7") == (-100123, 7)
    assert parse_address("42") == (42, None)
    assert destination_for(-100123, 7) == "telegram:-100123/7"
    assert destination_for(42) == "telegram:42"
    assert spacing_for(42) == 1.0
    assert spacing_for(-100123) * 20 > 60  # 20 a minute per group, edits included


def test_the_bot_commands_come_from_the_table() -> None:
    assert [c.command for c in bot_commands()] == [c.name for c in COMMANDS if c.listed]
    assert all(c.description for c in bot_commands())


def test_a_migrated_group_takes_its_subscription_messages_and_threads(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'moves.db'}")
    old, new = "telegram:-500", "telegram:-100500"
    try:
        with store.transaction() as conn:
            subscription_sql.subscribe(conn, old, frozenset({"all"}), None, "8", NOW)
            outbox_sql.enqueue(conn, [Outgoing("k1", old, "e1", "reply", Message("m"))], NOW)
            outbox_sql.set_thread_root(conn, old, "e1", "77")
            move_destination(conn, old, new, NOW)
            move_destination(conn, old, new, NOW)  # twice is once
        with store.transaction() as conn:
            assert subscription_sql.get_subscription(conn, old) is None
            moved = subscription_sql.get_subscription(conn, new)
            assert moved is not None and moved.enabled
            assert [i.destination for i in outbox_sql.pending(conn)] == [new]
            assert outbox_sql.thread_root(conn, new, "e1") == "77"
    finally:
        store.close()
