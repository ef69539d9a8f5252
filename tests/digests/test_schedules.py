"""Quiet hours and digest times (bot.digests.schedules, issue 17): pure, the instant given."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.digests.schedules import (
    alert_kinds,
    breaks_through,
    due_digest,
    holding,
    next_end,
    quiet_period,
)
from bot.store import ChatSettings

KYIV = "Europe/Kyiv"  # UTC+3 in summer, UTC+2 in winter; clocks change on the last Sundays
NIGHT = ChatSettings(time_zone=KYIV, quiet=(time(23, 0), time(7, 0)))
LOUD = frozenset({"conflict"})
LUNCH = ChatSettings(time_zone=KYIV, quiet=(time(12, 0), time(13, 30)))
DAILY = ChatSettings(time_zone=KYIV, digest_at=time(8, 0))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("settings", "now", "expected"),
    [
        # 23:00-07:00 Kyiv in June is 20:00-04:00 UTC, spanning midnight
        (NIGHT, utc(2025, 6, 1, 19, 59), None),
        (NIGHT, utc(2025, 6, 1, 20, 0), (utc(2025, 6, 1, 20), utc(2025, 6, 2, 4))),
        (NIGHT, utc(2025, 6, 1, 23, 30), (utc(2025, 6, 1, 20), utc(2025, 6, 2, 4))),
        (NIGHT, utc(2025, 6, 2, 3, 59), (utc(2025, 6, 1, 20), utc(2025, 6, 2, 4))),
        (NIGHT, utc(2025, 6, 2, 4, 0), None),  # the end is not inside
        # winter: UTC+2
        (NIGHT, utc(2025, 1, 10, 21, 0), (utc(2025, 1, 10, 21), utc(2025, 1, 11, 5))),
        # the night the clocks go forward (30 March 2025, 03:00 -> 04:00): seven hours only
        (NIGHT, utc(2025, 3, 30, 3, 30), (utc(2025, 3, 29, 21), utc(2025, 3, 30, 4))),
        # the night they go back (26 October 2025, 04:00 -> 03:00): nine hours
        (NIGHT, utc(2025, 10, 26, 4, 30), (utc(2025, 10, 25, 20), utc(2025, 10, 26, 5))),
        # within one day
        (LUNCH, utc(2025, 6, 1, 9, 0), (utc(2025, 6, 1, 9), utc(2025, 6, 1, 10, 30))),
        (LUNCH, utc(2025, 6, 1, 10, 30), None),
        (ChatSettings(), utc(2025, 6, 1, 3), None),
    ],
)
def test_quiet_period(
    settings: ChatSettings, now: datetime, expected: tuple[datetime, datetime] | None
) -> None:
    assert quiet_period(settings, now) == expected


@pytest.mark.parametrize(
    ("settings", "now", "expected"),
    [
        (ChatSettings(), utc(2025, 6, 1, 3), False),
        (NIGHT, utc(2025, 6, 1, 3), True),
        (NIGHT, utc(2025, 6, 1, 12), False),
        (DAILY, utc(2025, 6, 1, 12), True),  # digest mode holds all day
    ],
)
def test_holding(settings: ChatSettings, now: datetime, expected: bool) -> None:
    assert holding(settings, now) is expected


@pytest.mark.parametrize(
    ("settings", "kinds", "now", "expected"),
    [
        (NIGHT, {"conflict"}, utc(2025, 6, 1, 23), False),
        (NIGHT.but(breakthrough=LOUD), {"new", "conflict"}, utc(2025, 6, 1, 23), True),
        (NIGHT.but(breakthrough=LOUD), {"revised"}, utc(2025, 6, 1, 23), False),
        # digest mode has no breakthrough
        (DAILY.but(breakthrough=LOUD), {"conflict"}, utc(2025, 6, 1, 23), False),
    ],
)  # fmt: skip
def test_breaks_through(
    settings: ChatSettings, kinds: set[str], now: datetime, expected: bool
) -> None:
    assert breaks_through(settings, kinds, now) is expected


@pytest.mark.parametrize(
    ("settings", "now", "expected"),
    [
        # quiet hours set at 23:30 Kyiv: due at their end, covering them
        (NIGHT.but(last_digest_at=utc(2025, 6, 1, 20, 30)), utc(2025, 6, 2, 3, 59), None),
        (
            NIGHT.but(last_digest_at=utc(2025, 6, 1, 20, 30)),
            utc(2025, 6, 2, 4, 0),
            (utc(2025, 6, 1, 20), utc(2025, 6, 2, 4)),
        ),
        # written already
        (NIGHT.but(last_digest_at=utc(2025, 6, 2, 4)), utc(2025, 6, 2, 9), None),
        # a service down at the end writes it when it comes back, later the same day
        (
            NIGHT.but(last_digest_at=utc(2025, 6, 1, 4)),
            utc(2025, 6, 2, 15),
            (utc(2025, 6, 1, 20), utc(2025, 6, 2, 4)),
        ),
        # daily at 08:00 Kyiv (05:00 UTC): since the last digest
        (DAILY.but(last_digest_at=utc(2025, 6, 1, 5)), utc(2025, 6, 2, 4, 59), None),
        (
            DAILY.but(last_digest_at=utc(2025, 6, 1, 5)),
            utc(2025, 6, 2, 5, 0),
            (utc(2025, 6, 1, 5), utc(2025, 6, 2, 5)),
        ),
        (
            DAILY.but(last_digest_at=utc(2025, 6, 1, 17)),  # set in the evening
            utc(2025, 6, 2, 5, 0, 4),
            (utc(2025, 6, 1, 17), utc(2025, 6, 2, 5)),
        ),
        (ChatSettings(), utc(2025, 6, 2, 5), None),
    ],
)
def test_due_digest(
    settings: ChatSettings, now: datetime, expected: tuple[datetime, datetime] | None
) -> None:
    assert due_digest(settings, now) == expected


@pytest.mark.parametrize(
    ("settings", "now", "expected"),
    [
        (NIGHT, utc(2025, 6, 1, 12), utc(2025, 6, 2, 4)),
        (NIGHT, utc(2025, 6, 2, 3), utc(2025, 6, 2, 4)),
        (DAILY, utc(2025, 6, 1, 5), utc(2025, 6, 2, 5)),
        (DAILY, utc(2025, 6, 1, 4), utc(2025, 6, 1, 5)),
        (ChatSettings(), utc(2025, 6, 1, 4), None),
    ],
)
def test_next_end(settings: ChatSettings, now: datetime, expected: datetime | None) -> None:
    assert next_end(settings, now) == expected


def test_alert_kinds_are_the_chats_own_else_the_configs() -> None:
    default = frozenset({"new", "conflict"})
    assert alert_kinds(ChatSettings(), default) == default
    assert alert_kinds(ChatSettings(alert_kinds=frozenset({"milestone"})), default) == {"milestone"}
