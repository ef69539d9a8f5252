"""The Deliverer on a real store and a recording channel (issue 8's fan-out): every message
once and in thread order while claims overlap sends, a slow send never holding up the next
claims, claims given back on a stop or when a slot is too far off for the lease, and the
thread state of a batch read in one go."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.compose.messages import Message
from bot.delivery.deliverer import Deliverer
from bot.delivery.webhook import WebhookChannel
from bot.store import Store
from bot.store import outbox as outbox_sql
from bot.store.outbox import Outgoing

BOUND = 10.0  # seconds a test waits for the Deliverer before it fails instead of hanging


def utc_now() -> datetime:
    return datetime.now(UTC)


class Recording:
    """A channel that records its sends and edits; `before_send` may hold a send back."""

    def __init__(self, per_second: float = 0.0) -> None:
        self.per_second = per_second
        self.sent: list[tuple[str, str, str | None]] = []  # (address, title, reply_to)
        self.edits: list[tuple[str, str, str]] = []  # (address, platform id, title)
        self.before_send: Callable[[str], asyncio.Future[None] | None] = lambda address: None

    def spacing(self, address: str) -> float:
        return 0.0

    async def send(self, address: str, message: Message, reply_to: str | None, key: str) -> str:
        held = self.before_send(address)
        if held is not None:
            await held
        self.sent.append((address, message.title, reply_to))
        return f"{address}#{len(self.sent)}"

    async def edit(self, address: str, platform_id: str, message: Message) -> None:
        self.edits.append((address, platform_id, message.title))


def write(store: Store, items: list[Outgoing]) -> None:
    with store.transaction() as conn:
        outbox_sql.enqueue(conn, items, utc_now())


def thread(destination: str, event: str, *roles: str) -> list[Outgoing]:
    """One event's messages to one destination, titled by role and position."""
    return [
        Outgoing(f"{destination}|{event}|{n}", destination, event, role, Message(f"{role} {n}"))
        for n, role in enumerate(roles)
    ]


def claimed(store: Store) -> list[str]:
    with store.transaction() as conn:
        return outbox_sql.claimants(conn)


def test_every_message_goes_once_in_thread_order_when_claims_overlap_sends(
    store: Store,
) -> None:
    destinations = [f"test:d{n:02d}" for n in range(25)]
    for destination in destinations:
        write(store, thread(destination, "e1", "root", "reply", "edit", "reply"))
    channel = Recording()
    deliverer = Deliverer(store, {"test": channel}, utc_now, batch=10, refill=3)

    outcomes = asyncio.run(asyncio.wait_for(deliverer.drain(), BOUND))

    assert outcomes == Counter({"sent": 100})
    ids = {(a, title): f"{a}#{n}" for n, (a, title, _) in enumerate(channel.sent, start=1)}
    for destination in destinations:
        address = destination.split(":", 1)[1]
        root = ids[(address, "root 0")]
        posts = [(title, reply_to) for a, title, reply_to in channel.sent if a == address]
        assert posts == [("root 0", None), ("reply 1", root), ("reply 3", root)]
        assert [(p, t) for a, p, t in channel.edits if a == address] == [(root, "edit 2")]
    assert claimed(store) == []


def test_a_slow_send_does_not_hold_up_the_next_claims(store: Store) -> None:
    """Round by round, the first destination's send (held until the last destination's send
    starts) would keep the rest from being claimed: it would never end."""
    for n in range(12):
        write(store, thread(f"test:d{n:02d}", "e1", "root"))
    channel = Recording()

    async def deliver() -> Counter[str]:
        last_started = asyncio.get_running_loop().create_future()

        def before_send(address: str) -> asyncio.Future[None] | None:
            if address == "d11":
                last_started.set_result(None)
            return last_started if address == "d00" else None

        channel.before_send = before_send
        deliverer = Deliverer(store, {"test": channel}, utc_now, batch=4, refill=1)
        return await asyncio.wait_for(deliverer.drain(), BOUND)

    assert asyncio.run(deliver()) == Counter({"sent": 12})
    order = [address for address, _, _ in channel.sent]
    assert sorted(order) == [f"d{n:02d}" for n in range(12)]
    assert order.index("d11") < order.index("d00")


def test_a_stop_gives_back_the_claims_of_messages_still_waiting_for_their_slot(
    store: Store,
) -> None:
    for n in range(6):
        write(store, thread(f"test:d{n}", "e1", "root"))
    channel = Recording(per_second=2.0)  # a slot every half second
    deliverer = Deliverer(store, {"test": channel}, utc_now)

    async def stop_after_the_first_send() -> Counter[str]:
        def before_send(address: str) -> None:
            deliverer.stopping = True  # SIGTERM, as the first message goes out

        channel.before_send = before_send
        return await asyncio.wait_for(deliverer.drain(), BOUND)

    outcomes = asyncio.run(stop_after_the_first_send())

    assert outcomes == Counter({"sent": 1, "released": 5})
    assert claimed(store) == []  # another worker, or the next start, sends them at once
    with store.transaction() as conn:
        assert len(outbox_sql.pending(conn)) == 5


def test_a_slot_further_off_than_half_the_lease_is_not_waited_for(store: Store) -> None:
    for n in range(4):
        write(store, thread(f"test:d{n}", "e1", "root"))
    channel = Recording(per_second=4.0)  # slots 0, 0.25, 0.5 and 0.75 s from now
    lease = timedelta(seconds=0.5)
    deliverer = Deliverer(store, {"test": channel}, utc_now, lease=lease)

    outcomes = asyncio.run(asyncio.wait_for(deliverer.deliver_once(), BOUND))

    assert outcomes == Counter({"sent": 2, "deferred": 2})
    assert claimed(store) == []  # given back, to be claimed nearer their time
    with store.transaction() as conn:
        assert [i.destination for i in outbox_sql.pending(conn)] == ["test:d2", "test:d3"]
    assert asyncio.run(asyncio.wait_for(deliverer.drain(), BOUND))["sent"] == 2


def test_thread_states_of_a_batch_match_the_one_by_one_answers(store: Store) -> None:
    now = utc_now()
    write(store, thread("test:a", "e1", "root", "reply", "edit", "edit"))
    write(store, thread("test:b", "e1", "root", "reply", "edit"))
    write(store, thread("test:c", "e2", "root", "reply"))
    with store.transaction() as conn:
        by_key = {i.key: i for i in outbox_sql.pending(conn)}
        for key in ("test:a|e1|0", "test:b|e1|0"):
            outbox_sql.finish(conn, by_key[key].id, "sent", now)
        outbox_sql.set_thread_root(conn, "test:a", "e1", "a#1")
        outbox_sql.set_thread_root(conn, "test:b", "e1", "")  # an uncertain root
        items = [i for k, i in by_key.items() if k not in ("test:a|e1|0", "test:b|e1|0")]

        states = outbox_sql.thread_states(conn, items)
        one_by_one = {
            i.id: outbox_sql.ThreadState(
                outbox_sql.thread_root(conn, i.destination, i.event_id),
                i.role == "edit" and outbox_sql.has_newer_edit(conn, i),
            )
            for i in items
        }

    assert states == one_by_one
    assert states[by_key["test:a|e1|2"].id] == outbox_sql.ThreadState("a#1", True)
    assert states[by_key["test:a|e1|3"].id] == outbox_sql.ThreadState("a#1", False)
    assert states[by_key["test:b|e1|1"].id] == outbox_sql.ThreadState("", False)
    assert states[by_key["test:c|e2|1"].id] == outbox_sql.ThreadState(None, False)


@pytest.mark.parametrize(
    "url",
    [
        "notaurl",  # httpx.UnsupportedProtocol: nothing was sent
        "http://127.0.0.1:1/hooks",  # connection refused
    ],
)
async def test_a_webhook_request_never_sent_is_retried_not_uncertain(
    store: Store, url: str
) -> None:
    """Issue 16: every message to TALLYWIRE_WEBHOOK_URL=notaurl ended "uncertain, not resent"
    though no request had left; a request never sent is a failure to retry with backoff."""
    write(store, thread("webhook:default", "e1", "root"))
    async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
        channels = {"webhook": WebhookChannel(url, client, spacing_seconds=0)}
        outcomes = await Deliverer(store, channels, utc_now).deliver_once()
    assert outcomes == Counter({"retried": 1})
    with store.reading() as conn:
        (item,) = outbox_sql.pending(conn)
        assert outbox_sql.by_destination(conn, ("failed", "uncertain")) == {}
    assert item.attempts == 1
