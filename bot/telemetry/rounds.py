"""The service's one INFO line per poll round, with its counts (issue 16: an idle service says
little, and what it says is what it did).

A round is a poll interval (TALLYWIRE_POLL_SECONDS) of the service's polls, whichever feeds
they were; its counts are read from the service's counters (`Metrics`) and the outbox, as they
grew over the round (the messages queued are the outbox's, whichever worker wrote them). The
first round ends as soon as its polls are done, so that a service just started says what it
found without waiting a whole interval. A round with no poll and no document says nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.telemetry.metrics import Metrics

log = logging.getLogger("bot.pipeline.rounds")


@dataclass(frozen=True)
class Tally:
    """What the service had done by some moment, counted since it started."""

    polls: float = 0
    failed: float = 0
    new: float = 0
    changed: float = 0
    figures: float = 0
    changes: float = 0
    queued: int = 0  # the outbox's newest message id

    def since(self, earlier: Tally) -> Tally:
        """What was done between `earlier` and this."""
        return Tally(
            self.polls - earlier.polls, self.failed - earlier.failed, self.new - earlier.new,
            self.changed - earlier.changed, self.figures - earlier.figures,
            self.changes - earlier.changes, self.queued - earlier.queued,
        )  # fmt: skip

    def line(self) -> str:
        """The round's line: "poll round: 12 polls (1 failed); documents 3 new,
        1 changed; 40 figures; 6 changes; 9 messages queued"."""
        failed = f" ({self.failed:.0f} failed)" if self.failed else ""
        return (
            f"poll round: {self.polls:.0f} polls{failed}; documents {self.new:.0f} new, "
            f"{self.changed:.0f} changed; {self.figures:.0f} figures; {self.changes:.0f} "
            f"changes; {self.queued} messages queued"
        )


class PollRounds:
    """Logs one line at the end of each round. `queued` reads the outbox's newest message id
    (from the store: call `begin` and `close` in a thread); `period` is the round's length in
    seconds."""

    def __init__(
        self,
        metrics: Metrics,
        queued: Callable[[], int],
        period: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._metrics = metrics
        self._queued = queued
        self._period = period
        self._clock = clock
        self._began = clock()
        self._first = True
        self._start = Tally()

    def begin(self) -> None:
        """Start the first round from what is counted now."""
        self._start, self._began, self._first = self._tally(), self._clock(), True

    def due(self, in_flight: int) -> bool:
        """Whether the round is over: its period has passed, or, for the first round, something
        was polled or stored and no poll is in flight."""
        if self._clock() - self._began >= self._period:
            return True
        return self._first and in_flight == 0 and _busy(self._counted().since(self._start))

    def close(self) -> Tally:
        """End the round: log its line if it polled or stored anything, and begin the next.
        Returns the round's counts."""
        now = self._tally()
        done = now.since(self._start)
        if _busy(done):
            log.info(done.line())
        self._start, self._began, self._first = now, self._clock(), False
        return done

    def _counted(self, queued: int = 0) -> Tally:
        total, value = self._metrics.total, self._metrics.value
        return Tally(
            polls=total("tallywire_polls_total"),
            failed=total("tallywire_poll_errors_total"),
            new=value("tallywire_documents_total", stored="new"),
            changed=value("tallywire_documents_total", stored="version"),
            figures=total("tallywire_figures_total"),
            changes=total("tallywire_changes_total"),
            queued=queued,
        )

    def _tally(self) -> Tally:
        return self._counted(self._queued())


def _busy(done: Tally) -> bool:
    return bool(done.polls or done.new or done.changed)
