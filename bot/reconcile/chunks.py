"""An event's reports document by document: what reconciling derives from one document alone,
derived once per document (issue 15).

Adding up the groups of one sentence (bot.reconcile.groups), spreading "each side" to both
sides and finding the values a document mistyped (bot.reconcile.slips) never look beyond one
document, and an event's reports are its documents' reports one document after another (the
store keeps each document's reports together). So these steps run per document, the memo keeps
them across folds, and the event's lists per key are put together from the documents': a fold
derives them for its own document only. The steps that look across documents (the places'
reports that count, bot.reconcile.places; a swap's phase days, bot.reconcile.phases) run on
what the documents' give, and put their reports where the plain path has them. Where a
document's reports are not together, or one counts a group added to a swap (whose sums
groups.with_additions makes), there is no shortcut: None, and the engine takes its plain path.
Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import groupby
from operator import attrgetter

from bot.reconcile.groups import with_additions, with_sums
from bot.reconcile.phases import DayPlan
from bot.reconcile.places import (
    PartKey,
    as_floor,
    covered_keys,
    part_keys,
    part_places,
    standing,
)
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
    phased: bool  # a report of a swap's phases
    added: bool  # a group added to a swap's count (groups.with_additions): no shortcut
    reports: dict[TallyKey, list[Report]]
    sums: dict[TallyKey, list[Report]]
    slipped: tuple[Report, ...]
    slipped_sums: tuple[Report, ...]
    spread: tuple[Report, ...]
    spread_sums: tuple[Report, ...]
    parts: tuple[Report, ...] = ()
    covered: frozenset[PartKey] = frozenset()
    part_keys: frozenset[PartKey] = frozenset()
    places: dict[PartKey, set[str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Spread:
    """An event's reports as the engine groups them: by key, the slips of the pen left out
    (`mistyped`, in the order the plain path finds them), and the places' reports."""

    by_key: dict[TallyKey, list[Report]]
    mistyped: tuple[Report, ...]
    parts: list[Report]


@dataclass(frozen=True)
class _Documents:
    """An event's documents as the shortcut puts them together, grown fold by fold: each
    document's `_Document`, its reports of the whole and its sums by key across documents,
    the keys reports of the whole count, and where places' reports count parts."""

    ids: frozenset[str]
    documents: tuple[_Document, ...]
    reports: dict[TallyKey, list[Report]]
    sums: dict[TallyKey, list[Report]]
    covered: frozenset[PartKey]
    places: dict[PartKey, frozenset[str | None]]  # the places parts of each key count
    slipped: tuple[Report, ...]
    slipped_sums: tuple[Report, ...]
    parts: tuple[Report, ...] = ()
    index: dict[str, int] = field(default_factory=dict)  # each document's place
    phased: bool = False  # reports of a swap's phases, whose days may move
    apart: bool = False  # a document's reports apart from each other

    def grown(self, added: Sequence[Report], phase_metric: str | None, memo: Memo) -> _Documents:
        """These documents and those of `added` after them; these are left as they were."""
        if self.apart:
            return self
        ids, documents = set(self.ids), list(self.documents)
        reports, sums = dict(self.reports), dict(self.sums)
        covered, places = set(self.covered), dict(self.places)
        slipped, slipped_sums = list(self.slipped), list(self.slipped_sums)
        parts, index, phased = list(self.parts), dict(self.index), self.phased
        for document_id, run in groupby(added, _DOCUMENT):
            chunk = tuple(run)
            found = memo.recall(
                ("document", phase_metric), chunk, partial(_document, chunk, phase_metric)
            )
            if document_id in ids or found.added:
                return _APART
            ids.add(document_id)
            index[document_id] = len(documents)
            phased = phased or found.phased
            for key, named in found.places.items():
                if not named <= places.get(key, frozenset()):
                    places[key] = places.get(key, frozenset()) | named
            documents.append(found)
            _extend(reports, found.reports)
            _extend(sums, found.sums)
            covered.update(found.covered)
            slipped.extend(found.slipped)
            slipped_sums.extend(found.slipped_sums)
            parts.extend(found.parts)
        return _Documents(
            frozenset(ids), tuple(documents), reports, sums, frozenset(covered), places,
            tuple(slipped), tuple(slipped_sums), tuple(parts), index, phased,
        )  # fmt: skip


_NONE = _Documents(frozenset(), (), {}, {}, frozenset(), {}, (), ())
_APART = _Documents(frozenset(), (), {}, {}, frozenset(), {}, (), (), (), apart=True)


def _extend(lists: dict[TallyKey, list[Report]], more: dict[TallyKey, list[Report]]) -> None:
    """Each key's list in `lists` with `more`'s after it, in a new list (the old one is kept)."""
    for key, items in more.items():
        lists[key] = [*lists.get(key, ()), *items]


def spread_by_document(
    reports: Sequence[Report], phase_metric: str | None, memo: Memo
) -> Spread | None:
    """The reports of one event by key, as the engine's plain path spreads them, put together
    from each document's; None where there is no shortcut (see the module)."""
    found = memo.extend(
        ("documents", phase_metric),
        reports,
        lambda reports: _NONE.grown(reports, phase_metric, memo),
        lambda documents, added: documents.grown(added, phase_metric, memo),
    )
    if found.apart:
        return None
    several = frozenset(
        key for key, named in found.places.items() if len(named) > 1 and key not in found.covered
    )
    signature = (found.covered, several)
    held = memo.extend(
        ("standing", phase_metric),
        reports,
        lambda reports: _Standing.of(found, signature, memo),
        lambda held, added: held.grown(found, signature, memo),
    )
    if held.added:
        return None
    standing_spread = list(held.spread)
    slipped = _all_slipped(found, held, memo)
    main, sums = found.reports, found.sums
    if found.phased and phase_metric is not None:
        plan = DayPlan(_days(found, standing_spread, phase_metric), phase_metric, memo)
        placed = memo.extend(
            ("placed", phase_metric),
            reports,
            lambda reports: _Placed.of(found, plan),
            lambda placed, added: placed.grown(found, plan),
        )
        main, sums = placed.reports, placed.sums
        standing_spread = [plan.place(r) for r in standing_spread]
        slipped = [plan.place(r) for r in slipped]
    by_key = {key: list(items) for key, items in main.items()}
    for report in standing_spread:
        by_key.setdefault((report.metric, report.side, report.phase), []).append(report)
    for key, items in sums.items():
        by_key.setdefault(key, []).extend(items)
    spread = Spread(by_key, (), list(found.parts))
    return _without_slips(spread, slipped) if slipped else spread


def _days(
    found: _Documents, standing_spread: Sequence[Report], phase_metric: str
) -> dict[tuple[str | None, date], list[Report]]:
    """Each phase day's reports (of its side), in the plain path's order."""
    by_day: dict[tuple[str | None, date], list[Report]] = {}
    for lists in (found.reports, _by_key(standing_spread), found.sums):
        for (metric, side, day), items in lists.items():
            if metric == phase_metric and day is not None:
                by_day[(side, day)] = [*by_day.get((side, day), ()), *items]
    return by_day


@dataclass(frozen=True)
class _Placed:
    """The documents' reports of the whole and sums by key, as the plan of phase days has
    them: kept while the plan's signature holds, grown with the documents added."""

    signature: tuple[object, ...]
    count: int  # the documents placed
    reports: dict[TallyKey, list[Report]]
    sums: dict[TallyKey, list[Report]]

    @classmethod
    def of(cls, found: _Documents, plan: DayPlan) -> _Placed:
        return cls(plan.signature, 0, {}, {}).grown(found, plan)

    def grown(self, found: _Documents, plan: DayPlan) -> _Placed:
        """These and the documents of `found` after them; all of them again when the plan
        moved (these are left as they were)."""
        if plan.signature != self.signature:
            return _Placed(plan.signature, 0, {}, {}).grown(found, plan)
        reports, sums = dict(self.reports), dict(self.sums)
        for document in found.documents[self.count :]:
            if document.phased:
                _extend(reports, _by_key([plan.place(r) for r in document.spread]))
                _extend(sums, _by_key([plan.place(r) for r in document.spread_sums]))
            else:
                _extend(reports, document.reports)
                _extend(sums, document.sums)
        return _Placed(self.signature, len(found.documents), reports, sums)


def _floor(memo: Memo, report: Report) -> Report:
    """`as_floor(report)`, the same object from fold to fold."""
    return memo.recall(("floor",), (report,), partial(as_floor, report))


@dataclass(frozen=True)
class _Standing:
    """The places' reports that count (bot.reconcile.places.standing), document by document,
    "each side" spread, and the slips of the documents that have some: kept while the keys the
    reports of the whole count and the keys counted for several places hold, grown with the
    documents added."""

    signature: tuple[object, ...]
    count: int  # the documents looked at
    by_document: dict[str, list[Report]]
    spread: tuple[Report, ...]
    ends: tuple[Report, ...]  # the slips among `spread`
    same: bool  # the documents with some have the slips of their other reports they had
    added: bool = False  # with them, a document counts a group added to a swap: no shortcut

    @classmethod
    def of(cls, found: _Documents, signature: tuple[object, ...], memo: Memo) -> _Standing:
        return cls(signature, 0, {}, (), (), True)._all(found, memo)

    def grown(self, found: _Documents, signature: tuple[object, ...], memo: Memo) -> _Standing:
        """These and the documents of `found` after them; all of them again when the
        signature moved (these are left as they were)."""
        if signature != self.signature:
            return _Standing.of(found, signature, memo)
        return self._all(found, memo)

    def _all(self, found: _Documents, memo: Memo) -> _Standing:
        by_document, spread = dict(self.by_document), list(self.spread)
        ends, same, added = list(self.ends), self.same, self.added
        covered, floor = set(found.covered), partial(_floor, memo)
        for document in found.documents[self.count :]:
            if not document.parts or document.part_keys <= covered:
                continue
            mine = standing(document.parts, covered, floor, found.places)
            if not mine:
                continue
            by_document[document.document_id] = mine
            spread.extend(each for report in mine for each in report.per_side)
            added = added or _adds(
                [*document.spread, *(e for r in mine for e in r.per_side), *document.spread_sums]
            )
            again = memo.recall(
                ("slipped",), [*document.spread, *mine], partial(_slipped_with, document, mine)
            )
            ends.extend(again[1])
            same = same and (again[0], again[2]) == (document.slipped, document.slipped_sums)
        count = len(found.documents)
        return _Standing(
            self.signature, count, by_document, tuple(spread), tuple(ends), same, added
        )


def _all_slipped(found: _Documents, held: _Standing, memo: Memo) -> list[Report]:
    """The reports that may be slips, in the order the plain path spreads them: the reports of
    the whole, the places' that count, the sums. A document with places' reports that count
    has its slips found again with them; the others' were found once."""
    if held.same:
        return [*found.slipped, *held.ends, *found.slipped_sums]
    main: list[Report] = []
    sums: list[Report] = []
    for document in found.documents:
        mine = held.by_document.get(document.document_id)
        if mine:
            again = memo.recall(
                ("slipped",), [*document.spread, *mine], partial(_slipped_with, document, mine)
            )
            main.extend(again[0])
            sums.extend(again[2])
        else:
            main.extend(document.slipped)
            sums.extend(document.slipped_sums)
    return [*main, *held.ends, *sums]


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
        _adds([*spread, *spread_sums]),
        _by_key(spread),
        _by_key(spread_sums),
        _slipped(spread, mistyped),
        _slipped(spread_sums, mistyped),
        spread,
        spread_sums,
        parts,
        frozenset(covered_keys(wholes)),
        frozenset(part_keys(parts)),
        part_places(parts),
    )


def _adds(spread: Sequence[Report]) -> bool:
    """Whether a document's reports (spread) count a group added to a swap: a sum that
    groups.with_additions adds, which the shortcut does not place."""
    return len(with_additions(spread)) > len(spread)


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
        # Only reports of the slips' documents can equal one: the others are not hashed.
        out, documents = set(mistyped), {r.document_id for r in mistyped}
        for key in {(r.metric, r.side, r.phase) for r in mistyped}:
            by_key[key] = [r for r in by_key[key] if r.document_id not in documents or r not in out]
    return Spread(by_key, mistyped, spread.parts)
