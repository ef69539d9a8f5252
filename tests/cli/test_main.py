"""The command line, run in-process as a user would type it, from any working directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import build_parser, main


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory far from the checkout, and an environment with no feeds."""
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    for name in ("DATABASE_URL", "TALLYWIRE_FEEDS", "TALLYWIRE_SEEDS", "TALLYWIRE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return workdir


def test_replay_from_any_directory_stores_the_five_seeds_once(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay"]) == 0
    first = capsys.readouterr().out
    assert first.count("── + ") == 5
    assert "── + 000_8dfec28dc3bfd21b  2025-05-23" in first
    assert (elsewhere / "tallywire.db").is_file()

    assert main(["replay"]) == 0
    second = capsys.readouterr().out
    assert second.count(": already stored, nothing to do") == 5
    assert "no new messages" in second


def test_tallies_are_a_table_with_a_header(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tallies"]) == 0
    assert capsys.readouterr().out.startswith("no tallies yet")
    assert main(["replay"]) == 0
    capsys.readouterr()
    assert main(["tallies"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split() == ["EVENT", "METRIC", "SIDE", "VALUE", "STATUS", "SOURCES"]
    assert rows and all(row.split()[0].startswith(("swap-", "attack-")) for row in rows)


def test_db_names_the_store(elsewhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "--json", "--db", f"sqlite:///{elsewhere / 'x.db'}"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and {r["document"] for r in rows} >= {
        "000_8dfec28dc3bfd21b",
        "004_500f9249dbe210ff",
    }
    assert (elsewhere / "x.db").is_file() and not (elsewhere / "tallywire.db").exists()


def test_replay_of_given_files_dates_them_by_their_date_line(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = elsewhere / "kyiv.txt"
    article.write_text("date 2025-06-01 Russia launched 472 drones overnight.\n")
    assert main(["replay", str(article)]) == 0
    out = capsys.readouterr().out
    assert "── + kyiv  2025-06-01  Russia launched 472 drones overnight." in out
    assert "# Air attack on Ukraine, 1 June 2025" in out
    assert "472 drones launched (kyiv)" in out


def test_a_missing_file_is_a_clear_error(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", "no-such.txt"]) == 2
    assert "tallywire: error: cannot read no-such.txt" in capsys.readouterr().err


def test_a_bad_setting_is_a_clear_error(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TALLYWIRE_POLL_SECONDS", "soon")
    assert main(["run", "--once"]) == 2
    assert "TALLYWIRE_POLL_SECONDS='soon' is not a whole number" in capsys.readouterr().err


def test_run_once_on_the_default_ingests_the_seeds_then_nothing(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--once"]) == 0
    assert "seeds: 5 new" in capsys.readouterr().out
    assert main(["run", "--once"]) == 0
    assert "seeds: 0 new, 0 new versions, 5 already stored" in capsys.readouterr().out
    assert main(["sources"]) == 0
    listing = capsys.readouterr().out
    assert "seeds  seeds" in listing and "5 documents" in listing


def test_every_command_has_help() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    helps = {action.dest: action.help for action in subparsers._choices_actions}
    assert {"run", "replay", "sources", "tallies", "swaps", "attacks", "ask"} <= set(helps)
    assert {"status", "feeds", "addfeed", "removefeed", "extract", "eval"} <= set(helps)
    assert all(helps.values()), helps
    for name, sub in subparsers.choices.items():
        assert sub.description or sub.format_help(), name


def test_python_dash_m_bot_is_the_same_program() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "usage: tallywire" in result.stdout and "replay" in result.stdout


def test_the_console_manages_feeds_as_an_operator(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Refused: exit 1, the reason on stderr (issue 16: it exited 0).
    assert main(["addfeed", "http://127.0.0.1:9/feed.xml"]) == 1
    assert "loopback" in capsys.readouterr().err
    assert main(["addfeed", "http://169.254.169.254/latest/meta-data"]) == 1
    assert "link-local" in capsys.readouterr().err
    assert main(["feeds"]) == 0
    assert "127.0.0.1" not in capsys.readouterr().out


def test_the_parser_loads_no_heavy_module() -> None:
    """Issue 16: `--help` took 2 s, 1.5 s of it imports; each command imports what it uses."""
    heavy = ("telegram", "slack_sdk", "slack_bolt", "apscheduler", "sqlalchemy", "bot.extract")
    probe = f"import sys, bot.cli.main; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "[]\n")
