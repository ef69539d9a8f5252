"""Who receives an event's thread: the enabled subscriptions, the console, or both."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection

from bot.store import subscriptions as subscription_sql


class Recipient(Protocol):
    """A destination that receives threads: a subscription, or the console."""

    @property
    def destination(self) -> str: ...

    @property
    def min_kind(self) -> str | None: ...

    def wants(self, topic: str) -> bool: ...


@dataclass(frozen=True)
class EveryTopic:
    """A destination that receives every thread: the console, when no chat is configured."""

    destination: str
    min_kind: str | None = None

    def wants(self, topic: str) -> bool:
        return True


def console_only(conn: Connection) -> Sequence[Recipient]:
    """The recipients when no chat channel is configured: the console, for every topic."""
    return (EveryTopic("console"),)


def subscribers(console: bool) -> Callable[[Connection], Sequence[Recipient]]:
    """The recipients of a service with chat channels: every enabled subscription (read once
    for each batch of documents), and the console too if asked."""

    def recipients(conn: Connection) -> Sequence[Recipient]:
        found: list[Recipient] = list(subscription_sql.enabled_subscriptions(conn))
        return [EveryTopic("console"), *found] if console else found

    return recipients
