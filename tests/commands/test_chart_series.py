"""/chart's values and words (issue 17): the series read from the same hand-made seed states as
the /attacks and /swaps tests (tests/commands/test_answers.py), the days a chart covers, a
disputed figure, an exchange's phases and running total against its agreed number, and the
command's reading of its text."""

from __future__ import annotations

from datetime import date

import pytest

from bot.charts import AttacksChart, Phase, SwapSide, read_plotted
from bot.commands import EventView
from bot.commands.chart_series import attacks_caption, attacks_chart, swaps_chart
from bot.commands.charting import chart_reply, chart_request
from bot.commands.context import WrongUsage
from bot.reconcile import Event, Interval
from tests.commands.test_answers import (
    MAY,
    MAY_25_ROWS,
    SWAP,
    SWAP_ROWS,
    Row,
    attack,
    seed_like_views,
    view,
)
from tests.naming import SHIPPED_NAMING


def points(chart: AttacksChart) -> dict[tuple[str, str], list[tuple[date, int, int | None]]]:
    """(panel, metric) -> each point's (day, low, high)."""
    return {
        (panel.title, s.metric): [(p.day, p.interval.low, p.interval.high) for p in s.points]
        for panel in chart.panels
        for s in panel.series
    }


def night(day: date, drones: int) -> EventView:
    """An attack on Ukraine on `day` with `drones` launched, from AP."""
    event = Event(f"attack-ukraine-{day}", "attack", "ukraine", day, day)
    return view(event, [("attack.drones_launched", drones, "exact", "ukraine", day, "AP", None)])


def test_attacks_chart_plots_each_nights_trusted_counts_per_country() -> None:
    chart = attacks_chart(seed_like_views(), MAY[26], 30, SHIPPED_NAMING)
    assert (chart.first, chart.last) == (date(2025, 4, 27), MAY[26])
    assert chart.title == "Air attacks, April 27 to May 26, 2025"
    assert points(chart) == {
        ("Attacks on Ukraine", "attack.drones_launched"): [
            (MAY[24], 250, 250),
            (MAY[25], 298, 298),
        ],
        ("Attacks on Ukraine", "attack.drones_downed"): [(MAY[24], 245, 245)],
        ("Attacks on Ukraine", "attack.missiles_launched"): [(MAY[24], 14, 14), (MAY[25], 69, 69)],
        ("Attacks on Ukraine", "attack.missiles_downed"): [(MAY[24], 6, 6)],
        ("Attacks on Russia", "attack.drones_downed"): [(MAY[24], 94, 94)],
    }
    assert [s.label for s in chart.panels[0].series] == [
        "Drones launched", "Drones downed", "Missiles launched", "Missiles downed",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("last", "days", "nights"),
    [
        (MAY[25], 1, {MAY[25]}),
        (MAY[24], 1, {MAY[24]}),
        (MAY[25], 2, {MAY[24], MAY[25]}),
        (MAY[23], 30, set()),  # the window ends before the first attack
        (MAY[26], 2, {MAY[25]}),
    ],
)
def test_an_attacks_chart_covers_the_days_up_to_its_last(
    last: date, days: int, nights: set[date]
) -> None:
    chart = attacks_chart(seed_like_views(), last, days, SHIPPED_NAMING)
    plotted = {p.day for panel in chart.panels for s in panel.series for p in s.points}
    assert plotted == nights
    assert (chart.last - chart.first).days == days - 1
    assert chart.empty == (not nights)


def test_a_disputed_count_is_marked_with_every_claim() -> None:
    rows: list[Row] = [
        ("attack.drones_launched", 250, "exact", "ukraine", MAY[20], "AP", "250 drones."),
        ("attack.drones_launched", 300, "exact", "ukraine", MAY[20], "Reuters", "300 drones."),
    ]
    chart = attacks_chart([view(attack("ukraine", 20), rows)], MAY[20], 7, SHIPPED_NAMING)
    (point,) = chart.panels[0].series[0].points
    assert {point.interval, *point.rivals} == {Interval(250, 250), Interval(300, 300)}
    assert point.interval not in point.rivals
    assert "250 by AP" in point.disputed and "300 by Reuters" in point.disputed
    caption = attacks_caption(chart)
    assert caption[1].startswith("  Drones launched: ") and "(disputed)" in caption[1]
    assert caption[-1] == f"Drones launched, May 20 (Ukraine): disputed: {point.disputed}."


def test_a_plain_count_is_not_marked_disputed() -> None:
    chart = attacks_chart(seed_like_views(), MAY[26], 30, SHIPPED_NAMING)
    marked = [p for panel in chart.panels for s in panel.series for p in s.points if p.disputed]
    assert marked == []
    assert not any("disputed" in line for line in attacks_caption(chart))


def test_the_caption_says_each_night_or_sums_a_long_series_up() -> None:
    short = attacks_caption(attacks_chart(seed_like_views(), MAY[26], 30, SHIPPED_NAMING))
    assert short == (
        "Attacks on Ukraine:",
        "  Drones launched: 250 on May 24, 298 on May 25.",
        "  Drones downed: 245 on May 24.",
        "  Missiles launched: 14 on May 24, 69 on May 25.",
        "  Missiles downed: 6 on May 24.",
        "Attacks on Russia:",
        "  Drones downed: 94 on May 24.",
    )
    nights = [night(date(2025, 5, day), 10 * day) for day in range(20, 27)]
    nights += [night(date(2025, 5, day), 5) for day in (10, 11)]
    long = attacks_caption(attacks_chart(nights, MAY[26], 30, SHIPPED_NAMING))
    assert long[1] == "  Drones launched: 9 nights; most 260 on May 26; latest 260 on May 26."


def test_swaps_chart_gives_each_phase_the_running_total_and_the_agreed_number() -> None:
    chart = swaps_chart(seed_like_views())
    (panel,) = chart.panels
    assert panel.title == "Prisoner exchange of May 23 to 25, 2025"
    assert panel.sides == (
        SwapSide(
            "each side",
            (
                Phase("May 23", Interval(390, 390)),
                Phase("May 24", Interval(307, 307)),
                Phase("May 25", Interval(303, 303)),
            ),
            (Interval(390, 390), Interval(697, 697), Interval(1000, 1000)),
            Interval(1000, 1000),
        ),
    )


def test_swaps_chart_names_each_side_when_their_phases_differ() -> None:
    rows = [*SWAP_ROWS[:1], ("swap.released", 300, "exact", "russia", MAY[24], "TASS", None)]
    (panel,) = swaps_chart([view(SWAP, rows)]).panels
    by_label = {side.label: side for side in panel.sides}
    assert set(by_label) == {"to Ukraine", "to Russia"}
    assert by_label["to Russia"].running == (Interval(390, 390), Interval(690, 690))
    assert by_label["to Ukraine"].phases == (Phase("May 23", Interval(390, 390)),)
    assert by_label["to Ukraine"].agreed is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("attacks", ("attacks", 30)),
        ("attacks 7", ("attacks", 7)),
        ("Attacks 7 days", ("attacks", 7)),
        ("attack 366", ("attacks", 366)),
        ("attacks 1", ("attacks", 1)),
        ("swaps", ("swaps", 0)),
        ("SWAP", ("swaps", 0)),
    ],
)
def test_chart_reads_its_kind_and_days(text: str, expected: tuple[str, int]) -> None:
    assert chart_request(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "frobs", "attacks 0", "attacks 367", "attacks 99999", "attacks seven", "attacks -3",
     "swaps 3", "attacks 7 weeks", "attacks 7 days more"],
)  # fmt: skip
def test_chart_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(WrongUsage):
        chart_request(text)


def test_with_nothing_to_chart_the_reply_says_so_and_carries_no_picture() -> None:
    attacks = chart_reply("attacks", 30, [], MAY[26], SHIPPED_NAMING)
    assert attacks.image is None
    assert attacks.title == "Nothing to chart yet: no air attack is known in the last 30 days."
    swaps = chart_reply("swaps", 0, [view(attack("ukraine", 25), MAY_25_ROWS)], MAY[26],
                        SHIPPED_NAMING)  # fmt: skip
    assert (swaps.image, swaps.title) == (
        None,
        "Nothing to chart yet: no prisoner exchange is known.",
    )
    later = chart_reply("attacks", 3, seed_like_views(), date(2025, 6, 30), SHIPPED_NAMING)
    assert later.image is None
    assert later.lines == ("Air attacks are known on May 24 and May 25, 2025.",)


def test_a_chart_reply_carries_the_png_and_says_it_in_words() -> None:
    reply = chart_reply("swaps", 0, seed_like_views(), MAY[26], SHIPPED_NAMING)
    assert reply.image is not None and reply.image.filename == "chart-swaps.png"
    assert reply.image.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert "390 + 307 + 303 = 1,000 of 1,000 agreed" in reply.plain()
    plotted = read_plotted(reply.image.png)
    (side,) = plotted["panels"][0]["sides"]
    assert [r["value"] for r in side["running"]] == [390, 697, 1000]
