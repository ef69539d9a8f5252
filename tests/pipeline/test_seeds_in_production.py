"""The seeds are the quick start's news, not a deployment's (issue 16: a fresh deployment with
real feeds answered its first /subscribe with seed 000 as if it were news)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.resources import shipped_dir
from bot.settings import Settings
from tests.fakes.feed_server import FeedItem, FeedServer

SEED_000 = "000_8dfec28dc3bfd21b"
WIRE = FeedItem(
    "Russia launches 90 drones at Ukraine overnight",
    "urn:wire:seeds-1",
    "https://wire.example/overnight",
    "<p>Russia launched 90 drones at Ukraine overnight, the air force said on Tuesday.</p>",
    datetime(2025, 6, 3, 7, 0, tzinfo=UTC),
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TALLYWIRE_SEEDS", "TALLYWIRE_CONFIG", "TALLYWIRE_FEEDS", "PORT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.mark.parametrize(
    ("seeds", "feeds", "replayed"),
    [
        (None, 0, True),  # the quick start
        (None, 2, False),  # a deployment
        ("on", 2, True),
        ("off", 0, False),
    ],
)
def test_the_seeds_are_replayed_beside_feeds_only_when_asked(
    seeds: str | None, feeds: int, replayed: bool
) -> None:
    settings = Settings.from_env({"TALLYWIRE_SEEDS": seeds} if seeds else {})
    kept = settings.seeds_beside(feeds)
    assert kept.seeds_dir == (shipped_dir("seeds") if replayed else None)


def test_a_seed_folder_named_is_replayed_beside_feeds(tmp_path: Path) -> None:
    settings = Settings.from_env({"TALLYWIRE_SEEDS": str(tmp_path)})
    assert settings.seeds_beside(3).seeds_dir == tmp_path


def test_the_quick_start_still_replays_the_seeds(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--once"]) == 0
    out = capsys.readouterr().out
    assert f"+ {SEED_000}" in out
    assert out.rstrip().endswith("messages: 14 sent, 5 superseded")


def run_beside_a_feed(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    """`tallywire run --once` with one wire feed configured; what it printed."""
    server.set_feed("/rss", [WIRE], kind="rss")
    monkeypatch.setenv("TALLYWIRE_FEEDS", server.url("/rss"))
    assert main(["run", "--once"]) == 0
    return capsys.readouterr().out


def test_a_deployment_with_feeds_delivers_no_seed_as_news(
    workdir: Path,
    server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run_beside_a_feed(server, monkeypatch, capsys)
    assert SEED_000 not in out and "(seed " not in out
    assert "Russia launches 90 drones" in out
    assert main(["sources"]) == 0
    assert "seed" not in capsys.readouterr().out


def test_seeds_on_replays_them_beside_the_feeds(
    workdir: Path,
    server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TALLYWIRE_SEEDS", "on")
    out = run_beside_a_feed(server, monkeypatch, capsys)
    assert f"+ {SEED_000}" in out and "Russia launches 90 drones" in out
