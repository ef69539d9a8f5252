"""Digests (issue 17): the time to build a chat's daily digest from a store of 100,000 figures,
on SQLite and on PostgreSQL.

    python bench/bench_digest.py [--quick]

The store is filled as bench_answers fills it (a year of news made reproducibly, then the
seeds), except the last three days' articles: those are taken in by the pipeline itself, as a poll
would, with two subscribers, one with the defaults and one in digest mode, so that their changes
are recorded and the digest-mode chat's messages are held. Then the digest is built from the
store as the service builds it when the chat's time comes (each event's changes since the last
digest, its summary reconciled now): the median of five builds, and the one write that puts
it in the outbox and folds the held messages into it. Figures, not targets: nothing is
asserted on time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import time as day_time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script: python bench/bench_digest.py

from sqlalchemy.exc import SQLAlchemyError  # noqa: E402

from bench.bench_answers import (  # noqa: E402
    FIGURES,
    NOW,
    QUICK_FIGURES,
    extract_all,
    fill,
    ledger_size,
    postgres_store,
    seeds,
    sqlite_store,
    year_of_news,
)
from bench.common import Row  # noqa: E402
from bot.digests import Digests  # noqa: E402
from bot.errors import StoreError  # noqa: E402
from bot.pipeline import subscribers  # noqa: E402
from bot.pipeline.flow import Pipeline  # noqa: E402
from bot.reconcile.rulebook import Rulebook  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.sources.documents import Document  # noqa: E402
from bot.store import ChatSettings, Store  # noqa: E402
from bot.store import chat_settings as settings_sql  # noqa: E402
from bot.store import held as held_sql  # noqa: E402
from bot.store import subscriptions as subscription_sql  # noqa: E402

BENCHMARK = "digest"
DAILY = "telegram:1"
PLAIN = "telegram:2"
BUILDS = 5
FRESH_DAYS = 3  # the news of the last days comes in since the last digest


def on_store(label: str, store: Store, documents: list[Document], rulebook: Rulebook) -> list[Row]:
    """Fill `store`, take the last days in through the pipeline, time the digest."""
    days = sorted({d.published for d in documents if d.published})[-FRESH_DAYS:]
    earlier = [d for d in documents if d.published not in days]
    fresh = [d for d in documents if d.published in days]
    fill(store, extract_all(earlier, rulebook))
    since = NOW - timedelta(hours=1)
    chat = ChatSettings(digest_at=day_time(8, 0), last_digest_at=since)
    with store.transaction() as conn:
        for destination in (DAILY, PLAIN):
            subscription_sql.subscribe(conn, destination, frozenset({"all"}), None, "b", since)
        settings_sql.put_settings(conn, DAILY, chat, since)
    settings = Settings.from_env({})
    pipeline = Pipeline(store, settings, lambda: NOW, rulebook, subscribers(console=False))
    pipeline.ingest(fresh)
    active, known = ledger_size(store)
    until = NOW + timedelta(hours=1)
    digests = Digests(store, rulebook, lambda: until)
    times = []
    for _ in range(BUILDS):
        start = time.perf_counter()
        with store.reading() as conn:
            message = digests.build(conn, chat, lambda topic: True, since, until)
        times.append(time.perf_counter() - start)
    with store.reading() as conn:
        waiting = held_sql.held_count(conn, DAILY, until)
    start = time.perf_counter()
    with store.transaction() as conn:
        wrote = digests.flush(conn, DAILY, chat.but(last_digest_at=since), until)
    written = time.perf_counter() - start
    return [
        Row(BENCHMARK, f"{label}: figures in the store", active, "figures"),
        Row(BENCHMARK, f"{label}: events in the store", known, "events"),
        Row(BENCHMARK, f"{label}: articles since the last digest", len(fresh), "articles"),
        Row(BENCHMARK, f"{label}: messages held for the digest", waiting, "messages"),
        Row(BENCHMARK, f"{label}: digest lines", len(message.lines), "lines"),
        Row(BENCHMARK, f"{label}: digest build, median of {BUILDS}",
            round(statistics.median(times) * 1000, 1), "ms"),
        Row(BENCHMARK, f"{label}: digest written and held folded",
            round(written * 1000, 1) if wrote else 0.0, "ms"),
    ]  # fmt: skip


def run(quick: bool) -> list[Row]:
    """Fill a SQLite and a PostgreSQL store and time the digest on each (see the module
    docstring); a row says so when PostgreSQL cannot be reached."""
    rng = random.Random(8)
    rulebook = Rulebook.from_settings(Settings.from_env({}))
    documents = year_of_news(QUICK_FIGURES if quick else FIGURES, rng) + seeds()
    documents.sort(key=lambda d: (d.published is None, d.published))
    rows: list[Row] = []
    with sqlite_store() as store:
        rows += on_store("SQLite", store, documents, rulebook)
    try:
        with postgres_store() as store:
            rows += on_store("PostgreSQL", store, documents, rulebook)
    except (StoreError, SQLAlchemyError) as exc:
        reason = " ".join(str(exc).split())[:120]
        rows.append(Row(BENCHMARK, f"PostgreSQL not measured: {reason}", 0, ""))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="about 5,000 figures")
    args = parser.parse_args()
    start = time.perf_counter()
    for row in run(args.quick):
        print(f"{row.measure:58} {row.value:>10,} {row.unit}")
    print(f"{'whole benchmark':58} {time.perf_counter() - start:>10,.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
