"""`tallywire eval --tallies GOLD --not NOT`: the documents replayed into a fresh store and its
tallies scored, on files written for these tests and, where it is present, on the dev set
against the shared scorer itself."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.extract import register
from bot.cli.tally_eval import replayed_tallies
from bot.settings import Settings
from tests.devset import DEV, MISSING, REPO, SCORER, dev_documents, dev_present

NIGHT = (
    "date 2025-06-01 Russia launched 90 drones at Ukraine overnight, the air force said. Air "
    "defences shot down 80 drones.\n"
)


def run(argv: list[str]) -> int:
    root = argparse.ArgumentParser(prog="tallywire")
    register(root.add_subparsers())
    args = root.parse_args(argv)
    code: int = args.func(args, Settings.from_env({}, REPO / "config"))
    return code


def write_rows(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_eval_with_tallies_replays_into_a_fresh_store_and_prints_the_score_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no tallywire.db may appear here
    article = tmp_path / "a1_night.txt"
    article.write_text(NIGHT, encoding="utf-8")
    base = {"topic": "attack", "country": "ukraine", "event_date": "2025-06-01"}
    truths = [
        {**base, "metric": m, "side": "ukraine", "value": v, "docs": ["a1_night"]}
        for m, v in (("attack.drones_launched", 90), ("attack.drones_downed", 80))
    ]
    gold = write_rows(tmp_path / "gold.jsonl", [])
    true = write_rows(tmp_path / "tallies.jsonl", truths)
    nots = write_rows(tmp_path / "not.jsonl", [])
    argv = ["eval", str(gold), str(article), "--tallies", str(true), "--not", str(nots)]
    assert run(argv) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("tallies: recall 2/2 (1.00), precision ")
    assert last.endswith(", disputed flagged 0/0, forbidden shown 0")
    assert list(tmp_path.glob("*.db")) == []


def test_a_malformed_tallies_file_is_an_error_naming_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a1_night.txt"
    article.write_text(NIGHT, encoding="utf-8")
    gold = write_rows(tmp_path / "gold.jsonl", [])
    true = tmp_path / "tallies.jsonl"
    true.write_text('{"topic": "attack"}\nnot json\n', encoding="utf-8")
    assert run(["eval", str(gold), str(article), "--tallies", str(true)]) == 2
    assert f"{true}:2: not JSON" in capsys.readouterr().err


@pytest.mark.skipif(not dev_present() or not SCORER.is_file(), reason=MISSING)
def test_on_the_dev_set_the_last_line_is_the_shared_scorers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = [str(p) for p in dev_documents()]
    true, nots = DEV / "tallies.jsonl", DEV / "tallies-not.jsonl"
    assert (
        run(["eval", str(DEV / "gold.jsonl"), *docs, "--tallies", str(true), "--not", str(nots)])
        == 0
    )
    ours = capsys.readouterr().out.splitlines()[-1]

    settings = Settings.from_env({"TALLYWIRE_SEEDS": "off"}, REPO / "config")
    rows = replayed_tallies(dev_documents(), settings, lambda: datetime.now(UTC))
    product = write_rows(tmp_path / "product.jsonl", rows)
    scored = subprocess.run(
        [sys.executable, str(SCORER), str(true), str(nots), str(product)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ours == scored.stdout.splitlines()[-1]
