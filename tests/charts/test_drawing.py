"""Charts drawn as PNGs (issue 17): a valid PNG of the size the chart asks for, whose text chunk
records what it plots, and whose pixels show it: each point's marker in its series' colour where
the chunk says it is, a disputed point as a cross, the exchanges' bars, running totals and
agreed line in theirs."""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image

from bot.charts import (
    AttackPanel,
    AttacksChart,
    Phase,
    Point,
    Series,
    SwapPanel,
    SwapsChart,
    SwapSide,
    draw_attacks,
    draw_swaps,
    height_of,
    read_plotted,
)
from bot.reconcile import Interval

FIRST = date(2025, 5, 1)
WHITE = (255, 255, 255)


def rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def near(found: tuple[int, ...], wanted: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(found, wanted, strict=False))


def exact(n: int) -> Interval:
    return Interval(n, n)


def flat_week() -> AttacksChart:
    """A week with flat lines (so that nothing but a marker covers the pixels around it): 100
    drones a night, 20 missiles, the fourth night's drones disputed (100 against 150)."""
    days = [FIRST + timedelta(days=n) for n in range(7)]
    drones = tuple(
        Point(d, exact(100), "100 by AP, 150 by TASS" if n == 3 else "",
              (exact(150),) if n == 3 else ())
        for n, d in enumerate(days)
    )  # fmt: skip
    missiles = tuple(Point(d, exact(20)) for d in days)
    ukraine = AttackPanel(
        "Attacks on Ukraine",
        (
            Series("attack.drones_launched", "Drones launched", drones),
            Series("attack.missiles_launched", "Missiles launched", missiles),
        ),
    )
    russia = AttackPanel(
        "Attacks on Russia",
        (Series("attack.drones_downed", "Drones downed", (Point(days[2], Interval(40, 60)),)),),
    )
    return AttacksChart("Air attacks, May 1 to 7, 2025", days[0], days[-1], (ukraine, russia))


def decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image.convert("RGB")


def test_an_attacks_chart_is_a_png_of_its_size_recording_what_it_plots() -> None:
    drawn = draw_attacks(flat_week())
    image = decoded(drawn.png)
    assert image.size == (drawn.width, drawn.height) == (1000, height_of(2))
    plotted = read_plotted(drawn.png)
    assert plotted == drawn.plotted
    assert [p["title"] for p in plotted["panels"]] == ["Attacks on Ukraine", "Attacks on Russia"]
    drones = plotted["panels"][0]["series"][0]
    assert [(p["day"], p["value"], p["disputed"]) for p in drones["points"]] == [
        ((FIRST + timedelta(days=n)).isoformat(), 100, n == 3) for n in range(7)
    ]
    (ranged,) = plotted["panels"][1]["series"][0]["points"]
    assert (ranged["low"], ranged["high"], ranged["value"]) == (40, 60, 50)


def test_each_point_is_drawn_in_its_series_colour_where_the_chart_says() -> None:
    drawn = draw_attacks(flat_week())
    image = decoded(drawn.png)
    checked = 0
    for panel in drawn.plotted["panels"]:
        for series in panel["series"]:
            for point in series["points"]:
                column, row = point["pixel"]
                assert image.getpixel((column, row)) == rgb(series["colour"]), point
                checked += 1
    assert checked == 15
    # Higher values are higher up the picture: the drones' markers above the missiles'.
    drones, missiles = (s["points"] for s in drawn.plotted["panels"][0]["series"])
    assert all(d["pixel"][1] < m["pixel"][1] for d, m in zip(drones, missiles, strict=True))


def test_a_disputed_point_is_a_cross_and_a_plain_one_a_dot() -> None:
    drawn = draw_attacks(flat_week())
    image = decoded(drawn.png)
    points = drawn.plotted["panels"][0]["series"][0]["points"]
    disputed = next(p for p in points if p["disputed"])
    plain = next(p for p in points if not p["disputed"])

    def corners(point: dict[str, object]) -> list[tuple[int, ...]]:
        column, row = point["pixel"]  # type: ignore[misc]
        return [image.getpixel((column + dx, row + dy)) for dx in (-5, 5) for dy in (-5, 5)]

    assert all(pixel != WHITE for pixel in corners(disputed)), "a cross reaches its corners"
    assert all(pixel == WHITE for pixel in corners(plain)), "a dot does not"
    column, row = disputed["pixel"]
    assert image.getpixel((column, row + 6)) == WHITE, "a cross is open below its centre"


def test_a_swaps_chart_draws_phases_running_total_and_the_agreed_number() -> None:
    side = SwapSide(
        "each side",
        (Phase("May 23", exact(390)), Phase("May 24", exact(307)), Phase("May 25", exact(303))),
        (exact(390), exact(697), exact(1000)),
        exact(1000),
    )
    chart = SwapsChart("Prisoner exchange", (SwapPanel("Prisoner exchange of May 23", (side,)),))
    drawn = draw_swaps(chart)
    image = decoded(drawn.png)
    assert image.size == (1000, height_of(1))
    (plotted,) = read_plotted(drawn.png)["panels"][0]["sides"]
    assert [p["value"] for p in plotted["phases"]] == [390, 307, 303]
    assert [r["value"] for r in plotted["running"]] == [390, 697, 1000]
    assert plotted["agreed"]["value"] == 1000
    for phase in plotted["phases"]:
        assert image.getpixel(tuple(phase["bar"])) == rgb(plotted["bar_colour"])
    for total in plotted["running"]:
        assert image.getpixel(tuple(total["pixel"])) == rgb(plotted["line_colour"])
    # The running totals climb: each marker higher up than the one before.
    rows = [total["pixel"][1] for total in plotted["running"]]
    assert rows == sorted(rows, reverse=True) and len(set(rows)) == 3
    agreed_row = plotted["agreed"]["row"]
    column = drawn.plotted["panels"][0]["sides"][0]["phases"][0]["bar"][0] - 120
    shades = [image.getpixel((column, agreed_row + dy)) for dy in (-1, 0, 1)]
    assert any(near(pixel, rgb(plotted["agreed_colour"])) for pixel in shades), shades
    assert plotted["agreed"]["row"] == plotted["running"][-1]["pixel"][1]
