"""When a chat's alerts are held, and when its digest is due (issue 17). Pure: the instant is
passed in, aware; every instant returned is in UTC.

Quiet hours are local wall-clock times in the chat's time zone and may span midnight
(23:00-07:00). On a day a clock change moves the wall clock, the hours are those of the wall
clock: a quiet end at 02:30 on a spring-forward night (a time that does not exist) falls at the
instant zoneinfo gives 02:30 with fold 0, one hour later than the same wall time the day before
would suggest; an ambiguous time (autumn) is its first occurrence.

Digest mode takes precedence over quiet hours: a chat in digest mode holds everything, all day,
and gets one digest a day at `digest_at`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.store import ChatSettings

ONE_DAY = timedelta(days=1)


def wall(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of the local wall time `at` on `day` in `zone`."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def quiet_period(settings: ChatSettings, now: datetime) -> tuple[datetime, datetime] | None:
    """The quiet hours `now` falls in, as (start, end) instants; None outside them (or without
    quiet hours). The start is inside, the end is not."""
    if settings.quiet is None:
        return None
    start, end = settings.quiet
    zone = settings.zone
    today = now.astimezone(zone).date()
    for day in (today - ONE_DAY, today):
        begins = wall(day, start, zone)
        ends = wall(day + ONE_DAY if end <= start else day, end, zone)
        if begins <= now < ends:
            return begins, ends
    return None


def holding(settings: ChatSettings, now: datetime) -> bool:
    """Whether the chat's alerts are held at `now`: it is in digest mode, or in quiet hours."""
    return settings.digest_at is not None or quiet_period(settings, now) is not None


def breaks_through(settings: ChatSettings, kinds: Collection[str], now: datetime) -> bool:
    """Whether a reply naming changes of `kinds` is sent at `now` although the chat holds its
    alerts: in quiet hours (not digest mode) when one kind is set to break through."""
    if settings.digest_at is not None:
        return False
    return quiet_period(settings, now) is not None and bool(settings.breakthrough & set(kinds))


def last_end(settings: ChatSettings, now: datetime) -> tuple[datetime, datetime] | None:
    """The latest period a digest would cover that ended at or before `now`, as (start, end):
    for digest mode the day up to the last `digest_at`, for quiet hours the last quiet hours
    that ended; None without either."""
    zone = settings.zone
    today = now.astimezone(zone).date()
    if settings.digest_at is not None:
        for day in (today, today - ONE_DAY):
            ends = wall(day, settings.digest_at, zone)
            if ends <= now:
                return wall(day - ONE_DAY, settings.digest_at, zone), ends
        return None  # unreachable: yesterday's digest time is always past
    if settings.quiet is None:
        return None
    start, end = settings.quiet
    for day in (today, today - ONE_DAY):
        ends = wall(day, end, zone)
        if ends <= now:
            return wall(day - ONE_DAY if end <= start else day, start, zone), ends
    return None


def due_digest(settings: ChatSettings, now: datetime) -> tuple[datetime, datetime] | None:
    """The period whose digest is due at `now`, as (since, end): the latest period that ended
    (`last_end`) if the chat's last digest does not cover it yet; None when nothing is due. A
    digest-mode digest covers everything since the last one; a quiet-hours digest its hours."""
    period = last_end(settings, now)
    last = settings.last_digest_at
    if period is None or (last is not None and period[1] <= last):
        return None
    since, end = period
    if settings.digest_at is not None and last is not None:
        since = last
    return since, end


def next_end(settings: ChatSettings, now: datetime) -> datetime | None:
    """When the chat's next digest falls due after `now` (the next `digest_at`, or the end of
    the quiet hours now or next); None without either."""
    zone = settings.zone
    today = now.astimezone(zone).date()
    at = settings.digest_at or (settings.quiet[1] if settings.quiet else None)
    if at is None:
        return None
    for day in (today, today + ONE_DAY, today + 2 * ONE_DAY):
        ends = wall(day, at, zone)
        if ends > now:
            return ends
    return None  # unreachable


def alert_kinds(settings: ChatSettings, default: frozenset[str]) -> frozenset[str]:
    """The change kinds that alert in the chat: its own, else config/alerts.toml's."""
    return default if settings.alert_kinds is None else settings.alert_kinds
