"""The `tallywire` command: its subcommands, and `extract`/`eval` for the extractor."""

from bot.cli.main import main

__all__ = ["main"]
