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
from bot.reconcile.places import PartKey, as_floor, covered_keys, part_keys, standing
from bot.reconcile.reports import Report
from bot.reconcile.slips import slip_values
from bot.reconcile.tallies import Memo, TallyKey

_DOCUMENT = attrgetter("document_id")


@dataclass(frozen=True)
class _Document:
    """What one document's reports give the engine: its reports of the whole event and the
    sums of its sentences, "each side" spread, by key (in order), and the ones of each that may
    be slips; its places' reports, the keys its reports of the whole count and those its
    places' reports count a part of."""

    document_id: str
    phased: bool  # a report of a swap's phases: no shortcut
    reports: dict[TallyKey, list[Report]]
    sums: dict[TallyKey, list[Report]]
    slipped: tuple[Report, ...]
    slipped_sums: tuple[Report, ...]
    spread: tuple[Report, ...]
    spread_sums: tuple[Report, ...]
    parts: tuple[Report, ...] = ()
    covered: frozenset[PartKey] = frozenset()
    part_keys: frozenset[PartKey] = frozenset()


@dataclass(frozen=True)
class Spread:
    """An event's reports as the engine groups them: by key, the slips of the pen left out
    (`mistyped`, in the order the plain path finds them), and the places' reports."""

    by_key: dict[TallyKey, list[Report]]
    mistyped: tuple[Report, ...]
    parts: list[Report]


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
        if found.phased:
            return None
        documents.append(found)
    placed = [d for d in documents if d.parts]
    standing_by_document: dict[str, list[Report]] = {}
    parts: list[Report] = []
    if placed:
        covered: set[PartKey] = set().union(*(d.covered for d in documents))
        parts = [r for d in placed for r in d.parts]
        loose = [r for d in placed if not d.part_keys <= covered for r in d.parts]
        floor = partial(_floor, memo)
        for report in standing(loose, covered, floor):
            standing_by_document.setdefault(report.document_id, []).append(report)
    by_key: dict[TallyKey, list[Report]] = {}
    for document in documents:
        for key, items in document.reports.items():
            by_key.setdefault(key, []).extend(items)
    standing_spread = [e for rs in standing_by_document.values() for r in rs for e in r.per_side]
    for report in standing_spread:
        by_key.setdefault((report.metric, report.side, report.phase), []).append(report)
    for document in documents:
        for key, items in document.sums.items():
            by_key.setdefault(key, []).extend(items)
    slipped = _all_slipped(documents, standing_by_document, memo)
    spread = Spread(by_key, (), parts)
    return _without_slips(spread, slipped) if slipped else spread


def _floor(memo: Memo, report: Report) -> Report:
    """`as_floor(report)`, the same object from fold to fold."""
    return memo.recall(("floor",), (report,), partial(as_floor, report))


def _all_slipped(
    documents: Sequence[_Document], standing_by_document: dict[str, list[Report]], memo: Memo
) -> list[Report]:
    """The reports that may be slips, in the order the plain path spreads them: the reports of
    the whole, the places' that count, the sums. A document with places' reports that count
    has its slips found again with them."""
    main: list[Report] = []
    sums: list[Report] = []
    ends: list[Report] = []
    for document in documents:
        mine = standing_by_document.get(document.document_id)
        if not mine:
            main.extend(document.slipped)
            sums.extend(document.slipped_sums)
            continue
        found = memo.recall(
            ("slipped",), [*document.spread, *mine], partial(_slipped_with, document, mine)
        )
        main.extend(found[0])
        ends.extend(found[1])
        sums.extend(found[2])
    return [*main, *ends, *sums]


def _slipped_with(
    document: _Document, mine: Sequence[Report]
) -> tuple[tuple[Report, ...], tuple[Report, ...], tuple[Report, ...]]:
    """A document's reports that may be slips, with its places' reports that count (`mine`):
    of its reports of the whole, of `mine` and of its sums."""
    spread = [each for report in mine for each in report.per_side]
    mistyped = slip_values([*document.spread, *spread, *document.spread_sums])
    return (
        _slipped(document.spread, mistyped),
        _slipped(spread, mistyped),
        _slipped(document.spread_sums, mistyped),
    )


def _document(reports: tuple[Report, ...], phase_metric: str | None) -> _Document:
    wholes = tuple(r for r in reports if not r.place)
    parts = tuple(r for r in reports if r.place)
    sums = with_sums(wholes)[len(wholes) :]
    spread = tuple(each for report in wholes for each in report.per_side)
    spread_sums = tuple(each for report in sums for each in report.per_side)
    phased = phase_metric is not None and any(
        r.metric == phase_metric for r in (*spread, *spread_sums, *parts)
    )
    mistyped = slip_values([*spread, *spread_sums])
    return _Document(
        reports[0].document_id,
        phased,
        _by_key(spread),
        _by_key(spread_sums),
        _slipped(spread, mistyped),
        _slipped(spread_sums, mistyped),
        spread,
        spread_sums,
        parts,
        frozenset(covered_keys(wholes)),
        frozenset(part_keys(parts)),
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


def _without_slips(spread: Spread, slipped: list[Report]) -> Spread:
    """As bot.reconcile.slips and the engine's `_mistyped` have it: a report that may be a slip
    is one where its key has another report; it is left out where its key keeps a report that
    is none."""
    by_key = spread.by_key
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
    return Spread(by_key, mistyped, spread.parts)
