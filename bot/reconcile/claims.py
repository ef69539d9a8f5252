"""Claims: who stands behind a figure, and when two figures are set against each other.

A report's holder is its claimant where the text names one ("Russia's defence ministry said"),
else the outlet that reports it. Several outlets repeating one claimant's figure are one claim,
not independent agreement; one holder never disputes its own figures (a smaller one is a part of
the whole, or an earlier count). Within one outlet, a figure it gives as its own and a figure it
puts in someone's mouth are not set against each other either: only two named claimants make
a dispute inside one article (issue 14, cause 4).

A claimant names who gives a count, not whose count it is: the side of the figure (the country
attacked, whose people were returned) is part of the tally's key already, so an attacker's
claims about its own air defences never meet the attacked side's figures here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.reconcile.intervals import Interval
from bot.reconcile.reports import Report


@dataclass(frozen=True)
class Claim:
    """What one holder says of one key: `claimant` is the name the text gives (or the outlet's
    when it names no one), `interval` the counts all of the holder's reports in one agreeing
    group allow, `sources` the outlets that carry it."""

    claimant: str
    interval: Interval
    sources: tuple[str, ...]


def holder(report: Report) -> str:
    """Who stands behind a report: its named claimant, else its outlet."""
    return report.claimant or report.source


def same_claim(a: Report, b: Report) -> bool:
    """Whether two reports come from one holder, so never dispute each other: one claimant, or
    one outlet where at most one of the two names a claimant."""
    return same_holder((a.source, a.claimant), (b.source, b.claimant))


def same_holder(a: tuple[str, str | None], b: tuple[str, str | None]) -> bool:
    """`same_claim` of two reports given as their (outlet, claimant)."""
    (source_a, claimant_a), (source_b, claimant_b) = a, b
    if claimant_a and claimant_b:
        return claimant_a == claimant_b
    if source_a == source_b:
        return True
    return (claimant_a or source_a) == (claimant_b or source_b)


def backing(reports: Iterable[Report]) -> int:
    """How many independent claims back a figure: the distinct outlets, but no more than the
    distinct holders. Outlets repeating one claimant are one claim; one article quoting two
    people is still one article, which never outweighs another of its own figures."""
    reports = list(reports)
    return min(len({r.source for r in reports}), len({r.claimant or r.source for r in reports}))


def claims_of(reports: Iterable[Report], interval: Interval) -> list[Claim]:
    """One claim per holder of reports that agree on `interval`. An outlet's own report goes
    with the claimant it quotes in the same group (the first by name), as `same_claim` has it.
    A holder's interval is its reports' common counts; where they do not all meet (a toll's
    earlier counts), the group's."""
    return claims_told(told(reports), interval)


Told = tuple[str, str | None, Interval]  # an outlet, the claimant it names (or None), a figure


def told(reports: Iterable[Report]) -> frozenset[Told]:
    """What the reports tell, as `claims_told` takes it: who says which figure."""
    return frozenset((r.source, r.claimant, r.interval) for r in reports)


def claims_told(triples: Iterable[Told], interval: Interval) -> list[Claim]:
    """`claims_of` the reports that tell `triples` (see `told`): the claims depend on no more."""
    triples = list(triples)
    quoted: dict[str, str] = {}
    for source, claimant, _ in triples:
        if claimant and (source not in quoted or claimant < quoted[source]):
            quoted[source] = claimant  # the first by name
    by_holder: dict[str, tuple[Interval | None, set[str]]] = {}
    for source, claimant, figure in triples:
        name = claimant or quoted.get(source, source)
        narrowed, sources = by_holder.get(name, (figure, set()))
        # Common counts of all the holder's figures, in any order; None once they do not meet.
        narrowed = narrowed.intersect(figure) if narrowed else None
        sources.add(source)
        by_holder[name] = (narrowed, sources)
    return [
        Claim(name, narrowed or interval, tuple(sorted(sources)))
        for name, (narrowed, sources) in sorted(by_holder.items())
    ]


def dispute_claims_told(
    kept: tuple[Iterable[Told], Interval], others: Iterable[tuple[Iterable[Told], Interval]]
) -> tuple[Claim, ...]:
    """`dispute_claims` from what the kept group tells and what each other group's disputed
    reports tell (`told`)."""
    found = claims_told(*kept)
    for triples, interval in others:
        found += claims_told(triples, interval)
    return tuple(sorted(found, key=_claim_order))


def dispute_claims(
    kept: tuple[Sequence[Report], Interval],
    others: Iterable[tuple[Sequence[Report], Interval]],
    disputed: Iterable[Report],
) -> tuple[Claim, ...]:
    """Every holder's figure in a conflict: the kept group's (its reports and interval), and
    of each other group the reports `disputed` holds; by interval, then by claimant."""
    found = claims_of(*kept)
    # By identity: reports equal in value are in one group, and rivals of it or not alike.
    against = {id(r) for r in disputed}
    for reports, interval in others:
        found += claims_of([r for r in reports if id(r) in against], interval)
    return tuple(sorted(found, key=_claim_order))


def _claim_order(claim: Claim) -> tuple[int, int, str]:
    high = claim.interval.high
    return (claim.interval.low, high if high is not None else 2**62, claim.claimant)


def rivals(reports: Iterable[Report], backers: Iterable[Report]) -> list[Report]:
    """The reports that are no claim of any backer's (`same_claim` with none of them): what a
    tally sets against the figure it keeps. Linear in both, as events grow large."""
    return Kin.of(backers).rivals(reports)


@dataclass(frozen=True)
class Kin:
    """Who backs a figure, as `rivals` asks: the outlets, those reporting it as their own, and
    the holders."""

    outlets: frozenset[str]
    unnamed_outlets: frozenset[str]
    holders: frozenset[str]

    @classmethod
    def of(cls, backers: Iterable[Report]) -> Kin:
        outlets: set[str] = set()
        unnamed_outlets: set[str] = set()
        holders_seen: set[str] = set()
        for backer in backers:
            outlets.add(backer.source)
            holders_seen.add(holder(backer))
            if not backer.claimant:
                unnamed_outlets.add(backer.source)
        return cls(frozenset(outlets), frozenset(unnamed_outlets), frozenset(holders_seen))

    def rival(self, source: str, claimant: str | None) -> bool:
        """Whether a report of `source` giving `claimant` (None: its own) is a rival."""
        if claimant:
            return not (claimant in self.holders or source in self.unnamed_outlets)
        return not (source in self.outlets or source in self.holders)

    def rivals_among(
        self, reports: Sequence[Report], pairs: Iterable[tuple[str, str | None]]
    ) -> Sequence[Report]:
        """`self.rivals(reports)`, where `pairs` are the reports' (outlet, claimant): all or
        none of them without looking at each, when all pairs or none are rivals."""
        verdicts = {self.rival(source, claimant) for source, claimant in pairs}
        if verdicts == {True}:
            return reports
        if verdicts == {False}:
            return ()
        return self.rivals(reports)

    def rivals(self, reports: Iterable[Report]) -> list[Report]:
        """`rivals(reports, backers)` for the backers this is of."""
        found = []
        for report in reports:
            if report.claimant:
                kin = report.claimant in self.holders or report.source in self.unnamed_outlets
            else:
                kin = report.source in self.outlets or report.source in self.holders
            if not kin:
                found.append(report)
        return found
