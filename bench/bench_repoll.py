"""Unchanged re-poll and scale: what one polling cycle costs when no feed has changed.

    python -m bench.bench_repoll [--quick]

N feeds (1,000, 5,000 and 10,000) are served by bench/feed_farm.py in a process of its own and
polled through the service's own polling round (Service.poll_round: claim due feeds in the
store, conditional GET, record the poll), in this process, against a SQLite store holding five
documents per feed. Each feed is polled once to learn its validators; then three times the clock
moves past the poll interval and a cycle, every feed answering 304, is timed: CPU time of this
process (threads included) and wall time, per feed, of the median cycle. Beside it, the floor:
httpx alone making the same conditional requests with nothing stored, in the same run.

Targets (issue 8): <= 1 ms CPU per feed; cost linear from 1,000 to 10,000 feeds.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.common import REPO, Row, cpu_seconds, held_to
from bench.feed_farm import FeedFarm
from bot.app import run_loop
from bot.delivery.deliverer import Deliverer
from bot.pipeline.flow import Pipeline
from bot.pipeline.service import Service
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.sources.documents import Document
from bot.sources.feeds import FeedSpec
from bot.sources.fetch import make_client
from bot.store import Store
from bot.store.documents import add_document

DOCUMENTS_PER_FEED = 5
INTERVAL = 600
FLOOR_CONCURRENCY = 64
CYCLES = 3


async def timed_cycle(service: Service) -> tuple[int, float, float]:
    """(feeds polled, CPU seconds, wall seconds) of one polling round."""
    cpu, wall = cpu_seconds(), time.perf_counter()
    polled = await service.poll_round()
    return polled, cpu_seconds() - cpu, time.perf_counter() - wall


async def httpx_floor(farm: FeedFarm, settings: Settings) -> tuple[float, float]:
    """(CPU, wall) seconds of httpx alone making the cycle's conditional GETs (all 304)."""
    async with make_client(settings.fetch) as client:
        etags: dict[int, str] = {}
        gate = asyncio.Semaphore(FLOOR_CONCURRENCY)

        async def get(feed: int) -> None:
            async with gate:
                headers = {"If-None-Match": etags[feed]} if feed in etags else {}
                response = await client.get(farm.url(feed), headers=headers)
                etags[feed] = response.headers.get("etag", "")

        await asyncio.gather(*(get(feed) for feed in range(farm.feeds)))
        cpu, wall = cpu_seconds(), time.perf_counter()
        await asyncio.gather(*(get(feed) for feed in range(farm.feeds)))
        return cpu_seconds() - cpu, time.perf_counter() - wall


def fill_documents(store: Store, count: int, now: datetime) -> None:
    """`count` stored documents (as feeds bring them, without figures: a re-poll reads none)."""
    with store.transaction() as conn:
        for n in range(count):
            add_document(
                conn,
                Document(
                    id=f"doc{n}", source="archive", text=f"Archived report number {n}.",
                    title=f"Report {n}", guid=f"urn:archive:{n}",
                    link=f"https://archive.test/{n}", published=date(2025, 1, 1),
                ),
                now,
            )  # fmt: skip


async def measure(feeds: int, folder: Path) -> dict[str, float]:
    """The median of CYCLES unchanged cycles over `feeds` feeds (by CPU), with the floor."""
    settings = Settings(
        database_url=f"sqlite:///{folder}/repoll-{feeds}.db",
        config_dirs=(REPO / "config",),
        poll_seconds=INTERVAL,
    )
    store = Store.open(settings.database_url)
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    fill_documents(store, feeds * DOCUMENTS_PER_FEED, now[0])
    pipeline = Pipeline(store, settings, lambda: now[0], Rulebook.from_settings(settings))
    try:
        with FeedFarm(feeds, items=0) as farm:
            specs = [FeedSpec(f"feed{n:05d}", farm.url(n), f"feed {n}") for n in range(feeds)]
            pipeline.register_feeds(specs)
            service = Service(
                pipeline, Deliverer(store, {}, lambda: now[0]), specs,
                lambda: make_client(settings.fetch),
            )  # fmt: skip
            await service.poll_round()  # learns every feed's validators
            cycles = []
            for _ in range(CYCLES):
                now[0] += timedelta(seconds=INTERVAL + 1)
                cycles.append(await timed_cycle(service))
            await service.close()
            polled, cpu, wall = sorted(cycles, key=lambda cycle: cycle[1])[CYCLES // 2]
            floor_cpu, floor_wall = await httpx_floor(farm, settings)
    finally:
        store.close()
    if polled != feeds:
        raise RuntimeError(f"the cycle polled {polled} of {feeds} feeds")
    return {
        "cpu_ms": cpu * 1000 / feeds,
        "wall_ms": wall * 1000 / feeds,
        "floor_cpu_ms": floor_cpu * 1000 / feeds,
        "floor_wall_ms": floor_wall * 1000 / feeds,
    }


def run(quick: bool = False) -> list[Row]:
    sizes = (200, 1000) if quick else (1000, 5000, 10000)
    with tempfile.TemporaryDirectory() as folder:
        results = {n: run_loop(measure(n, Path(folder))) for n in sizes}
    first, last = results[sizes[0]], results[sizes[-1]]
    rows = [
        held_to("re-poll", f"CPU per feed, {sizes[0]:,} feeds all 304",
                first["cpu_ms"], "ms", at_most=1.0),
        Row("re-poll", f"wall per feed, {sizes[0]:,} feeds", first["wall_ms"], "ms"),
        Row("re-poll", "floor: httpx alone, CPU per request", first["floor_cpu_ms"], "ms"),
    ]  # fmt: skip
    for feeds in sizes:
        found = results[feeds]
        rows.append(Row("scale", f"cycle CPU, {feeds:,} feeds, "
                        f"{feeds * DOCUMENTS_PER_FEED:,} documents stored",
                        found["cpu_ms"] * feeds / 1000, "s"))  # fmt: skip
    growth = last["cpu_ms"] / first["cpu_ms"]
    rows.append(
        held_to("scale", f"CPU per feed at {sizes[-1]:,} / at {sizes[0]:,} feeds", growth, "x",
                at_most=1.25)
    )  # fmt: skip
    return rows


def _print(rows: list[Row]) -> None:
    for row in rows:
        print(f"{row.benchmark:8} {row.measure:58} {row.value:10.3f} {row.unit:4} {row.target}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    _print(run(parser.parse_args().quick))
