"""/swaps and /attacks replies, over states the real engine reconciles from hand-made reports.

The reports mirror the seeds (design.md, "Replaying the five seeds"): a swap of 390, 307 and 303
each side under a 1,000-for-1,000 deal; the May 24 attack on Kyiv with 245 drones downed = 128
shot down + 117 jammed, and one outlet's "1280 drones were shot down" (seed 000); the May 25
attack of 367 = 69 missiles + 298 drones with at least 12 killed (seed 004).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.commands import answers
from bot.commands.views import EventView
from bot.compose.messages import Message
from bot.reconcile.checks import load_checks
from bot.reconcile.engine import Rules, reconcile_event
from bot.reconcile.events import Event
from bot.reconcile.reports import Report
from tests.naming import SHIPPED_NAMING

CONFIG = Path(__file__).resolve().parents[2] / "config"
TOLLS = frozenset({"attack.killed", "attack.injured", "attack.places_hit", "swap.released_total"})
RULES = Rules(TOLLS, load_checks(CONFIG / "checks.toml"))
MAY = {day: date(2025, 5, day) for day in range(20, 27)}
NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|hundred|thousand|dozen|dozens|hundreds)\b",
    re.IGNORECASE,
)
SHOT_DOWN_1280 = (
    "Ukrainian forces shot down six missiles and neutralized 245 drones – 1280 drones were shot "
    "down and 117 were thwarted using electronic warfare."
)
SHOT_DOWN_128 = (
    "Ukrainian forces shot down six missiles and neutralized 245 drones – 128 were shot down and "
    "117 were thwarted using electronic warfare."
)

# (metric, value, qualifier, side, event_date, source, evidence); evidence None = made up.
Row = tuple[str, int, str, str | None, date | None, str, str | None]
SWAP_ROWS: list[Row] = [
    ("swap.released", 390, "exact", "both", MAY[23], "AP", None),
    ("swap.released", 390, "exact", "both", MAY[23], "Kyiv Independent", None),
    ("swap.released", 307, "exact", "both", MAY[24], "AP", None),
    ("swap.released", 307, "exact", "ukraine", MAY[24], "RFE/RL", None),
    ("swap.released", 303, "exact", "both", MAY[25], "Euronews", None),
    ("swap.released_total", 697, "exact", "ukraine", MAY[24], "RFE/RL", None),
    ("swap.agreed", 1000, "exact", "both", None, "AP", "The deal: 1,000 from each side."),
    ("swap.agreed", 1000, "exact", "both", None, "RFE/RL", None),
]
MAY_24_ROWS: list[Row] = [
    ("attack.missiles_launched", 14, "exact", "ukraine", MAY[24], "AP", None),
    ("attack.missiles_launched", 14, "exact", "ukraine", MAY[24], "RFE/RL", None),
    ("attack.drones_launched", 250, "exact", "ukraine", MAY[24], "AP", None),
    ("attack.drones_launched", 250, "exact", "ukraine", MAY[24], "RFE/RL", None),
    ("attack.missiles_downed", 6, "exact", "ukraine", MAY[24], "AP", None),
    ("attack.drones_downed", 245, "exact", "ukraine", MAY[24], "AP", SHOT_DOWN_1280),
    ("attack.drones_downed", 245, "exact", "ukraine", MAY[24], "Kyiv Independent", SHOT_DOWN_128),
    ("attack.drones_downed", 245, "exact", "ukraine", MAY[24], "RFE/RL", None),
    ("attack.drones_shot_down", 1280, "exact", "ukraine", MAY[24], "AP", SHOT_DOWN_1280),
    (
        "attack.drones_shot_down",
        128,
        "exact",
        "ukraine",
        MAY[24],
        "Kyiv Independent",
        SHOT_DOWN_128,
    ),
    ("attack.drones_jammed", 117, "exact", "ukraine", MAY[24], "AP", SHOT_DOWN_1280),
    ("attack.drones_jammed", 117, "exact", "ukraine", MAY[24], "Kyiv Independent", SHOT_DOWN_128),
    ("attack.injured", 15, "at_least", "ukraine", MAY[24], "AP", None),
    ("attack.injured", 6, "exact", "ukraine", MAY[24], "RFE/RL", None),
    ("attack.places_hit", 6, "at_least", "ukraine", MAY[24], "AP", None),
    ("attack.alert_hours", 8, "exact", "ukraine", MAY[24], "RFE/RL", None),
]
MAY_24_RUSSIA_ROWS: list[Row] = [
    ("attack.drones_downed", 94, "exact", "russia", MAY[24], "RFE/RL", None),
]
MAY_25_ROWS: list[Row] = [
    ("attack.launched", 367, "exact", "ukraine", MAY[25], "Euronews", None),
    ("attack.missiles_launched", 69, "exact", "ukraine", MAY[25], "Euronews", None),
    ("attack.drones_launched", 298, "exact", "ukraine", MAY[25], "Euronews", None),
    ("attack.killed", 12, "at_least", "ukraine", MAY[25], "Euronews", "At least 12 killed."),
]


def view(event: Event, rows: Sequence[Row]) -> EventView:
    """The event with the state the engine reconciles from `rows`."""
    reports = [
        Report(
            metric=metric,
            value=value,
            qualifier=qualifier,
            side=side,
            event_date=day,
            document_id=f"{source}-{n}",
            source=source,
            reported_at=datetime(2025, 5, 26, tzinfo=UTC),
            evidence=evidence or f"{source} reported {value:,} for {metric}.",
            event_id=event.id,
            phase=day if metric == "swap.released" else None,
        )
        for n, (metric, value, qualifier, side, day, source, evidence) in enumerate(rows)
    ]
    return EventView(event, reconcile_event(event.id, reports, RULES))


def attack(side: str, day: int) -> Event:
    return Event(f"attack-{side}-2025-05-{day}", "attack", side, MAY[day], MAY[day])


SWAP = Event("swap-2025-05-23", "swap", None, MAY[23], MAY[25])


def seed_like_views() -> list[EventView]:
    """The state of the five seeds replayed, built by hand (see the module docstring)."""
    return [
        view(SWAP, SWAP_ROWS),
        view(attack("ukraine", 24), MAY_24_ROWS),
        view(attack("russia", 24), MAY_24_RUSSIA_ROWS),
        view(attack("ukraine", 25), MAY_25_ROWS),
    ]


def shown(message: Message) -> str:
    """What a reply says in its own words: title, lines and note, not the quoted sources."""
    return "\n".join((message.title, *message.lines, message.note))


def test_swaps_gives_phases_running_total_and_deal() -> None:
    message = answers.swaps(seed_like_views(), SHIPPED_NAMING)
    assert message.title == "Prisoner exchange of May 23 to 25, 2025"
    assert message.lines == (
        "May 23: 390 each side (AP, Kyiv Independent).",
        "May 24: 307 each side (AP, RFE/RL).",
        "May 25: 303 each side (Euronews).",
        "In all, each side: 390 + 307 + 303 = 1,000 of 1,000 agreed: the deal is complete.",
        "Agreed: 1,000 each side (AP, RFE/RL).",
        "Reported released so far: 697 for Ukraine (RFE/RL).",
    )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (SWAP_ROWS[:4] + SWAP_ROWS[6:], "In all, each side: 390 + 307 = 697 of 1,000 agreed."),
        (SWAP_ROWS[:1], "In all, each side: 390 so far."),
        (
            [*SWAP_ROWS[:1], ("swap.released", 300, "exact", "russia", MAY[24], "TASS", None)],
            "In all, Russia: 390 + 300 = 690 so far.",
        ),
    ],
)
def test_swaps_running_total_as_far_as_known(rows: list[Row], expected: str) -> None:
    assert expected in answers.swaps([view(SWAP, rows)], SHIPPED_NAMING).lines


def test_swaps_names_each_side_when_counts_differ() -> None:
    rows = [*SWAP_ROWS[:1], ("swap.released", 300, "exact", "russia", MAY[24], "TASS", None)]
    lines = answers.swaps([view(SWAP, rows)], SHIPPED_NAMING).lines
    assert "May 24: 300 returned to Russia (TASS)." in lines
    assert "In all, Ukraine: 390 so far." in lines


@pytest.mark.parametrize(
    ("views", "title", "lines"),
    [
        ([], "No prisoner exchange is known yet.", ()),
        (
            [view(attack("ukraine", 25), MAY_25_ROWS)],
            "No prisoner exchange is known yet.",
            ("Air attacks are known on May 25, 2025.",),
        ),
    ],
)
def test_swaps_without_a_swap_says_what_is_known(
    views: list[EventView], title: str, lines: tuple[str, ...]
) -> None:
    assert answers.swaps(views, SHIPPED_NAMING) == Message(title, lines)


def test_attacks_of_a_day_give_every_figure_with_its_sources() -> None:
    message = answers.attacks(seed_like_views(), MAY[24], names=SHIPPED_NAMING)
    assert message.title == "Air attacks of May 24, 2025"
    assert message.lines == (
        "Attack on Ukraine:",
        "  Launched: 14 missiles and 250 drones (AP, RFE/RL).",
        "  Missiles downed: 6 (AP).",
        "  Drones downed: 245 (AP, Kyiv Independent, RFE/RL) = 128 shot down (Kyiv Independent)"
        " + 117 jammed (AP, Kyiv Independent).",
        "  Injured: at least 15 (AP, RFE/RL).",
        "  Places hit: at least 6 (AP).",
        "  Air-raid alert: 8 hours (RFE/RL).",
        "  Drones shot down: 128 kept (Kyiv Independent); AP says 1,280: set aside, it breaks"
        " 128 + 117 = 245 and is an order of magnitude off the other sources.",
        "Attack on Russia:",
        "  Drones downed: 94 (RFE/RL).",
    )
    assert [q.source for q in message.quotes] == ["Kyiv Independent", "AP"]
    assert message.quotes[1].text == SHOT_DOWN_1280


def test_attacks_without_a_day_give_the_most_recent() -> None:
    message = answers.attacks(seed_like_views(), None, names=SHIPPED_NAMING)
    assert message == Message(
        "Attack on Ukraine, May 25, 2025",
        (
            "Launched: 367 missiles and drones = 69 missiles + 298 drones (Euronews).",
            "Killed: at least 12 (Euronews).",
            "Earlier attacks: May 24, 2025.",
        ),
    )


@pytest.mark.parametrize(
    ("views", "day", "expected"),
    [
        (
            seed_like_views(),
            MAY[26],
            Message(
                "Nothing is known about air attacks on May 26, 2025.",
                ("Air attacks are known on May 24 and May 25, 2025.",),
            ),
        ),
        ([], MAY[24], Message("No air attack is known yet.")),
        (
            [view(SWAP, SWAP_ROWS)],
            None,
            Message(
                "No air attack is known yet.",
                ("Prisoner exchanges are known: May 23 to 25, 2025.",),
            ),
        ),
    ],
)
def test_attacks_say_when_nothing_is_known(
    views: list[EventView], day: date | None, expected: Message
) -> None:
    assert answers.attacks(views, day, names=SHIPPED_NAMING) == expected


def test_a_conflict_names_both_sources_and_quotes_them() -> None:
    rows: list[Row] = [
        ("attack.fires", 2, "exact", "ukraine", MAY[20], "AP", "Two fires broke out."),
        ("attack.fires", 5, "exact", "ukraine", MAY[20], "Reuters", "Five fires broke out."),
    ]
    message = answers.attacks([view(attack("ukraine", 20), rows)], MAY[20], names=SHIPPED_NAMING)
    assert message.lines == (
        "Fires: disputed: 5 by Reuters, 2 by AP.",
        "Fires: 5 kept (Reuters); AP says 2: the sources disagree.",
    )
    assert [(q.text, q.source) for q in message.quotes] == [
        ("Five fires broke out.", "Reuters"),
        ("Two fires broke out.", "AP"),
    ]


def test_doubts_lists_the_set_aside_figure_or_says_none() -> None:
    views = seed_like_views()
    assert (
        answers.doubts(views, SHIPPED_NAMING).title
        == "The sources agree, but a figure was set aside."
    )
    assert answers.doubts(views[:1], SHIPPED_NAMING) == Message(
        "No reports conflict.", ("Every figure agrees across its sources.",)
    )


def test_doubts_spell_out_the_newest_events_and_name_the_days_of_the_rest() -> None:
    def disputed(day: int) -> EventView:
        rows: list[Row] = [
            ("attack.fires", 2, "exact", "ukraine", MAY[day], "AP", "Two fires broke out."),
            ("attack.fires", 5, "exact", "ukraine", MAY[day], "Reuters", "Five fires."),
        ]
        return view(attack("ukraine", day), rows)

    message = answers.doubts([disputed(day) for day in MAY], SHIPPED_NAMING)
    headings = [line for line in message.lines if not line.startswith(" ")]
    assert len(headings) == answers.MAX_DOUBTED + 1
    assert "May 26" in headings[0]  # the newest first
    assert headings[-1] == "Earlier doubts: May 20 and May 21, 2025; ask about a day to see them."


@pytest.mark.parametrize(
    ("qualifier", "value", "expected"),
    [
        ("at_least", 15, "Injured: at least 15 (AP)."),
        ("more_than", 7, "Injured: at least 8 (AP)."),
        ("exact", 1, "Injured: 1 (AP)."),
        ("about", 1000, "Injured: 900 to 1,100 (AP)."),
    ],
)
def test_hedges_as_the_tallies_give_them(qualifier: str, value: int, expected: str) -> None:
    rows: list[Row] = [("attack.injured", value, qualifier, "ukraine", MAY[20], "AP", None)]
    assert answers.attacks(
        [view(attack("ukraine", 20), rows)], MAY[20], names=SHIPPED_NAMING
    ).lines == (expected,)


@pytest.mark.parametrize(
    "message",
    [
        answers.swaps(seed_like_views(), SHIPPED_NAMING),
        answers.attacks(seed_like_views(), MAY[24], names=SHIPPED_NAMING),
        answers.attacks(seed_like_views(), None, names=SHIPPED_NAMING),
        answers.doubts(seed_like_views(), SHIPPED_NAMING),
    ],
)
def test_figures_are_written_in_digits(message: Message) -> None:
    assert NUMBER_WORDS.findall(shown(message)) == []
    assert re.search(r"\d", shown(message))


BLAMED_ROWS: list[Row] = [
    ("attack.drones_downed", 245, "exact", "ukraine", MAY[20], "AP", None),
    ("attack.drones_shot_down", 128, "exact", "ukraine", MAY[20], "AP", None),
    ("attack.drones_jammed", 117, "exact", "ukraine", MAY[20], "AP", None),
    ("attack.drones_launched", 100, "exact", "ukraine", MAY[20], "TASS", None),
    ("attack.power_outages", 3, "exact", "ukraine", MAY[20], "TASS", None),
]


def test_a_figure_no_check_allows_is_not_given_and_says_why() -> None:
    message = answers.attacks(
        [view(attack("ukraine", 20), BLAMED_ROWS)], MAY[20], names=SHIPPED_NAMING
    )
    assert message.lines == (
        "Drones downed: 245 = 128 shot down + 117 jammed (AP).",
        "Power outages: 3 (TASS).",
        "Drones launched: no figure can be trusted; TASS says 100: set aside, it breaks drones"
        " downed <= drones launched (245 is more than 100), drones shot down <= drones launched"
        " (128 is more than 100) and drones jammed <= drones launched (117 is more than 100).",
    )


def test_undated_events_are_named_so() -> None:
    undated_attack = Event("attack-ukraine-doc", "attack", "ukraine", None, None)
    undated_swap = Event("swap-doc", "swap", None, None, None)
    rows: list[Row] = [("swap.released", 5, "more_than", None, None, "AP", None)]
    assert answers.attacks([view(undated_attack, MAY_25_ROWS)], names=SHIPPED_NAMING).title == (
        "Attack on Ukraine, date not reported"
    )
    assert answers.swaps([view(undated_swap, rows)], SHIPPED_NAMING) == Message(
        "Prisoner exchange, date not reported",
        ("Date not reported: at least 6 of both sides together (AP).",),
    )
