"""An event's reports document by document: what reconciling derives from one document alone,
derived once per document (issue 15).

Adding up the groups of one sentence (bot.reconcile.groups), spreading "each side" to both
sides and finding the values a document mistyped (bot.reconcile.slips) never look beyond one
document, and an event's reports are its documents' reports one document after another (the
store keeps each document's reports together). So these steps run per document, the memo keeps
them across folds, and the event's lists per key are put together from the documents': a fold
derives them for its own document only. Where the steps look across documents (a report of one
place, a swap's phase) or a document's reports are not together, there is no shortcut: None,
and the engine takes its plain path. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from operator import attrgetter

from bot.reconcile.groups import with_sums
from bot.reconcile.reports import Report
from bot.reconcile.slips import slip_values
from bot.reconcile.tallies import Memo, TallyKey

_DOCUMENT = attrgetter("document_id")


@dataclass(frozen=True)
class _Document:
    """What one document's reports give the engine: its reports, then the sums of its
    sentences, "each side" spread, by key (in order); the ones of each that may be slips."""

    apart: bool  # a report of one place, or of a swap's phases: no shortcut
    reports: dict[TallyKey, list[Report]]
    sums: dict[TallyKey, list[Report]]
    slipped: tuple[Report, ...]
    slipped_sums: tuple[Report, ...]


@dataclass(frozen=True)
class Spread:
    """An event's reports as the engine groups them: by key, the slips of the pen left out
    (`mistyped`, in the order the plain path finds them)."""

    by_key: dict[TallyKey, list[Report]]
    mistyped: tuple[Report, ...]


def spread_by_document(
    reports: Sequence[Report], phase_metric: str | None, memo: Memo
) -> Spread | None:
    """The reports of one event by key, as the engine's plain path spreads them, put together
    from each document's; None where there is no shortcut (see the module)."""
    documents: list[_Document] = []
    seen: set[str] = set()
    for document_id, run in groupby(reports, _DOCUMENT):
        if document_id in seen:
            return None  # a document's reports apart from each other: the plain path
        seen.add(document_id)
        chunk = tuple(run)
        found = memo.recall(
            ("document", phase_metric), chunk, partial(_document, chunk, phase_metric)
        )
        if found.apart:
            return None
        documents.append(found)
    by_key: dict[TallyKey, list[Report]] = {}
    for document in documents:
        for key, items in document.reports.items():
            by_key.setdefault(key, []).extend(items)
    for document in documents:
        for key, items in document.sums.items():
            by_key.setdefault(key, []).extend(items)
    slipped = [r for d in documents for r in d.slipped] + [
        r for d in documents for r in d.slipped_sums
    ]
    return _without_slips(by_key, slipped) if slipped else Spread(by_key, ())


def _document(reports: tuple[Report, ...], phase_metric: str | None) -> _Document:
    sums = with_sums(reports)[len(reports) :]
    spread = [each for report in reports for each in report.per_side]
    spread_sums = [each for report in sums for each in report.per_side]
    apart = any(r.place is not None for r in reports) or any(
        r.metric == phase_metric for r in (*spread, *spread_sums)
    )
    mistyped = slip_values([*spread, *spread_sums])
    return _Document(
        apart,
        _by_key(spread),
        _by_key(spread_sums),
        _slipped(spread, mistyped),
        _slipped(spread_sums, mistyped),
    )


def _by_key(reports: Sequence[Report]) -> dict[TallyKey, list[Report]]:
    found: dict[TallyKey, list[Report]] = {}
    for report in reports:
        found.setdefault((report.metric, report.side, report.phase), []).append(report)
    return found


def _slipped(
    reports: Sequence[Report], mistyped: dict[tuple[str, str], set[int]]
) -> tuple[Report, ...]:
    if not mistyped:
        return ()
    return tuple(r for r in reports if r.value in mistyped.get((r.document_id, r.metric), ()))


def _without_slips(by_key: dict[TallyKey, list[Report]], slipped: list[Report]) -> Spread:
    """As bot.reconcile.slips and the engine's `_mistyped` have it: a report that may be a slip
    is one where its key has another report; it is left out where its key keeps a report that
    is none."""
    found = [r for r in slipped if len(by_key[(r.metric, r.side, r.phase)]) >= 2]
    counts: dict[TallyKey, int] = {}
    for report in found:
        key = (report.metric, report.side, report.phase)
        counts[key] = counts.get(key, 0) + 1
    kept = {key for key, count in counts.items() if len(by_key[key]) > count}
    mistyped = tuple(r for r in found if (r.metric, r.side, r.phase) in kept)
    if mistyped:
        out = set(mistyped)
        for key in {(r.metric, r.side, r.phase) for r in mistyped}:
            by_key[key] = [r for r in by_key[key] if r not in out]
    return Spread(by_key, mistyped)
