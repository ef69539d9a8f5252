"""Messages as Slack mrkdwn and Block Kit, within Slack's size limits. Pure.

Every value is escaped (&, <, > as Slack asks), so a figure's quote can never ping a channel or
forge a link. One Message becomes one Slack message: the title as a bold section, the lines in
sections of at most 3000 characters, the quotes and the note as context blocks; never more than
50 blocks (the rest summed up as "…and N more"), and a plain-text fallback of at most 4000
characters for notifications and old clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.messages import Message

TEXT_LIMIT = 4000  # chat.postMessage `text`: Slack truncates at 40,000; 4,000 is advised
SECTION_LIMIT = 3000  # a section block's text
CONTEXT_LIMIT = 2000  # a context block's mrkdwn element
MAX_BLOCKS = 50
MORE = "…"

Block = dict[str, Any]


@dataclass(frozen=True)
class Rendered:
    """What chat.postMessage and chat.update take: `text` (fallback) and `blocks`."""

    text: str
    blocks: list[Block]


def escape(text: str) -> str:
    """`text` safe in mrkdwn: &, < and > as entities (Slack's control characters)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut; never mid-entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(MORE)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]  # do not leave "&am" behind
    return cut + MORE


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _pieces(line: str, limit: int) -> list[str]:
    """An escaped line cut into pieces of at most `limit` characters."""
    return [line[i : i + limit] for i in range(0, len(line), limit)] or [""]


def line_sections(lines: tuple[str, ...]) -> list[Block]:
    """The lines, escaped, packed into as few sections as fit SECTION_LIMIT each."""
    sections: list[Block] = []
    current = ""
    for line in lines:
        for piece in _pieces(escape(line), SECTION_LIMIT):
            joined = f"{current}\n{piece}" if current else piece
            if len(joined) > SECTION_LIMIT:
                sections.append(_section(current))
                joined = piece
            current = joined
    if current.strip():
        sections.append(_section(current))
    return sections


def blocks_of(message: Message) -> list[Block]:
    """The message as Block Kit: title, lines, quotes and note; at most MAX_BLOCKS blocks."""
    title = clip(escape(message.title), SECTION_LIMIT - 2) if message.title else ""
    blocks: list[Block] = [_section(f"*{title}*")] if title else []
    blocks += line_sections(message.lines)
    for quote in message.quotes:
        blocks.append(_context(clip(f'_"{escape(quote.text)}"_ ({escape(quote.source)})', 2000)))
    if message.note:
        blocks.append(_context(clip(escape(message.note), CONTEXT_LIMIT)))
    if len(blocks) > MAX_BLOCKS:
        left = len(blocks) - (MAX_BLOCKS - 1)
        blocks = [*blocks[: MAX_BLOCKS - 1], _context(f"{MORE}and {left} more")]
    return blocks or [_section(MORE)]


def fallback_text(message: Message) -> str:
    """The plain-text fallback: the whole message escaped, at most TEXT_LIMIT characters, the
    lines left out summed up as "…and N more lines"."""
    lines = [escape(line) for line in message.plain().splitlines()]
    kept: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        left = len(lines) - index
        tail = len(f"\n{MORE}and {left} more lines")
        if size + len(line) + 1 + tail > TEXT_LIMIT and index:
            kept.append(f"{MORE}and {left} more lines")
            break
        kept.append(clip(line, TEXT_LIMIT - tail))
        size += len(kept[-1]) + 1
    return "\n".join(kept) or MORE


def render(message: Message) -> Rendered:
    """The message as one Slack message within every limit."""
    return Rendered(fallback_text(message), blocks_of(message))
