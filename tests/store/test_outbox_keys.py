"""The outbox's idempotency key under writers at once: a message whose key another
transaction is writing is skipped when that one commits, never an error (a /subscribe opening
threads while a poll writes the same roots, on PostgreSQL where writers do not take turns)."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from sqlalchemy import text

from bot.compose.messages import Message
from bot.store import Store
from bot.store import outbox as outbox_sql
from bot.store.outbox import Outgoing

BOUND = 5.0  # seconds to wait for the second writer to queue behind the first


def root(key: str) -> Outgoing:
    return Outgoing(key, "slack:C1", "attack-ukraine-2025-06-03", "root", Message("Air attack"))


def test_a_key_twice_in_one_batch_is_written_once(store: Store, now: datetime) -> None:
    with store.transaction() as conn:
        assert outbox_sql.enqueue(conn, [root("k1"), root("k1"), root("k2")], now) == 2
        assert outbox_sql.enqueue(conn, [root("k1")], now) == 0
        assert outbox_sql.last_id(conn) > 0


def test_a_key_written_by_a_transaction_at_once_is_skipped_when_it_commits(
    store: Store, now: datetime
) -> None:
    second: list[int | BaseException] = []

    def write_second() -> None:
        try:
            with store.transaction() as conn:
                second.append(outbox_sql.enqueue(conn, [root("k1"), root("k2")], now))
        except BaseException as exc:  # the test reads it below
            second.append(exc)

    with store.transaction() as conn:
        assert outbox_sql.enqueue(conn, [root("k1")], now) == 1
        writer = threading.Thread(target=write_second)
        writer.start()
        waiting_for(store)
    writer.join(BOUND)

    assert second == [1]
    with store.reading() as conn:
        keys = conn.execute(text("SELECT key FROM outbox ORDER BY key")).scalars().all()
    assert keys == ["k1", "k2"]


def waiting_for(store: Store) -> None:
    """Until the second writer waits on the first (PostgreSQL: a lock not granted); SQLite's
    writers take turns in the process, so there the second simply starts after the commit."""
    if store.engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + BOUND
    with store.engine.connect() as probe:
        while time.monotonic() < deadline:
            if probe.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
                return
            probe.rollback()
            time.sleep(0.02)
