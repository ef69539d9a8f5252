"""The Procfile's three processes, started as a platform (or `honcho start`) starts them: each
line through the shell, with PORT set, against a SQLite file (issue 16: deploy as-is)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.service_harness import base_env, free_port, wait_until

REPO = Path(__file__).resolve().parents[1]
PROCESSES = {
    "web": "tallywire run --web",
    "worker": "tallywire run --worker",
    "release": "tallywire migrate",
}


def procfile() -> dict[str, str]:
    lines = (REPO / "Procfile").read_text().splitlines()
    rows = [line.split(":", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {name.strip(): command.strip() for name, command in rows}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A platform's environment: the store a SQLite file, PORT set for every process (as honcho
    does), no seeds, and `tallywire` on the PATH of this interpreter's environment."""
    variables = base_env(tmp_path, f"sqlite:///{tmp_path / 'tallywire.db'}")
    variables.update(
        PORT=str(free_port()),
        TALLYWIRE_SEEDS="off",
        LOG_LEVEL="INFO",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return variables


@pytest.fixture
def started(env: dict[str, str], tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def launch(name: str, env: dict[str, str], tmp: Path) -> subprocess.Popen[bytes]:
    log = open(tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    # Through the shell, as platforms run a Procfile's line; `exec` so that the exit status is
    # Tallywire's own, not that of a shell the group's SIGTERM ended first.
    return subprocess.Popen(
        ["/bin/sh", "-c", f"exec {procfile()[name]}"],
        env=env,
        cwd=tmp,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a process group, signalled whole as a platform does
    )


def healthz(port: str) -> tuple[int, dict[str, object]] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return answer.status, json.loads(answer.read())
    except OSError:
        return None


def terminated(process: subprocess.Popen[bytes]) -> int:
    os.killpg(process.pid, signal.SIGTERM)
    return process.wait(timeout=20)


def test_the_procfile_has_a_web_a_worker_and_a_release() -> None:
    assert procfile() == PROCESSES
    readme = (REPO / "README.md").read_text()
    for name, command in PROCESSES.items():
        assert f"{name}: {command}" in readme


def test_release_migrates_the_store_and_exits(env: dict[str, str], tmp_path: Path) -> None:
    process = launch("release", env, tmp_path)
    assert process.wait(timeout=60) == 0, (tmp_path / "release.log").read_text()
    with sqlite3.connect(tmp_path / "tallywire.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"alembic_version", "documents", "outbox"} <= tables
    assert "has the newest schema" in (tmp_path / "release.log").read_text()


def test_web_answers_healthz_on_port(
    env: dict[str, str], tmp_path: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    started.append(web := launch("web", env, tmp_path))
    assert wait_until(lambda: healthz(env["PORT"]) is not None, timeout=60), (
        tmp_path / "web.log"
    ).read_text()
    answer = healthz(env["PORT"])
    assert answer is not None and answer[0] == 200 and answer[1]["status"] == "ok"
    assert terminated(web) == 0


def test_worker_polls_and_delivers_without_http(
    env: dict[str, str], tmp_path: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    started.append(worker := launch("worker", env, tmp_path))
    log = tmp_path / "worker.log"
    assert wait_until(lambda: "running: 0 feeds configured" in log.read_text(), timeout=60), (
        log.read_text()
    )
    assert worker.poll() is None
    assert healthz(env["PORT"]) is None  # PORT was set, and the worker serves nothing on it
    assert terminated(worker) == 0
    assert "stopped" in log.read_text()


def test_web_without_port_is_one_line_and_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    del env["PORT"]
    process = launch("web", env, tmp_path)
    assert process.wait(timeout=60) == 2
    lines = (tmp_path / "web.log").read_text().splitlines()
    assert lines == [
        "tallywire: error: run --web serves HTTP on PORT, which is not set (a platform sets "
        "it for a web process; locally: PORT=8000 tallywire run --web)"
    ]
