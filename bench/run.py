"""Every benchmark of bench/, one table: `python -m bench.run` (from the repository's root).

    python -m bench.run [--quick] [--only ingest repoll ...] [--json bench/results.json]

Runs each benchmark in turn (on this machine, all traffic over loopback to local fake servers),
prints one table of what each measured and the target it is held to, and writes the same rows
as JSON with the machine they ran on. `--quick` runs small sizes, for a smoke test only: its
figures are not the ones to report. Exit status 0 when it ran, whatever the figures.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import REPO, Row

# Name -> module, in the order the issue lists them.
BENCHMARKS = {
    "ingest": "bench.bench_ingest",
    "repoll": "bench.bench_repoll",
    "latency": "bench.bench_latency",
    "fanout": "bench.bench_fanout",
    "answers": "bench.bench_answers",
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results.json")
    args = parser.parse_args()
    rows: list[Row] = []
    timings: dict[str, float] = {}
    for name, module in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            rows += importlib.import_module(module).run(args.quick)
        except Exception as error:  # one benchmark's failure is reported; the others still run
            rows.append(Row(name, f"FAILED: {type(error).__name__}: {error}"[:200], 0.0, ""))
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
