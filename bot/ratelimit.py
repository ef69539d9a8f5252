"""Spacing sends to stay under a platform's limits: per destination and overall."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class RateLimiter:
    """Hands out send slots: no two to one destination closer than its spacing, and no more
    than `per_second` overall. Slots are reserved when asked for, so concurrent senders queue
    fairly instead of bursting."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._gap = 1.0 / per_second if per_second > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next_free = 0.0
        self._last: dict[str, float] = {}

    def reserve(self, destination: str, spacing: float) -> float:
        """Reserve the next slot for `destination`; return the seconds to wait for it."""
        now = self._clock()
        slot = max(now, self._next_free, self._last.get(destination, -spacing) + spacing)
        self._next_free = slot + self._gap
        self._last[destination] = slot
        return slot - now

    async def wait(self, destination: str, spacing: float) -> None:
        """Wait for the next slot of `destination`."""
        delay = self.reserve(destination, spacing)
        if delay > 0:
            await self._sleep(delay)

    def hold(self, destination: str, seconds: float) -> None:
        """Send nothing to `destination` for `seconds` (a 429's retry_after)."""
        self._last[destination] = max(self._last.get(destination, 0.0), self._clock() + seconds)
