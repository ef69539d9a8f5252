"""Places: a figure for one place is a part of its event, not the event's whole (issue 14,
cause 5: "52 of the drones were shot down over the Moscow region").

Where the event has a figure of its own for a metric (and side, and phase), a place's figure of
that metric is left out of its tally and checks: it is kept as that place's (`EventState.parts`),
never counted as the event's. Where the texts give no figure of the whole, only places':
- one place's figures are the event's as far as the texts know it ("two fires broke out in the
  Solomianskyi district", the only fires reported), counted as they are;
- several places' figures say only that the whole is at least each of them: each stands in as
  a floor ("at least 13", for 13 over the Volgograd region and 5 over the Rostov region with no
  total given). Parts are never added up: the places named may not be all. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Set

from bot.reconcile.reports import PER_SIDE, Report

PartKey = tuple[str, str | None, object]  # metric, side, phase


def counted(reports: Iterable[Report]) -> tuple[list[Report], list[Report]]:
    """(The reports that count toward the event's tallies, the places' reports.) The first are
    every report without a place, and a floor for each place's report of a key with none."""
    wholes: list[Report] = []
    parts: list[Report] = []
    for report in reports:
        (parts if report.place else wholes).append(report)
    return wholes + standing(parts, covered_keys(wholes)), parts


def covered_keys(wholes: Iterable[Report]) -> set[PartKey]:
    """The keys that reports of the whole event count: a place's report of one of them is
    only a part."""
    return {key for report in wholes for key in _keys(report)}


def part_keys(parts: Iterable[Report]) -> set[PartKey]:
    """The keys the places' reports count a part of."""
    return {key for report in parts for key in _keys(report)}


def standing(
    parts: Iterable[Report],
    covered: set[PartKey],
    floor: Callable[[Report], Report] | None = None,
    places: Mapping[PartKey, Set[str | None]] | None = None,
) -> list[Report]:
    """The places' reports that count toward the tallies, as `counted` has them: each of a key
    no report of the whole counts (`covered`), as it is where one place counts that key, else
    as a floor (`as_floor`, or what `floor` gives for it). `parts` must hold every place's
    report of any key not covered, unless `places` gives the places of every such key."""
    floor = floor or as_floor
    parts = list(parts)
    if places is None:
        places = part_places(parts)
    found = []
    for report in parts:
        keys = _keys(report)
        if covered.intersection(keys):
            continue
        if all(len(places[key]) == 1 for key in keys):
            found.append(report)
        else:
            found.append(floor(report))
    return found


def part_places(parts: Iterable[Report]) -> dict[PartKey, set[str | None]]:
    """The places the places' reports count each key for."""
    places: dict[PartKey, set[str | None]] = {}
    for report in parts:
        for key in _keys(report):
            places.setdefault(key, set()).add(report.place)
    return places


def as_floor(report: Report) -> Report:
    """A place's report as a floor under the whole: "at least" its count."""
    return report.replaced(value=report.interval.low, qualifier="at_least")


def _keys(report: Report) -> list[PartKey]:
    sides = PER_SIDE if report.side == "both" else (report.side,)
    return [(report.metric, side, report.phase) for side in sides]


def part_order(report: Report) -> tuple[object, ...]:
    """An order of parts by every field two of them may differ in, so any order sorts to one."""
    return (
        report.place or "",
        report.metric,
        report.side or "",
        report.value,
        report.qualifier,
        report.source,
        report.claimant or "",
        report.document_id,
        report.evidence,
        report.reported_at,
    )
