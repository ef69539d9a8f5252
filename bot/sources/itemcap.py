"""The bounds on what one poll takes from a feed: which items, and how much of each one's text
is read for figures. Pure: bytes, documents and text in, the same out.

A feed may list 100,000 items in the 5 MiB a fetch allows, and feedparser spends about a third
of a millisecond on even an empty item, so the item cap acts twice: on the bytes, before
parsing, where a feed lists far more items than the cap (`cut_items`), and on the documents
after parsing, where the newest are kept (`newest`). What is left to parse must also be short
of MAX_TAGS tags (`too_much_markup`).
"""

from __future__ import annotations

import codecs
import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.sources.documents import Document

# The bytes are cut only past this many times the cap: a feed of up to 4 x 200 items is parsed
# whole (a few tenths of a second) and its newest chosen by date, untouched byte for byte.
CUT_FACTOR = 4
# feedparser spends about 13 microseconds a tag, wherever it is: past this many `<`, left after
# the cut, a feed is markup for its own sake (5 MiB of bare `<a/>` would take 30 s). A news
# feed has far fewer: the HTML of its items is escaped text, not tags.
MAX_TAGS = 250_000

# An item or entry start tag, with or without a namespace prefix (`<item>`, `<rss:item ...>`,
# `<atom:entry/>`), and the openers of the two places where such text is not a tag.
_MARKS = re.compile(rb"<!\[CDATA\[|<!--|<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)(?=[\s/>])")
_CLOSERS = {b"<![": b"]]>", b"<!-": b"-->"}
# Wide encodings, told by their byte order mark or by how `<?` comes out in them (XML spec,
# appendix F): the tags are searched for in their UTF-8 transcription.
_WIDE = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (b"\x00\x00\x00\x3c", "utf-32-be"),
    (b"\x3c\x00\x00\x00", "utf-32-le"),
    (b"\x00\x3c\x00\x3f", "utf-16-be"),
    (b"\x3c\x00\x3f\x00", "utf-16-le"),
)


@dataclass(frozen=True)
class Cut:
    """A feed's bytes after `cut_items`: `body` to parse, the item start tags found in the
    bytes given (`found`), and how many of them were cut out (`removed`, 0 when `body` is the
    bytes given)."""

    body: bytes
    found: int
    removed: int = 0


def cut_items(body: bytes, keep: int) -> Cut:
    """`body` with the middle run of its items cut out when it lists more than CUT_FACTOR x
    `keep` of them: the first and the last 2 x `keep` items stay, whole, so the XML stays well
    formed and a feed listed newest first keeps its newest, as does one listed oldest first.
    Otherwise `body` itself, untouched.

    Items are `item` and `entry` start tags (any namespace prefix) outside CDATA sections and
    comments; what lies between two items (whitespace, as a rule) goes with the cut run.
    UTF-16 and UTF-32 bodies are searched and cut in their own encoding. `keep` must be at
    least 1. Never raises on any bytes.
    """
    if keep < 1:
        raise ValueError(f"keep must be at least 1, not {keep}")
    wide = next((codec for mark, codec in _WIDE if body.startswith(mark)), None)
    if wide is None:
        return _cut(body, keep)
    # Transcribed and back only when there is something to cut: a feed that is not cut stays
    # byte for byte what the server sent, whatever its encoding.
    transcribed = body.decode(wide, "replace").encode("utf-8", "surrogatepass")
    cut = _cut(transcribed, keep)
    if not cut.removed:
        return Cut(body, cut.found)
    text = cut.body.decode("utf-8", "surrogatepass")
    return Cut(text.encode(wide, "replace"), cut.found, cut.removed)


def _cut(body: bytes, keep: int) -> Cut:
    side = 2 * keep
    head: list[int] = []
    tail: deque[int] = deque(maxlen=side)
    found = 0
    for start in item_starts(body):
        found += 1
        if len(head) <= side:
            head.append(start)  # one past the kept head: where the cut begins
        tail.append(start)
    if found <= CUT_FACTOR * keep:
        return Cut(body, found)
    return Cut(body[: head[side]] + body[tail[0] :], found, found - 2 * side)


def too_much_markup(body: bytes) -> int | None:
    """The number of `<` in `body` if it passes MAX_TAGS, else None."""
    tags = body.count(b"<")
    return tags if tags > MAX_TAGS else None


def item_starts(body: bytes) -> Iterator[int]:
    """The offsets of the item and entry start tags in `body`, in order, skipping CDATA
    sections and comments (an unterminated one runs to the end). Linear in `len(body)`."""
    skip_to = 0
    for mark in _MARKS.finditer(body):
        start = mark.start()
        if start < skip_to:
            continue  # inside a CDATA section or a comment
        closer = _CLOSERS.get(body[start : start + 3])
        if closer is None:
            yield start
            continue
        end = body.find(closer, mark.end())
        if end < 0:
            return
        skip_to = end + len(closer)


def newest(documents: Sequence[Document], limit: int) -> tuple[Document, ...]:
    """The `limit` newest of `documents`, in the order given; all of them if there are no more.

    Newest by publication day; within a day, and for undated documents (which come after the
    dated ones), by place in the feed: first first, unless the feed's dated documents run from
    oldest to newest, then last first. `limit` must be at least 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    if len(documents) <= limit:
        return tuple(documents)
    days = [doc.published for doc in documents if doc.published is not None]
    oldest_first = len(days) >= 2 and days[0] < days[-1]

    def rank(place: int) -> tuple[bool, int, int]:
        day = documents[place].published
        return (day is None, -day.toordinal() if day else 0, -place if oldest_first else place)

    chosen = set(sorted(range(len(documents)), key=rank)[:limit])
    return tuple(doc for place, doc in enumerate(documents) if place in chosen)


def extraction_text(text: str, limit: int) -> str:
    """The part of `text` read for figures: all of it up to `limit` characters, else its first
    `limit` characters back to the last line break or space in their final tenth, so that a
    number or a word is not cut in two (a cut "1,2" of "1,200" would be a figure of its own).
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    boundary = max(head.rfind(" "), head.rfind("\n"))
    return head[:boundary] if boundary >= limit - limit // 10 else head
