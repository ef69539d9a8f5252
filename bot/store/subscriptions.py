"""Subscriptions in the store: which chats receive the threads of which topics.

A destination is "channel:address" ("telegram:-100123", "slack:C0123", "console"). Topics are
stored as "all" or a sorted comma-separated list ("attack,swap"). A destination the platform
says is gone is disabled with the reason, not deleted, so an operator can see why it fell
silent; subscribing again re-enables it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from bot.store.schema import subscriptions

ALL = "all"


@dataclass(frozen=True)
class Subscription:
    """A destination's subscription: its topics ("all" = every topic), the least change kind
    that earns a reply (None: the alert policy decides), and whether it is delivered to."""

    destination: str
    topics: frozenset[str]
    min_kind: str | None
    enabled: bool
    disabled_reason: str | None

    def wants(self, topic: str) -> bool:
        """Whether events of `topic` go to this destination."""
        return ALL in self.topics or topic in self.topics


def subscribe(
    conn: Connection,
    destination: str,
    topics: frozenset[str],
    min_kind: str | None,
    created_by: str | None,
    now: datetime,
) -> bool:
    """Subscribe `destination` to `topics`; True if it was not subscribed before.

    Subscribing again replaces the topics and min_kind and re-enables a disabled destination;
    its creator and creation time are kept.
    """
    values = {
        "topics": _topics_text(topics),
        "min_kind": min_kind,
        "enabled": True,
        "disabled_reason": None,
        "updated_at": now,
    }
    if _exists(conn, destination):
        conn.execute(
            update(subscriptions).where(subscriptions.c.destination == destination).values(values)
        )
        return False
    conn.execute(
        insert(subscriptions).values(
            destination=destination, created_by=created_by, created_at=now, **values
        )
    )
    return True


def unsubscribe(conn: Connection, destination: str) -> bool:
    """Remove the destination's subscription; True if there was one."""
    result = conn.execute(delete(subscriptions).where(subscriptions.c.destination == destination))
    return result.rowcount > 0


def disable(conn: Connection, destination: str, reason: str, now: datetime) -> None:
    """Stop delivering to `destination` (the bot was removed or blocked, say), keeping why."""
    conn.execute(
        update(subscriptions)
        .where(subscriptions.c.destination == destination)
        .values(enabled=False, disabled_reason=reason, updated_at=now)
    )


def move(conn: Connection, old: str, new: str, now: datetime) -> bool:
    """Carry `old`'s subscription over to `new` (a Telegram group that became a supergroup gets
    a new chat id), enabled. If `new` already has a subscription, it is kept and `old`'s is
    dropped. True if `old` had a subscription."""
    if old == new or not _exists(conn, old):
        return False
    if _exists(conn, new):
        conn.execute(delete(subscriptions).where(subscriptions.c.destination == old))
        return True
    conn.execute(
        update(subscriptions)
        .where(subscriptions.c.destination == old)
        .values(destination=new, enabled=True, disabled_reason=None, updated_at=now)
    )
    return True


def get_subscription(conn: Connection, destination: str) -> Subscription | None:
    """The destination's subscription, or None."""
    row = conn.execute(
        select(subscriptions).where(subscriptions.c.destination == destination)
    ).first()
    return _subscription(row) if row else None


def enabled_subscriptions(conn: Connection) -> list[Subscription]:
    """The subscriptions that are delivered to, by destination."""
    rows = conn.execute(
        select(subscriptions)
        .where(subscriptions.c.enabled.is_(True))
        .order_by(subscriptions.c.destination)
    )
    return [_subscription(row) for row in rows]


def subscription_counts(conn: Connection) -> dict[bool, int]:
    """How many subscriptions are enabled (True) and disabled (False)."""
    rows = conn.execute(
        select(subscriptions.c.enabled, func.count()).group_by(subscriptions.c.enabled)
    )
    counts = {True: 0, False: 0}
    counts.update({bool(enabled): n for enabled, n in rows})
    return counts


def _exists(conn: Connection, destination: str) -> bool:
    found = conn.execute(
        select(subscriptions.c.destination).where(subscriptions.c.destination == destination)
    ).first()
    return found is not None


def _topics_text(topics: frozenset[str]) -> str:
    if not topics or ALL in topics:
        return ALL
    return ",".join(sorted(topics))


def _subscription(row: Row[tuple[object, ...]]) -> Subscription:
    topics = frozenset(t for t in str(row.topics).split(",") if t)
    return Subscription(
        row.destination, topics or frozenset({ALL}), row.min_kind, row.enabled, row.disabled_reason
    )
