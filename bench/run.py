"""Every benchmark of bench/, one table: `python -m bench.run` (from the repository's root).

    python -m bench.run [--quick] [--big] [--only ingest repoll ...] [--json bench/results.json]

Runs each benchmark in turn (on this machine, all traffic over loopback to local fake servers),
prints one table of what each measured and the target it is held to, and writes the same rows
as JSON with the machine they ran on. `--quick` runs small sizes, for a smoke test only: its
figures are not the ones to report. `--big` adds the sizes that take long (event-size at 5,000
articles an event). Exit status 0 when it ran, whatever the figures.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import REPO, Row

# Name -> module, in the order the issue lists them.
BENCHMARKS = {
    "ingest": "bench.bench_ingest",
    "many-feeds": "bench.bench_many_feeds",
    "event-size": "bench.bench_event_size",
    "repoll": "bench.bench_repoll",
    "latency": "bench.bench_latency",
    "fanout": "bench.bench_fanout",
    "answers": "bench.bench_answers",
    "chart": "bench.bench_chart",
    "digest": "bench.bench_digest",
    "memory": "bench.bench_memory",
}


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table (it reads as plain text too)."""
    lines = [
        "| benchmark | measure | value | unit | target | met |",
        "|---|---|---:|---|---|---|",
    ]
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        value = f"{row.value:,.0f}" if abs(row.value) >= 1000 else f"{row.value:.3g}"
        lines.append(
            f"| {row.benchmark} | {row.measure} | {value} | {row.unit} | {row.target} | {met} |"
        )
    return "\n".join(lines)


def run_apart(name: str, quick: bool, big: bool = False) -> list[Row]:
    """Run one benchmark in a process of its own (what one leaves behind, a heap to collect or
    threads, never weighs on the next); a failure becomes a row saying so."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "rows.json"
        command = [sys.executable, "-m", "bench.run", "--one", name, "--json", str(out)]
        command += ["--quick"] if quick else []
        command += ["--big"] if big else []
        done = subprocess.run(command, cwd=REPO, check=False)
        if done.returncode != 0 or not out.is_file():
            return [Row(name, f"FAILED: exit status {done.returncode}", 0.0, "")]
        return [Row(**row) for row in json.loads(out.read_text(encoding="utf-8"))]


def run_one(name: str, quick: bool, big: bool, out: Path) -> int:
    """Run one benchmark here and write its rows to `out` (`big` for those that take it)."""
    run = importlib.import_module(BENCHMARKS[name]).run
    takes_big = "big" in inspect.signature(run).parameters
    rows = run(quick, big=True) if big and takes_big else run(quick)
    out.write_text(json.dumps([row.as_dict() for row in rows]), encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--big", action="store_true", help="the sizes that take long, too")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results.json")
    parser.add_argument("--one", choices=sorted(BENCHMARKS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return run_one(args.one, args.quick, args.big, args.json)
    rows: list[Row] = []
    timings: dict[str, float] = {}
    for name in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        rows += run_apart(name, args.quick, args.big)
        timings[name] = round(time.perf_counter() - started, 1)
    print(table(rows))
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "quick": args.quick,
        "seconds": timings,
        "rows": [row.as_dict() for row in rows],
    }
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\n{report['machine']}\nwritten to {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
