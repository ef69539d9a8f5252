"""Per-chat settings in the store, beside the subscription (issue 17).

A destination without a row has `ChatSettings()`, which is how every chat behaved before:
config/alerts.toml decides which changes alert, no quiet hours, no digest. Local times are kept
as "HH:MM" text and read back as `datetime.time`; the time zone is an IANA name, checked with
zoneinfo before it is stored (`valid_zone`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Row, delete, insert, or_, select, update

from bot.store.schema import chat_settings, subscriptions
from bot.store.sources import as_utc

UTC_ZONE = "UTC"


@dataclass(frozen=True)
class ChatSettings:
    """One chat's settings. `alert_kinds`: the change kinds that earn a reply (None: the alert
    policy of config/alerts.toml); `quiet`: local (start, end) of the quiet hours, which may
    span midnight (None: none); `breakthrough`: kinds that alert even in quiet hours;
    `digest_at`: the local time of the daily digest (None: alerts as they come);
    `last_digest_at`: the end of the period the chat's last digest covered, or when quiet hours
    or digest mode were set (a period that ended before is never due); `charts`: an event's
    thread gets its chart after a swap's milestone and when an attack's night is complete
    (bot.pipeline.charted)."""

    alert_kinds: frozenset[str] | None = None
    time_zone: str = UTC_ZONE
    quiet: tuple[time, time] | None = None
    breakthrough: frozenset[str] = frozenset()
    digest_at: time | None = None
    last_digest_at: datetime | None = None
    charts: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def but(self, **changes: object) -> ChatSettings:
        """A copy with `changes` made (dataclasses.replace)."""
        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT = ChatSettings()


def valid_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone zoneinfo knows ("Europe/Kyiv", "UTC")."""
    if not name or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def get_settings(conn: Connection, destination: str, lock: bool = False) -> ChatSettings:
    """The destination's settings (the defaults without a row). `lock`: hold its row until the
    transaction ends (PostgreSQL; SQLite's write transaction holds the whole file)."""
    query = select(chat_settings).where(chat_settings.c.destination == destination)
    row = conn.execute(query.with_for_update() if lock else query).first()
    return _settings(row) if row else DEFAULT


def settings_by_destination(conn: Connection) -> dict[str, ChatSettings]:
    """Every stored destination's settings (those without a row have the defaults)."""
    return {row.destination: _settings(row) for row in conn.execute(select(chat_settings))}


def scheduled(conn: Connection) -> list[tuple[str, ChatSettings]]:
    """The enabled subscriptions with quiet hours or digest mode, by destination: the chats
    whose digests the service writes."""
    rows = conn.execute(
        select(chat_settings)
        .join(subscriptions, subscriptions.c.destination == chat_settings.c.destination)
        .where(
            subscriptions.c.enabled.is_(True),
            or_(chat_settings.c.quiet_start.is_not(None), chat_settings.c.digest_at.is_not(None)),
        )
        .order_by(chat_settings.c.destination)
    )
    return [(row.destination, _settings(row)) for row in rows]


def put_settings(conn: Connection, destination: str, settings: ChatSettings, now: datetime) -> None:
    """Write the destination's settings, replacing any it had."""
    values = {
        "alert_kinds": None if settings.alert_kinds is None else _kinds(settings.alert_kinds),
        "time_zone": settings.time_zone,
        "quiet_start": _hhmm(settings.quiet[0]) if settings.quiet else None,
        "quiet_end": _hhmm(settings.quiet[1]) if settings.quiet else None,
        "breakthrough": _kinds(settings.breakthrough),
        "digest_at": _hhmm(settings.digest_at) if settings.digest_at else None,
        "last_digest_at": settings.last_digest_at,
        "charts": settings.charts,
        "updated_at": now,
    }
    found = conn.execute(
        select(chat_settings.c.destination).where(chat_settings.c.destination == destination)
    ).first()
    if found:
        conn.execute(
            update(chat_settings).where(chat_settings.c.destination == destination).values(values)
        )
    else:
        conn.execute(insert(chat_settings).values(destination=destination, **values))


def mark_digest(conn: Connection, destination: str, period_end: datetime) -> None:
    """Record that the destination's digest for the period ending at `period_end` is written."""
    conn.execute(
        update(chat_settings)
        .where(chat_settings.c.destination == destination)
        .values(last_digest_at=period_end)
    )


def move_settings(conn: Connection, old: str, new: str) -> None:
    """Carry `old`'s settings over to `new` (a group that became a supergroup), unless `new`
    has its own."""
    taken = conn.execute(
        select(chat_settings.c.destination).where(chat_settings.c.destination == new)
    ).first()
    if taken:
        conn.execute(delete(chat_settings).where(chat_settings.c.destination == old))
    else:
        conn.execute(
            update(chat_settings).where(chat_settings.c.destination == old).values(destination=new)
        )


def parse_hhmm(text: str) -> time | None:
    """ "07:00" or "7:00" -> time(7, 0); None when it is not a time of day."""
    hours, colon, minutes = text.strip().partition(":")
    if not colon or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        return None
    if len(hours) > 2 or int(hours) > 23 or int(minutes) > 59:
        return None
    return time(int(hours), int(minutes))


def _hhmm(when: time) -> str:
    return f"{when.hour:02d}:{when.minute:02d}"


def _kinds(kinds: frozenset[str]) -> str:
    return ",".join(sorted(kinds))


def _split(text: str | None) -> frozenset[str]:
    return frozenset(k for k in (text or "").split(",") if k)


def _settings(row: Row[tuple[object, ...]]) -> ChatSettings:
    start, end = row.quiet_start, row.quiet_end
    quiet = None
    if start and end:
        first, last = parse_hhmm(str(start)), parse_hhmm(str(end))
        quiet = (first, last) if first and last else None
    return ChatSettings(
        alert_kinds=None if row.alert_kinds is None else _split(str(row.alert_kinds)),
        time_zone=str(row.time_zone),
        quiet=quiet,
        breakthrough=_split(str(row.breakthrough)),
        digest_at=parse_hhmm(str(row.digest_at)) if row.digest_at else None,
        last_digest_at=as_utc(row.last_digest_at),
        charts=bool(row.charts),
    )
