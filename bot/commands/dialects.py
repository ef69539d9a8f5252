"""How each platform writes a command and names who may run it: the one command table, said in
the words of the chat it is typed in.

The table (bot.commands.table) holds each command's usage once ("attacks [date]"); a reply that
names a command asks the caller's dialect how to write it: "/attacks [date]" in Telegram and on
the console, "/tallywire attacks [date]" in Slack, where the app has one slash command for all
(and /swaps and /attacks as shortcuts). Each adapter gives its callers its own dialect
(handlers/*/callers.py); this module holds the one the core falls back on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """A platform's way of writing commands: `prefix` comes before a command's usage ("/",
    "/tallywire "); `admins` names who administers a chat there, as in "Only {admins} or
    Tallywire's operators can subscribe it"."""

    name: str
    prefix: str = "/"
    admins: str = "this chat's admins"

    def command(self, usage: str) -> str:
        """A command as typed here: "attacks [date]" -> "/attacks [date]"."""
        return self.prefix + usage

    def commands(self, names: list[str]) -> str:
        """Commands listed in a sentence: "/help, /swaps and /attacks"."""
        written = [self.command(name) for name in names]
        if len(written) < 2:
            return "".join(written)
        return ", ".join(written[:-1]) + " and " + written[-1]


CHAT = Dialect("chat")
"""The dialect of a caller whose adapter names none (the console, tests): "/name"."""
