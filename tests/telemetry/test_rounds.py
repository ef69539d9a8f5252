"""The one INFO line per poll round (issue 16: an idle minute at INFO is under 20 lines)."""

from __future__ import annotations

import logging

import pytest

from bot.telemetry import Metrics, PollRounds
from bot.telemetry.rounds import Tally

PERIOD = 60.0


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def setup() -> tuple[Metrics, list[int], Clock, PollRounds]:
    metrics, outbox, clock = Metrics(), [0], Clock()
    rounds = PollRounds(metrics, lambda: outbox[0], PERIOD, clock)
    rounds.begin()
    return metrics, outbox, clock, rounds


def poll(metrics: Metrics, status: str = "ok") -> None:
    metrics.count("tallywire_polls_total", status=status)
    if status == "error":
        metrics.count("tallywire_poll_errors_total")


def test_a_round_says_what_it_polled_stored_found_and_queued(
    setup: tuple[Metrics, list[int], Clock, PollRounds], caplog: pytest.LogCaptureFixture
) -> None:
    metrics, outbox, clock, rounds = setup
    caplog.set_level(logging.INFO, "bot.pipeline.rounds")
    rounds.close()  # the first round, empty: nothing said
    for status in ("ok", "not_modified", "error"):
        poll(metrics, status)
    metrics.count("tallywire_documents_total", 2, stored="new")
    metrics.count("tallywire_documents_total", stored="version")
    metrics.count("tallywire_documents_total", stored="duplicate")
    metrics.count("tallywire_figures_total", 9)
    metrics.count("tallywire_changes_total", 2, kind="new")
    metrics.count("tallywire_changes_total", kind="revised")
    outbox[0] = 7
    clock.now = PERIOD
    assert rounds.due(in_flight=1)
    assert rounds.close() == Tally(3, 1, 2, 1, 9, 3, 7)
    assert [r.getMessage() for r in caplog.records] == [
        "poll round: 3 polls (1 failed); documents 2 new, 1 changed; 9 figures; "
        "3 changes; 7 messages queued"
    ]


def test_the_first_round_ends_when_its_polls_are_done_the_others_with_the_period(
    setup: tuple[Metrics, list[int], Clock, PollRounds],
) -> None:
    metrics, _, clock, rounds = setup
    assert not rounds.due(in_flight=0)  # nothing polled yet
    poll(metrics)
    assert not rounds.due(in_flight=2)
    assert rounds.due(in_flight=0)
    rounds.close()
    poll(metrics)
    clock.now = PERIOD - 1
    assert not rounds.due(in_flight=0)
    clock.now = PERIOD
    assert rounds.due(in_flight=3)


def test_a_round_without_polls_or_documents_says_nothing(
    setup: tuple[Metrics, list[int], Clock, PollRounds], caplog: pytest.LogCaptureFixture
) -> None:
    _, _, clock, rounds = setup
    caplog.set_level(logging.INFO, "bot.pipeline.rounds")
    for _ in range(5):
        clock.now += PERIOD
        assert rounds.due(in_flight=0)
        rounds.close()
    assert caplog.records == []


def test_what_was_counted_before_the_first_round_is_not_in_it() -> None:
    metrics, clock = Metrics(), Clock()
    poll(metrics)
    metrics.count("tallywire_figures_total", 4)
    rounds = PollRounds(metrics, lambda: 12, PERIOD, clock)
    rounds.begin()
    poll(metrics)
    assert rounds.close() == Tally(polls=1)
