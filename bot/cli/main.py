"""The `tallywire` command (and `python -m bot`): the only place that exits the process.

The parser and `main` only: each command's code, and the modules it needs (SQLAlchemy, the
extractor, the chat platforms), is imported when that command runs, so that `--help` and a
bad argument answer at once (issue 16).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__
from bot.cli.deploy import add_process_options
from bot.cli.deploy import register as register_deploy_commands
from bot.cli.extract import register as register_extract_commands
from bot.errors import TallywireError

if TYPE_CHECKING:
    from bot.settings import Settings

Command = Callable[[argparse.Namespace, "Settings"], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        from bot.logs import configure_logging, secrets_of
        from bot.settings import Settings

        settings = Settings.from_env(os.environ).with_database(getattr(args, "db", None))
        configure_logging(settings.log_level, settings.log_format, secrets_of(settings))
        command: Command = args.func
        return command(args, settings)
    except TallywireError as exc:
        # One line: a driver's message runs on with hints and links; its first says what failed.
        print(f"tallywire: error: {first_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`tallywire tallies | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # the environment refused the work (a file, a socket): one line
        print(f"tallywire: error: {first_line(exc)}", file=sys.stderr)
        return 1


def first_line(error: BaseException) -> str:
    """The first line of `error`'s message, its type's name when it has none."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def lazy(name: str) -> Command:
    """The command `name` of bot.cli.commands, imported when it runs."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        command: Command = getattr(importlib.import_module("bot.cli.commands"), name)
        return command(args, settings)

    run.__name__ = name
    return run


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command, each with its help."""
    parser = argparse.ArgumentParser(
        prog="tallywire",
        description="Reads news feeds for figures (prisoner swaps, air attacks, casualties), "
        "reconciles them across sources and alerts chat when they appear, change or disagree.",
    )
    parser.add_argument("--version", action="version", version=f"tallywire {__version__}")
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument(
        "--db",
        metavar="URL",
        help="database URL or a SQLite file's path (default: DATABASE_URL, else tallywire.db)",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser(
        "run",
        parents=[store],
        help="run the service: poll every source and deliver",
        description="Poll the seeds and every configured feed; with --once, poll once and exit.",
    )
    run.add_argument("--once", action="store_true", help="poll every source once, then exit")
    add_process_options(run)
    run.set_defaults(func=lazy("run_command"))
    register_deploy_commands(commands, store)

    replay = commands.add_parser(
        "replay",
        parents=[store],
        help="feed documents (default: the seeds) through the pipeline",
        description="Feed documents through the pipeline: the seeds in manifest order, or the "
        "text files given, and print what each did.",
    )
    replay.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="text files")
    replay.add_argument("--json", action="store_true", help="one JSON object a line")
    replay.set_defaults(func=lazy("replay_command"))

    sources = commands.add_parser(
        "sources",
        parents=[store],
        help="list each source with its last poll, status and errors",
        description="Each source with its last poll, status, errors and documents.",
    )
    sources.set_defaults(func=lazy("sources_command"))

    register_extract_commands(commands)

    tallies = commands.add_parser(
        "tallies",
        parents=[store],
        help="list the current tallies of every event",
        description="The current tallies: event, event date, metric, side, low, high, status, "
        "sources.",
    )
    tallies.add_argument("--json", action="store_true", help="one JSON object a line")
    tallies.set_defaults(func=lazy("tallies_command"))

    swaps = commands.add_parser(
        "swaps",
        parents=[store],
        help="the prisoner exchanges: phases, totals, the deal",
        description="The prisoner exchanges, as the chat command /swaps answers.",
    )
    swaps.set_defaults(func=lazy("answer_command"), answer="swaps")
    attacks = commands.add_parser(
        "attacks",
        parents=[store],
        help="the air attacks on a day, or the latest ones",
        description="The air attacks on DATE (2025-05-24, 'May 24', 'yesterday'), or the most "
        "recent ones, as the chat command /attacks answers.",
    )
    attacks.add_argument("date", nargs="?", metavar="DATE", help="the day of the attacks")
    attacks.set_defaults(func=lazy("answer_command"), answer="attacks")
    chart = commands.add_parser(
        "chart",
        parents=[store],
        help="a chart of the air attacks or the prisoner exchanges, as a PNG file",
        description="Draw the chart the chat command /chart sends: the air attacks of the last "
        "days (drones and missiles launched and downed, night by night) or the prisoner "
        "exchanges (phases, running total, the agreed number), written to FILE.png; its "
        "caption is printed.",
    )
    chart.add_argument("kind", choices=("attacks", "swaps"), help="which chart")
    chart.add_argument(
        "--days", type=chart_days, default=30, metavar="N",
        help="the nights an attacks chart covers, up to the newest news (1 to 366; default 30)",
    )  # fmt: skip
    chart.add_argument("--out", required=True, type=Path, metavar="FILE.png", help="the file")
    chart.set_defaults(func=lazy("chart_command"))
    ask = commands.add_parser(
        "ask",
        parents=[store],
        help="ask a question about the figures",
        description="Answer a question in plain words, e.g. 'how many drones were shot down on "
        "May 24?'. It never guesses a number: what it does not know, it says.",
    )
    ask.add_argument("question", nargs="+", metavar="QUESTION", help="the question")
    ask.set_defaults(func=lazy("answer_command"), answer="ask")
    for name, usage, summary in OPERATOR_COMMANDS:
        sub = commands.add_parser(
            name,
            parents=[store],
            help=summary,
            description=f"{summary} The console runs it as an operator, as /{name} does in chat.",
        )
        if usage:
            sub.add_argument("argument", metavar=usage, help=usage.lower())
        if name == "addfeed":
            sub.add_argument(
                "--allow-private",
                action="store_true",
                help="let a private or internal address through (a feed on your own network), "
                "polled as the feeds of config are",
            )
        sub.set_defaults(func=lazy("table_command"), command=name)
    return parser


def chart_days(text: str) -> int:
    """--days: a whole number from 1 to 366 (what /chart takes)."""
    if not text.isdigit() or not 1 <= int(text) <= 366:
        raise argparse.ArgumentTypeError(f"not a number of days from 1 to 366: {text!r}")
    return int(text)


# The command table's operator commands, on the command line (the console is an operator).
OPERATOR_COMMANDS = (
    ("status", "", "each feed's last poll, error, documents and last figure; the outbox backlog"),
    ("feeds", "", "the feeds polled, with their state"),
    ("addfeed", "URL", "add a feed by its URL (checked against private and internal targets)"),
    ("removefeed", "ID", "remove a feed added from chat or the console"),
)
