"""bench/bench_answers.py fills its stores without the pipeline's reconciling and outbox (issue 8,
benchmark 6): the rows answers read must be the ones the pipeline writes for the same news."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from bench import bench_answers as bench
from bot.pipeline.flow import Pipeline
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.store import Store, ledger
from bot.store.schema import events, figures
from bot.store.sources import as_utc

SETTINGS = Settings.from_env({})
RULEBOOK = Rulebook.from_settings(SETTINGS)


Rows = list[tuple[object, ...]]


def ledger_rows(store: Store) -> tuple[Rows, Rows]:
    """The events (with their revisions) and every figure but its id, in the order written;
    times in UTC whichever database gave them."""
    figure_columns = [c for c in figures.c if c.name != "id"]
    with store.transaction() as conn:
        return (
            [_utc(r) for r in conn.execute(select(events).order_by(events.c.id))],
            [_utc(r) for r in conn.execute(select(*figure_columns).order_by(figures.c.id))],
        )


def _utc(row: Sequence[object]) -> tuple[object, ...]:
    return tuple(as_utc(v) if isinstance(v, datetime) else v for v in row)


def test_the_bench_store_holds_the_pipelines_rows(database_url: str, tmp_path: Path) -> None:
    documents = bench.year_of_news(400, random.Random(3)) + bench.seeds()
    assert len(documents) > 35 and any("prisoners" in d.text for d in documents)
    bench_store = Store.open(database_url)
    bench.fill(bench_store, bench.extract_all(documents, RULEBOOK))
    piped = Store.open(f"sqlite:///{tmp_path / 'piped.db'}")
    Pipeline(piped, SETTINGS, lambda: bench.NOW, RULEBOOK).ingest(documents)

    made, expected = ledger_rows(bench_store), ledger_rows(piped)
    assert len(made[1]) > 1_000 and {row[1] for row in made[0]} == {"attack", "swap"}
    assert made == expected
    with bench_store.transaction() as conn, piped.transaction() as other:
        assert ledger.revisions(conn) == ledger.revisions(other)
    bench_store.close()
    piped.close()
