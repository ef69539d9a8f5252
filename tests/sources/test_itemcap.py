"""The item cap before and after parsing, and the text read for figures (issue 12: a
100,000-item feed took 513 s to ingest; one 4.5 MB item 23 s of CPU)."""

from __future__ import annotations

import codecs
from datetime import date

import pytest

from bot.sources.documents import Document
from bot.sources.itemcap import CUT_FACTOR, cut_items, extraction_text, item_starts, newest
from bot.sources.parse import parse_feed
from tests.fakes.feed_server import FeedItem, atom_feed, many_items_feed, rss_feed

HEAD = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
TAIL = b"</channel></rss>"


def rss_of(count: int, template: bytes = b"<item><title>%d</title></item>") -> bytes:
    return HEAD + b"".join(template % n for n in range(1, count + 1)) + TAIL


def titles(body: bytes) -> list[str]:
    return [doc.title for doc in parse_feed(body, "t").documents]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<item>a</item><item/><item\n>", 3),
        (b'<rss:item rdf:about="x"><atom:entry/><entry>', 3),
        (b"<items><itemize><entryway><item-x><xitem>", 0),  # other names
        (b"<![CDATA[<item><entry>]]><item>", 1),  # inside CDATA
        (b"<!-- <item> --><entry>", 1),  # inside a comment
        (b"<item><![CDATA[ <item> never closed", 1),  # CDATA runs to the end
        (b"<!-- <item> never closed <item>", 0),
        (b"&lt;item&gt; <item>", 1),  # escaped markup is text
        (b"", 0),
    ],
)
def test_item_start_tags_are_found_outside_cdata_and_comments(body: bytes, expected: int) -> None:
    assert len(list(item_starts(body))) == expected


@pytest.mark.parametrize(
    "body",
    [
        rss_of(0),
        rss_of(1),
        rss_of(CUT_FACTOR * 3),  # exactly at the threshold for keep=3
        rss_feed([FeedItem(f"t{n}", f"g{n}", f"https://x.test/{n}") for n in range(12)]),
        b"not a feed at all",
        b"\xff\xfe<\x00r\x00",  # UTF-16 with a byte order mark, and truncated
    ],
)
def test_a_feed_within_the_threshold_is_untouched_byte_for_byte(body: bytes) -> None:
    cut = cut_items(body, 3)
    assert cut.body is body
    assert cut.removed == 0


def test_a_feed_far_over_the_cap_keeps_its_first_and_last_items_whole() -> None:
    body = rss_of(100)
    cut = cut_items(body, 5)
    assert (cut.found, cut.removed) == (100, 80)
    kept = [str(n) for n in [*range(1, 11), *range(91, 101)]]
    assert titles(cut.body) == kept
    assert parse_feed(cut.body, "t").problems == ()  # still well formed


@pytest.mark.parametrize("newest_first", [True, False])
def test_the_newest_survive_the_cut_whichever_way_the_feed_is_listed(newest_first: bool) -> None:
    body = many_items_feed(1000, newest_first=newest_first)
    cut = cut_items(body, 10)
    assert "Raid 1000" in titles(cut.body)
    assert len(titles(cut.body)) == 40


def test_atom_entries_with_namespace_prefixes_and_cdata_are_cut_as_whole_entries() -> None:
    entry = (
        b"<a:entry><a:title>%d</a:title>"
        b"<a:summary><![CDATA[<entry>x</entry>]]></a:summary></a:entry>"
    )
    body = (
        b'<?xml version="1.0"?><a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>T</a:title>'
        + b"".join(entry % n for n in range(1, 51))
        + b"</a:feed>"
    )
    cut = cut_items(body, 2)
    assert (cut.found, cut.removed) == (50, 42)
    assert titles(cut.body) == ["1", "2", "3", "4", "47", "48", "49", "50"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-32"])
def test_a_wide_encoding_is_cut_in_its_own_encoding(codec: str) -> None:
    body = rss_of(60).replace(b"utf-8", codec.encode()).decode().encode(codec)
    assert body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE)) or codec == "utf-16-le"
    cut = cut_items(body, 2)
    assert (cut.found, cut.removed) == (60, 52)
    assert titles(cut.body) == ["1", "2", "3", "4", "57", "58", "59", "60"]


def test_an_atom_feed_of_many_entries_parses_to_its_kept_entries() -> None:
    items = [FeedItem(f"t{n}", f"g{n}", f"https://x.test/{n}", "<p>x</p>") for n in range(30)]
    cut = cut_items(atom_feed(items), 1)
    assert titles(cut.body) == ["t0", "t1", "t28", "t29"]


def test_keep_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        cut_items(b"", 0)
    with pytest.raises(ValueError, match="at least 1"):
        newest((), 0)


def doc(name: str, day: int | None = None) -> Document:
    return Document(name, "s", name, published=date(2025, 6, day) if day else None)


@pytest.mark.parametrize(
    ("documents", "limit", "expected"),
    [
        # fewer than the cap: all, as given
        ([doc("a", 1), doc("b")], 5, ["a", "b"]),
        # newest by day, kept in feed order
        ([doc("a", 1), doc("b", 9), doc("c", 3), doc("d", 7)], 2, ["b", "d"]),
        # undated: the feed's own order, first first
        ([doc("a"), doc("b"), doc("c")], 2, ["a", "b"]),
        # undated come after dated ones
        ([doc("a"), doc("b", 2), doc("c"), doc("d", 1)], 2, ["b", "d"]),
        # the same day, a feed listed newest first: the first ones
        ([doc("a", 5), doc("b", 5), doc("c", 5), doc("d", 1)], 2, ["a", "b"]),
        # the same day, a feed listed oldest first: the last ones
        ([doc("a", 1), doc("b", 5), doc("c", 5), doc("d", 5)], 2, ["c", "d"]),
    ],
)
def test_the_newest_documents_are_kept_in_feed_order(
    documents: list[Document], limit: int, expected: list[str]
) -> None:
    assert [d.id for d in newest(documents, limit)] == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly 10", 10, "exactly 10"),
        ("a" * 95 + " 1,200 killed", 100, "a" * 95),  # never "1,20"
        ("a" * 80 + " " + "b" * 30, 100, "a" * 80 + " " + "b" * 19),  # no space near the end
        ("word " * 40, 100, ("word " * 20).rstrip()),
        ("a" * 92 + "\nheadlines", 100, "a" * 92),
    ],
)
def test_extraction_reads_up_to_the_limit_without_splitting_a_word(
    text: str, limit: int, expected: str
) -> None:
    assert extraction_text(text, limit) == expected
