"""Slips of the pen: a figure one digit off the figure its own text states more often.

An article that says each side sent 115 and, further down, that one side received "155" has
mistyped one of them; the count it repeats is the one it means. A report is a slip when its
document states, for the same metric, another value of as many digits (three or more) that
differs from it in exactly one digit (the two not both round) and that it states in more
sentences. A slip is set aside as suspect, never shown as a tally, and only where its key keeps
another report. Pure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.reconcile.reports import Report

MIN_DIGITS = 3  # "15" and "16" are as often two counts as one mistyped


def slips(reports: Sequence[Report]) -> list[Report]:
    """The reports of `reports` (one event's, "each side" already spread) that are slips of
    another figure of their own document (see the module), kept in order."""
    mistyped = slip_values(reports)
    if not mistyped:
        return []
    keys = Counter((r.metric, r.side, r.phase) for r in reports)
    return [
        report
        for report in reports
        if report.value in mistyped.get((report.document_id, report.metric), ())
        and keys[(report.metric, report.side, report.phase)] >= 2  # else nothing else to show
    ]


def slip_values(reports: Sequence[Report]) -> dict[tuple[str, str], set[int]]:
    """Per document and metric of `reports`, the values that are slips of another value of
    theirs (see the module): found from each document's own reports alone."""
    # the sentences stating each value: a report spread to both sides is one statement
    said: dict[tuple[str, str], dict[int, set[str]]] = {}
    for report in reports:
        told = said.setdefault((report.document_id, report.metric), {})
        where = told.get(report.value)
        if where is None:
            told[report.value] = {report.evidence}
        else:
            where.add(report.evidence)
    # Most documents state one value of a metric: only those stating several can have slips.
    mistyped: dict[tuple[str, str], set[int]] = {}
    for doc_metric, told in said.items():
        if len(told) > 1:
            found = {
                value
                for value, mine in told.items()
                if any(
                    len(where) > len(mine) and one_digit_off(other, value)
                    for other, where in told.items()
                )
            }
            if found:
                mistyped[doc_metric] = found
    return mistyped


def one_digit_off(a: int, b: int) -> bool:
    """Whether `a` and `b` have the same digits, MIN_DIGITS or more, but one, and are not both
    round: "300" and "500" are two stages' counts as often as one mistyped."""
    x, y = str(a), str(b)
    if a % 10 == 0 and b % 10 == 0:
        return False
    return len(x) == len(y) >= MIN_DIGITS and sum(p != q for p, q in zip(x, y, strict=True)) == 1
