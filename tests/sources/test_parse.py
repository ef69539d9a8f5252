"""bot.feedparse: feed bytes to documents, refusing entity declarations before feedparser."""

from __future__ import annotations

import codecs
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.errors import FeedRejected, FeedUnreadable
from bot.sources.cleaning import GUID_CHARS, OUTLET_CHARS, PROBLEM_CHARS, TEXT_CHARS, TITLE_CHARS
from bot.sources.documents import Document, entry_document_id
from bot.sources.parse import ParsedFeed, html_to_text, parse_feed, refuse_entity_declarations
from tests.fakes.feed_server import (
    BOMBS,
    NOT_XML_HTML,
    NOT_XML_TEXT,
    NUL_FEED_TITLE,
    NUL_FEEDS,
    NUL_ITEM_GUID,
    NUL_ITEM_LINK,
    NUL_ITEM_TEXT,
    NUL_ITEM_TITLE,
    OVERLONG_NUL_FEED,
    FeedItem,
    atom_feed,
    rss_feed,
)

KYIV = timezone(timedelta(hours=3))
ITEMS = [
    FeedItem(
        title="Exchange: 95 for 95",
        guid="urn:wire:swap-1",
        link="https://wire.test/swap-1",
        html="<p>Ukraine and Russia swapped <b>95</b> prisoners each.</p><p>Second para.</p>",
        published=datetime(2024, 5, 24, 23, 30, tzinfo=KYIV),
    ),
    FeedItem(
        title="Air attack overnight",
        guid="urn:wire:attack-1",
        link="https://wire.test/attack-1",
        html="Of 40 drones, <i>35</i> were shot down.",
        published=date(2024, 5, 25),
    ),
]
EXPECTED = [
    (
        "Exchange: 95 for 95\n\nUkraine and Russia swapped 95 prisoners each.\n\nSecond para.",
        date(2024, 5, 24),
    ),
    ("Air attack overnight\n\nOf 40 drones, 35 were shot down.", date(2024, 5, 25)),
]


def rss(items: str, channel: str = "<title>Wire</title>") -> bytes:
    return f'<rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()


@pytest.fixture
def feedparser_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if feedparser is asked to parse anything."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("feedparser.parse was called")

    monkeypatch.setattr("bot.sources.parse.feedparser.parse", refuse)


@pytest.mark.parametrize("build", [rss_feed, atom_feed], ids=["rss", "atom"])
def test_feed_entries_become_documents(build: Any) -> None:
    parsed = parse_feed(build(ITEMS, title="Fake Wire"), source="wire")

    expected = tuple(
        Document(
            id=entry_document_id(item.guid, item.link, text),
            source="wire",
            text=text,
            title=item.title,
            guid=item.guid,
            link=item.link,
            published=day,
            outlet="Fake Wire",
        )
        for item, (text, day) in zip(ITEMS, EXPECTED, strict=True)
    )
    assert parsed == ParsedFeed(title="Fake Wire", documents=expected, problems=())


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        # Late evening west of Greenwich is the next day in UTC: the source's day is kept.
        ("<pubDate>Fri, 24 May 2024 23:30:00 -0500</pubDate>", date(2024, 5, 24)),
        ("<pubDate>2024-05-24T23:30:00-05:00</pubDate>", date(2024, 5, 24)),
        ("<dc:date>2024-05-24</dc:date>", date(2024, 5, 24)),
        # Only feedparser reads Greek day names: its UTC reading is the fallback.
        ("<pubDate>Κυρ, 11 Ιούλ 2004 12:00:00 EST</pubDate>", date(2004, 7, 11)),
        ("<pubDate>not a date</pubDate>", None),
        ("", None),
    ],
)
def test_published_is_the_day_as_the_source_wrote_it(raw: str, day: date | None) -> None:
    item = f"<item><title>T</title>{raw}</item>"
    body = rss(item).replace(b"<rss ", b'<rss xmlns:dc="http://purl.org/dc/elements/1.1/" ')

    [document] = parse_feed(body, "wire").documents

    assert document.published == day


def test_atom_updated_stands_in_for_published() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>'
        b"<entry><id>urn:1</id><title>T</title><updated>2024-05-24T01:00:00+03:00</updated>"
        b"</entry></feed>"
    )

    [document] = parse_feed(body, "wire").documents

    assert document.published == date(2024, 5, 24)


def test_longest_of_content_and_summary_is_the_body() -> None:
    item = (
        "<item><title>T</title><description>Short teaser.</description>"
        "<content:encoded><![CDATA[<p>The full story, with 40 drones.</p>]]></content:encoded>"
        "</item>"
    )
    body = rss(item).replace(
        b"<rss ", b'<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    )

    [document] = parse_feed(body, "wire").documents

    assert document.text == "T\n\nThe full story, with 40 drones."


def test_entry_with_only_text_or_only_title_is_kept() -> None:
    body = rss("<item><description>Body only.</description></item><item><title>Only</title></item>")

    texts = [d.text for d in parse_feed(body, "wire").documents]

    assert texts == ["Body only.", "Only"]


def test_entry_without_title_or_text_is_skipped_and_reported() -> None:
    body = rss(
        "<item><guid>urn:empty</guid><pubDate>Fri, 24 May 2024 10:00:00 GMT</pubDate></item>"
        "<item><title>Kept</title></item>"
    )

    parsed = parse_feed(body, "wire")

    assert [d.title for d in parsed.documents] == ["Kept"]
    assert parsed.problems == ("entry 1 (urn:empty) skipped: no title and no text",)


def test_relative_links_resolve_against_the_base_url() -> None:
    body = rss("<item><title>T</title><link>/story/1</link></item>")

    [document] = parse_feed(body, "wire", base_url="https://wire.test/feeds/main.xml").documents

    assert document.link == "https://wire.test/story/1"


def test_same_guid_gives_the_same_id_whatever_else_changed() -> None:
    first = FeedItem("Swap: 95", "urn:swap", "https://wire.test/a", "<p>95 each</p>")
    edited = FeedItem("Swap: 96", "urn:swap", "https://wire.test/b", "<p>96 each</p>")
    other = FeedItem("Swap: 95", "urn:other", "https://wire.test/a", "<p>95 each</p>")

    ids = [parse_feed(rss_feed([i]), "wire").documents[0].id for i in (first, edited, other)]

    assert ids[0] == ids[1] != ids[2]


def test_malformed_feed_keeps_its_entries_and_reports_why() -> None:
    # HTML entities in XML: the commonest bozo feed there is.
    body = rss("<item><title>Drones&nbsp;down</title><description>40&mdash;35</description></item>")

    parsed = parse_feed(body, "wire")

    assert [d.text for d in parsed.documents] == ["Drones down\n\n40—35"]
    assert parsed.problems == ("malformed feed, kept what could be read: undefined entity",)


def test_valid_feed_without_entries_is_an_empty_result() -> None:
    assert parse_feed(b'<rss version="2.0"><channel/></rss>', "wire") == ParsedFeed(None, (), ())


@pytest.mark.parametrize("kind", ["one_line", "nine_level", "xxe"])
@pytest.mark.usefixtures("feedparser_untouched")
def test_entity_declarations_are_refused_fast_before_feedparser(kind: str) -> None:
    started = time.monotonic()

    with pytest.raises(FeedRejected, match="declares an XML entity"):
        parse_feed(BOMBS[kind], "wire")

    # Generous: expanding even the 5-level bomb through feedparser alone takes longer.
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    "codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
@pytest.mark.usefixtures("feedparser_untouched")
def test_entity_declarations_are_refused_in_utf16_and_utf32(codec: str) -> None:
    body = BOMBS["one_line"].decode().replace('version="1.0"', f'version="1.0" encoding="{codec}"')

    with pytest.raises(FeedRejected):
        parse_feed(body.encode(codec), "wire")


@pytest.mark.parametrize(
    "encoded",
    [
        # EBCDIC: feedparser recognises it from the first four bytes.
        '<?xml version="1.0" encoding="cp037"?><!DOCTYPE r [<!ENTITY a "b">]><r/>'.encode("cp037"),
        '<?xml version="1.0" encoding="cp500"?><!DOCTYPE r [<!ENTITY a "b">]><r/>'.encode("cp500"),
        # UTF-7 may spell "<" as "+ADw-", out of reach of a bytes search.
        b'<?xml version="1.0" encoding="utf-7"?><!DOCTYPE r [+ADw-!ENTITY a "b">]><r/>',
    ],
    ids=["cp037", "cp500", "utf-7"],
)
def test_entity_declarations_are_refused_in_declared_exotic_encodings(encoded: bytes) -> None:
    with pytest.raises(FeedRejected):
        refuse_entity_declarations(encoded)


@pytest.mark.parametrize(
    "body",
    [
        rss_feed(ITEMS),
        rss_feed(ITEMS).decode().replace("utf-8", "utf-16").encode("utf-16"),
        codecs.BOM_UTF8 + atom_feed(ITEMS),
        b'<?xml version="1.0" encoding="cp500"?>' + "<rss/>".encode("cp500"),
        b"<p>&lt;!ENTITY is how a declaration starts</p>",
    ],
    ids=["utf-8", "utf-16", "utf-8-bom", "cp500", "escaped"],
)
def test_feeds_without_entity_declarations_pass(body: bytes) -> None:
    refuse_entity_declarations(body)  # raises FeedRejected on a false alarm


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (NOT_XML_HTML, "not a feed: no RSS or Atom elements found"),
        (NOT_XML_TEXT, "not a feed: syntax error"),
        (b"", "not a feed: the body is empty"),
        (b" \n\t", "not a feed: the body is empty"),
        (b"\x00\x01\x02garbage", "not a feed: not well-formed (invalid token)"),
    ],
    ids=["html", "text", "empty", "blank", "binary"],
)
def test_what_is_not_a_feed_is_unreadable(body: bytes, reason: str) -> None:
    with pytest.raises(FeedUnreadable) as caught:
        parse_feed(body, "wire")

    assert str(caught.value) == reason


def test_bytes_naming_a_file_are_not_opened(tmp_path: Path) -> None:
    # feedparser.parse(b"/path") would open() the file: a server answering with a path must
    # not get a local file parsed as its feed.
    local = tmp_path / "local.xml"
    local.write_bytes(rss_feed(ITEMS))

    with pytest.raises(FeedUnreadable):
        parse_feed(str(local).encode(), "wire")


def test_a_crash_inside_feedparser_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret-token-in-repr")

    monkeypatch.setattr("bot.sources.parse.feedparser.parse", crash)

    with pytest.raises(FeedUnreadable, match=r"^not a feed: the parser failed \(RuntimeError\)$"):
        parse_feed(rss_feed(ITEMS), "wire")


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("plain words", "plain words"),
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("line one<br>line two<br/>line three", "line one\nline two\nline three"),
        ("<div>a</div>\n\n<div>\n  <div>b</div></div>", "a\n\nb"),
        ("<h2>Title</h2>Body", "Title\n\nBody"),
        ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
        ("<p>Hello <b>bold</b> and <a href='x'>link</a>.</p>", "Hello bold and link."),
        ("<script>var x = '<p>no</p>';</script><p>yes</p>", "yes"),
        ("<style type='text/css'>p { color: red }</style>kept", "kept"),
        ("before<!-- a <p> comment -->after", "beforeafter"),
        ("<SCRIPT>unclosed", ""),
        ("Tom &amp; Jerry &lt;3 &#8212; &eacute;t&eacute; &nbsp;x", "Tom & Jerry <3 — été x"),
        ("&lt;p&gt;escaped tags stay text&lt;/p&gt;", "<p>escaped tags stay text</p>"),
        ("  spaced \t out \n words  ", "spaced out words"),
        ("a < b and c > d", "a < b and c > d"),
        ("<p>\n  wrapped\n  source\n</p>", "wrapped source"),
        ("<p>a</p><br><br><br><p>b</p>", "a\n\nb"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_outlet_is_the_feed_title_and_plain_titles_keep_their_ampersands() -> None:
    body = atom_feed([FeedItem("Q&A: 5 < 6", "urn:q", "https://wire.test/q")], title="A&B News")

    parsed = parse_feed(body, "wire")

    assert (parsed.title, parsed.documents[0].title) == ("A&B News", "Q&A: 5 < 6")
    assert parsed.documents[0].outlet == "A&B News"


def test_fake_feed_dates_are_utc_midday_for_days() -> None:
    # The fake server turns a bare day into 12:00 UTC, so the day survives any offset reading.
    body = rss_feed([FeedItem("T", "urn:t", "https://wire.test/t", "", date(2024, 1, 31))])

    assert b"<pubDate>Wed, 31 Jan 2024 12:00:00 +0000</pubDate>" in body
    assert datetime(2024, 1, 31, 12, tzinfo=UTC).date() == date(2024, 1, 31)


# --- Text from a hostile feed (issue 12) ------------------------------------------------------


def _strings(parsed: ParsedFeed) -> list[str]:
    """Every string of a parse result."""
    found = [parsed.title or "", *parsed.problems]
    for d in parsed.documents:
        found += [d.id, d.source, d.text, d.title, d.guid or "", d.link or "", d.outlet or ""]
    return found


@pytest.mark.parametrize("spelling", sorted(NUL_FEEDS))
def test_a_nul_in_any_spelling_is_removed_and_nothing_else(spelling: str) -> None:
    # Without cleaning, feedparser hands each of these feeds' strings over with U+0000 in them.
    parsed = parse_feed(NUL_FEEDS[spelling], "night")

    [document] = parsed.documents
    assert (parsed.title, document.outlet) == (NUL_FEED_TITLE, NUL_FEED_TITLE)
    assert (document.title, document.text) == (NUL_ITEM_TITLE, NUL_ITEM_TEXT)
    assert (document.guid, document.link) == (NUL_ITEM_GUID, NUL_ITEM_LINK)
    assert document.id == entry_document_id(NUL_ITEM_GUID, NUL_ITEM_LINK, NUL_ITEM_TEXT)
    assert document.published == date(2025, 5, 24)
    assert not any("\x00" in string for string in _strings(parsed))


def test_overlong_utf8_is_read_as_windows_1252_not_as_nul() -> None:
    parsed = parse_feed(OVERLONG_NUL_FEED, "night")

    assert (
        parsed.documents[0].title
        == "Air defences\u00c0\u20ac shot down 36 drones\u00c0\u20ac overnight"
    )
    assert parsed.problems == (
        "malformed feed, kept what could be read: document declared as utf-8, but parsed as "
        "windows-1252",
    )


def test_control_characters_are_dropped_not_read_as_breaks_or_spaces() -> None:
    body = rss(
        "<item><title>Air\x0b defences\x1c shot\x1f down 36 drones</title>"
        "<description>&lt;p&gt;Forty\x1b[2J drones\x0c launched.&lt;/p&gt;</description>"
        "<guid>urn:\x07a</guid></item>",
        channel="<title>Night\x0c\nWire</title>",
    )

    parsed = parse_feed(body, "night")

    [document] = parsed.documents
    assert document.text == "Air defences shot down 36 drones\n\nForty[2J drones launched."
    assert (document.guid, parsed.title) == ("urn:a", "Night Wire")


def test_a_lone_surrogate_from_html_text_becomes_the_replacement_character() -> None:
    body = rss("<item><title>T</title><description>40 &amp;#xD800; drones</description></item>")

    assert parse_feed(body, "night").documents[0].text == "T\n\n40 \ufffd drones"


def test_every_field_is_bounded() -> None:
    long_title = "Drones " * 1_000
    body = rss(
        f"<item><title>{long_title}</title><guid>urn:{'g' * 5_000}</guid>"
        f"<description>{'word ' * 50_000}</description></item>",
        channel=f"<title>{'Wire ' * 100}</title>",
    )

    parsed = parse_feed(body, "night")

    [document] = parsed.documents
    assert document.title == long_title.strip()[:TITLE_CHARS]
    assert len(document.text) == TEXT_CHARS
    assert document.text.startswith(document.title + "\n\nword word")  # the title as kept
    assert document.guid == ("urn:" + "g" * 5_000)[:GUID_CHARS]
    assert parsed.title == ("Wire " * 100)[:OUTLET_CHARS].rstrip()


def test_problem_notes_are_one_bounded_line() -> None:
    guid = "urn:a\nERROR forged line " + "x" * 1_000
    body = rss(f"<item><guid>{guid}</guid></item><item><title>Kept</title></item>")

    parsed = parse_feed(body, "night")

    [note] = parsed.problems
    assert note.startswith("entry 1 (urn:a ERROR forged line xxx")
    assert note.endswith("…) skipped: no title and no text")
    assert "\n" not in note and len(note) <= PROBLEM_CHARS
