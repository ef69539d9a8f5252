"""Charts: what a chart plots, as values (the nights of air attacks, the exchanges' phases and
running totals), and those values drawn as PNG bytes (matplotlib's Agg backend, imported only
when a chart is drawn)."""

from bot.charts.drawing import (
    PLOTTED_KEY,
    Drawn,
    draw_attacks,
    draw_swaps,
    height_of,
    read_plotted,
    window,
)
from bot.charts.series import (
    ATTACK_METRICS,
    AttackPanel,
    AttacksChart,
    Phase,
    Point,
    Series,
    SwapPanel,
    SwapsChart,
    SwapSide,
    plotted,
)

__all__ = [
    "ATTACK_METRICS",
    "PLOTTED_KEY",
    "AttackPanel",
    "AttacksChart",
    "Drawn",
    "Phase",
    "Point",
    "Series",
    "SwapPanel",
    "SwapSide",
    "SwapsChart",
    "draw_attacks",
    "draw_swaps",
    "height_of",
    "plotted",
    "read_plotted",
    "window",
]
