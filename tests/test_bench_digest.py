"""bench/bench_digest.py runs through the runner and reports a digest built from the store
(issue 17; small sizes: the figures are not looked at, only that a digest was built and
written with the held messages folded into it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_digest_benchmark_builds_and_writes_a_digest(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--only", "digest", "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {row["measure"]: row["value"] for row in json.loads(out.read_text())["rows"]}
    assert not [m for m in rows if m.startswith("FAILED")]
    assert rows["SQLite: messages held for the digest"] > 0
    assert rows["SQLite: digest lines"] > 0
    assert rows["SQLite: digest build, median of 5"] > 0
    assert rows["SQLite: digest written and held folded"] > 0
    assert "| digest | SQLite: digest build" in done.stdout
