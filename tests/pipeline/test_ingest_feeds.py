"""Feed ingestion end to end: `tallywire run --once` against a real feed server on loopback."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.pipeline.flow import Pipeline
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.sources.feeds import FeedSpec, feed_id_for
from bot.store import Store
from tests.conftest import SHARED
from tests.fakes.feed_server import FeedItem, FeedServer

KYIV = FeedItem(
    "Russia hits Kyiv with 14 missiles and 250 drones",
    "urn:wire:1",
    "https://wire.example/kyiv-attack",
    "<p>Russia attacked Ukraine with <b>14 ballistic missiles</b> and 250 Shahed drones.</p>",
    datetime(2025, 5, 24, 6, 0, tzinfo=UTC),
)
SWAP = FeedItem(
    "Each side releases 307 prisoners",
    "urn:wire:2",
    "https://wire.example/swap",
    "<p>Each side brought home 307 soldiers on Saturday.</p>",
    datetime(2025, 5, 24, 15, 0, tzinfo=UTC),
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TALLYWIRE_SEEDS", "off")
    monkeypatch.setenv("TALLYWIRE_FETCH_TIMEOUT", "1")
    for name in ("DATABASE_URL", "TALLYWIRE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_run_once_ingests_the_feeds_then_gets_304_and_parses_nothing(
    server: FeedServer,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.set_feed("/rss", [KYIV], kind="rss")
    server.set_feed("/atom", [SWAP], kind="atom")
    monkeypatch.setenv("TALLYWIRE_FEEDS", f"{server.url('/rss')},{server.url('/atom')}")

    assert main(["run", "--once"]) == 0
    first = capsys.readouterr().out
    assert first.count(": 1 new, 0 new versions, 0 already stored") == 2
    assert "Russia hits Kyiv with 14 missiles and 250 drones" in first

    assert main(["run", "--once"]) == 0
    second = capsys.readouterr().out
    assert second.count("not modified (304), nothing parsed") == 2
    revalidations = server.requests("/rss")[1].headers
    assert revalidations["if-none-match"] == server.feed("/rss").etag
    assert "if-modified-since" in revalidations


def test_an_edited_item_is_a_new_version_and_a_new_item_is_new(
    server: FeedServer,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.set_feed("/rss", [KYIV])
    monkeypatch.setenv("TALLYWIRE_FEEDS", server.url("/rss"))
    main(["run", "--once"])
    edited = FeedItem(KYIV.title, KYIV.guid, KYIV.link, KYIV.html + "<p>At least 15 injured.</p>")
    server.set_feed("/rss", [edited, SWAP])
    capsys.readouterr()
    assert main(["run", "--once"]) == 0
    out = capsys.readouterr().out
    assert ": 1 new, 1 new versions, 0 already stored" in out
    assert "~ v2" in out


def test_hostile_feeds_fail_alone_and_quickly(
    server: FeedServer,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.set_feed("/good", [KYIV, SWAP])
    server.hang("/hang")
    server.huge("/huge")
    server.entity_bomb("/bomb", "nine_level")
    server.not_xml("/html", "html")
    paths = ["/hang", "/huge", "/bomb", "/good", "/html"]
    monkeypatch.setenv("TALLYWIRE_FEEDS", ",".join(server.url(p) for p in paths))

    started = time.monotonic()
    assert main(["run", "--once"]) == 0
    elapsed = time.monotonic() - started
    out = capsys.readouterr().out

    def line(path: str) -> str:
        feed_id = feed_id_for(server.url(path))
        return next(x for x in out.splitlines() if x.startswith(feed_id))

    assert "error: timed out after 1 s" in line("/hang")
    assert "error:" in line("/huge") and "larger than 5 MiB" in line("/huge")
    assert "error:" in line("/bomb") and "ENTITY" in line("/bomb")
    assert "error: not a feed" in line("/html")
    assert ": 2 new" in line("/good")
    assert elapsed < 10, "the hung feed held up the round past its deadline"
    assert server.requests("/huge")[0].bytes_sent < 16 * 1024 * 1024

    assert main(["sources"]) == 0
    listing = capsys.readouterr().out
    assert listing.count("1 errors in a row (1 in all)") == 4
    assert "2 documents" in listing


def test_the_feedparser_corpus_is_ingested_without_a_crash(
    server: FeedServer, tmp_path: Path
) -> None:
    corpus = SHARED / "feeds-corpus"
    if not corpus.is_dir():
        pytest.skip(f"no feeds corpus at {corpus}")
    files = sorted(p for p in corpus.rglob("*.xml"))
    feeds = []
    for n, path in enumerate(files):
        server.serve(f"/c{n}", path.read_bytes())
        feeds.append(FeedSpec(f"c{n}", server.url(f"/c{n}"), str(path.relative_to(corpus))))
    settings = Settings.from_env({"TALLYWIRE_SEEDS": "off"})
    pipeline = Pipeline(
        Store.open(f"sqlite:///{tmp_path / 'c.db'}"),
        settings,
        lambda: datetime.now(UTC),
        Rulebook.from_settings(settings),
    )
    pipeline.register_feeds(feeds)

    reports = asyncio.run(pipeline.poll_feeds(feeds))

    by_status = {status: [r for r in reports if r.status == status] for status in ("ok", "error")}
    assert len(reports) == len(files) > 400
    assert all(r.error for r in by_status["error"]), "every failure is reported with a reason"
    assert len(by_status["ok"]) > 0.95 * len(files)
    kept = sum(r.count("new") + r.count("duplicate") for r in reports)
    assert kept >= 60 and sum(pipeline.store.documents_by_source().values()) > 0
    pipeline.store.close()
