"""Answers on the dev set (tests/commands/dev_answers.py): each true tally's standard question,
asked of the dev documents replayed into a fresh store. Reads ../shared/dev (or
$TALLYWIRE_SHARED/dev) at test time and skips, saying so, without it."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from bot.extract import load_json_lines
from tests.commands.dev_answers import Asked, ask_dev
from tests.devset import DEV, MISSING, dev_present

NEEDS_DEV = pytest.mark.skipif(not dev_present(), reason=MISSING)

# Right answers when this was last raised (issue 14, with its extraction, reconciling and
# answers): the first question of each event, and every true tally's. A change that
# answers fewer right fails here; one that answers more should raise them.
EVENTS_RIGHT, TALLIES_RIGHT = 50, 139
_EVENT_LINE = re.compile(r"^Attack on \w+, (.+?): ")


@pytest.fixture(scope="module")
def asked(tmp_path_factory: pytest.TempPathFactory) -> list[Asked]:
    folder: Path = tmp_path_factory.mktemp("dev")
    return ask_dev(load_json_lines(DEV / "tallies.jsonl"), f"sqlite:///{folder / 'dev.db'}")


@NEEDS_DEV
def test_standard_questions_are_answered_right_at_least_as_often_as_before(
    asked: list[Asked],
) -> None:
    first = {a.event: a for a in reversed(asked)}
    right = (sum(a.right for a in first.values()), sum(a.right for a in asked))
    print(f"answers: events {right[0]}/{len(first)}, tallies {right[1]}/{len(asked)}")
    assert right >= (EVENTS_RIGHT, TALLIES_RIGHT)


@NEEDS_DEV
def test_a_question_of_a_day_is_answered_from_that_days_events_only(asked: list[Asked]) -> None:
    wrong_day = []
    for a in asked:
        day = re.search(r" on (\w+ \d+, \d{4})\?", a.question)
        if not day:
            continue
        spans = [m.group(1) for line in a.answer.lines if (m := _EVENT_LINE.match(line))]
        wrong_day += [(a.question, span) for span in spans if not _covers(span, day.group(1))]
    assert wrong_day == []


def _covers(span: str, day: str) -> bool:
    """Whether an event's span as replies write it ("May 24, 2025", "May 23 to 25, 2025",
    "May 30 to June 2, 2025", "December 30, 2024 to January 2, 2025") holds `day`."""
    asked = datetime.strptime(day, "%B %d, %Y").date()
    first, _, last = span.partition(" to ")
    if not last:
        return span == day
    end = datetime.strptime(
        last if last[0].isalpha() else f"{first.split()[0]} {last}", "%B %d, %Y"
    )
    start = first if "," in first else f"{first}, {end.year}"
    return datetime.strptime(start, "%B %d, %Y").date() <= asked <= end.date()


@pytest.mark.parametrize(
    ("span", "day", "covers"),
    [
        ("May 24, 2025", "May 24, 2025", True),
        ("May 24, 2025", "May 25, 2025", False),
        ("May 23 to 25, 2025", "May 24, 2025", True),
        ("May 30 to June 2, 2025", "June 1, 2025", True),
        ("May 30 to June 2, 2025", "June 3, 2025", False),
        ("December 30, 2024 to January 2, 2025", "January 1, 2025", True),
    ],
)
def test_spans_as_replies_write_them(span: str, day: str, covers: bool) -> None:
    assert _covers(span, day) is covers
