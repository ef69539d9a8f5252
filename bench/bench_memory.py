"""Memory (issue 8, benchmark 7): `tallywire run` polling 1,000 feeds over 20 cycles, its peak
RSS and how much its RSS grows from cycle 5 to cycle 20.

    python bench/bench_memory.py [--quick] [--feeds 1000] [--cycles 20] [--interval 5]
                                 [--budget 240]

The feeds are served by bench/memory_feeds.py in a process of its own, so that the server's
threads neither share the measured process's memory nor load it. Each feed starts with three
news-length articles without figures (the first cycle parses, stores and extracts some 3,000
documents; why without figures: see memory_feeds.py); after that most polls get a 304, and
every two seconds one random feed gains an article about a new air attack, which the service
turns into a message to the webhook chat server (a thread of this process).

A cycle is complete when every feed has been polled once more, counted from the requests the
feed server received; as each completes, the service's VmRSS and VmHWM are read from
/proc/<pid>/status. The poll interval is 5 s, so that 20 cycles of a service that keeps up take
under two minutes. The run stops after `--cycles` cycles or `--budget` seconds, whichever comes
first, and says how many cycles it completed and how many feeds were polled at all; if fewer
than two cycles completed after warm-up, the growth is taken over time instead (from a third of
the run to its end), and the row says so.

Targets (issue 8): peak RSS <= 200 MB with 1,000 feeds, and no growth after warm-up.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script: python bench/bench_memory.py

from bench.bench_latency import start_service  # noqa: E402
from bench.common import Row, held_to  # noqa: E402
from bench.feed_farm import FeedProcess  # noqa: E402
from tests.fakes.chat_server import ChatServer  # noqa: E402
from tests.fakes.service_harness import stop  # noqa: E402

BENCHMARK = "memory"
PEAK_LIMIT_MB = 200.0
WARM_UP_CYCLES = 5
# "No growth" with a margin for noise, not for a leak: RSS moves by a few MB with no leak at
# all (pymalloc arenas freed or kept as the heap fragments, SQLite's page cache of each pooled
# connection filling up to its 2 MB, glibc trimming or not). A leak of even 350 bytes per poll
# shows: 1,000 feeds x 15 cycles = 15,000 polls x 350 B = 5 MB.
GROWTH_LIMIT_MB = 5.0
SAMPLE_EVERY = 0.25
TRACE_EVERY = 5.0


@dataclass(frozen=True)
class Sample:
    """The service's memory at one moment: when a cycle completed, or on the clock."""

    cycle: int  # cycles completed so far
    at: float  # seconds since the service started
    requests: int  # feed requests so far
    rss_mb: float
    hwm_mb: float


@dataclass(frozen=True)
class Outcome:
    by_cycle: dict[int, Sample]  # the first sample at which each cycle had completed
    trace: list[Sample]  # a sample every TRACE_EVERY seconds
    peak_mb: float
    feeds_polled: int
    seconds: float
    messages: int


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of process `pid`, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024  # kB
    return fields["VmRSS"], fields["VmHWM"]


class FeedsProcess(FeedProcess):
    """bench/memory_feeds.py as a child process: `with FeedsProcess(1000, 3, 2.0) as feeds:`."""

    def __init__(self, feeds: int, items: int, publish_every: float) -> None:
        options = ("--items", str(items), "--publish-every", str(publish_every))
        super().__init__("memory_feeds", feeds, *options)

    def count(self) -> tuple[int, int, int]:
        """(cycles completed: the fewest polls of any feed, requests received in all, feeds
        polled at least once)."""
        done, total, polled = self.ask("count").split()
        return int(done), int(total), int(polled)


def watch(
    service: subprocess.Popen[bytes], feeds: FeedsProcess, cycles: int, budget: float
) -> tuple[dict[int, Sample], list[Sample], int]:
    """Sample the service's memory as each cycle completes and every TRACE_EVERY seconds,
    until `cycles` cycles or `budget` seconds; also return how many feeds were polled."""
    started = time.monotonic()
    by_cycle = {0: Sample(0, 0.0, 0, *memory_mb(service.pid))}
    trace = [by_cycle[0]]
    polled = 0
    while max(by_cycle) < cycles and time.monotonic() - started < budget:
        time.sleep(SAMPLE_EVERY)
        if service.poll() is not None:
            raise RuntimeError(f"tallywire run exited with {service.returncode}")
        done, requests, polled = feeds.count()
        sample = Sample(done, time.monotonic() - started, requests, *memory_mb(service.pid))
        # Several cycles may complete between two looks: each gets this reading.
        for cycle in range(max(by_cycle) + 1, done + 1):
            by_cycle[cycle] = sample
        if sample.at - trace[-1].at >= TRACE_EVERY:
            trace.append(sample)
    return by_cycle, trace, polled


def measure(feed_count: int, cycles: int, interval: int, budget: float, items: int) -> Outcome:
    with (
        tempfile.TemporaryDirectory(prefix="bench-memory-") as folder,
        FeedsProcess(feed_count, items, publish_every=2.0) as feeds,
        ChatServer() as chat,
    ):
        tmp = Path(folder)
        urls = [feeds.url(n) for n in range(feeds.feeds)]
        service = start_service(tmp, "memory", urls, interval, chat.url)
        started = time.monotonic()
        try:
            by_cycle, trace, polled = watch(service, feeds, cycles, budget)
            peak = memory_mb(service.pid)[1]
            seconds = time.monotonic() - started
        finally:
            code = stop(service, timeout=30)
        if code != 0:
            print(f"warning: tallywire run exited with {code}", file=sys.stderr)
        return Outcome(by_cycle, trace, peak, polled, seconds, len(chat.messages))


def growth_rows(outcome: Outcome, cycles: int) -> list[Row]:
    """RSS growth after warm-up: from cycle 5 to the last cycle completed; when fewer than
    two cycles completed after warm-up, from the first third of the run to its end."""
    reached = max(outcome.by_cycle)
    first = WARM_UP_CYCLES if reached >= cycles else max(1, min(WARM_UP_CYCLES, reached // 2))
    by_cycles = reached - first >= 2
    if by_cycles:
        start, end = outcome.by_cycle[first], outcome.by_cycle[reached]
        start_label, end_label = f"cycle {first}", f"cycle {reached}"
        span = f"{start_label} -> {end_label}"
    else:
        trace = outcome.trace
        start = next((s for s in trace if s.at >= trace[-1].at / 3), trace[-1])
        end = trace[-1]
        start_label, end_label = f"{start.at:.0f} s", f"{end.at:.0f} s"
        span = f"{start_label} -> {end_label}, cycles did not complete"
    rows = [
        Row(BENCHMARK, f"RSS at {start_label}", start.rss_mb, "MB"),
        Row(BENCHMARK, f"RSS at {end_label}", end.rss_mb, "MB"),
        held_to(
            BENCHMARK,
            f"RSS growth, {span} ({end.requests - start.requests:,} polls)",
            end.rss_mb - start.rss_mb,
            "MB",
            at_most=GROWTH_LIMIT_MB,
        ),
    ]
    if by_cycles:
        cycle_time = (end.at - start.at) / (reached - first)
        rows.append(
            Row(BENCHMARK, f"cycle time, mean of cycles {first + 1}-{reached}", cycle_time, "s")
        )
    return rows


def rows_for(outcome: Outcome, feed_count: int, cycles: int, interval: int) -> list[Row]:
    reached = max(outcome.by_cycle)
    what = f"{feed_count} feeds, poll interval {interval} s"
    rows = [
        held_to(
            BENCHMARK, f"peak RSS (VmHWM), {what}", outcome.peak_mb, "MB", at_most=PEAK_LIMIT_MB
        ),
        held_to(
            BENCHMARK,
            f"cycles completed (every feed polled once more) in {outcome.seconds:.0f} s",
            reached,
            "cycles",
            at_least=cycles,
        ),
        held_to(
            BENCHMARK,
            "feeds polled at least once",
            outcome.feeds_polled,
            "feeds",
            at_least=feed_count,
        ),
        *growth_rows(outcome, cycles),
    ]
    if reached >= 1:
        rows.append(Row(BENCHMARK, "cycle 1 (start-up included)", outcome.by_cycle[1].at, "s"))
    requests = outcome.trace[-1].requests
    rows += [
        Row(BENCHMARK, "feed requests per second", requests / outcome.seconds, "req/s"),
        Row(BENCHMARK, "messages delivered to the chat server", outcome.messages, "messages"),
    ]
    return rows


def run(
    quick: bool,
    feeds: int | None = None,
    cycles: int = 20,
    interval: int | None = None,
    budget: float | None = None,
) -> list[Row]:
    """1,000 feeds polled every 5 s over 20 cycles (quick: 200 feeds every 2 s, 90 s at
    most), within a time budget."""
    feed_count = feeds or (200 if quick else 1000)
    interval = interval or (2 if quick else 5)
    budget = budget or (90.0 if quick else 240.0)
    outcome = measure(feed_count, cycles, interval, budget, items=3)
    return rows_for(outcome, feed_count, cycles, interval)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 feeds every 2 s, 90 s at most")
    parser.add_argument("--feeds", type=int, default=None, help="feeds to poll")
    parser.add_argument("--cycles", type=int, default=20, help="cycles to run")
    parser.add_argument("--interval", type=int, default=None, help="poll interval in seconds")
    parser.add_argument("--budget", type=float, default=None, help="seconds at most")
    args = parser.parse_args()
    started = time.monotonic()
    for row in run(args.quick, args.feeds, args.cycles, args.interval, args.budget):
        target = f"  target {row.target}: {'met' if row.met else 'NOT met'}" if row.target else ""
        print(f"{row.benchmark:8} {row.measure:56} {row.value:9.1f} {row.unit}{target}")
    print(f"({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
