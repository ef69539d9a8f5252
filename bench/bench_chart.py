"""Charts (issue 17): /chart attacks over a year of nightly events and /chart swaps, drawn from a
store of 100,000 figures.

    python bench/bench_chart.py [--quick]

The store is bench_answers' year of news (every night an air attack, an exchange every few
weeks, then the seeds), made and filled by its own functions, in a temporary SQLite file. The
events' states are read and reconciled once (as a running service keeps them); then each chart
is made as /chart makes it (`bot.commands.chart_reply`: the series read from the views, drawn,
encoded as a PNG), several times; the first time of a process (matplotlib imported, its fonts
loaded) is printed apart, then the median and the slowest, and the drawing alone
(`bot.charts.draw_attacks`) beside the whole reply. Rendering runs in a worker thread in the
service; here it runs in the main thread, which costs the same.

Target (issue 17): an attacks chart over a year of nightly events renders in under 300 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script: python bench/bench_chart.py

from bench.bench_answers import (  # noqa: E402
    FIGURES,
    LAST_DAY,
    QUICK_FIGURES,
    extract_all,
    fill,
    ledger_size,
    seeds,
    sqlite_store,
    year_of_news,
)
from bench.common import Row, held_to  # noqa: E402
from bot.charts import draw_attacks  # noqa: E402
from bot.commands import chart_reply, event_views  # noqa: E402
from bot.commands.chart_series import attacks_chart  # noqa: E402
from bot.commands.charting import MAX_DAYS  # noqa: E402
from bot.reconcile import Rulebook  # noqa: E402
from bot.settings import Settings  # noqa: E402

BENCHMARK = "chart"
TARGET_MS = 300.0
RUNS, QUICK_RUNS = 11, 3


def timed(make: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """(the first call's ms, the later calls' ms)."""
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        make()
        times.append((time.perf_counter() - start) * 1000)
    return times[0], times[1:]


def run(quick: bool) -> list[Row]:
    """Fill a store with a year of news and time the two charts on it."""
    rng = random.Random(8)  # bench_answers' seed: the same year of news
    rulebook = Rulebook.from_settings(Settings.from_env({}))
    runs = QUICK_RUNS if quick else RUNS
    documents = year_of_news(QUICK_FIGURES if quick else FIGURES, rng) + seeds()
    extracted = extract_all(documents, rulebook)
    today = LAST_DAY + timedelta(days=1)  # the day after the newest news, as /chart counts
    with sqlite_store() as store:
        fill(store, extracted)
        active, known = ledger_size(store)
        views = event_views(store, rulebook)
    names = rulebook.naming
    chart = attacks_chart(views, today, MAX_DAYS, names)
    nights = len({p.day for panel in chart.panels for s in panel.series for p in s.points})
    first, later = timed(lambda: chart_reply("attacks", MAX_DAYS, views, today, names), runs)
    _, drawing = timed(lambda: draw_attacks(chart), runs)
    _, swaps = timed(lambda: chart_reply("swaps", 0, views, today, names), runs)
    reply = chart_reply("attacks", MAX_DAYS, views, today, names)
    size = len(reply.image.png) / 1024 if reply.image else 0.0
    median = statistics.median
    return [
        Row(BENCHMARK, "figures in the store", active, "figures"),
        Row(BENCHMARK, "events in the store", known, "events"),
        Row(BENCHMARK, "nights on the attacks chart", nights, "nights"),
        Row(BENCHMARK, "/chart attacks (a year): first of a process", round(first, 1), "ms"),
        held_to(
            BENCHMARK,
            "/chart attacks (a year): median",
            round(median(later), 1),
            "ms",
            at_most=TARGET_MS,
        ),
        Row(BENCHMARK, "/chart attacks (a year): slowest", round(max(later), 1), "ms"),
        Row(BENCHMARK, "of which drawing and PNG, median", round(median(drawing), 1), "ms"),
        Row(BENCHMARK, "/chart attacks (a year): PNG size", round(size, 1), "KB"),
        Row(BENCHMARK, "/chart swaps: median", round(median(swaps), 1), "ms"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="about 5,000 figures, fewer runs")
    args = parser.parse_args()
    for row in run(args.quick):
        target = f"  (target {row.target}: {'met' if row.met else 'NOT met'})" if row.target else ""
        print(f"{row.measure:52} {row.value:>10,} {row.unit}{target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
