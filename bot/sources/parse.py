"""Feed parsing: the bytes of an RSS or Atom feed in, documents out. Pure: no I/O.

feedparser does the parsing, but never sees bytes that declare an XML entity (it lets a
one-line entity bomb through, see shared/reliability.md), and never sees anything it could take
for a URL or a file name: it is handed a byte stream, not a value.

This is where feed text enters Tallywire: each string is cleaned (bot.cleaning) as it is taken
from feedparser's result, before it is read as HTML, and each field of a document, the feed's
title and every problem note is bounded there too. feedparser's lenient parser, which takes
over when expat refuses a feed, keeps a raw NUL byte, `&#0;`, `&#x0;` and a NUL spelled in
another encoding (UTF-7's `+AAA-`, UTF-16 bytes in a feed declared UTF-8), and an Atom 0.3
base64 body holds any bytes at all; none of them gets past this module.
"""

from __future__ import annotations

import codecs
import email.utils
import html
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax import SAXParseException

import feedparser

from bot.errors import FeedRejected, FeedUnreadable
from bot.sources.cleaning import (
    GUID_CHARS,
    LINK_CHARS,
    OUTLET_CHARS,
    PROBLEM_CHARS,
    TEXT_CHARS,
    TITLE_CHARS,
    clean_line,
    clean_text,
)
from bot.sources.documents import Document, entry_document_id


@dataclass(frozen=True)
class ParsedFeed:
    """What could be kept from one feed.

    `title` is the feed's own title (the outlet), if any. `problems` are human-readable notes:
    the parser's complaints about a malformed feed, and each entry skipped and why. Every
    string is cleaned and bounded (bot.cleaning); the title and the notes are one line each.
    """

    title: str | None
    documents: tuple[Document, ...]
    problems: tuple[str, ...]


# --- Entity declarations -------------------------------------------------------------------

_ENTITY = "<!ENTITY"
# "<!ENTITY" as it appears in the bytes of ASCII-compatible, UTF-16 and UTF-32 documents, with
# or without a byte order mark. XML keywords are case-sensitive: another spelling is not a
# declaration to expat, and feedparser's fallback parser only honours this one too.
_ENTITY_NEEDLES = tuple(
    dict.fromkeys(
        _ENTITY.encode(codec)
        for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
    )
)
# Codecs whose "<!ENTITY" the needles above already find.
_SEARCHED_CODECS = frozenset(
    {"utf-8", "ascii", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
)
# What the first four bytes say about the encoding, as the XML spec (appendix F) and feedparser
# read them; EBCDIC is the one that matters here, the others are found by the needles anyway.
_SNIFFED_CODECS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),
    (b"\x00\x3c\x00\x3f", "utf-16-be"),
    (b"\x3c\x00\x3f\x00", "utf-16-le"),
)
_DECLARED_ENCODING = re.compile(
    r"""\A\ufeff?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]{0,39})["']"""
)


def refuse_entity_declarations(body: bytes) -> None:
    """Raise FeedRejected if `body` declares an XML entity (`<!ENTITY`), in any encoding that
    feedparser would decode it with.

    Entity declarations serve no news feed, and they carry entity bombs (a few hundred bytes
    that expand to gigabytes) and XXE (`SYSTEM "file:///..."`). The check is a plain bytes
    search; only a document that declares an encoding those bytes do not cover (EBCDIC,
    UTF-7, ...) is decoded first.
    """
    if any(needle in body for needle in _ENTITY_NEEDLES):
        raise _entities_refused()
    for codec in _unsearched_codecs(body):
        try:
            text = body.decode(codec, "replace")
        except (LookupError, UnicodeError, ValueError):
            # feedparser cannot decode with it either, and falls back to UTF-8 or cp1252,
            # whose declarations the needles have already looked for.
            continue
        if _ENTITY in text:
            raise _entities_refused()


def _entities_refused() -> FeedRejected:
    return FeedRejected(
        "the feed declares an XML entity (<!ENTITY); refused, since entity expansion can "
        "exhaust memory or read local files"
    )


def _unsearched_codecs(body: bytes) -> set[str]:
    """The codecs the document names or implies whose `<!ENTITY` the needles may not find."""
    head = body[:512]
    sniffed = next((codec for mark, codec in _SNIFFED_CODECS if head.startswith(mark)), None)
    named = {sniffed} if sniffed else set()
    declared = _DECLARED_ENCODING.match(head.decode(sniffed or "latin-1", "replace"))
    if declared:
        named.add(declared.group(1))
    found = set()
    for name in named:
        try:
            canonical = codecs.lookup(name).name
        except LookupError:
            continue
        if canonical not in _SEARCHED_CODECS:
            found.add(canonical)
    return found


# --- Parsing ---------------------------------------------------------------------------------


def parse_feed(body: bytes, source: str, base_url: str | None = None) -> ParsedFeed:
    """The documents of the RSS or Atom feed in `body`, each tagged with `source`.

    `base_url` (the URL the feed was fetched from) resolves relative entry links. A malformed
    feed keeps what can be read and says so in `problems`; an entry with neither title nor text
    is skipped, also noted there. Every string of the result is cleaned and bounded
    (bot.cleaning): title and text, guid, link, the outlet and the problem notes.

    Raises FeedRejected if the bytes declare an XML entity (see `refuse_entity_declarations`),
    and FeedUnreadable if nothing can be kept (an HTML page, plain text, an empty body) or the
    parser fails. Nothing else.
    """
    refuse_entity_declarations(body)
    if not body.strip():
        raise FeedUnreadable("not a feed: the body is empty")
    parsed = _run_feedparser(body, base_url)
    title = _feed_title(parsed.get("feed") or {})
    entries: Sequence[Mapping[str, Any]] = parsed.get("entries") or ()
    reason = _bozo_reason(parsed)
    if not entries and title is None and (reason or not parsed.get("version")):
        raise FeedUnreadable(_problem(f"not a feed: {reason or 'no RSS or Atom elements found'}"))
    problems = [_problem(f"malformed feed, kept what could be read: {reason}")] if reason else []
    documents = []
    for number, entry in enumerate(entries, start=1):
        document, problem = _entry_document(entry, number, source, title)
        if document is not None:
            documents.append(document)
        if problem is not None:
            problems.append(_problem(problem))
    return ParsedFeed(title, tuple(documents), tuple(problems))


def _problem(note: str) -> str:
    """A problem note as stored (`sources.last_error`) and logged: one clean, bounded line."""
    return clean_line(note, PROBLEM_CHARS)


def _run_feedparser(body: bytes, base_url: str | None) -> Any:
    # Headers only when there is a base: feedparser flags a headers mapping without a
    # Content-Type as "not XML", and application/xml leaves its encoding rules unchanged.
    headers = None
    if base_url:
        headers = {"content-type": "application/xml", "content-location": base_url}
    try:
        # A stream, never the bytes themselves: feedparser tries to open() a bytes value as a
        # file name first. Sanitising and resolving URIs inside HTML only matter to HTML that is
        # shown again; Tallywire keeps plain text.
        return feedparser.parse(
            io.BytesIO(body),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:
        # feedparser is large and lenient; a crash inside it is one unreadable feed, not a
        # reason to stop polling the others.
        raise FeedUnreadable(f"not a feed: the parser failed ({type(exc).__name__})") from exc


def _bozo_reason(parsed: Mapping[str, Any]) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if isinstance(exc, SAXParseException):
        # Without its line number: feedparser may have added a line of its own above.
        reason = exc.getMessage()
    else:
        reason = str(exc) or type(exc).__name__
    return _shorten(clean_line(reason), 160)


def _feed_title(feed: Mapping[str, Any]) -> str | None:
    title = _text_of(feed.get("title"), feed.get("title_detail"))
    return clean_line(title, OUTLET_CHARS) or None


def _entry_document(
    entry: Mapping[str, Any], number: int, source: str, outlet: str | None
) -> tuple[Document | None, str | None]:
    """The entry's document, or None and the reason it was skipped."""
    try:
        document = _document(entry, source, outlet)
    except Exception as exc:
        # feedparser's values are loosely typed; one odd entry must not cost the whole feed.
        return None, f"{_entry_name(entry, number)} skipped: unreadable ({type(exc).__name__})"
    if document is None:
        return None, f"{_entry_name(entry, number)} skipped: no title and no text"
    return document, None


def _document(entry: Mapping[str, Any], source: str, outlet: str | None) -> Document | None:
    title = clean_text(_text_of(entry.get("title"), entry.get("title_detail")), TITLE_CHARS)
    body = _entry_body(entry)
    if not title and not body:
        return None
    text = clean_text("\n\n".join(part for part in (title, body) if part), TEXT_CHARS)
    guid = _string(entry.get("id"), GUID_CHARS)
    link = _string(entry.get("link"), LINK_CHARS)
    return Document(
        id=entry_document_id(guid, link, text),
        source=source,
        text=text,
        title=title,
        guid=guid,
        link=link,
        published=_published(entry),
        outlet=outlet,
    )


def _entry_body(entry: Mapping[str, Any]) -> str:
    """The plain text of the longest of the entry's contents and its summary."""
    candidates: list[tuple[str, Any]] = [
        (part.get("value"), part) for part in entry.get("content") or () if part.get("value")
    ]
    summary = entry.get("summary")
    if summary:
        candidates.append((summary, entry.get("summary_detail")))
    candidates = [(value, detail) for value, detail in candidates if isinstance(value, str)]
    if not candidates:
        return ""
    value, detail = max(candidates, key=lambda candidate: len(candidate[0]))
    return _text_of(value, detail)


def _text_of(value: object, detail: object) -> str:
    """`value` cleaned (a control character is dropped, not read as space or a line break),
    then as plain text, read as HTML when feedparser's detail says it is HTML; not bounded."""
    if not isinstance(value, str) or not value:
        return ""
    value = clean_text(value)
    mime = detail.get("type") if isinstance(detail, Mapping) else None
    if isinstance(mime, str) and "html" in mime:
        return html_to_text(value)
    return _tidy(value)


def _published(entry: Mapping[str, Any]) -> date | None:
    """The day the entry was published (else updated), in the offset its timestamp was written
    in; feedparser's UTC reading only when the raw string cannot be read here."""
    for key in ("published", "updated"):
        raw = _own(entry, key)
        day = _day_of(raw) if isinstance(raw, str) else None
        if day is None:
            day = _day_of_struct(_own(entry, f"{key}_parsed"))
        if day is not None:
            return day
    return None


def _own(entry: Mapping[str, Any], key: str) -> Any:
    """The entry's own value for `key`: feedparser's get() answers "updated" with "published"
    (and warns), which would make the fallback a second look at the same value."""
    return dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)


def _day_of(raw: str) -> date | None:
    try:
        return email.utils.parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    try:
        return datetime.fromisoformat(raw.strip()).date()
    except ValueError:
        return None


def _day_of_struct(parsed: Any) -> date | None:
    try:
        year, month, day = parsed[:3]
        return date(year, month, day)
    except (TypeError, ValueError):
        return None


def _entry_name(entry: Mapping[str, Any], number: int) -> str:
    guid = _string(entry.get("id"), GUID_CHARS) or _string(entry.get("link"), LINK_CHARS)
    return f"entry {number} ({_shorten(clean_line(guid), 80)})" if guid else f"entry {number}"


def _string(value: object, limit: int) -> str | None:
    """A string value of feedparser's, cleaned, trimmed and cut to `limit`; None if empty."""
    if not isinstance(value, str):
        return None
    return clean_text(value.strip(), limit).strip() or None


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- HTML to text ----------------------------------------------------------------------------

_DROPPED = re.compile(
    r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)", re.IGNORECASE | re.DOTALL
)
_LINE_BREAK_TAGS = re.compile(r"<(?:br|li|tr|dt|dd)\b[^>]*>", re.IGNORECASE)
_PARAGRAPH_TAGS = re.compile(
    r"</?(?:p|div|h[1-6]|ul|ol|dl|table|blockquote|pre|section|article|header|footer|aside"
    r"|nav|main|figure|figcaption|address|fieldset|form|hr)\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"</?[A-Za-z!?][^>]*>")


def html_to_text(html_text: str) -> str:
    """The readable text of an HTML fragment.

    Block tags become line breaks (`<br>`, `<li>`, table rows) or paragraph breaks (`<p>`,
    `<div>`, headings, lists), so paragraphs are separated by one blank line; script and style
    go with their content, comments too; other tags are stripped; entities are unescaped;
    runs of spaces are collapsed and lines trimmed.
    """
    text = _DROPPED.sub("", html_text)
    # HTML's own newlines are just spaces; the breaks that count come from the tags. (split and
    # join, not a regex: Python's regex engine crawls over text this common.)
    text = " ".join(text.split())
    text = _LINE_BREAK_TAGS.sub("\n", text)
    text = _PARAGRAPH_TAGS.sub("\n\n", text)
    text = _ANY_TAG.sub("", text)
    return _tidy(html.unescape(text))


def _tidy(text: str) -> str:
    """`text` with spaces collapsed, lines trimmed and at most one blank line in a row."""
    lines: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()
