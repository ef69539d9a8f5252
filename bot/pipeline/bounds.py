"""The bounds on one poll's storing: what may stop it between two documents, and what a poll
that stopped early records. Pure but for the events that threads share.

A poll stores its documents in batches, one transaction each; before each document it looks at
the service stopping, the feed's claim passing to another worker and its time budget
(`stop_reason`, asked through `BudgetPace`).
What it leaves is stored by the next poll, due at once (`poll_record`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from bot.sources import PollOutcome, Validators, next_poll_at, poll_started
from bot.store import PollRecord

StopReason = Literal["time_budget", "stopping", "lease_lost"]


@dataclass(frozen=True)
class Claim:
    """A worker's lease on the feed it polls, renewed in each batch's transaction."""

    source_id: str
    worker: str
    lease: timedelta


@dataclass
class PollControl:
    """What may end a poll's storing early, read by the thread that stores between documents:
    `halt` (the service is stopping; one event for every poll), `lost` (the feed's claim passed
    to another worker; set by whoever finds out). `claim` is verified and renewed with each
    batch; `timer` measures the time spent against the budget (monotonic seconds)."""

    halt: threading.Event = field(default_factory=threading.Event)
    lost: threading.Event = field(default_factory=threading.Event)
    claim: Claim | None = None
    timer: Callable[[], float] = time.monotonic


def stop_reason(
    *, halted: bool, lost: bool, done: int, elapsed: float, budget: float
) -> StopReason | None:
    """Why a poll stops before its next document, or None to go on, after `done` documents
    that took `elapsed` seconds of its `budget` to store. A lost claim or the service stopping
    end it at once; the budget only once a document is done, so that every poll moves the feed
    forward."""
    if lost:
        return "lease_lost"
    if halted:
        return "stopping"
    if done and elapsed >= budget:
        return "time_budget"
    return None


class Pace:
    """Asked by a batch before each document whether to go on, and told when one is stored.
    This one always goes on."""

    def go_on(self) -> bool:
        return True

    def done(self) -> None:
        pass


class BudgetPace(Pace):
    """A poll's pace: goes on until `stop_reason` gives a reason, kept in `reason`. The time
    spent is summed over the documents themselves, so that waiting for a write turn between
    batches does not count against the budget."""

    def __init__(self, control: PollControl, budget: float) -> None:
        self.control = control
        self.budget = budget
        self.reason: StopReason | None = None
        self.stored = 0
        self.spent = 0.0
        self._began = 0.0

    def go_on(self) -> bool:
        control = self.control
        self.reason = stop_reason(
            halted=control.halt.is_set(), lost=control.lost.is_set(), done=self.stored,
            elapsed=self.spent, budget=self.budget,
        )  # fmt: skip
        if self.reason is None:
            self._began = control.timer()
        return self.reason is None

    def done(self) -> None:
        self.stored += 1
        self.spent += max(0.0, self.control.timer() - self._began)


def poll_record(
    outcome: PollOutcome,
    cut_short: StopReason | None,
    *,
    sent: Validators,
    now: datetime,
    due: datetime | None,
    interval: int,
    errors_in_a_row: int,
) -> PollRecord:
    """What to record of a poll that fetched `outcome` and stopped storing early for the
    reason `cut_short` (None if it stored everything).

    A poll cut short is "partial", due again at once and with the validators it sent (`sent`),
    not the new ones: the next fetch brings the whole feed back instead of a 304, and what is
    already stored comes back as duplicates. Otherwise the outcome's status and validators,
    next due one interval after it was due (see `poll_started`), later after failures."""
    if cut_short is not None:
        return PollRecord(
            status="partial", etag=sent.etag, last_modified=sent.last_modified, next_poll_at=now
        )
    failures = errors_in_a_row if outcome.error else 0
    start = poll_started(now, due, interval)
    return PollRecord(
        status=outcome.status,
        error=outcome.error,
        etag=outcome.validators.etag,
        last_modified=outcome.validators.last_modified,
        next_poll_at=next_poll_at(start, interval, failures),
    )


def stopped_early(stored: int, left: int, reason: StopReason, budget: float) -> str:
    """Why a poll stored `stored` of its documents and left `left`, in words for the log."""
    total = stored + left
    if reason == "lease_lost":
        return (
            f"its claim passed to another worker after {stored} of {total} documents; "
            "stopped there, the other worker polls it"
        )
    why = (
        f"its time budget ({budget:g} s, TALLYWIRE_POLL_BUDGET) ran out"
        if reason == "time_budget"
        else "the service is stopping"
    )
    return f"stored {stored} of {total} documents before {why}; the rest at the next poll"
