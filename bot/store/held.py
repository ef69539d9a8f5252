"""Messages held back for a chat's digest (issue 17): quiet hours and digest mode.

A held message is an outbox row with status "held": never claimed (bot.store.outbox claims
"pending" rows only), so a restart sends none of them. When the chat's digest is written, the
held messages of the period are folded into it in the same transaction: replies and edits
become "folded" (kept, never sent), and held thread roots are deleted, so that the event's next
change after the digest opens its thread afresh under the same key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, select, update

from bot.store.schema import outbox

HELD, FOLDED = "held", "folded"


def root_held(conn: Connection, destination: str, event_id: str) -> bool:
    """Whether the event's thread root at `destination` is held (so its edits are too)."""
    found = conn.execute(
        select(outbox.c.id).where(
            outbox.c.destination == destination,
            outbox.c.event_id == event_id,
            outbox.c.role == "root",
            outbox.c.status == HELD,
        )
    ).first()
    return found is not None


def release_thread(conn: Connection, destination: str, event_id: str) -> int:
    """Send the event's held root and edits after all (a reply that breaks through quiet hours
    needs its root); how many were released."""
    released = conn.execute(
        update(outbox)
        .where(
            outbox.c.destination == destination,
            outbox.c.event_id == event_id,
            outbox.c.role.in_(("root", "edit")),
            outbox.c.status == HELD,
        )
        .values(status="pending")
    )
    return released.rowcount


def held_count(conn: Connection, destination: str, until: datetime) -> int:
    """How many messages written up to `until` are held for `destination`."""
    return int(
        conn.execute(
            select(func.count()).where(
                outbox.c.destination == destination,
                outbox.c.status == HELD,
                outbox.c.created_at <= until,
            )
        ).scalar_one()
    )


def fold_held(conn: Connection, destination: str, until: datetime, now: datetime) -> int:
    """Fold the messages held for `destination` written up to `until` into its digest: roots
    deleted, the others marked "folded"; how many there were."""
    mine = (
        outbox.c.destination == destination,
        outbox.c.status == HELD,
        outbox.c.created_at <= until,
    )
    roots = conn.execute(delete(outbox).where(*mine, outbox.c.role == "root")).rowcount
    others = conn.execute(update(outbox).where(*mine).values(status=FOLDED, sent_at=now)).rowcount
    return roots + others
