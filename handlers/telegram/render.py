"""Messages as Telegram HTML: every value escaped, long text split on line boundaries.

Pure. Telegram counts a message's length in UTF-16 code units after its entities are parsed
(at most 4096) and allows at most 100 entities; a chunk here is measured on its HTML, which is
never shorter than the parsed text, and kept under `LIMIT` units and `MAX_ENTITIES` tags.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.compose import Message

LIMIT = 4000  # UTF-16 units per message: under Telegram's 4096, with room to spare
MAX_ENTITIES = 90  # tags per message: under Telegram's 100
MORE = "…"


@dataclass(frozen=True)
class Block:
    """One line of a message: plain `text`, wrapped in `tag` ("b", "i") when given."""

    text: str
    tag: str = ""

    def html(self) -> str:
        """The line as Telegram HTML, its text escaped."""
        body = html.escape(self.text)
        return f"<{self.tag}>{body}</{self.tag}>" if self.tag and body else body

    @property
    def entities(self) -> int:
        return 1 if self.tag and self.text else 0


def utf16_len(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji outside the BMP is two)."""
    return len(text.encode("utf-16-le")) // 2


def blocks(message: Message) -> list[Block]:
    """The message's lines: the title in bold, the lines, the quotes in italics with their
    sources, the note in italics."""
    lines = [Block(message.title, "b"), *(Block(line) for line in message.lines)]
    lines += [Block(f'"{q.text}" ({q.source})', "i") for q in message.quotes]
    if message.note:
        lines.append(Block(message.note, "i"))
    return lines


def to_html(message: Message) -> str:
    """The whole message as one HTML text (which may be over the limit)."""
    return "\n".join(block.html() for block in blocks(message))


def split_html(message: Message, limit: int = LIMIT) -> list[str]:
    """The message as HTML texts of at most `limit` UTF-16 units each, split between lines; a
    line longer than `limit` on its own is cut into pieces. Never empty."""
    pieces = [piece for block in blocks(message) for piece in _fit(block, limit)]
    chunks: list[str] = []
    current: list[str] = []
    size = entities = 0
    for piece in pieces:
        text, count = piece.html(), piece.entities
        extra = utf16_len(text) + (1 if current else 0)
        if current and (size + extra > limit or entities + count > MAX_ENTITIES):
            chunks.append("\n".join(current))
            current, size, entities = [], 0, 0
            extra = utf16_len(text)
        current.append(text)
        size += extra
        entities += count
    if current:
        chunks.append("\n".join(current))
    return [chunk for chunk in chunks if chunk.strip()] or [html.escape(message.title or MORE)]


def first_chunk(message: Message, limit: int = LIMIT) -> str:
    """The message cut to one HTML text of at most `limit` units, ending in "…" when cut (an
    edit replaces one message, it cannot add more)."""
    chunks = split_html(message, limit - 2)
    return chunks[0] if len(chunks) == 1 else chunks[0] + "\n" + MORE


def _fit(block: Block, limit: int) -> list[Block]:
    """`block` cut into blocks whose HTML is at most `limit` units, between characters."""
    if utf16_len(block.html()) <= limit:
        return [block]
    room = limit - utf16_len(Block("x", block.tag).html()) + 1  # the tags' share
    pieces: list[Block] = []
    current: list[str] = []
    size = 0
    for char in block.text:
        width = utf16_len(html.escape(char))
        if size + width > room:
            pieces.append(Block("".join(current), block.tag))
            current, size = [], 0
        current.append(char)
        size += width
    pieces.append(Block("".join(current), block.tag))
    return pieces
