"""The `tallywire` command (and `python -m bot`): the only place that exits the process."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot import __version__
from bot.documents import Document
from bot.errors import TallywireError
from bot.feedconfig import FeedSpec, load_feeds
from bot.logs import configure_logging
from bot.pipeline import Ingested, Pipeline, SourceReport
from bot.seeds import publication_date, read_document
from bot.settings import Settings
from bot.store import SourceRecord, Store

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
        settings = Settings.from_env(os.environ)
        configure_logging(settings.log_level, settings.log_format)
        command: Command = args.func
        return command(args, settings.with_database(getattr(args, "db", None)))
    except TallywireError as exc:
        print(f"tallywire: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


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
        "--db", metavar="URL", help="database URL (default: DATABASE_URL, else tallywire.db)"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser(
        "run",
        parents=[store],
        help="run the service: poll every source and deliver",
        description="Poll the seeds and every configured feed; with --once, poll once and exit.",
    )
    run.add_argument("--once", action="store_true", help="poll every source once, then exit")
    run.set_defaults(func=run_command)

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
    return parser


def open_pipeline(settings: Settings) -> Pipeline:
    """The pipeline over the store the settings name."""
    return Pipeline(Store.open(settings.database_url), settings, utc_now)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire run [--once]`."""
    feeds = load_feeds(settings)
    pipeline = open_pipeline(settings)
    try:
        pipeline.register_feeds(feeds)
        if args.once:
            for report in asyncio.run(poll_everything(pipeline, feeds)):
                print_report(report)
            return 0
        asyncio.run(serve(pipeline, feeds))
        return 0
    finally:
        pipeline.store.close()


async def poll_everything(pipeline: Pipeline, feeds: list[FeedSpec]) -> list[SourceReport]:
    """One round over every source: the seeds, then every feed."""
    seeds = await asyncio.to_thread(pipeline.ingest_seeds)
    return ([seeds] if seeds else []) + await pipeline.poll_feeds(feeds)


async def serve(pipeline: Pipeline, feeds: list[FeedSpec]) -> None:
    """Poll every TALLYWIRE_POLL_SECONDS until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("tallywire running: %d feeds, every %d s", len(feeds), pipeline.settings.poll_seconds)
    while not stop.is_set():
        for report in await poll_everything(pipeline, feeds):
            if report.ingested or report.error:
                print_report(report)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=pipeline.settings.poll_seconds)
    log.info("tallywire stopped")


def replay_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire replay [PATH ...] [--json]`."""
    pipeline = open_pipeline(settings)
    try:
        if args.paths:
            report = SourceReport(
                "files", "files", "ok", pipeline.ingest(read_paths(args.paths, settings))
            )
        else:
            seeds = pipeline.ingest_seeds(settings.seeds_dir)
            if seeds is None:
                print("tallywire: seeds are off (TALLYWIRE_SEEDS=off) and no PATH was given")
                return 2
            report = seeds
        if args.json:
            for item in report.ingested:
                print(json.dumps(ingested_json(item), ensure_ascii=False))
        else:
            print_report(report)
        return 0
    finally:
        pipeline.store.close()


def read_paths(paths: list[Path], settings: Settings) -> list[Document]:
    """The text files as documents, dated by their date line or the seeds manifest."""
    documents = []
    for path in paths:
        try:
            published = publication_date(path, settings.seeds_dir, None)
            documents.append(read_document(path, published))
        except OSError as exc:
            raise TallywireError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return documents


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


def describe_source(record: SourceRecord, documents: int) -> str:
    """One source on one line, and its last error on the next."""
    polled = (
        record.last_polled_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        if record.last_polled_at
        else "never"
    )
    where = record.url or record.label
    line = (
        f"{record.id}  {record.kind}  {where}\n"
        f"    last poll {polled}, status {record.last_status or '-'}, "
        f"{documents} documents, {record.consecutive_errors} errors in a row "
        f"({record.error_count} in all)"
    )
    if record.last_error:
        line += f"\n    last error: {record.last_error}"
    return line


def print_report(report: SourceReport) -> None:
    """What one source brought, for a person reading the console."""
    name = "seeds" if report.source_id == "seeds" else f"{report.source_id} ({report.label})"
    if report.status == "error":
        print(f"{name}: error: {report.error}")
        return
    if report.status == "not_modified":
        print(f"{name}: not modified (304), nothing parsed")
        return
    print(
        f"{name}: {report.count('new')} new, {report.count('version')} new versions, "
        f"{report.count('duplicate')} already stored"
    )
    for item in report.ingested:
        if item.stored.kind != "duplicate":
            print("  " + describe_ingested(item))
    for problem in report.problems:
        print(f"  note: {problem}")


def describe_ingested(item: Ingested) -> str:
    """A stored document on one line."""
    mark = "+" if item.stored.kind == "new" else f"~ v{item.stored.version}"
    day = item.document.published.isoformat() if item.document.published else "undated   "
    title = " ".join(item.document.title.split())[:90]
    return f"{mark} {item.stored.document_id}  {day}  {title}"


def ingested_json(item: Ingested) -> dict[str, object]:
    """A stored document as a JSON-ready mapping."""
    doc = item.document
    return {
        "stored": item.stored.kind,
        "document": item.stored.document_id,
        "version": item.stored.version,
        "source": doc.source,
        "published": doc.published.isoformat() if doc.published else None,
        "outlet": doc.outlet,
        "title": doc.title,
    }
