"""What makes a running service degraded (bot.checks.running_problems): a table of cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.checks import Problem, running_problems

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("channels", "oldest", "failing", "expected"),
    [
        ({"telegram": None, "slack": None}, None, [], []),
        (
            {"telegram": "Telegram refused TELEGRAM_BOT_TOKEN"},
            None,
            [],
            [Problem("telegram", "Telegram refused TELEGRAM_BOT_TOKEN")],
        ),
        ({}, NOW - timedelta(minutes=29), [], []),
        (
            {},
            NOW - timedelta(minutes=45),
            [],
            [Problem("outbox", "a message has waited 45 min to be sent")],
        ),
        ({}, None, [("wire", timedelta(hours=23))], []),
        (
            {},
            None,
            [("wire", timedelta(hours=30))],
            [Problem("feed wire", "every poll has failed for 30 h")],
        ),
    ],
)
def test_what_makes_the_service_degraded(
    channels: dict[str, str | None],
    oldest: datetime | None,
    failing: list[tuple[str, timedelta]],
    expected: list[Problem],
) -> None:
    assert running_problems(channels, oldest, failing, NOW) == expected
