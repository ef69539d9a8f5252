"""Figures: the counts the extractor reads from a document (shared/figures.md, "A figure")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

QUALIFIERS = ("exact", "at_least", "more_than", "about", "nearly", "up_to")
SIDES = ("ukraine", "russia", "both")


@dataclass(frozen=True)
class Figure:
    """One reported count.

    `metric` is an id of the vocabulary (figures.md's table, or one a config adds); `value` the
    count with number words turned to digits; `qualifier` one of QUALIFIERS; `event_date` the
    local day the counted thing happened, None where the text does not allow a date; `side` one
    of SIDES or None; `source` the document id; `evidence` the sentence, verbatim; `claimant`
    who the text says gives the count ("Russia's defence ministry", "Zelensky"), None where it
    names no one (the outlet's own report); `place` the place the count is a part for ("Moscow
    region", "Obolon district"), None when it counts the whole event; `earlier` True for a
    figure of an earlier event than the one the document is about, which the text does not date
    ("In early August the two sides swapped 84 each"): it joins none of the document's events.
    """

    metric: str
    value: int
    qualifier: str
    event_date: date | None
    side: str | None
    source: str
    evidence: str
    claimant: str | None = None
    place: str | None = None
    earlier: bool = False

    def as_json(self) -> dict[str, object]:
        """The figure with the field names of figures.md; the date as ISO text or None."""
        return {
            "metric": self.metric,
            "value": self.value,
            "qualifier": self.qualifier,
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "side": self.side,
            "source": self.source,
            "evidence": self.evidence,
            "claimant": self.claimant,
            "place": self.place,
        }
