"""Each event's reports that count and its reconciled state, kept between folds.

Folding a document into an event needs the event's state before it (to say what changed) and
its reports (to reconcile it after). Reading every report of the event and reconciling them
again costs as much as the event is large; an event of thousands of reports made each article
cost seconds (issue 15). The state reconciled after one fold is the state before the next, as
long as the event's revision (bot.store.ledger.revisions) has not moved since: another worker's
fold, a corrected article or an undated document moved in all move it, and then the event is
read again. What a fold reconciles is kept only once its transaction commits (`Staged`), so an
aborted fold never leaves a state that the store does not have.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from bot.compose import Message
from bot.reconcile import Event, EventState, Memo, Report, Rules, reconcile_event
from bot.store import ledger

# Events kept at most, the most recently folded: a night's or a week's events, not the archive.
KEPT_EVENTS = 256


@dataclass(frozen=True)
class Known:
    """An event as the store has it at `revision`: its reports that count, in the store's
    order, and their state (None when it has none)."""

    revision: int
    reports: tuple[Report, ...]
    state: EventState | None
    memo: Memo | None = None  # what reconciling `state` derived, for the next fold to take
    summary: tuple[Event, Message] | None = None  # the event's summary of `state`


class KeptEvents:
    """The latest `Known` of the events folded most recently, for one set of rules. One per
    pipeline, passed in; safe to share between threads."""

    def __init__(self, rules: Rules, limit: int = KEPT_EVENTS) -> None:
        self.rules = rules
        self.limit = limit
        self._lock = threading.Lock()
        self._kept: OrderedDict[str, Known] = OrderedDict()

    def get(self, event_id: str) -> Known | None:
        with self._lock:
            return self._kept.get(event_id)

    def stage(self) -> Staged:
        """A fold's own view: what it reconciles, kept here once `commit` is called."""
        return Staged(self)

    def commit(self, staged: Staged) -> None:
        """Keep what `staged` reconciled: call after its transaction committed."""
        with self._lock:
            for event_id, known in staged.known.items():
                self._kept[event_id] = known
                self._kept.move_to_end(event_id)
            while len(self._kept) > self.limit:
                self._kept.popitem(last=False)


class Staged:
    """What one transaction's folds reconciled, event by event, over the kept states."""

    def __init__(self, kept: KeptEvents | None) -> None:
        self.kept = kept
        self.known: dict[str, Known] = {}

    def before(self, conn: Connection, event_ids: Sequence[str], rules: Rules) -> dict[str, Known]:
        """The events as the store has them now (the caller holds their locks): kept ones
        whose revision has not moved, the others read and reconciled."""
        revisions = ledger.revisions(conn, event_ids)
        found: dict[str, Known] = {}
        for event_id in event_ids:
            known = self.known.get(event_id) or (self.kept.get(event_id) if self.kept else None)
            if known is not None and known.revision == revisions.get(event_id):
                found[event_id] = known
        missing = [event_id for event_id in event_ids if event_id not in found]
        by_event: dict[str, list[Report]] = {event_id: [] for event_id in missing}
        for report in ledger.active_reports(conn, missing):
            by_event[report.event_id].append(report)
        for event_id, reports in by_event.items():
            memo = Memo()
            state = reconcile_event(event_id, reports, rules, memo) if reports else None
            found[event_id] = Known(revisions.get(event_id, 0), tuple(reports), state, memo)
        return found

    def after(
        self,
        conn: Connection,
        states: Iterable[tuple[str, Sequence[Report], EventState, Memo, tuple[Event, Message]]],
    ) -> None:
        """Record each event's reports and state after the fold (at its revision now), the
        memo that reconciled it and its summary."""
        states = list(states)
        revisions = ledger.revisions(conn, [event_id for event_id, *_ in states])
        for event_id, reports, state, memo, shown in states:
            memo.forget()
            revision = revisions.get(event_id, 0)
            self.known[event_id] = Known(revision, tuple(reports), state, memo, shown)
