"""The `tallywire` command (and `python -m bot`): the only place that exits the process."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot import __version__
from bot.app import run_loop, run_once, run_service
from bot.cli.deploy import add_process_options, for_process
from bot.cli.deploy import register as register_deploy_commands
from bot.cli.extract import register as register_extract_commands
from bot.cli.output import (
    changes_json,
    describe_ingested,
    describe_source,
    print_deliveries,
    print_report,
    tally_row,
    undated_metrics,
)
from bot.cli.tally_eval import read_paths
from bot.commands import (
    Caller,
    CommandContext,
    answers,
    ask,
    days_in,
    dispatch,
    event_views,
    news_today,
    normalise,
)
from bot.delivery import ConsoleChannel, deliver_pending, render
from bot.errors import TallywireError
from bot.logs import configure_logging, secrets_of
from bot.pipeline import Pipeline
from bot.reconcile import Interval, Rulebook, describe
from bot.settings import Settings
from bot.sources import (
    Document,
    load_feeds,
    seed_documents,
    system_resolver,
)
from bot.store import Store

log = logging.getLogger("tallywire")
Command = Callable[[argparse.Namespace, Settings], int]


def utc_now() -> datetime:
    """The wall clock, in UTC; the only clock the CLI hands to the core."""
    return datetime.now(UTC)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        settings = Settings.from_env(os.environ).with_database(getattr(args, "db", None))
        configure_logging(settings.log_level, settings.log_format, secrets_of(settings))
        command: Command = args.func
        return command(args, settings)
    except TallywireError as exc:
        print(f"tallywire: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`tallywire tallies | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


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
    run.set_defaults(func=run_command)
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
    replay.set_defaults(func=replay_command)

    sources = commands.add_parser(
        "sources",
        parents=[store],
        help="list each source with its last poll, status and errors",
        description="Each source with its last poll, status, errors and documents.",
    )
    sources.set_defaults(func=sources_command)

    register_extract_commands(commands)

    tallies = commands.add_parser(
        "tallies",
        parents=[store],
        help="list the current tallies of every event",
        description="The current tallies: event, event date, metric, side, low, high, status, "
        "sources.",
    )
    tallies.add_argument("--json", action="store_true", help="one JSON object a line")
    tallies.set_defaults(func=tallies_command)

    swaps = commands.add_parser(
        "swaps",
        parents=[store],
        help="the prisoner exchanges: phases, totals, the deal",
        description="The prisoner exchanges, as the chat command /swaps answers.",
    )
    swaps.set_defaults(func=answer_command, answer="swaps")
    attacks = commands.add_parser(
        "attacks",
        parents=[store],
        help="the air attacks on a day, or the latest ones",
        description="The air attacks on DATE (2025-05-24, 'May 24', 'yesterday'), or the most "
        "recent ones, as the chat command /attacks answers.",
    )
    attacks.add_argument("date", nargs="?", metavar="DATE", help="the day of the attacks")
    attacks.set_defaults(func=answer_command, answer="attacks")
    ask = commands.add_parser(
        "ask",
        parents=[store],
        help="ask a question about the figures",
        description="Answer a question in plain words, e.g. 'how many drones were shot down on "
        "May 24?'. It never guesses a number: what it does not know, it says.",
    )
    ask.add_argument("question", nargs="+", metavar="QUESTION", help="the question")
    ask.set_defaults(func=answer_command, answer="ask")
    for name, usage, summary in OPERATOR_COMMANDS:
        sub = commands.add_parser(
            name,
            parents=[store],
            help=summary,
            description=f"{summary} The console runs it as an operator, as /{name} does in chat.",
        )
        if usage:
            sub.add_argument("argument", metavar=usage, help=usage.lower())
        sub.set_defaults(func=table_command, command=name)
    return parser


# The command table's operator commands, on the command line (the console is an operator).
OPERATOR_COMMANDS = (
    ("status", "", "each feed's last poll, error, documents and last figure; the outbox backlog"),
    ("feeds", "", "the feeds polled, with their state"),
    ("addfeed", "URL", "add a feed by its URL (checked against private and internal targets)"),
    ("removefeed", "ID", "remove a feed added from chat or the console"),
)
CONSOLE = Caller(user_id="console", destination="console", private=True, chat_admin=True)


def table_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire status|feeds|addfeed URL|removefeed ID`, through the command table."""
    operator = dataclasses.replace(settings, admins=settings.admins | {CONSOLE.user_id})
    store = Store.open(settings.database_url)
    try:
        context = CommandContext(
            store, Rulebook.from_settings(settings), operator, utc_now, system_resolver
        )
        reply = asyncio.run(dispatch(context, CONSOLE, args.command, getattr(args, "argument", "")))
    finally:
        store.close()
    print(render(reply))
    return 0


def open_pipeline(settings: Settings) -> Pipeline:
    """The pipeline over the store the settings name, with the rules of the config folders."""
    rulebook = Rulebook.from_settings(settings)
    return Pipeline(Store.open(settings.database_url), settings, utc_now, rulebook)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire run [--once]`."""
    if args.once:
        reports, sent = run_loop(run_once(settings))
        for report in reports:
            print_report(report)
        print_deliveries(Counter(sent))
        return 0
    run_loop(run_service(for_process(settings, args.process)))
    return 0


def replay_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire replay [PATH ...] [--json]`."""
    pipeline = open_pipeline(settings)
    try:
        if args.paths:
            documents = read_paths(args.paths, settings.seeds_dir)
        elif settings.seeds_dir is not None:
            pipeline.register_seeds(settings.seeds_dir)
            documents = list(seed_documents(settings.seeds_dir))
        else:
            print("tallywire: seeds are off (TALLYWIRE_SEEDS=off) and no PATH was given")
            return 2
        outcomes = asyncio.run(replay(pipeline, documents, as_json=args.json))
        if not args.json:
            print_deliveries(outcomes)
        return 0
    finally:
        pipeline.store.close()


async def replay(pipeline: Pipeline, documents: list[Document], as_json: bool) -> Counter[str]:
    """Feed the documents one by one and deliver what each one sends, so threads read in order."""
    console = ConsoleChannel(print if not as_json else lambda _: None)
    outcomes: Counter[str] = Counter()
    for doc in documents:
        item = await asyncio.to_thread(pipeline.ingest_one, doc)
        if as_json:
            for line in changes_json(item, pipeline.rulebook.naming):
                print(json.dumps(line, ensure_ascii=False))
        elif item.stored.kind == "duplicate":
            print(f"= {item.stored.document_id}: already stored, nothing to do")
        else:
            print(f"\n── {describe_ingested(item)}")
        outcomes += await deliver_pending(pipeline.store, {"console": console}, utc_now)
    return outcomes


def sources_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire sources`."""
    pipeline = open_pipeline(settings)
    try:
        pipeline.register_feeds(load_feeds(settings))
        counts = pipeline.store.documents_by_source()
        records = pipeline.store.sources()
    finally:
        pipeline.store.close()
    if not records:
        print("no sources yet: run `tallywire run --once` or `tallywire replay`")
    for record in records:
        print(describe_source(record, counts.get(record.id, 0)))
    return 0


def answer_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire swaps`, `tallywire attacks [DATE]`, `tallywire ask QUESTION`."""
    pipeline = open_pipeline(settings)
    try:
        views = event_views(pipeline.store, pipeline.rulebook)
        today = news_today(pipeline.store, utc_now().date())
    finally:
        pipeline.store.close()
    names = pipeline.rulebook.naming
    if args.answer == "swaps":
        reply = answers.swaps(views, names)
    elif args.answer == "attacks":
        day = None
        if args.date:
            days = days_in(normalise(args.date), today)
            if not days:
                raise TallywireError(f"not a date: {args.date!r} (try 2025-05-24 or 'May 24')")
            day = days[0]
        reply = answers.attacks(views, day, names=names)
    else:
        reply = ask(" ".join(args.question), views, today, names)
    print(render(reply))
    return 0


def tallies_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire tallies [--json]`."""
    pipeline = open_pipeline(settings)
    try:
        views = event_views(pipeline.store, pipeline.rulebook)
    finally:
        pipeline.store.close()
    undated = undated_metrics(pipeline.rulebook.vocabulary)
    rows = [tally_row(view, tally, undated) for view in views for tally in view.state.tallies]
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    elif not rows:
        print("no tallies yet: run `tallywire replay` or `tallywire run --once`")
    for row in [] if args.json else rows:
        value = describe(Interval(row["low"], row["high"])) if row["low"] is not None else "?"
        phase = f" {row['phase']}" if row["phase"] else ""
        print(
            f"{row['event']:30} {row['metric']:26} {row['side'] or '-':8}{phase} {value:>14} "
            f"{row['status']:9} {', '.join(row['sources'])}"
        )
    return 0
