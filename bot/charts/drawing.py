"""Charts drawn as PNG bytes with matplotlib's Agg backend. Pure: values in, bytes out.

matplotlib is imported when a chart is drawn, never at import (`tallywire --help` stays quick),
and only its object-oriented API is used (a Figure on its own FigureCanvasAgg): no pyplot, no
global state, safe in a worker thread. The canvas is drawn once; the PNG is its pixels, with
what was plotted as JSON in a compressed text chunk (`PLOTTED_KEY`): each point's value and the
pixel its marker is centred on, so a reader (a test, an operator) can check the picture against
the tallies without reading it by eye.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bot.charts.series import AttacksChart, Point, SwapPanel, SwapsChart, plotted

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PLOTTED_KEY = "tallywire:plotted"
WIDTH_INCHES, DPI = 10.0, 100
PANEL_INCHES, FRAME_INCHES = 3.0, 1.0  # each panel's height; the title and the axis below
COLOURS = {
    "attack.drones_launched": "#1f77b4",
    "attack.drones_downed": "#2ca02c",
    "attack.missiles_launched": "#d62728",
    "attack.missiles_downed": "#ff7f0e",
}
SIDE_COLOURS = (("#4c72b0", "#17365d"), ("#e1a75b", "#8c3d10"))  # (phase bars, running total)
AGREED_COLOUR = "#7f7f7f"
DISPUTED_MARKER, MARKER = "X", "o"


@dataclass(frozen=True)
class Drawn:
    """A drawn chart: the PNG, its size in pixels, and what it plots (as in its text chunk)."""

    png: bytes
    width: int
    height: int
    plotted: dict[str, Any]


def height_of(panels: int) -> int:
    """The height in pixels of a chart of `panels` panels (its width is always 1000)."""
    return round((FRAME_INCHES + PANEL_INCHES * max(panels, 1)) * DPI)


def draw_attacks(chart: AttacksChart) -> Drawn:
    """The attacks chart: a panel per country attacked, a line per count over the nights (broken
    where a night has none), a disputed count drawn as a cross with its rivals' figures as
    hollow rings joined to it."""
    figure, axes = _figure(len(chart.panels), chart.title)
    start = chart.first.toordinal()
    for ax, panel in zip(axes, chart.panels, strict=True):
        for series in panel.series:
            colour = COLOURS.get(series.metric, "#333333")
            ys = [math.nan] * ((chart.last - chart.first).days + 1)
            for point in series.points:
                ys[(point.day - chart.first).days] = point.value
            ax.plot(range(start, start + len(ys)), ys, color=colour, linewidth=1.2, zorder=2)
            _markers(ax, series.points, colour, series.label)
        _disputed_key(ax, panel.series)
        _panel_title(ax, panel.title)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=5, frameon=False, fontsize=8)
        ax.set_xlim(start - 0.5, chart.last.toordinal() + 0.5)
        _day_axis(ax)
    _frame(axes)
    _render(figure)
    record = {
        "kind": "attacks",
        "first": chart.first.isoformat(),
        "last": chart.last.isoformat(),
        "panels": [
            {
                "title": panel.title,
                "series": [
                    {
                        "metric": s.metric,
                        "label": s.label,
                        "colour": COLOURS.get(s.metric, "#333333"),
                        "points": _points(ax, s.points),
                    }
                    for s in panel.series
                ],
            }
            for ax, panel in zip(axes, chart.panels, strict=True)
        ],
    }
    return _png(figure, record)


def draw_swaps(chart: SwapsChart) -> Drawn:
    """The exchanges chart: a panel per exchange, each phase a bar per side, the running total
    after each phase a marker on a line, the agreed number a horizontal line."""
    figure, axes = _figure(len(chart.panels), chart.title)
    for ax, panel in zip(axes, chart.panels, strict=True):
        _swap_panel(ax, panel)
    _frame(axes)
    _render(figure)
    return _png(figure, {"kind": "swaps", "panels": _swaps_plotted(axes, chart.panels)})


def _swap_panel(ax: Axes, panel: SwapPanel) -> None:
    labels = list(dict.fromkeys(p.label for side in panel.sides for p in side.phases))
    width = 0.8 / max(len(panel.sides), 1)
    for index, side in enumerate(panel.sides):
        bar, line = SIDE_COLOURS[index % len(SIDE_COLOURS)]
        xs = [labels.index(p.label) + _offset(index, len(panel.sides)) for p in side.phases]
        bars = ax.bar(xs, [p.value for p in side.phases], width * 0.9, color=bar, zorder=2,
                      label=f"Phase, {side.label}")  # fmt: skip
        ax.bar_label(bars, labels=[_count(p.value) for p in side.phases], label_type="center",
                     color="white", fontsize=8)  # fmt: skip
        running = [plotted(i) for i in side.running]
        ax.plot(xs, running, color=line, linewidth=1.2, zorder=3)
        ax.plot(xs, running, MARKER, color=line, markersize=7, zorder=4,
                label=f"Running total, {side.label}")  # fmt: skip
        for x, y in zip(xs, running, strict=True):
            ax.annotate(_count(y), (x, y), xytext=(0, 7), textcoords="offset points",
                        ha="center", fontsize=8, color=line)  # fmt: skip
        if side.agreed is not None:
            ax.axhline(plotted(side.agreed), color=AGREED_COLOUR, linewidth=2, zorder=1,
                       label=f"Agreed, {side.label}")  # fmt: skip
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    top = max([plotted(i) for s in panel.sides for i in (*s.running, s.agreed) if i] or [1.0])
    ax.set_ylim(0, top * 1.15)
    _panel_title(ax, panel.title)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=3, frameon=False, fontsize=8)


def _swaps_plotted(axes: Sequence[Axes], panels: Sequence[SwapPanel]) -> list[dict[str, Any]]:
    found = []
    for ax, panel in zip(axes, panels, strict=True):
        labels = list(dict.fromkeys(p.label for side in panel.sides for p in side.phases))
        sides = []
        for index, side in enumerate(panel.sides):
            bar, line = SIDE_COLOURS[index % len(SIDE_COLOURS)]
            xs = [labels.index(p.label) + _offset(index, len(panel.sides)) for p in side.phases]
            agreed = None
            if side.agreed is not None:
                height = plotted(side.agreed)
                agreed = {"value": height, "row": _pixel(ax, ax.get_xlim()[0], height)[1]}
            sides.append(
                {
                    "label": side.label,
                    "bar_colour": bar,
                    "line_colour": line,
                    "agreed_colour": AGREED_COLOUR,
                    "phases": [
                        {"label": p.label, "value": p.value, "bar": _pixel(ax, x, p.value / 4)}
                        for p, x in zip(side.phases, xs, strict=True)
                    ],
                    "running": [
                        {"value": plotted(i), "pixel": _pixel(ax, x, plotted(i))}
                        for i, x in zip(side.running, xs, strict=True)
                    ],
                    "agreed": agreed,
                }
            )
        found.append({"title": panel.title, "sides": sides})
    return found


def _offset(index: int, count: int) -> float:
    width = 0.8 / max(count, 1)
    return (index - (count - 1) / 2) * width


def _count(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _markers(ax: Axes, points: Sequence[Point], colour: str, label: str) -> None:
    plain = [p for p in points if not p.disputed]
    disputed = [p for p in points if p.disputed]
    ranged = [p for p in points if p.interval.high is not None and p.interval.high > p.interval.low]
    if ranged:  # "about 250": the range the tally allows, its middle marked
        ax.vlines([p.day.toordinal() for p in ranged], [p.interval.low for p in ranged],
                  [p.interval.high or 0 for p in ranged], color=colour, linewidth=2, alpha=0.4,
                  zorder=3)  # fmt: skip
    ax.plot([p.day.toordinal() for p in plain], [p.value for p in plain], MARKER, color=colour,
            markersize=5, zorder=4, label=label)  # fmt: skip
    for point in disputed:
        x = point.day.toordinal()
        heights = [plotted(r) for r in point.rivals]
        for height in heights:
            ax.plot([x, x], [point.value, height], ":", color=colour, linewidth=1, zorder=3)
        ax.plot([x] * len(heights), heights, MARKER, color=colour, markerfacecolor="white",
                markersize=6, zorder=4)  # fmt: skip
        ax.plot([x], [point.value], DISPUTED_MARKER, color=colour, markeredgecolor="black",
                markeredgewidth=0.6, markersize=11, zorder=5)  # fmt: skip


def _disputed_key(ax: Axes, series: Iterable[Any]) -> None:
    if any(p.disputed for s in series for p in s.points):
        ax.plot([], [], DISPUTED_MARKER, color="#bbbbbb", markeredgecolor="black",
                markersize=9, label="disputed (rings: the other claims)")  # fmt: skip


def _panel_title(ax: Axes, title: str) -> None:
    # Text at a fixed place: Axes.set_title would measure every tick label to place it.
    ax.text(1.0, 1.02, title, transform=ax.transAxes, ha="right", va="bottom", fontsize=10)


def _day_axis(ax: Axes) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True, min_n_ticks=1))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _day_label(v)))


def _day_label(value: float) -> str:
    try:
        day = date.fromordinal(round(value))
    except (ValueError, OverflowError):
        return ""
    return f"{day:%b} {day.day}"


def _points(ax: Axes, points: Sequence[Point]) -> list[dict[str, Any]]:
    """Each point's record, with its pixel; the pixels of a series transformed at once."""
    xy = [(p.day.toordinal(), p.value) for p in points]
    pixels = _pixels(ax, xy) if xy else []
    return [
        {
            "day": point.day.isoformat(),
            "value": point.value,
            "low": point.interval.low,
            "high": point.interval.high,
            "disputed": bool(point.disputed),
            "pixel": pixel,
        }
        for point, pixel in zip(points, pixels, strict=True)
    ]


def _pixels(ax: Axes, xy: Sequence[tuple[float, float]]) -> list[list[int]]:
    """The PNG pixels (column, row from the top) that the data points fall in."""
    height = ax.figure.bbox.height
    return [
        [math.floor(px), math.floor(height - py)] for px, py in ax.transData.transform(list(xy))
    ]


def _pixel(ax: Axes, x: float, y: float) -> list[int]:
    """The PNG pixel (column, row from the top) that the data point (x, y) falls in."""
    return _pixels(ax, [(x, y)])[0]


def _figure(panels: int, title: str) -> tuple[Figure, list[Axes]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    count = max(panels, 1)
    figure = Figure(figsize=(WIDTH_INCHES, height_of(count) / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    inches = height_of(count) / DPI
    figure.subplots_adjust(
        left=0.07, right=0.98, top=1 - 0.62 / inches, bottom=0.4 / inches, hspace=0.42
    )
    figure.suptitle(title, x=0.07, ha="left", fontsize=12, fontweight="bold")
    axes = [figure.add_subplot(count, 1, i + 1) for i in range(count)]
    return figure, axes[:panels] if panels else axes


def _frame(axes: Sequence[Axes]) -> None:
    from matplotlib.ticker import MaxNLocator

    for ax in axes:
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter("{x:,.0f}")
        ax.grid(True, axis="y", color="#dddddd", linewidth=0.8, zorder=0)
        ax.spines[["top", "right"]].set_visible(False)


def _render(figure: Figure) -> None:
    """Draw the canvas, once: the limits are then final, and the pixels recorded after it are
    those of the picture."""
    figure.canvas.draw()


def _png(figure: Figure, record: dict[str, Any]) -> Drawn:
    """The drawn canvas as a PNG with `record` (and the picture's size) in its text chunk."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    width, height = (int(v) for v in figure.bbox.size)
    record |= {"width": width, "height": height}
    rgba = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    info = PngInfo()
    info.add_text(PLOTTED_KEY, json.dumps(record, separators=(",", ":")), zip=True)
    out = io.BytesIO()
    rgba.convert("RGB").save(out, "PNG", pnginfo=info, compress_level=3)
    return Drawn(out.getvalue(), width, height, record)


def read_plotted(png: bytes) -> dict[str, Any]:
    """What a chart of this module plots, from its PNG's text chunk; {} when it has none."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        image.load()
        text = getattr(image, "text", {}).get(PLOTTED_KEY)
    return dict(json.loads(text)) if text else {}


def window(last: date, days: int) -> tuple[date, date]:
    """The `days` days ending on `last`: (first, last)."""
    return last - timedelta(days=days - 1), last
