"""A "chart" outbox item (issue 17, bot.pipeline.charted): drawn by the Deliverer's `charts`
renderer when it is sent, posted as a reply to its thread's root after the root; its text alone
without a renderer, or when drawing finds nothing or fails."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable

import pytest

from bot.compose import Image, Message
from bot.delivery.deliverer import Deliverer
from bot.store import OutboxItem, Outgoing, Store
from tests.delivery.test_deliverer import BOUND, utc_now, write

PNG = b"\x89PNG\r\n\x1a\n-a chart-"
DRAWN = Message("Prisoner exchange of May 23 to 25, 2025", image=Image(PNG, "c.png", "a chart"))


class Photos:
    """A channel recording what it posts: (address, title, image bytes or None, reply_to)."""

    per_second = 0.0

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, bytes | None, str | None]] = []

    def spacing(self, address: str) -> float:
        return 0.0

    async def send(self, address: str, message: Message, reply_to: str | None, key: str) -> str:
        image = message.image.png if message.image else None
        self.sent.append((address, message.title, image, reply_to))
        return f"m{len(self.sent)}"

    async def edit(self, address: str, platform_id: str, message: Message) -> None:
        raise AssertionError("no edit here")


def chart_thread(store: Store) -> None:
    event = "swap-2025-05-24"
    write(
        store,
        [
            Outgoing(f"test:c|{event}|root", "test:c", event, "root", Message("Summary")),
            Outgoing(
                f"test:c|{event}|chart|milestone-1000", "test:c", event, "chart",
                Message("The chart of this exchange"),
            ),
        ],
    )  # fmt: skip


def drawn_for(asked: list[str]) -> Callable[[OutboxItem], Message | None]:
    def charts(item: OutboxItem) -> Message | None:
        asked.append(item.event_id)
        return DRAWN

    return charts


def test_a_chart_is_drawn_at_send_time_and_posted_in_its_thread(store: Store) -> None:
    chart_thread(store)
    asked: list[str] = []
    channel = Photos()
    deliverer = Deliverer(store, {"test": channel}, utc_now, charts=drawn_for(asked))
    assert asyncio.run(asyncio.wait_for(deliverer.drain(), BOUND)) == Counter({"sent": 2})
    assert asked == ["swap-2025-05-24"]
    assert channel.sent == [
        ("c", "Summary", None, None),
        ("c", "Prisoner exchange of May 23 to 25, 2025", PNG, "m1"),
    ]


def nothing(item: OutboxItem) -> Message | None:
    return None


def broken(item: OutboxItem) -> Message | None:
    raise ValueError("a bug in drawing")


@pytest.mark.parametrize("charts", [None, nothing, broken], ids=["none", "nothing", "broken"])
def test_without_a_picture_the_charts_text_goes_alone(
    store: Store, charts: Callable[[OutboxItem], Message | None] | None
) -> None:
    chart_thread(store)
    channel = Photos()
    deliverer = Deliverer(store, {"test": channel}, utc_now, charts=charts)
    assert asyncio.run(asyncio.wait_for(deliverer.drain(), BOUND)) == Counter({"sent": 2})
    assert channel.sent[1] == ("c", "The chart of this exchange", None, "m1")
