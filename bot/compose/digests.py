"""A chat's digest (issue 17): one message for a period of held alerts or a day in digest mode,
listing each event's changes of the period and its summary's figures now. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.compose.messages import Message
from bot.compose.threads import change_line
from bot.extract import Naming
from bot.reconcile import Change, Event

MAX_CHANGES = 6  # change lines per event, the weightiest kinds first
WEIGHT = ("milestone", "conflict", "suspect", "resolved", "revised", "new", "confirmed")
MAX_FIGURES = 8  # summary lines per event


@dataclass(frozen=True)
class DigestSection:
    """One event in a digest: its changes of the period, and its summary now."""

    event: Event
    changes: tuple[Change, ...]
    summary: Message


def digest(
    sections: Sequence[DigestSection],
    since: datetime,
    until: datetime,
    zone: str,
    names: Naming,
    quiet: bool,
    more: int = 0,
) -> Message:
    """The digest of `sections` for the period from `since` to `until` (aware; said in the
    chat's time zone `zone`). `quiet`: a quiet-hours digest, else a daily one; `more`: how many
    events changed beyond those of `sections`, left out to keep the digest one message."""
    kind = "While it was quiet" if quiet else "Daily digest"
    period = f"{_when(since)} to {_when(until)} ({zone})"
    if not sections:
        return Message(f"{kind}: no changes", (f"Nothing changed from {period}.",))
    changed = len(sections) + more
    events = f"{changed} event{'' if changed == 1 else 's'}"
    lines: list[str] = []
    for section in sections:
        lines.append(f"▪ {section.summary.title}")
        ordered = sorted(section.changes, key=lambda c: _weight(c.kind))
        shown = ordered[:MAX_CHANGES]
        lines += [f"  {change_line(c, section.event, names)}" for c in shown]
        if len(section.changes) > len(shown):
            lines.append(f"  …and {len(section.changes) - len(shown)} more changes")
        figures = section.summary.lines[:MAX_FIGURES]
        if figures:
            lines.append("  Now: " + "; ".join(figures))
    if more:
        lines.append(f"…and {more} more events")
    return Message(f"{kind}: {events} changed", tuple(lines), (), f"From {period}.")


def _weight(kind: str) -> int:
    return WEIGHT.index(kind) if kind in WEIGHT else len(WEIGHT)


def _when(moment: datetime) -> str:
    return f"{moment.day} {moment:%b} {moment:%H:%M}"
