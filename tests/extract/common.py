"""What the extractor tests share: the shipped vocabulary, and figures as comparable tuples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.extract import extract, load_vocabulary

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
VOCABULARY = load_vocabulary(REPO / "config" / "metrics.toml")
SUNDAY = date(2025, 6, 1)  # the publication day of the tables' sentences

Key = tuple[str, int, str, str | None]


def keys(text: str, published: date | None = SUNDAY) -> set[Key]:
    """The (metric, value, qualifier, side) of each figure of `text`."""
    return {
        (f.metric, f.value, f.qualifier, f.side) for f in extract(text, published, "t", VOCABULARY)
    }


def dates(text: str, published: date | None = SUNDAY) -> dict[tuple[str, int], date | None]:
    """(metric, value) -> event date of each figure of `text`."""
    return {(f.metric, f.value): f.event_date for f in extract(text, published, "t", VOCABULARY)}
