"""The channel-neutral message model: console, Telegram and Slack each render it their way."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Quote:
    """A sentence as a source wrote it."""

    text: str
    source: str


@dataclass(frozen=True)
class Image:
    """A picture a reply carries (a chart): PNG bytes, the file's name ("chart-attacks.png") and
    a one-line description for readers who cannot see it."""

    png: bytes
    filename: str
    alt: str


@dataclass(frozen=True)
class Button:
    """A button under a reply: its `label`, and the `action` pressing it runs, written as the
    command's text ("settings quiet off"); the adapter runs it as if typed (issue 17)."""

    label: str
    action: str


@dataclass(frozen=True)
class Message:
    """A title, plain-text lines, quotes with their sources, and a small-print note.

    Every field is plain text: a renderer escapes it for its platform.
    """

    title: str
    lines: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    note: str = ""
    # True when the reply says the command did not do what it was asked (a feed refused, an
    # unknown id): the console exits 1 on it; chat shows it like any reply. Not compared: two
    # replies that say the same are equal.
    failed: bool = field(default=False, compare=False)
    # A picture sent with the reply, whose caption is the text above (a chart; bot.charts).
    image: Image | None = None
    # Buttons shown under the reply, in rows (Telegram's inline keyboard, Slack's actions).
    buttons: tuple[tuple[Button, ...], ...] = ()

    def plain(self) -> str:
        """The message as plain text, for the console and for logs."""
        parts = [self.title, *self.lines]
        parts += [f'  "{q.text}" ({q.source})' for q in self.quotes]
        if self.note:
            parts.append(self.note)
        return "\n".join(parts)
