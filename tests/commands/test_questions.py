"""Questions in plain words, answered from tallies the real engine reconciles.

The state is tests.commands.test_answers' hand-built replay of the seeds (its module docstring says
what it holds). Today is Monday, May 26, 2025, the day after the last seed.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands.days import nearest
from bot.commands.questions import ask, days_in, normalise, read_question, side_in
from bot.compose.messages import Message
from tests.commands.test_answers import MAY, NUMBER_WORDS, SHOT_DOWN_128, seed_like_views, shown
from tests.naming import SHIPPED_NAMING

TODAY = MAY[26]
VIEWS = seed_like_views()
DATE_NUMBERS = {"20", "23", "24", "25", "26", "2025"}


def answer(question: str, today: date = TODAY) -> Message:
    return ask(question, VIEWS, today, SHIPPED_NAMING)


# The examples of the brief: question, then lines the reply must hold.
EXAMPLES = [
    (
        "how many prisoners have been exchanged in all?",
        "Prisoners exchanged in all: 1,000 each side (prisoner exchange of May 23 to 25, 2025)",
        [
            "In all, each side: 390 + 307 + 303 = 1,000 of 1,000 agreed: the deal is complete.",
            "May 23: 390 each side (AP, Kyiv Independent).",
            "May 25: 303 each side (Euronews).",
        ],
    ),
    (
        "how many drones were shot down on May 24?",
        "Drones shot down on May 24, 2025",
        [
            "Attack on Ukraine, May 24, 2025: 128 drones shot down (Kyiv Independent).",
            "  Drones downed: 245 (AP, Kyiv Independent, RFE/RL) = 128 shot down"
            " (Kyiv Independent) + 117 jammed (AP, Kyiv Independent).",
            "  Drones shot down: 128 kept (Kyiv Independent); AP says 1,280: set aside, it breaks"
            " 128 + 117 = 245 and is an order of magnitude off the other sources.",
            "Attack on Russia, May 24, 2025: 94 drones downed (RFE/RL).",
        ],
    ),
    (
        "how many people were killed in the attack of May 25?",
        "People killed on May 25, 2025",
        ["Attack on Ukraine, May 25, 2025: at least 12 people killed (Euronews)."],
    ),
    (
        "what is the deal's total?",
        "The deal: 1,000 each side (prisoner exchange of May 23 to 25, 2025)",
        ["Agreed: 1,000 each side (AP, RFE/RL)."],
    ),
    (
        "do any reports conflict?",
        "The sources agree, but a figure was set aside.",
        [
            "Attack on Ukraine, May 24, 2025:",
            "  Drones shot down: 128 kept (Kyiv Independent); AP says 1,280: set aside, it breaks"
            " 128 + 117 = 245 and is an order of magnitude off the other sources.",
        ],
    ),
]


@pytest.mark.parametrize(("question", "title", "lines"), EXAMPLES)
def test_the_example_questions(question: str, title: str, lines: list[str]) -> None:
    reply = answer(question)
    assert reply.title == title
    assert [line for line in lines if line not in reply.lines] == []


def test_a_figure_is_quoted_from_its_source() -> None:
    quotes = answer("how many drones were shot down on May 24?").quotes
    assert (quotes[0].text, quotes[0].source) == (SHOT_DOWN_128, "Kyiv Independent")
    assert {q.source for q in answer("any disagreements?").quotes} == {"AP", "Kyiv Independent"}


def test_a_deal_asked_of_a_day_is_that_days_exchanges_or_not_known() -> None:
    reply = answer("how many prisoners were agreed in the deal of May 24?")
    assert reply.title == "The deal: 1,000 each side (prisoner exchange of May 23 to 25, 2025)"
    reply = answer("how many prisoners were agreed in the deal of May 2?")
    assert reply.title == "No exchange phase is known on May 2, 2025."
    assert reply.lines == ("Exchange phases are known nearest to it on May 23 and May 24, 2025.",)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ([MAY[22]], [MAY[20], MAY[21], MAY[23], MAY[24]]),
        ([MAY[21]], [MAY[20], MAY[21], MAY[23], MAY[24]]),
        ([MAY[26]], [MAY[24], MAY[25]]),
        ([date(2025, 5, 1)], [MAY[20], MAY[21]]),
        ([MAY[21], MAY[24]], [MAY[20], MAY[21], MAY[23], MAY[24], MAY[25]]),
        ([], [MAY[21], MAY[23], MAY[24], MAY[25]]),
    ],
)
def test_a_day_not_known_is_offered_the_nearest_known_days(
    asked: list[date], expected: list[date]
) -> None:
    known = [MAY[25], MAY[20], MAY[21], MAY[23], MAY[24], MAY[24]]
    assert nearest(known, asked) == expected


@pytest.mark.parametrize(
    ("question", "title"),
    [
        (
            "how many tanks were destroyed on May 24?",
            "Nothing is known about tanks: no figure counts them.",
        ),
        (
            "how many buildings were damaged?",
            "Nothing is known about buildings: no figure counts them.",
        ),
        (
            "how many Russian jets were shot down?",
            "Nothing is known about jets: no figure counts them.",
        ),
        ("how many people were killed on May 25?", "People killed on May 25, 2025"),
        ("how many were hurt on May 24?", "People injured on May 24, 2025"),
        ("how many ukrainian drones were shot down on May 24?", "Drones shot down on May 24, 2025"),
        ("how many districts were hit on May 24?", "Places hit on May 24, 2025"),
    ],
)
def test_a_thing_no_figure_counts_is_not_known_and_never_another_figure(
    question: str, title: str
) -> None:
    reply = answer(question)
    assert reply.title == title
    if title.startswith("Nothing"):  # what is counted and known, as help says it: no figure
        assert reply.lines == answer("help").lines


def test_a_day_a_few_days_after_the_newest_news_is_not_read_as_last_month() -> None:
    # Issue 14: "May 30" asked when the newest news is of May 25 was read as April 30.
    reply = answer("how many drones were shot down on May 30?")
    assert reply.title == "Nothing is known about drones shot down on May 30, 2025."


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("any disagreements?", "The sources agree, but a figure was set aside."),
        ("do the sources disagree about the swap?", "No reports conflict."),
        ("were any figures set aside on May 25?", "No reports conflict."),
    ],
)
def test_conflict_questions(question: str, title: str) -> None:
    assert answer(question).title == title


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("on May 24", TODAY, [MAY[24]]),
        ("24 May", TODAY, [MAY[24]]),
        ("the 24th of may", TODAY, [MAY[24]]),
        ("2025-05-24", TODAY, [MAY[24]]),
        ("may 24th, 2024", TODAY, [date(2024, 5, 24)]),
        ("yesterday", TODAY, [MAY[25]]),
        ("the day before yesterday", TODAY, [MAY[24]]),
        ("last night", TODAY, [MAY[26]]),
        ("today", TODAY, [MAY[26]]),
        ("monday", TODAY, [MAY[26]]),
        ("saturday", TODAY, [MAY[24]]),
        ("saturday night", TODAY, [MAY[25]]),
        ("tuesday", TODAY, [MAY[20]]),
        ("saturday night", MAY[24], [date(2025, 5, 18)]),
        ("december 31", TODAY, [date(2024, 12, 31)]),
        ("the 30th", TODAY, [date(2025, 4, 30)]),
        # A named day a few days after the newest news stays in its month (issue 14).
        ("may 30", TODAY, [date(2025, 5, 30)]),
        ("30 may", TODAY, [date(2025, 5, 30)]),
        ("june 2", TODAY, [date(2025, 6, 2)]),
        ("june 3", TODAY, [date(2024, 6, 3)]),
        ("may 31", MAY[20], [date(2024, 5, 31)]),
        ("january 2", date(2025, 12, 28), [date(2026, 1, 2)]),
        ("may 24 and may 25", TODAY, [MAY[24], MAY[25]]),
        ("february 30", TODAY, []),
        ("9999-99-99", TODAY, []),
        ("yesterday", date.min, []),
        ("how many drones", TODAY, []),
    ],
)
def test_date_words(text: str, today: date, expected: list[date]) -> None:
    assert list(days_in(normalise(text), today)) == expected


@pytest.mark.parametrize(
    ("text", "topic", "side"),
    [
        ("how many ukrainian drones were shot down?", "attack", "russia"),
        ("how many russian missiles hit kyiv?", "attack", "ukraine"),
        ("drones shot down by russia", "attack", "russia"),
        ("drones launched by russia", "attack", "ukraine"),
        ("russia's air defence shot down how many?", "attack", "russia"),
        ("attacks on ukraine", "attack", "ukraine"),
        ("how many drones", "attack", None),
        ("how many ukrainian prisoners came home?", "swap", "ukraine"),
        ("prisoners released by russia", "swap", "ukraine"),
        ("how many did ukraine release?", "swap", "russia"),
        ("how many were returned to russia?", "swap", "russia"),
        ("how many did each side release?", "swap", "both"),
    ],
)
def test_side_words(text: str, topic: str, side: str | None) -> None:
    assert side_in(normalise(text), topic) == side


@pytest.mark.parametrize(
    ("question", "kind", "metrics"),
    [
        ("how many drones were shot down?", "attack", ("attack.drones_shot_down",)),
        ("how many drones were jammed in total?", "attack", ("attack.drones_downed",)),
        ("how many missiles were fired?", "attack", ("attack.missiles_launched",)),
        ("how many were launched?", "attack", ("attack.launched",)),
        ("how many drones?", "attack", ("attack.drones_launched", "attack.drones_downed")),
        ("casualties?", "attack", ("attack.killed", "attack.injured")),
        ("how many districts were hit?", "attack", ("attack.places_hit",)),
        ("how long did the alert last?", "attack", ("attack.alert_hours",)),
        ("were there any fires?", "attack", ("attack.fires",)),
        ("how many prisoners were freed?", "swap", ()),
        ("what is the deal's total?", "swap", ()),
        ("any disagreements?", "conflicts", ()),
        ("how many people were killed in the conflict?", "attack", ("attack.killed",)),
        ("do the drone figures disagree?", "attack", ("attack.drones_launched",)),
        ("what happened on may 24?", "day", ()),
        ("what's the weather?", "help", ()),
    ],
)
def test_what_a_question_asks(question: str, kind: str, metrics: tuple[str, ...]) -> None:
    asked = read_question(question, TODAY, SHIPPED_NAMING)
    assert asked.kind == kind
    assert asked.metrics[: len(metrics)] == metrics


@pytest.mark.parametrize(
    ("question", "title", "lines"),
    [
        (
            "how many Ukrainian drones did Russia shoot down?",
            "Drones shot down in the most recent attacks",
            ("Attack on Russia, May 24, 2025: 94 drones downed (RFE/RL).",),
        ),
        (
            "how many prisoners did Russia release on May 24?",
            "Prisoners exchanged on May 24, 2025",
            (
                "May 24: 307 returned to Ukraine (AP, RFE/RL).",
                "By May 24, 2025, Ukraine: 390 + 307 = 697 of 1,000 agreed.",
            ),
        ),
        (
            "how many missiles were launched yesterday?",
            "Missiles launched on May 25, 2025",
            (
                "Attack on Ukraine, May 25, 2025: 69 missiles launched (Euronews).",
                "  Launched: 367 missiles and drones = 69 missiles + 298 drones (Euronews).",
            ),
        ),
        (
            "how many were injured on Saturday?",
            "People injured on May 24, 2025",
            ("Attack on Ukraine, May 24, 2025: at least 15 people injured (AP, RFE/RL).",),
        ),
    ],
)
def test_sides_and_days_in_answers(question: str, title: str, lines: tuple[str, ...]) -> None:
    reply = answer(question)
    assert (reply.title, reply.lines) == (title, lines)


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("how many fires were there on May 25?", "Nothing is known about fires on May 25, 2025."),
        (
            "how many people were killed on May 24?",
            "Nothing is known about people killed on May 24, 2025.",
        ),
        (
            "how many drones were jammed on May 26?",
            "Nothing is known about drones jammed on May 26, 2025.",
        ),
        (
            "how many prisoners were exchanged on May 20?",
            "No exchange phase is known on May 20, 2025.",
        ),
    ],
)
def test_never_guesses_a_number(question: str, title: str) -> None:
    reply = answer(question)
    assert reply.title == title
    assert set(re.findall(r"\d+(?:,\d{3})*", shown(reply))) <= DATE_NUMBERS


def test_a_question_it_cannot_answer_says_what_it_knows() -> None:
    reply = answer("what's the weather in Lviv?")
    assert reply.title == "I can't answer that from the figures I know."
    assert reply.lines[0] == (
        "Known: Attack on Ukraine, May 25, 2025; Prisoner exchange of May 23 to 25, 2025;"
        " Attack on Ukraine, May 24, 2025; Attack on Russia, May 24, 2025."
    )
    assert reply.lines[2].startswith(
        'Ask in English, like: "how many drones were shot down on May 25?"'
    )
    assert ask("help", [], TODAY, SHIPPED_NAMING).lines[0] == "No figures are known yet."


QUESTIONS = [q for q, _, _ in EXAMPLES] + [
    "how many drones?",
    "what happened on Saturday?",
    "how long was the alert on 2025-05-24?",
    "tell me about the attacks",
    "how many prisoners did each side release?",
    "help",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_figures_are_written_in_digits(question: str) -> None:
    assert NUMBER_WORDS.findall(shown(answer(question))) == []


JUNK = [
    "",
    "   ",
    "?" * 10_000,
    "x" * 10_240,
    "🚀🔥 скільки дронів збили 24 травня? 🇺🇦",
    "сколько пленных обменяли?",
    "无人机被击落了多少架？",
    "how many (((drones))) [were] shot down on may 99999999999999999999?",
    "may " * 3_000,
    "0000-00-00 9999-12-31 2025-02-29 the 31st of february",
    "\x00\x1b[31m\u202e\ud800",
    "by by by by ukraine " * 500,
]


@pytest.mark.parametrize("question", JUNK)
def test_any_text_gets_a_message(question: str) -> None:
    assert isinstance(answer(question), Message)
    assert isinstance(ask(question, [], date.max, SHIPPED_NAMING), Message)


@settings(max_examples=300, deadline=None)
@given(question=st.text(max_size=2_000), today=st.dates())
def test_any_text_on_any_day_gets_a_message(question: str, today: date) -> None:
    reply = ask(question, VIEWS, today, SHIPPED_NAMING)
    assert isinstance(reply, Message)
    assert reply.title


STANDARD = [
    "how many prisoners did Ukraine get back on {}?",
    "how many drones were shot down on {}?",
    "how many missiles on {}?",
    "how many people were killed on {}?",
    "how many drones were jammed over Russia on {}?",
]


@settings(max_examples=60, deadline=None)
@given(template=st.sampled_from(STANDARD), day=st.integers(min_value=1, max_value=31))
def test_a_days_question_gives_only_that_days_figures(template: str, day: int) -> None:
    # Issue 14: an answer about a day never gives another event's figure.
    reply = answer(template.format(f"May {day}"))
    named = re.findall(r"\b(?:Attack on \w+, )?May (\d+)(?:, 2025)?: ", "\n".join(reply.lines))
    assert {int(n) for n in named} <= {day}
    if not {20, 23, 24, 25} & {day}:
        assert reply.title.startswith(("Nothing is known", "No "))
