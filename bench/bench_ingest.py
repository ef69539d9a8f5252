"""Ingest throughput: the whole pipeline against feedparser alone on the same bytes.

    python -m bench.bench_ingest [--quick]

bench/feed_farm.py serves 50 feeds of 20 news-length articles with HTML bodies (a news flow of
nightly attacks and exchanges, 4 to 7 figures an article) from a process of its own. The
service's polling round (Service.poll_round) polls them into a fresh SQLite store: fetch, parse,
extract, reconcile, store and write the outbox (for the console, which takes every topic).
Then, in the same run, the floor: the same feed bytes parsed by feedparser alone, as the
pipeline calls it (no HTML sanitising or URI resolving: Tallywire keeps plain text) and with
feedparser's defaults. The stages are timed apart too, to show where the time goes.

Target (issue 8): whole pipeline <= 2x feedparser's parse time on the same bytes.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import feedparser
import httpx

from bench.common import REPO, Row, cpu_seconds, held_to
from bench.feed_farm import FeedFarm
from bot.app import run_loop, utc_now
from bot.delivery.deliverer import Deliverer
from bot.extract import extract
from bot.pipeline.flow import Pipeline
from bot.pipeline.service import Service
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.sources.feeds import FeedSpec
from bot.sources.fetch import make_client
from bot.sources.parse import parse_feed
from bot.store import Store
from bot.store.outbox import backlog


def best_of(passes: int, work: Callable[[], object]) -> float:
    """The fastest of `passes` timings of `work`, in seconds."""
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


async def pipeline_round(farm: FeedFarm, folder: Path) -> dict[str, float]:
    """Poll every feed of `farm` once into a fresh store; articles, seconds and messages."""
    settings = Settings(
        database_url=f"sqlite:///{folder}/ingest.db", config_dirs=(REPO / "config",)
    )
    store = Store.open(settings.database_url)
    clock = utc_now
    pipeline = Pipeline(store, settings, clock, Rulebook.from_settings(settings))
    specs = [FeedSpec(f"feed{n:03d}", farm.url(n), f"feed {n}") for n in range(farm.feeds)]
    pipeline.register_feeds(specs)
    service = Service(
        pipeline, Deliverer(store, {}, clock), specs, lambda: make_client(settings.fetch)
    )
    try:
        cpu, wall = cpu_seconds(), time.perf_counter()
        await service.poll_round()
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        await service.close()
        with store.transaction() as conn:
            messages = backlog(conn)
        articles = sum(store.documents_by_source().values())
    finally:
        store.close()
    return {"articles": articles, "wall": wall, "cpu": cpu, "messages": messages}


def feed_bodies(farm: FeedFarm) -> list[bytes]:
    with httpx.Client(trust_env=False) as client:
        return [client.get(farm.url(n)).content for n in range(farm.feeds)]


def stages(bodies: list[bytes], settings: Settings, passes: int) -> dict[str, float]:
    """Seconds, fastest of `passes`, of: feedparser as the pipeline calls it, with its defaults,
    the pipeline's parse (feedparser and turning entries into documents) and extraction."""
    vocabulary = Rulebook.from_settings(settings).vocabulary

    def feedparser_as_called() -> None:
        for body in bodies:
            feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)

    def feedparser_defaults() -> None:
        for body in bodies:
            feedparser.parse(io.BytesIO(body))

    documents = [d for n, b in enumerate(bodies) for d in parse_feed(b, f"f{n}").documents]

    def parse() -> None:
        for n, body in enumerate(bodies):
            parse_feed(body, f"f{n}")

    def extraction() -> None:
        for doc in documents:
            extract(doc.text, doc.published, doc.id, vocabulary)

    return {
        "feedparser": best_of(passes, feedparser_as_called),
        "feedparser_defaults": best_of(passes, feedparser_defaults),
        "parse": best_of(passes, parse),
        "extract": best_of(passes, extraction),
        "documents": len(documents),
    }


def run(quick: bool = False) -> list[Row]:
    feeds, items = (10, 10) if quick else (50, 20)
    settings = Settings(config_dirs=(REPO / "config",))
    with tempfile.TemporaryDirectory() as folder, FeedFarm(feeds, items) as farm:
        whole = run_loop(pipeline_round(farm, Path(folder)))
        timed = stages(feed_bodies(farm), settings, passes=3)
    articles = whole["articles"]
    per = 1000 / articles  # seconds in all -> ms per article
    rest = whole["wall"] - timed["parse"] - timed["extract"]
    return [
        Row("ingest", f"whole pipeline, {articles:.0f} articles in {feeds} feeds",
            articles / whole["wall"], "art/s"),
        Row("ingest", "feedparser alone, as the pipeline calls it",
            articles / timed["feedparser"], "art/s"),
        held_to("ingest", "pipeline time / feedparser time (same bytes)",
                whole["wall"] / timed["feedparser"], "x", at_most=2.0),
        Row("ingest", "pipeline time / feedparser with its defaults",
            whole["wall"] / timed["feedparser_defaults"], "x"),
        Row("ingest", "pipeline CPU per article", whole["cpu"] * per, "ms"),
        Row("ingest", "stage: parse (feedparser + documents)", timed["parse"] * per, "ms"),
        Row("ingest", "stage: extract figures", timed["extract"] * per, "ms"),
        Row("ingest", "stage: the rest (fetch, reconcile, store, outbox)", rest * per, "ms"),
        Row("ingest", "messages written to the outbox", whole["messages"], ""),
    ]  # fmt: skip


def _print(rows: list[Row]) -> None:
    for row in rows:
        print(f"{row.benchmark:8} {row.measure:52} {row.value:10.3f} {row.unit:6} {row.target}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    _print(run(parser.parse_args().quick))
