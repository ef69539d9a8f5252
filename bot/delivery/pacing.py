"""Spacing sends to stay under a platform's limits: per destination and overall."""

from __future__ import annotations

import asyncio
import bisect
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

WINDOW_SECONDS = 1.0
EPSILON = 1e-9  # slots exactly one gap apart do not collide
BUSY_RECHECK_SECONDS = 0.01  # how often a sender waiting only on sends in the air looks again


class RateLimiter:
    """Hands out send slots: no two to one destination closer than its spacing, and no two
    overall closer than 1/`per_second`. Slots are reserved when asked for, so concurrent
    senders queue fairly instead of bursting; a destination that must wait for its spacing
    takes the first free slot after that, and leaves the ones before it to the others.

    A send made with `sending` is also held to the platform's own view of it, which clocks it
    some time between the request going out and the answer coming back: the destination's
    spacing counts from the answer, and with `cap`, no send starts while `cap` others are in
    the air or ended less than a second ago, so that the platform never counts more than `cap`
    in one second, however late a request leaves or however slowly it is answered.
    """

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        *,
        cap: int = 0,
    ) -> None:
        self._gap = 1.0 / per_second if per_second > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._slots: list[float] = []  # the slots reserved, sorted, none long past
        self._last: dict[str, float] = {}
        self._cap = cap
        self._ended: deque[float] = deque()  # when the sends of the last second ended
        self._in_air = 0

    def reserve(self, destination: str, spacing: float) -> float:
        """Reserve the next slot for `destination`; return the seconds to wait for it."""
        now = self._clock()
        del self._slots[: bisect.bisect_left(self._slots, now - self._gap)]
        slot = self._slot(destination, spacing, now)
        if self._gap:
            bisect.insort(self._slots, slot)
        self._last[destination] = slot
        return slot - now

    def delay(self, destination: str, spacing: float) -> float:
        """The seconds `destination` would wait for a slot reserved now (nothing reserved)."""
        now = self._clock()
        return self._slot(destination, spacing, now) - now

    def _slot(self, destination: str, spacing: float, now: float) -> float:
        """The first time from which `destination` is ready and no reserved slot is closer
        than the overall gap."""
        slot = max(now, self._last.get(destination, -spacing) + spacing)
        nearby = bisect.bisect_right(self._slots, slot - self._gap + EPSILON)
        for taken in self._slots[nearby:]:
            if taken >= slot + self._gap - EPSILON:
                break
            slot = taken + self._gap
        return slot

    async def wait(self, destination: str, spacing: float) -> None:
        """Wait for the next slot of `destination`."""
        delay = self.reserve(destination, spacing)
        if delay > 0:
            await self._sleep(delay)

    @asynccontextmanager
    async def sending(self, destination: str, spacing: float) -> AsyncIterator[None]:
        """Wait for the next slot of `destination` (and for room under the cap), then make the
        send in the body; when it ends, however it ends, the spacing counts from then."""
        await self.wait(destination, spacing)
        await self._room_under_cap()
        self._in_air += 1
        try:
            yield
        finally:
            self._in_air -= 1
            self.ended(destination)

    def ended(self, destination: str) -> None:
        """A send to `destination` has just ended: its spacing counts from now, as the platform
        may have clocked it as late as this."""
        now = self._clock()
        self._last[destination] = max(self._last.get(destination, now), now)
        if self._cap:
            self._ended.append(now)

    async def _room_under_cap(self) -> None:
        while self._cap:
            now = self._clock()
            while self._ended and now - self._ended[0] >= WINDOW_SECONDS:
                self._ended.popleft()
            if self._in_air + len(self._ended) < self._cap:
                return
            if self._ended:  # room comes when the oldest send that counts leaves the window
                await self._sleep(self._ended[0] + WINDOW_SECONDS - now)
            else:  # all the sends that count are in the air: one must end first
                await self._sleep(BUSY_RECHECK_SECONDS)

    def hold(self, destination: str, seconds: float) -> None:
        """Send nothing to `destination` for `seconds` (a 429's retry_after)."""
        self._last[destination] = max(self._last.get(destination, 0.0), self._clock() + seconds)
