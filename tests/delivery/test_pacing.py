"""The rate limiter on a fake clock: slots per destination and overall, spacing counted from a
send's answer, and the cap on sends in any one second as the platform may count them."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any

import pytest

from bot.delivery.pacing import RateLimiter


class FakeTime:
    """A clock that moves only when every task waits on it: then to the earliest wake-up."""

    def __init__(self) -> None:
        self.now = 100.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._order), woken))
        await woken

    def run(self, *work: Coroutine[Any, Any, None]) -> None:
        async def main() -> None:
            tasks = asyncio.gather(*work)
            while not tasks.done():
                for _ in range(20):  # let every task run until it waits on the clock
                    await asyncio.sleep(0)
                if self._sleepers:
                    at, _, woken = heapq.heappop(self._sleepers)
                    self.now = max(self.now, at)
                    woken.set_result(None)
            await tasks

        asyncio.run(main())


def limiter(per_second: float, cap: int = 0) -> tuple[RateLimiter, FakeTime]:
    time = FakeTime()
    return RateLimiter(per_second, time.clock, time.sleep, cap=cap), time


@pytest.mark.parametrize(
    ("per_second", "asks", "waits"),
    [
        (10, [("a", 0.0), ("b", 0.0), ("c", 0.0)], [0.0, 0.1, 0.2]),  # the overall beat
        (10, [("a", 1.0), ("a", 1.0), ("b", 1.0)], [0.0, 1.0, 0.1]),  # b takes a free slot
        (10, [("a", 0.0), ("b", 0.0), ("c", 0.0), ("a", 0.05)], [0.0, 0.1, 0.2, 0.3]),
        (0, [("a", 1.0), ("b", 1.0), ("a", 1.0)], [0.0, 0.0, 1.0]),  # no overall limit
    ],
)
def test_slots_keep_each_destinations_spacing_and_the_overall_beat(
    per_second: float, asks: list[tuple[str, float]], waits: list[float]
) -> None:
    pacer, _ = limiter(per_second)
    assert [round(pacer.reserve(d, spacing), 6) for d, spacing in asks] == waits


def test_delay_looks_without_reserving() -> None:
    pacer, _ = limiter(10)
    pacer.reserve("a", 1.0)
    assert round(pacer.delay("a", 1.0), 6) == 1.0
    assert round(pacer.delay("a", 1.0), 6) == 1.0
    assert round(pacer.reserve("b", 1.0), 6) == 0.1


def test_spacing_counts_from_the_answer_and_a_hold_outlasts_it() -> None:
    pacer, time = limiter(10)

    async def send_answered_after(seconds: float) -> None:
        async with pacer.sending("a", 1.0):
            await time.sleep(seconds)  # the platform takes this long to answer

    time.run(send_answered_after(0.3))
    assert round(pacer.delay("a", 1.0), 6) == 1.0  # from the answer, not from the request
    pacer.hold("a", 30.0)
    pacer.ended("a")
    assert round(pacer.delay("a", 1.0), 6) == 31.0


def starts(pacer: RateLimiter, time: FakeTime, sends: int, answer_seconds: float) -> list[float]:
    """When each of `sends` concurrent sends to chats of their own started."""
    started: list[float] = []

    async def one(n: int) -> None:
        async with pacer.sending(f"chat{n}", 1.0):
            started.append(time.now)
            await time.sleep(answer_seconds)

    time.run(*(one(n) for n in range(sends)))
    return [round(t - started[0], 6) for t in started]


def test_without_a_cap_the_beat_alone_paces() -> None:
    pacer, time = limiter(10)
    assert starts(pacer, time, 5, 0.2) == [0.0, 0.1, 0.2, 0.3, 0.4]


def test_the_cap_bounds_sends_in_any_second_however_slowly_they_are_answered() -> None:
    pacer, time = limiter(30, cap=3)
    started = starts(pacer, time, 7, 0.2)
    # The platform may clock a send as late as its answer (0.2 s after it started): any four
    # sends in a row then span at least a second, so no second holds more than three.
    assert all(started[i + 3] - (started[i] + 0.2) >= 1.0 - 1e-9 for i in range(4))
    assert started[:3] == [0.0, round(1 / 30, 6), round(2 / 30, 6)]  # the beat, under the cap
