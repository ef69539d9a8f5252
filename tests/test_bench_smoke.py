"""The benchmark runner works end to end (small sizes; the figures are not looked at, only that
every benchmark ran and reported what it measured)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_runner_runs_benchmarks_apart_and_writes_their_rows(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--only", "ingest", "repoll",
         "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    rows = report["rows"]
    assert {row["benchmark"] for row in rows} == {"ingest", "re-poll", "scale"}
    assert not [row for row in rows if row["measure"].startswith("FAILED")]
    assert all(row["value"] > 0 for row in rows if row["target"])
    assert report["machine"]["cores"]
    assert "| re-poll | CPU per feed" in done.stdout  # the table as printed
