"""A question about a place below a country is answered from that place's figures only, else
"not known" with the event known for the country as a whole, and no number (issue 14, cause 5).
States built by the real engine from reports written for these tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.commands.places import place_in, speaks_for
from bot.commands.questions import ask, normalise
from bot.commands.views import EventView
from bot.reconcile import Event, Report, Tally, reconcile_event
from tests.commands.test_answers import RULES
from tests.naming import SHIPPED_NAMING

JULY = {day: date(2025, 7, day) for day in range(1, 10)}
UKRAINE = Event("attack-ukraine-2025-07-04", "attack", "ukraine", JULY[4], JULY[4])
RUSSIA = Event("attack-russia-2025-07-04", "attack", "russia", JULY[4], JULY[4])


def report(event: Event, metric: str, value: int, evidence: str, place: str | None) -> Report:
    return Report(
        metric=metric,
        value=value,
        qualifier="exact",
        side=event.side,
        event_date=JULY[4],
        document_id=f"d-{metric}-{value}",
        source="Wire",
        reported_at=datetime(2025, 7, 4, tzinfo=UTC),
        evidence=evidence,
        event_id=event.id,
        place=place,
    )


VIEWS = [
    EventView(
        UKRAINE,
        reconcile_event(
            UKRAINE.id,
            [
                report(
                    UKRAINE, "attack.drones_downed", 310, "Air defences downed 310 drones.", None
                ),
                report(
                    UKRAINE, "attack.killed", 4, "Four people were killed in Kharkiv.", "Kharkiv"
                ),
            ],
            RULES,
        ),
    ),
    EventView(
        RUSSIA,
        reconcile_event(
            RUSSIA.id,
            [
                report(
                    RUSSIA, "attack.drones_downed", 120, "The ministry said 120 drones fell.", None
                )
            ],
            RULES,
        ),
    ),
]


@pytest.mark.parametrize(
    ("question", "must", "must_not"),
    [
        (
            "how many drones were shot down over Odesa on July 4?",
            ["Nothing is known about drones", "Odesa", "whole attack on Ukraine"],
            ["310", "120"],
        ),
        (
            "how many drones were shot down over the Moscow region on July 4?",
            ["Nothing is known about drones", "Moscow", "whole attack on Russia"],
            ["120", "310"],
        ),
        ("how many people were killed in Kharkiv on July 4?", ["4 people killed"], ["310"]),
        ("how many drones were shot down on July 4?", ["310", "120"], ["Nothing is known"]),
        ("how many drones were shot down over Russia on July 4?", ["120"], ["310"]),
    ],
)
def test_a_place_is_answered_from_its_own_figures_or_not_at_all(
    question: str, must: list[str], must_not: list[str]
) -> None:
    reply = ask(question, VIEWS, JULY[9], SHIPPED_NAMING)
    text = "\n".join((reply.title, *reply.lines))
    assert [m for m in must if m not in text] == []
    assert [m for m in must_not if m in text] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("drones over kharkiv", ("Kharkiv", "ukraine")),
        ("in the kiev region", ("Kyiv", "ukraine")),
        ("over the belgorod region", ("Belgorod", "russia")),
        ("drones over ukraine", None),
        ("how many missiles", None),
    ],
)
def test_the_place_a_question_names(text: str, expected: tuple[str, str] | None) -> None:
    assert place_in(normalise(text)) == expected


@pytest.mark.parametrize(
    ("place", "evidence", "place_asked", "speaks"),
    [
        ("Kharkiv region", "Six were hurt in the region.", "Kharkiv", True),
        ("Kharkiv region", "Six were hurt in the region.", "Odesa", False),
        (None, "Six were hurt in Odesa.", "Odesa", True),
        (None, "Six were hurt across the country.", "Odesa", False),
        ("Lviv", "Six were hurt in Lviv and Odesa.", "Odesa", False),  # its place is Lviv
    ],
)
def test_a_tally_speaks_for_a_place_by_its_reports_place_or_else_their_sentence(
    place: str | None, evidence: str, place_asked: str, speaks: bool
) -> None:
    found = report(UKRAINE, "attack.injured", 6, evidence, place)
    tally = Tally(UKRAINE.id, "attack.injured", "ukraine", None, found.interval, "single", (found,))
    assert speaks_for(tally, place_asked) is speaks
