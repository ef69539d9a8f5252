"""Remembering what was already answered: Slack retries an event it thinks was not acked
(X-Slack-Retry-Num 1..3, about at once, after 1 minute and after 5), and a message in a DM that
mentions the app may come as two events. Each is answered once."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

KEEP_SECONDS = 15 * 60.0  # Slack's retries end within about 6 minutes: keep ids for 15
MAX_KEPT = 50_000


class Seen:
    """Keys seen in the last `keep` seconds (event ids, "channel/ts" of messages)."""

    def __init__(
        self, keep: float = KEEP_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._keep = keep
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first(self, key: str) -> bool:
        """True the first time `key` is offered within `keep` seconds, False after."""
        now = self._clock()
        while self._seen and (
            next(iter(self._seen.values())) < now - self._keep or len(self._seen) > MAX_KEPT
        ):
            self._seen.popitem(last=False)
        if not key:
            return True
        if key in self._seen:
            return False
        self._seen[key] = now
        return True
