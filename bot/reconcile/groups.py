"""Groups counted side by side in one sentence add up (figures.md: coordinated groups are parts).

"185 soldiers and 20 civilians were brought home", "shot down six Kinzhal missiles and 12 other
missiles": each group is a figure of the same metric, side and day, and neither counts the
event; their sum does. One more report, of the sum, goes with the parts of every such sentence.
Not where one of the counts is the sum of the others ("90 prisoners, 40 soldiers and 50
civilians": the whole is there), nor where the sentence breaks a whole down ("downed 250
drones, including 12 over Moscow", "six of them over Kyiv"), nor for hedged counts, nor for
counts of one place (a part by place adds up with its whole elsewhere, bot.reconcile.places).

A group said to be added to a swap ("the swap additionally included 20 civilians from each
side", "20 civilians were also released") adds up with the largest count of its document for
the same metric, side and day, told in the sentence before or in its own: one more report, of
the sum, goes with it (with_additions). Pure.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from bot.reconcile.reports import Report

_BREAKDOWN = re.compile(
    r"\b(?:including|included|among|of (?:them|whom|which|those|these))\b", re.I
)
_Sentence = tuple[str, str, str, str | None, date | None, str | None]
# Words that add a group to the count of one swap, not to a whole already given ("also received"
# is the other side's count, "including" a breakdown).
_ADDITION = re.compile(
    r"\b(?:additionally|in addition to|also includ(?:ed|es)|(?:were|was) also "
    r"(?:released|freed|returned|exchanged|handed over|brought home|swapped))\b",
    re.I,
)
_DIGITS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b")
_ADDED = "swap.released"  # the metric whose groups are added to one swap


def with_sums(reports: Sequence[Report]) -> list[Report]:
    """`reports` and, per sentence that counts two or more groups of one metric, side and day,
    a report of their sum (the first group's report, with the sum for its value)."""
    groups: dict[_Sentence, list[Report]] = defaultdict(list)
    # Each sentence is searched once: an event's reports share their sentences.
    breakdown: dict[str, bool] = {}
    for report in reports:
        if report.qualifier == "exact" and report.place is None:
            evidence = report.evidence
            broken = breakdown.get(evidence)
            if broken is None:
                broken = breakdown[evidence] = _BREAKDOWN.search(evidence) is not None
            if broken:
                continue
            key = (
                report.document_id,
                report.evidence,
                report.metric,
                report.side,
                report.event_date,
                report.claimant,
            )
            groups[key].append(report)
    sums = [
        found[0].replaced(value=total)
        for found in groups.values()
        if len(found) > 1
        and not any(2 * r.value == (total := sum(f.value for f in found)) for r in found)
    ]
    return [*reports, *sums]


def with_additions(reports: Sequence[Report]) -> list[Report]:
    """`reports` (one side each: "each side" already spread) and, per report of a group said to
    be added to a swap, a report of its sum with the largest exact count of its document for
    the same metric, side and day that is no addition itself (the first group's count)."""
    added = [r for r in reports if _adds(r)]
    if not added:
        return list(reports)
    bases: dict[tuple[str, str | None, date | None], int] = {}
    for report in reports:
        if report.metric == _ADDED and report.qualifier == "exact" and not _adds(report):
            key = (report.document_id, report.side, report.event_date)
            bases[key] = max(bases.get(key, 0), report.value)
    sums = []
    for report in added:
        base = bases.get((report.document_id, report.side, report.event_date), 0)
        if base > report.value:
            sums.append(report.replaced(value=base + report.value))
    return [*reports, *sums]


def _adds(report: Report) -> bool:
    """Whether the report counts the group its sentence says was added: the number nearest to
    the words of an addition is its value ("adding that 20 civilians were also released": 20,
    not the 185 before it)."""
    if report.metric != _ADDED or report.qualifier != "exact" or report.place is not None:
        return False
    text = report.evidence
    numbers = [
        (m.start(), m.end(), int(m.group().replace(",", ""))) for m in _DIGITS.finditer(text)
    ]
    for hit in _ADDITION.finditer(text):
        nearest = min(
            numbers,
            key=lambda n: n[0] - hit.end() if n[0] >= hit.end() else hit.start() - n[1],
            default=None,
        )
        if nearest is not None and nearest[2] == report.value:
            return True
    return False
