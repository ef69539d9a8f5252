"""The cost of one article against the size of the event it joins.

    python -m bench.bench_event_size [--quick] [--big]

One news flow of one night (bench/feed_farm.py's `Articles`, `--one-day`: every article
reports the same attack, its counts a few units apart from the others', HTML bodies parsed as
a feed), ingested one article at a time into a fresh SQLite store (Pipeline.ingest_one: store,
extract, reconcile, outbox, one transaction). When the night's event has 10, 100, 800 and
1,000 articles (and 5,000 with --big, which takes long while the cost grows with the event),
the next MEASURED articles are timed: the per-article cost at that size. Printed: each cost,
the reports (figures) the event holds then, and the ratios 800/100 and 5,000/1,000.

Target (issue 15): the cost at 800 <= 1.3x the cost at 100; at 5,000 <= 1.3x at 1,000.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import func, select

from bench.common import REPO, Row, held_to
from bench.feed_farm import Articles
from bot.app import utc_now
from bot.pipeline.flow import Pipeline
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.sources import Document
from bot.sources.parse import parse_feed
from bot.store import Store
from bot.store.schema import figures
from tests.fakes.feed_server import rss_feed

JITTER = 3
MEASURED = 20  # articles timed at each size
SIZES = (10, 100, 800, 1000)
BIG = 5000


def night(jitter: int = JITTER) -> Iterator[Document]:
    """Articles of one night, one after another, as the pipeline reads them from a feed."""
    articles = Articles(per_day=10**9, jitter=jitter)
    while True:
        items = [articles.next(0) for _ in range(50)]
        yield from parse_feed(rss_feed(items), "wire").documents


def event_costs(sizes: Sequence[int], measured: int, folder: Path) -> dict[int, dict[str, float]]:
    """For each size: seconds per article for the `measured` articles that follow the first
    `size` of the night, and the figures then in the store."""
    settings = Settings(database_url=f"sqlite:///{folder}/event.db", config_dirs=(REPO / "config",))
    store = Store.open(settings.database_url)
    pipeline = Pipeline(store, settings, utc_now, Rulebook.from_settings(settings))
    flow, done, costs = night(), 0, {}
    try:
        for size in sizes:
            while done < size:
                pipeline.ingest_one(next(flow))
                done += 1
            took = time.perf_counter()
            for _ in range(measured):
                pipeline.ingest_one(next(flow))
            took = time.perf_counter() - took
            done += measured
            with store.reading() as conn:
                held = conn.execute(select(func.count()).select_from(figures)).scalar_one()
            costs[size] = {"per_article": took / measured, "figures": held}
            print(f"  {size:>5} articles: {took / measured * 1000:8.1f} ms an article", flush=True)
    finally:
        store.close()
    return costs


def run(quick: bool = False, big: bool = False) -> list[Row]:
    sizes, measured = ((10, 40), 5) if quick else ((*SIZES, BIG) if big else SIZES, MEASURED)
    with tempfile.TemporaryDirectory() as folder:
        costs = event_costs(sizes, measured, Path(folder))
    rows = [
        Row("event size", f"per article, event of {size:,} articles ({cost['figures']:,.0f} "
            "figures stored)", cost["per_article"] * 1000, "ms")
        for size, cost in costs.items()
    ]  # fmt: skip
    pairs = ((100, 800), (1000, BIG)) if not quick else ((10, 40),)
    for small, large in pairs:
        if small in costs and large in costs:
            ratio = costs[large]["per_article"] / costs[small]["per_article"]
            rows.append(
                held_to("event size", f"per-article cost at {large:,} / at {small:,}", ratio,
                        "x", at_most=1.3)
            )  # fmt: skip
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--big", action="store_true", help=f"also at {BIG:,} articles (long)")
    args = parser.parse_args()
    for row in run(args.quick, args.big):
        print(f"{row.measure:70} {row.value:10.2f} {row.unit:4} {row.target}")
