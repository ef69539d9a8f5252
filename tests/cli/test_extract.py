"""`tallywire extract` and `tallywire eval`, run through their argparse registration."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from bot.cli.extract import register
from bot.settings import Settings
from tests.extract.common import REPO, SHARED

ARTICLE = (
    "date 2025-06-01 Russia attacked Kyiv overnight with 40 drones.\n"
    "At least 3 people were injured.\n"
)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="tallywire")
    register(root.add_subparsers())
    return root


def run(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    code: int = args.func(args, Settings.from_env({}, REPO / "config"))
    return code


def test_every_command_has_help() -> None:
    commands = parser()._subparsers._group_actions[0]  # type: ignore[union-attr]
    helps = {action.dest: action.help for action in commands._choices_actions}  # type: ignore[attr-defined]
    assert set(helps) == {"extract", "eval"} and all(helps.values())


def test_extract_json_prints_one_figure_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "kyiv.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert run(["extract", str(article), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        {
            "metric": "attack.drones_launched",
            "value": 40,
            "qualifier": "exact",
            "event_date": "2025-06-01",
            "side": "ukraine",
            "source": "kyiv",
            "evidence": "Russia attacked Kyiv overnight with 40 drones.",
            "claimant": None,
            "place": None,
        },
        {
            "metric": "attack.injured",
            "value": 3,
            "qualifier": "at_least",
            "event_date": "2025-06-01",
            "side": "ukraine",
            "source": "kyiv",
            "evidence": "At least 3 people were injured.",
            "claimant": None,
            "place": None,
        },
    ]


def test_extract_dates_by_date_option_without_a_date_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "undated.txt"
    article.write_text("Russia launched 50 drones on Saturday.", encoding="utf-8")
    assert run(["extract", str(article), "--json", "--date", "2025-06-01"]) == 0
    assert json.loads(capsys.readouterr().out)["event_date"] == "2025-05-31"
    assert run(["extract", str(article), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["event_date"] is None


def test_extract_prints_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "kyiv.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert run(["extract", str(article)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "source",
        "metric",
        "value",
        "qualifier",
        "event_date",
        "side",
        "evidence",
    ]
    assert lines[2].split()[:6] == [
        "kyiv",
        "attack.injured",
        "3",
        "at_least",
        "2025-06-01",
        "ukraine",
    ]


def test_a_file_that_cannot_be_read_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["extract", "no-such-file.txt"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tallywire: error: cannot read no-such-file.txt") and err.count("\n") == 1
    assert run(["eval", "no-such-gold.jsonl", "no-such-file.txt"]) == 2
    assert "cannot read no-such-gold.jsonl" in capsys.readouterr().err


@pytest.mark.skipif(
    not (SHARED / "gold" / "seeds.jsonl").is_file(), reason="shared/ is not beside the repo"
)
def test_eval_on_the_seeds_ends_with_loose_strict_and_side(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeds = sorted(str(p) for p in (SHARED / "seeds").glob("*.txt"))
    assert run(["eval", str(SHARED / "gold" / "seeds.jsonl"), *seeds]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-3].startswith("overall loose ") and lines[-2].startswith("overall strict ")
    assert lines[-1].startswith("overall side ")
    assert "attack.drones_jammed" in "\n".join(lines)
