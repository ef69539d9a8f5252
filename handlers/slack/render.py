"""Messages as Slack Block Kit, within Slack's size limits. Pure.

Every field of a Message is plain text from outside (a feed's title, a source's sentence), so
every text object is `plain_text`, which Slack shows as it is: mrkdwn has no escape for `*`,
`_`, `~` and backticks (a backslash shows as a backslash), and only in mrkdwn does Slack
auto-link mentions, channel names and URLs. `emoji` is off, so a ":name:" stays text. &, < and >
are still written as entities, as Slack asks of every text object, so "<!channel>" can never
become a mention. (Issue 12; https://api.slack.com/reference/surfaces/formatting.)

One Message becomes one Slack message: the title as a header block (Slack shows it bold; a title
over the header's 150 characters is a section instead), the lines in sections of at most 3000
characters, the quotes and the note as context blocks; never more than 50 blocks (the rest
summed up as "…and N more"); and a fallback `text` of at most 4000 characters for notifications,
sent with mrkdwn off and without link_names (see SlackChannel), in which the words @channel,
@here and @everyone carry a WORD JOINER after the "@", so that no client or setting makes them
ping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.compose import Message

TEXT_LIMIT = 4000  # chat.postMessage `text`: Slack truncates at 40,000; 4,000 is advised
SECTION_LIMIT = 3000  # a section block's text
CONTEXT_LIMIT = 2000  # a context block's text element
HEADER_LIMIT = 150  # a header block's text
MAX_BLOCKS = 50
MORE = "…"
WORD_JOINER = "\u2060"  # invisible; "@\u2060here" is not the word "@here"
BROADCASTS = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)

Block = dict[str, Any]


@dataclass(frozen=True)
class Rendered:
    """What chat.postMessage and chat.update take: `text` (fallback) and `blocks`."""

    text: str
    blocks: list[Block]


def escape(text: str) -> str:
    """`text` safe in a Slack text object: &, < and > as entities (Slack's control
    characters)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def defuse(text: str) -> str:
    """`text` with a WORD JOINER after the "@" of @channel, @here and @everyone."""
    return BROADCASTS.sub("@" + WORD_JOINER, text)


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut; never mid-entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(MORE)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]  # do not leave "&am" behind
    return cut + MORE


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": False}


def _header(text: str) -> Block:
    return {"type": "header", "text": _plain(text)}


def _section(text: str) -> Block:
    return {"type": "section", "text": _plain(text)}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [_plain(text)]}


def _title(title: str) -> list[Block]:
    """The title as a header, or as a section when it is longer than a header holds."""
    if not title.strip():
        return []
    shown = escape(title)
    if len(shown) <= HEADER_LIMIT:
        return [_header(shown)]
    return [_section(clip(shown, SECTION_LIMIT))]


def _pieces(line: str, limit: int) -> list[str]:
    """An escaped line cut into pieces of at most `limit` characters, never inside an entity
    (an "&am" shows as it is)."""
    pieces: list[str] = []
    while len(line) > limit:
        cut = limit
        amp = line.rfind("&", max(0, limit - len("&amp;")), limit)
        if amp > 0 and ";" not in line[amp:limit]:
            cut = amp
        pieces.append(line[:cut])
        line = line[cut:]
    return [*pieces, line]


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
    blocks = _title(message.title)
    blocks += line_sections(message.lines)
    for quote in message.quotes:
        shown = f'"{escape(quote.text)}" ({escape(quote.source)})'
        blocks.append(_context(clip(shown, CONTEXT_LIMIT)))
    if message.note:
        blocks.append(_context(clip(escape(message.note), CONTEXT_LIMIT)))
    if len(blocks) > MAX_BLOCKS:
        left = len(blocks) - (MAX_BLOCKS - 1)
        blocks = [*blocks[: MAX_BLOCKS - 1], _context(f"{MORE}and {left} more")]
    return blocks or [_section(MORE)]


def fallback_text(message: Message) -> str:
    """The plain-text fallback: the whole message escaped and defused, at most TEXT_LIMIT
    characters, the lines left out summed up as "…and N more lines"."""
    lines = [defuse(escape(line)) for line in message.plain().splitlines()]
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
