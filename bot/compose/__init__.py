"""Messages: the channel-neutral message model, an event's summary and replies, and the words
that say a tally."""

from bot.compose.digests import DigestSection, digest
from bot.compose.messages import Button, Image, Message, Quote
from bot.compose.threads import alert, change_line, label, summary
from bot.compose.wording import (
    SIDE_NAMES,
    attack_name,
    cite,
    counted,
    day_text,
    days_text,
    doubt_lines,
    doubt_quotes,
    event_name,
    evidence,
    figure_lines,
    known,
    sources_text,
    span_text,
    split_line,
    split_of,
    trusted,
)

__all__ = [
    "SIDE_NAMES",
    "Button",
    "DigestSection",
    "Image",
    "Message",
    "Quote",
    "alert",
    "attack_name",
    "change_line",
    "cite",
    "counted",
    "day_text",
    "days_text",
    "digest",
    "doubt_lines",
    "doubt_quotes",
    "event_name",
    "evidence",
    "figure_lines",
    "known",
    "label",
    "sources_text",
    "span_text",
    "split_line",
    "split_of",
    "summary",
    "trusted",
]
