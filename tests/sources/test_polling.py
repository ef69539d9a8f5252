"""When a feed is polled next: its interval, and exponential backoff after repeated failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import FeedRejected
from bot.sources.itemcap import MAX_TAGS
from bot.sources.polling import next_poll_at, parse_capped, poll_started
from tests.fakes.feed_server import many_items_feed

NOW = datetime(2025, 5, 24, tzinfo=UTC)


@pytest.mark.parametrize(
    ("errors", "delay"),
    [
        (0, timedelta(minutes=10)),
        (2, timedelta(minutes=10)),
        (3, timedelta(minutes=20)),
        (4, timedelta(minutes=40)),
        (8, timedelta(minutes=640)),
        (12, timedelta(hours=24)),
        (500, timedelta(hours=24)),
    ],
)
def test_backoff_doubles_after_three_failures_up_to_a_day(errors: int, delay: timedelta) -> None:
    assert next_poll_at(NOW, 600, errors) - NOW == delay


def test_an_interval_longer_than_a_day_is_kept() -> None:
    assert next_poll_at(NOW, 2 * 86400, 9) - NOW == timedelta(days=2)


def test_the_next_poll_counts_from_when_the_feed_was_due() -> None:
    due = NOW - timedelta(seconds=2)  # polled two seconds late
    assert next_poll_at(poll_started(NOW, due, 600), 600, 0) == due + timedelta(seconds=600)


@pytest.mark.parametrize(
    "due",
    [None, NOW + timedelta(seconds=5), NOW - timedelta(seconds=600), NOW - timedelta(days=1)],
)
def test_a_feed_not_due_or_an_interval_late_counts_from_now(due: datetime | None) -> None:
    assert poll_started(NOW, due, 600) == NOW


def test_a_100000_item_feed_is_cut_then_parsed_to_its_newest_200() -> None:
    capped = parse_capped(many_items_feed(100_000), "wire", None, 200)
    titles = [doc.title for doc in capped.parsed.documents]
    assert titles == [f"Raid {n}" for n in range(100_000, 99_800, -1)]
    assert capped.dropped == 99_800


def test_a_feed_of_bare_markup_is_refused_before_parsing() -> None:
    # 5 MiB of this would keep feedparser busy for half a minute (issue 12)
    junk = b'<rss version="2.0"><channel><title>x</title>' + b"<a/>" * MAX_TAGS + b"</channel>"
    with pytest.raises(FeedRejected, match="tags, more than the 250,000 a poll parses"):
        parse_capped(junk, "wire", None, 200)


def test_without_a_cap_every_item_is_kept() -> None:
    capped = parse_capped(many_items_feed(1000), "wire", None, None)
    assert (len(capped.parsed.documents), capped.dropped) == (1000, 0)
