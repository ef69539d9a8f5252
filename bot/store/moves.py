"""Moving a destination to a new address: a Telegram group that became a supergroup gets a new
chat id, and its subscription, its unsent messages and its threads follow it there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from bot.store import subscriptions as subscription_sql
from bot.store.chat_settings import move_settings
from bot.store.schema import outbox, threads


def move_destination(conn: Connection, old: str, new: str, now: datetime) -> None:
    """Carry `old`'s subscription, settings, pending and held messages and thread roots over
    to `new`.

    Sent messages keep their old destination (they were posted there). A thread `new` already
    has is kept, and `old`'s root of the same event is dropped. Idempotent: moving twice, or
    moving a destination that has nothing, does nothing.
    """
    if old == new:
        return
    subscription_sql.move(conn, old, new, now)
    move_settings(conn, old, new)
    conn.execute(
        update(outbox)
        .where(outbox.c.destination == old, outbox.c.status.in_(("pending", "held")))
        .values(destination=new)
    )
    taken = set(
        conn.execute(select(threads.c.event_id).where(threads.c.destination == new)).scalars()
    )
    if taken:
        conn.execute(
            delete(threads).where(threads.c.destination == old, threads.c.event_id.in_(taken))
        )
    conn.execute(update(threads).where(threads.c.destination == old).values(destination=new))
