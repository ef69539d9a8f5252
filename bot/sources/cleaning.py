"""Cleaning: text from the outside world made fit to keep, once, where it enters.

Every string that comes in from a feed (bot.feedparse), a document file (bot.seeds) or a chat
(bot.commands.dispatch) passes through `clean_text` or `clean_line` before anything else uses
it, so the store, extraction and the channels see the same text on SQLite and PostgreSQL.
Pure: strings in, strings out.

`clean_text(text, limit)` returns `text`
- without NUL and the other C0 control characters but tab and newline, without DEL and without
  the C1 controls (U+0080 to U+009F): no news text holds them, PostgreSQL refuses NUL in a text
  column, and a terminal obeys the escape sequences they start when a log is read;
- with each carriage return, alone or before a newline, as one newline;
- with each lone surrogate (U+D800 to U+DFFF: what undecodable bytes or a character reference
  like `&#xD800;` can leave behind, and which cannot be written as UTF-8) as U+FFFD, the
  replacement character that invalid UTF-8 becomes when it is decoded;
- cut to its first `limit` characters (None: not cut).

`clean_line(text, limit)` is the same for one-line values (names, problem notes, command
names): every run of white space, line breaks included, becomes one space, and the ends are
trimmed, so a value cannot start a new line of a log or a message.

Both are idempotent: cleaning a cleaned value changes nothing. Nothing here raises.

The bounds, in characters, are far above what real news needs and far below what would hurt:

| bound | value | for |
|---|---|---|
| `TEXT_CHARS` | 200,000 | a document's text (a long article is 30,000) |
| `TITLE_CHARS` | 1,000 | a document's title (a headline is under 200) |
| `GUID_CHARS` | 2,048 | a feed entry's guid |
| `LINK_CHARS` | 2,048 | a link or a feed URL (what browsers and sitemaps accept) |
| `OUTLET_CHARS` | 200 | a feed's title or a feed's label |
| `PROBLEM_CHARS` | 500 | a note on a malformed feed, or why a feed could not be read |
| `COMMAND_NAME_CHARS` | 100 | a chat command's name, "/" and "@botname" included |
| `COMMAND_TEXT_CHARS` | 4,096 | the text after a chat command (Telegram's whole message limit) |
"""

from __future__ import annotations

import re

TEXT_CHARS = 200_000
TITLE_CHARS = 1_000
GUID_CHARS = 2_048
LINK_CHARS = 2_048
OUTLET_CHARS = 200
PROBLEM_CHARS = 500
COMMAND_NAME_CHARS = 100
COMMAND_TEXT_CHARS = 4_096

# Anything clean_text changes; most text holds none, and is only cut.
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_CARRIAGE_RETURN = re.compile("\r\n?")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str, limit: int | None = None) -> str:
    """`text` without control characters, with newlines for carriage returns, U+FFFD for lone
    surrogates, and cut to `limit` characters (see the module docstring)."""
    if _UNCLEAN.search(text) is not None:
        text = _CARRIAGE_RETURN.sub("\n", text)
        text = _CONTROLS.sub("", text)
        text = _SURROGATE.sub("\ufffd", text)
    return text if limit is None else text[:limit]


def clean_line(text: str, limit: int | None = None) -> str:
    """`text` cleaned (clean_text) on one line: white space runs as one space, ends trimmed,
    then cut to `limit` characters."""
    line = " ".join(clean_text(text).split())
    return line if limit is None else line[:limit].rstrip()
