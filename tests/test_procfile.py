"""The Procfile starts the service the way the README says."""

from __future__ import annotations

import shlex
from pathlib import Path

from bot.cli.main import build_parser

REPO = Path(__file__).resolve().parents[1]


def test_the_procfile_runs_the_service() -> None:
    processes = dict(
        line.split(":", 1) for line in (REPO / "Procfile").read_text().splitlines() if line.strip()
    )
    assert set(processes) == {"worker"}
    command = shlex.split(processes["worker"])
    assert command == ["tallywire", "run"]
    args = build_parser().parse_args(command[1:])
    assert args.func.__name__ == "run_command" and args.once is False
    assert "`worker: tallywire run`" in (REPO / "README.md").read_text()
