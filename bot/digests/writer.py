"""Writing chats' digests (issue 17): at the end of quiet hours, and once a day in digest mode.

The service's scheduler calls `Digests.write_due` every few seconds. A chat's digest is built
from the store when it falls due (each event's changes of the period, and its summary as
reconciled now), written to the outbox under the key "<destination>|digest|<period end, UTC
ISO>", and the messages held for the period are folded into it, all in one transaction that
also records the period as covered: a restart, or a second worker, finds nothing due and the
key taken, so the digest goes out once. A service that was down when the period ended writes
it when it starts again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection

from bot.compose import DigestSection, Message, digest, summary
from bot.digests.schedules import due_digest, quiet_period
from bot.reconcile import Change, Report, Rulebook, reconcile_event
from bot.store import ChatSettings, Outgoing, Store, changelog, held, ledger
from bot.store import chat_settings as settings_sql
from bot.store import outbox as outbox_sql
from bot.store import subscriptions as subscription_sql

log = logging.getLogger(__name__)

MAX_EVENTS = 12  # events a digest details: one message on every platform (Slack: 50 blocks)
DIGEST_EVENT = "digest"  # the outbox's event id of a digest (it belongs to no one event)


def digest_key(destination: str, period_end: datetime) -> str:
    """The outbox key of a destination's digest for the period ending at `period_end`."""
    return f"{destination}|digest|{period_end.isoformat()}"


@dataclass
class Digests:
    """Writes the digests that fall due, for every chat with quiet hours or digest mode."""

    store: Store
    rulebook: Rulebook
    clock: Callable[[], datetime]

    def write_due(self) -> int:
        """Write every digest due now; how many messages were written. Blocking."""
        now = self.clock()
        with self.store.reading() as conn:
            chats = settings_sql.scheduled(conn)
        written = 0
        for destination, settings in chats:
            if due_digest(settings, now) is not None:
                written += self.write(destination, now)
        return written

    def write(self, destination: str, now: datetime) -> int:
        """Write the destination's digest if one is due at `now` (looked at again under the
        row's lock); 1 when a message was written, else 0."""
        with self.store.transaction() as conn:
            settings = settings_sql.get_settings(conn, destination, lock=True)
            period = due_digest(settings, now)
            if period is None:
                return 0
            since, end = period
            always = settings.digest_at is not None  # digest mode: one a day, even empty
            written = self._write(conn, destination, settings, since, end, now, always)
            settings_sql.mark_digest(conn, destination, end)
        return int(written)

    def flush(
        self, conn: Connection, destination: str, settings: ChatSettings, now: datetime
    ) -> bool:
        """In the caller's transaction, write a digest of what `destination` has held so far,
        if anything (its quiet hours or digest mode are being turned off); whether one was."""
        quiet = quiet_period(settings, now) if settings.digest_at is None else None
        since = quiet[0] if quiet else settings.last_digest_at or now
        return self._write(conn, destination, settings, since, now, now, always=False)

    def _write(
        self,
        conn: Connection,
        destination: str,
        settings: ChatSettings,
        since: datetime,
        end: datetime,
        now: datetime,
        always: bool,
    ) -> bool:
        subscription = subscription_sql.get_subscription(conn, destination)
        if subscription is None or not (always or held.held_count(conn, destination, end)):
            return False
        message = self.build(conn, settings, subscription.wants, since, end)
        item = Outgoing(digest_key(destination, end), destination, DIGEST_EVENT, "digest", message)
        outbox_sql.enqueue(conn, [item], now)
        held.fold_held(conn, destination, end, now)
        log.info("digest for %s written: %s", destination, message.title)
        return True

    def build(
        self,
        conn: Connection,
        settings: ChatSettings,
        wants: Callable[[str], bool],
        since: datetime,
        until: datetime,
    ) -> Message:
        """The digest of the changes from `since` to `until` that alert in this chat, for the
        events of the topics it `wants`, with each event's summary as it is now."""
        policy = self.rulebook.policy
        if settings.alert_kinds is not None:
            policy = replace(policy, kinds=settings.alert_kinds)
        by_event: dict[str, list[Change]] = {}
        for change in changelog.changes_between(conn, since, until):
            if policy.alerts(change):
                by_event.setdefault(change.event_id, []).append(change)
        events = ledger.events_by_id(conn, by_event)
        # The events with the most changes first: a digest cut short keeps the busiest.
        wanted = sorted(
            (e for e in events.values() if wants(e.topic)),
            key=lambda e: (-len(by_event[e.id]), e.id),
        )
        chosen = wanted[:MAX_EVENTS]
        reports: dict[str, list[Report]] = {e.id: [] for e in chosen}
        for report in ledger.active_reports(conn, reports):
            reports[report.event_id].append(report)
        names = self.rulebook.naming
        sections = []
        for event in chosen:
            state = reconcile_event(event.id, reports[event.id], self.rulebook.rules)
            order = self.rulebook.headline_order(event.topic)
            shown = summary(event, state, order, names=names)
            sections.append(DigestSection(event, tuple(by_event[event.id]), shown))
        zone = settings.zone
        return digest(
            sections,
            since.astimezone(zone),
            until.astimezone(zone),
            settings.time_zone,
            names,
            quiet=settings.digest_at is None,
            more=len(wanted) - len(chosen),
        )
