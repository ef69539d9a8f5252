"""The commands of `tallywire` that run the pipeline or read the store (the parser is
bot.cli.main's, which imports this module only when one of them runs)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import re
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime

from bot.app import run_loop, run_once, run_service
from bot.cli.deploy import for_process, preflight
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
    EventView,
    answers,
    ask,
    chart_reply,
    days_in,
    dispatch,
    event_views,
    news_today,
    normalise,
)
from bot.compose import Message
from bot.delivery import ConsoleChannel, deliver_pending, render
from bot.errors import TallywireError
from bot.extract import Naming
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


CONSOLE = Caller(user_id="console", destination="console", private=True, chat_admin=True)
# A chat command named in a reply ("/removefeed ID removes it"), not inside a URL or a path.
_CHAT_COMMAND = re.compile(r"(?<![\w/:.])/(status|feeds|addfeed|removefeed|swaps|attacks|ask)\b")


def said_here(reply: Message) -> str:
    """A reply as the command line says it: its chat commands as `tallywire` commands."""
    return _CHAT_COMMAND.sub(r"tallywire \1", render(reply))


def table_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire status|feeds|addfeed URL|removefeed ID`, through the command table."""
    operator = dataclasses.replace(settings, admins=settings.admins | {CONSOLE.user_id})
    store = Store.open(settings.database_url)
    try:
        context = CommandContext(
            store,
            Rulebook.from_settings(settings),
            operator,
            utc_now,
            system_resolver,
            allow_private=getattr(args, "allow_private", False),
        )
        reply = asyncio.run(dispatch(context, CONSOLE, args.command, getattr(args, "argument", "")))
    finally:
        store.close()
    print(said_here(reply), file=sys.stderr if reply.failed else sys.stdout)
    return 1 if reply.failed else 0


def open_pipeline(settings: Settings) -> Pipeline:
    """The pipeline over the store the settings name, with the rules of the config folders."""
    rulebook = Rulebook.from_settings(settings)
    return Pipeline(Store.open(settings.database_url), settings, utc_now, rulebook)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire run [--once]`."""
    settings = for_process(settings, args.process)
    preflight(dataclasses.replace(settings, port=None) if args.once else settings)
    if args.once:
        reports, sent = run_loop(run_once(settings))
        for report in reports:
            print_report(report)
        print_deliveries(Counter(sent))
        return 0
    run_loop(run_service(settings))
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


def _read_views(settings: Settings) -> tuple[list[EventView], date, Naming]:
    """What answers and charts read: the events' views, "today" as answers count it, and the
    metrics' names."""
    pipeline = open_pipeline(settings)
    try:
        views = event_views(pipeline.store, pipeline.rulebook)
        today = news_today(pipeline.store, utc_now().date())
    finally:
        pipeline.store.close()
    return views, today, pipeline.rulebook.naming


def answer_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire swaps`, `tallywire attacks [DATE]`, `tallywire ask QUESTION`."""
    views, today, names = _read_views(settings)
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
    print(said_here(reply))
    return 0


def chart_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire chart attacks|swaps [--days N] --out FILE.png`: 0 with the file written, 1
    when there is nothing to chart (the reply says what is known instead)."""
    views, today, names = _read_views(settings)
    reply = chart_reply(args.kind, args.days, views, today, names)
    if reply.image is None:
        print(said_here(reply), file=sys.stderr)
        return 1
    args.out.write_bytes(reply.image.png)
    print(said_here(dataclasses.replace(reply, image=None)))
    print(f"chart written to {args.out} ({len(reply.image.png):,} bytes)")
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
    else:
        print(f"{'EVENT':30} {'METRIC':26} {'SIDE':8} {'VALUE':>14} {'STATUS':9} SOURCES")
    for row in [] if args.json else rows:
        value = describe(Interval(row["low"], row["high"])) if row["low"] is not None else "?"
        phase = f" {row['phase']}" if row["phase"] else ""
        print(
            f"{row['event']:30} {row['metric']:26} {row['side'] or '-':8}{phase} {value:>14} "
            f"{row['status']:9} {', '.join(row['sources'])}"
        )
    return 0
