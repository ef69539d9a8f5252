"""Groups counted side by side in one sentence add up (figures.md: coordinated groups are parts).

"185 soldiers and 20 civilians were brought home", "shot down six Kinzhal missiles and 12 other
missiles": each group is a figure of the same metric, side and day, and neither counts the
event; their sum does. One more report, of the sum, goes with the parts of every such sentence.
Not where one of the counts is the sum of the others ("90 prisoners, 40 soldiers and 50
civilians": the whole is there), nor where the sentence breaks a whole down ("downed 250
drones, including 12 over Moscow", "six of them over Kyiv"), nor for hedged counts, nor for
counts of one place (a part by place adds up with its whole elsewhere, bot.reconcile.places).
Pure.
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
