"""Who receives an event's thread: the enabled subscriptions, the console, or both, each with
its chat's settings (which changes alert, quiet hours, digest mode: issue 17)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection

from bot.store import ChatSettings, Subscription
from bot.store import chat_settings as settings_sql
from bot.store import subscriptions as subscription_sql


class Recipient(Protocol):
    """A destination that receives threads: a subscription, or the console."""

    @property
    def destination(self) -> str: ...

    @property
    def min_kind(self) -> str | None: ...

    @property
    def settings(self) -> ChatSettings: ...

    def wants(self, topic: str) -> bool: ...


@dataclass(frozen=True)
class EveryTopic:
    """A destination that receives every thread: the console, when no chat is configured."""

    destination: str
    min_kind: str | None = None
    settings: ChatSettings = settings_sql.DEFAULT

    def wants(self, topic: str) -> bool:
        return True


@dataclass(frozen=True)
class Subscriber:
    """A subscription with its chat's settings."""

    subscription: Subscription
    settings: ChatSettings

    @property
    def destination(self) -> str:
        return self.subscription.destination

    @property
    def min_kind(self) -> str | None:
        return self.subscription.min_kind

    def wants(self, topic: str) -> bool:
        return self.subscription.wants(topic)


def console_only(conn: Connection) -> Sequence[Recipient]:
    """The recipients when no chat channel is configured: the console, for every topic."""
    return (EveryTopic("console"),)


def subscribers(console: bool) -> Callable[[Connection], Sequence[Recipient]]:
    """The recipients of a service with chat channels: every enabled subscription with its
    settings (read once for each batch of documents), and the console too if asked."""

    def recipients(conn: Connection) -> Sequence[Recipient]:
        chosen = settings_sql.settings_by_destination(conn)
        found: list[Recipient] = [
            Subscriber(s, chosen.get(s.destination, settings_sql.DEFAULT))
            for s in subscription_sql.enabled_subscriptions(conn)
        ]
        return [EveryTopic("console"), *found] if console else found

    return recipients
