"""The console channel: threads printed as plain text, for the CLI and a deploy without chat.

The console is no chat platform, so it lives in the core; chat adapters live in handlers/."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bot.compose import Message


def render(message: Message) -> str:
    """A message as console text: the title, its lines, quotes indented, the note last."""
    lines = [message.title, *(f"  {line}" for line in message.lines)]
    lines += [f'    "{q.text}" ({q.source})' for q in message.quotes]
    if message.note:
        lines.append(f"  {message.note}")
    if message.image is not None:  # a chart: the console names the picture it cannot show
        size = len(message.image.png)
        lines.append(f"  [{message.image.filename}: {message.image.alt}, {size:,} bytes]")
    return "\n".join(lines)


class ConsoleChannel:
    """Prints each message as it is delivered: a root opens a thread, replies are indented under
    it, edits of the summary are noted in one line."""

    per_second = 0.0  # no limit

    def spacing(self, address: str) -> float:
        return 0.0

    def __init__(self, write: Callable[[str], object] = print) -> None:
        self._write = write
        self._ids = itertools.count(1)
        self._titles: dict[str, str] = {}

    async def send(
        self, address: str, message: Message, reply_to: str | None, key: str = ""
    ) -> str:
        platform_id = str(next(self._ids))
        if reply_to is None:
            self._titles[platform_id] = message.title
            self._write(f"\n# {render(message)}")
        else:
            thread = self._titles.get(reply_to, f"message {reply_to}")
            self._write(f"\n  ↳ in [{thread}]\n" + _indent(render(message), "    "))
        return platform_id

    async def edit(self, address: str, platform_id: str, message: Message) -> None:
        self._write("\n  ✎ summary now:\n" + _indent(render(message), "    "))


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())
