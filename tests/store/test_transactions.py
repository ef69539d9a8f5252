"""Write transactions take the lock up front and take turns; reading transactions keep one
snapshot and never block a writer (issue 15). SQLite always, PostgreSQL when given."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
from sqlalchemy import Connection, event, func, select

from bot.store import PollRecord, Store
from bot.store.database import WriterTurns
from bot.store.schema import sources


def register(store: Store, source_id: str, now: datetime) -> None:
    store.register_source(
        source_id=source_id, kind="feed", url=f"https://wire.test/{source_id}.xml",
        label=source_id, origin="env", interval_seconds=None, now=now,
    )  # fmt: skip


def count_sources(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(sources)).scalar_one())


def test_a_reader_keeps_its_snapshot_and_never_blocks_a_writer(store: Store, now: datetime) -> None:
    register(store, "a", now)
    with store.reading() as conn:
        before = count_sources(conn)
        register(store, "b", now)  # commits while the read is open: it would wait if blocked
        # SQLite reads one snapshot; PostgreSQL (read committed) sees each statement's newest.
        expected = 1 if store.engine.dialect.name == "sqlite" else 2
        assert (before, count_sources(conn)) == (1, expected)
        store.record_poll("a", PollRecord(status="ok"), now)
    with store.reading() as conn:
        assert count_sources(conn) == 2


def test_a_write_transaction_inside_another_in_one_thread_is_refused_not_waited_for(
    store: Store,
) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers do not take turns in the process")
    with (
        store.transaction(),
        pytest.raises(RuntimeError, match="inside another"),
        store.transaction(),
    ):
        pass


def test_sqlite_write_transactions_begin_immediate_and_reads_deferred(
    store: Store, now: datetime
) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's")
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    register(store, "a", now)
    store.sources()
    assert seen == ["BEGIN IMMEDIATE", "BEGIN"]


def queued(turns: WriterTurns, n: int, bound: float = 5.0) -> bool:
    """Whether `n` threads wait for a turn within `bound` seconds."""
    deadline = time.monotonic() + bound
    while turns.waiting < n and time.monotonic() < deadline:
        time.sleep(0.001)
    return turns.waiting == n


def test_turns_are_taken_in_the_order_asked() -> None:
    turns, order = WriterTurns(), list[int]()
    first_in = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with turns.turn():
            first_in.set()
            release.wait(5)
            order.append(0)

    def wait(n: int) -> None:
        with turns.turn():
            order.append(n)

    holder = threading.Thread(target=hold)
    holder.start()
    assert first_in.wait(5)
    waiters = []
    for n in (1, 2, 3):
        waiter = threading.Thread(target=wait, args=(n,))
        waiter.start()
        waiters.append(waiter)
        assert queued(turns, n), f"waiter {n} never queued"
    release.set()
    for thread in [holder, *waiters]:
        thread.join(5)
    assert order == [0, 1, 2, 3]
