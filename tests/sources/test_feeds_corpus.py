"""parse_feed over real-world feeds from feedparser's test suite (shared/feeds-corpus/).

Ingestion must never crash on them, must read every well-formed one, and must keep what can be
kept: each file in which feedparser itself finds an entry with a title or text gives documents.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import feedparser
import pytest

from bot.errors import FeedRejected, FeedUnreadable
from bot.sources.parse import ParsedFeed, parse_feed

CORPUS = Path(__file__).parents[3] / "shared" / "feeds-corpus"
FILES = sorted(CORPUS.rglob("*.xml")) if CORPUS.is_dir() else []

# Refused on purpose: it declares an entity (`<!ENTITY id ...>`) in its DOCTYPE.
REJECTED = {"wellformed/rss/entity_in_doctype.xml"}
# Entries with text to feedparser, but nothing readable to us: the description is
# `<!' <a href="foo">`, which HTML (and so html_to_text) reads as a bogus comment.
TEXT_ONLY_TO_FEEDPARSER = {"wellformed/rss/item_description_not_a_doctype.xml"}

pytestmark = pytest.mark.skipif(not FILES, reason="shared/feeds-corpus is not beside the repo")


def name_of(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def outcome(path: Path) -> ParsedFeed | FeedRejected | FeedUnreadable:
    """What parse_feed makes of the file; any other exception fails the test that asks."""
    try:
        return parse_feed(path.read_bytes(), source="corpus", base_url="http://example.org/feed")
    except (FeedRejected, FeedUnreadable) as refused:
        return refused


def feedparser_sees_text(path: Path) -> bool:
    parsed = feedparser.parse(io.BytesIO(path.read_bytes()))
    return any(
        entry.get("title")
        or entry.get("summary")
        or any(part.get("value") for part in entry.get("content", ()))
        for entry in parsed.entries
    )


@pytest.mark.parametrize("path", FILES, ids=[name_of(p) for p in FILES])
def test_parse_feed_keeps_or_reports_never_crashes(path: Path) -> None:
    result = outcome(path)

    if isinstance(result, ParsedFeed):
        for document in result.documents:
            assert document.id.startswith("d") and len(document.id) == 17
            assert document.text.strip() == document.text != ""
            assert (document.source, document.outlet) == ("corpus", result.title)
    else:
        assert str(result)


def test_corpus_outcomes() -> None:
    outcomes = {name_of(path): outcome(path) for path in FILES}
    with_text = {name_of(path) for path in FILES if feedparser_sees_text(path)}
    tally = Counter(
        "documents" if isinstance(r, ParsedFeed) and r.documents else type(r).__name__
        for r in outcomes.values()
    )

    refused = {name for name, r in outcomes.items() if not isinstance(r, ParsedFeed)}
    unreadable_wellformed = {name for name in refused - REJECTED if name.startswith("wellformed/")}
    rejected = {name for name, r in outcomes.items() if isinstance(r, FeedRejected)}
    with_documents = {
        name for name, r in outcomes.items() if isinstance(r, ParsedFeed) and r.documents
    }

    assert rejected == REJECTED
    assert unreadable_wellformed == set()
    assert with_text - with_documents == TEXT_ONLY_TO_FEEDPARSER
    assert with_documents <= with_text
    # Observed on the corpus as shipped (464 files): 67 give documents, 3 ill-formed files are
    # unreadable, 1 is rejected; the rest are valid feeds whose test entries carry no text.
    assert len(FILES) >= 450
    assert tally["documents"] >= 60
    assert tally["FeedUnreadable"] <= 5
