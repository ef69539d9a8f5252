"""Undated documents: which dated event a document with no date at all belongs to.

A document with no publication day and no day in any of its figures cannot be placed by date
(issue 14, cause 6). Its figures of one topic (and, for an attack, one attacked country) join the
dated event whose tallies they match: at least `MIN_MEETING` metrics meeting, none contradicting.
Only a bounded figure of a metric that does not grow is evidence: a toll lower or higher than
the event's is an earlier or a later count, and "at least 40" meets most nights' tolls; a
place's figure is a part. These say nothing either way. Matched against what dated documents
say of each event, so the choice depends on the set of documents, not on their order. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from bot.reconcile.engine import EventState
from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report, topic_of

MIN_MEETING = 2  # metrics that must meet: one shared figure may be chance ("479 drones")


def undated(published: date | None, days: Iterable[date | None]) -> bool:
    """Whether a document gives no day at all: no publication day, no day in any figure."""
    return published is None and all(day is None for day in days)


def home_of(report: Report) -> str:
    """The event an undated document's report makes of its own (`place_figures`'s id): one per
    topic, and for an attack one per attacked country."""
    topic = topic_of(report.metric)
    if topic == "swap":
        return f"swap-{report.document_id}"
    return f"{topic}-{report.side or 'unknown'}-{report.document_id}"


def fit(reports: Sequence[Report], state: EventState, tolls: frozenset[str]) -> int | None:
    """How many metrics (by side) of `reports` meet the event's tallies, or None when one
    contradicts them. A metric the event has no tally of says nothing, nor tolls, open-ended
    figures and places' figures."""
    wanted: dict[tuple[str, str | None], list[Interval]] = {}
    for report in reports:
        if report.place is None and report.metric not in tolls and report.interval.high is not None:
            for one in report.per_side:
                wanted.setdefault((one.metric, one.side), []).append(one.interval)
    known: dict[tuple[str, str | None], list[Interval]] = {}
    for tally in state.tallies:
        if tally.interval is not None:
            known.setdefault((tally.metric, tally.side), []).append(tally.interval)
    meeting = 0
    for key, intervals in wanted.items():
        if key not in known:
            continue
        if not any(i.meets(t) for i in intervals for t in known[key]):
            return None
        meeting += 1
    return meeting


def best_event(
    reports: Sequence[Report], states: Mapping[str, EventState], tolls: frozenset[str]
) -> str | None:
    """The event of `states` that `reports` (one undated document's, of one home) match best:
    the most metrics meeting, at least `MIN_MEETING`, none contradicting; among equals the first
    by id. None when no event matches."""
    scored = []
    for event_id, state in states.items():
        meeting = fit(reports, state, tolls)
        if meeting is not None and meeting >= MIN_MEETING:
            scored.append((-meeting, event_id))
    return min(scored)[1] if scored else None
