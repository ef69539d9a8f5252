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


def test_the_many_feeds_and_event_size_benchmarks_run_and_report(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--only", "many-feeds", "event-size",
         "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {row["measure"]: row for row in json.loads(out.read_text(encoding="utf-8"))["rows"]}
    assert {row["benchmark"] for row in rows.values()} == {"many feeds", "event size"}
    assert not [m for m in rows if m.startswith("FAILED")]
    assert rows["articles stored (each once)"]["value"] == 60  # the 3 feeds of 20 articles
    assert rows['"database is locked" in the log']["value"] == 0
    stages = {m.split(" (")[0] for m in rows if m.startswith("stage: ")}
    assert stages == {
        f"stage: {s}"
        for s in ("fetch", "parse", "store", "extract", "reconcile", "outbox", "commit")
    }
    assert rows["per-article cost at 40 / at 10"]["value"] > 0
    assert "| event size | per article, event of 10 articles" in done.stdout
