"""Many feeds at once: 2,000 articles of one night in 10 feeds of 200, polled together.

    python -m bench.bench_many_feeds [--quick]

bench/feed_farm.py serves 10 feeds of 200 articles with HTML bodies (`--one-day`: every
article reports the same night's attack, its counts a few units apart from the others', as
outlets covering one big night write), from a process of its own. The pipeline polls them
all at once into a fresh SQLite file, as `tallywire run --once` does (Pipeline.poll_feeds,
with the console as the one recipient), with the default settings. Printed: the exit status
(`run --once`'s: 0 unless the run raised), the polls cut short by their time budget (their
rest left for the next poll), the articles stored (each once), the whole run's time against
feedparser's (with its defaults) parse of the same bytes, also per article stored, and where
the time went, stage by stage (see bench/stage_timer.py).

Target (issue 15): exit 0, every article stored once, whole pipeline <= 2x feedparser.
"""

from __future__ import annotations

import argparse
import io
import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import feedparser
import httpx
from sqlalchemy import func, select

from bench.bench_ingest import best_of
from bench.common import REPO, Row, held_to
from bench.feed_farm import FeedFarm
from bench.stage_timer import WAITING, StageTimer
from bot.app import run_loop, utc_now
from bot.pipeline.flow import Pipeline, SourceReport
from bot.pipeline.recipients import subscribers
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.sources.feeds import FeedSpec
from bot.store import Store
from bot.store.schema import documents

JITTER = 3  # units either way an outlet's count is off the night's


class LockedLog(logging.Handler):
    """Counts the log records that say the store was locked."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.locked = 0

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage() + (str(record.exc_info[1]) if record.exc_info else "")
        self.locked += "locked" in text


@dataclass(frozen=True)
class Polled:
    """What polling every feed at once did."""

    exit: int  # `run --once`'s exit status: 0 unless the run raised
    failed: str  # what it raised
    locked: int  # log records saying the store was locked
    errors: int  # polls that failed
    partial: int  # polls cut short by their time budget
    stored: int  # documents in the store after
    wall: float  # seconds
    stages: dict[str, float]  # seconds by stage (bench/stage_timer.py)
    waited: float  # seconds waited for write turns, over all threads


def poll_all(farm: FeedFarm, folder: Path) -> Polled:
    """Poll every feed of `farm` at once into a fresh store."""
    settings = Settings(database_url=f"sqlite:///{folder}/many.db", config_dirs=(REPO / "config",))
    store = Store.open(settings.database_url)
    pipeline = Pipeline(
        store, settings, utc_now, Rulebook.from_settings(settings), subscribers(True)
    )
    specs = [FeedSpec(f"feed{n:02d}", farm.url(n), f"feed {n}") for n in range(farm.feeds)]
    pipeline.register_feeds(specs)
    watch = LockedLog()
    logging.getLogger().addHandler(watch)
    reports: list[SourceReport] = []
    failed = None
    try:
        with StageTimer() as timer:
            wall = time.perf_counter()
            try:
                reports = run_loop(pipeline.poll_feeds(specs))
            except Exception as exc:  # what the process would die of: the exit status says it
                failed = exc
            wall = time.perf_counter() - wall
        with store.reading() as conn:
            stored = conn.execute(select(func.count()).select_from(documents)).scalar_one()
    finally:
        logging.getLogger().removeHandler(watch)
        store.close()
    return Polled(
        exit=0 if failed is None else 1,
        failed=repr(failed) if failed else "",
        locked=watch.locked,
        errors=sum(r.status == "error" for r in reports),
        partial=sum(r.status == "partial" for r in reports),
        stored=stored,
        wall=wall,
        stages=timer.seconds,
        waited=timer.waited,
    )


def feedparser_seconds(farm: FeedFarm, passes: int) -> tuple[float, int]:
    """Seconds (fastest of `passes`) feedparser with its defaults takes on the feeds' bytes,
    and those bytes' size."""
    with httpx.Client(trust_env=False) as client:
        bodies = [client.get(farm.url(n)).content for n in range(farm.feeds)]

    def parse() -> None:
        for body in bodies:
            feedparser.parse(io.BytesIO(body))

    return best_of(passes, parse), sum(len(b) for b in bodies)


def run(quick: bool = False) -> list[Row]:
    feeds, items = (3, 20) if quick else (10, 200)
    options = ("--one-day", "--jitter", str(JITTER))
    with tempfile.TemporaryDirectory() as folder, FeedFarm(feeds, items, *options) as farm:
        whole = poll_all(farm, Path(folder))
        floor, size = feedparser_seconds(farm, passes=1 if quick else 3)
    if whole.failed:
        print(f"the run failed: {whole.failed}")
    total, wall, stored, stages = feeds * items, whole.wall, whole.stored, whole.stages
    name = f"{total:,} articles of one night in {feeds} feeds ({size / 1e6:.1f} MB)"
    rows = [
        held_to("many feeds", f"{name}: exit status", whole.exit, "", at_most=0),
        held_to("many feeds", '"database is locked" in the log', whole.locked,
                "times", at_most=0),
        Row("many feeds", "polls failed", whole.errors, "polls"),
        Row("many feeds", "polls cut short by their time budget (rest left for the next poll)",
            whole.partial, "polls"),
        held_to("many feeds", "articles stored (each once)", stored, "articles", at_least=total),
        Row("many feeds", "whole pipeline", wall, "s"),
        Row("many feeds", "feedparser with its defaults, same bytes", floor, "s"),
        held_to("many feeds", "pipeline time / feedparser with its defaults", wall / floor, "x",
                at_most=2.0),
        Row("many feeds", "the same, per article stored", (wall / stored) / (floor / total), "x"),
    ]  # fmt: skip
    work = sum(stages.values())
    for stage, seconds in stages.items():
        rows.append(Row("many feeds", f"stage: {stage} ({100 * seconds / work:.0f}% of the "
                        "stages' time)", seconds, "s"))  # fmt: skip
    rows.append(Row("many feeds", f"{WAITING} (summed over threads)", whole.waited, "s"))
    return rows


def _print(rows: list[Row]) -> None:
    for row in rows:
        print(f"{row.measure:70} {row.value:12,.3f} {row.unit:10} {row.target}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    _print(run(parser.parse_args().quick))
