"""The five seeds replayed in order: issue 4's "done when", checked on the store and the thread."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.commands.views import event_views
from bot.pipeline.flow import Pipeline
from bot.reconcile.intervals import Interval
from bot.reconcile.rulebook import Rulebook
from bot.resources import shipped_dir
from bot.settings import Settings
from bot.sources.seeds import seed_documents
from bot.store import Store
from bot.store import outbox as outbox_sql
from tests.conftest import utc_clock

MAY = {d: date(2025, 5, d) for d in (23, 24, 25)}


@pytest.fixture
def replayed(database_url: str) -> Pipeline:
    settings = Settings.from_env({})
    pipeline = Pipeline(
        Store.open(database_url), settings, utc_clock, Rulebook.from_settings(settings)
    )
    pipeline.register_seeds(shipped_dir("seeds"))
    pipeline.ingest(seed_documents(shipped_dir("seeds")))
    yield pipeline
    pipeline.store.close()


def views(pipeline: Pipeline) -> dict:
    return {v.event.id: v for v in event_views(pipeline.store, pipeline.rulebook)}


def test_the_exchange_reads_390_307_303_and_completes_the_deal(replayed: Pipeline) -> None:
    swaps = [v for v in views(replayed).values() if v.event.topic == "swap"]
    assert len(swaps) == 1
    state = swaps[0].state
    for side in ("ukraine", "russia"):
        phases = {
            day: t.interval
            for t in state.tallies
            if t.metric == "swap.released" and t.side == side
            for day in [t.phase]
        }
        assert phases == {
            MAY[23]: Interval(390, 390),
            MAY[24]: Interval(307, 307),
            MAY[25]: Interval(303, 303),
        }
    assert state.complete
    assert all(
        c.added == Interval(1000, 1000) and c.agreed == Interval(1000, 1000)
        for c in state.cumulative
    )


def test_1280_is_suspect_and_the_tally_keeps_128(replayed: Pipeline) -> None:
    kyiv = views(replayed)["attack-ukraine-2025-05-24"].state
    shot = kyiv.tally("attack.drones_shot_down", "ukraine")
    assert shot is not None and shot.interval == Interval(128, 128)
    assert [r.value for r in shot.suspect] == [1280]
    assert "128 + 117 = 245" in kyiv.holds


def test_hedged_reports_agree(replayed: Pipeline) -> None:
    kyiv = views(replayed)["attack-ukraine-2025-05-24"].state
    expected = {
        "attack.places_hit": Interval(6, None),  # at least six, at least four
        "attack.alert_hours": Interval(8, 8),  # more than seven hours, 8 hours
        "attack.drones_launched": Interval(250, 250),  # about 250, 250
        "attack.missiles_launched": Interval(14, 14),
    }
    assert {m: kyiv.tally(m, "ukraine").interval for m in expected} == expected  # type: ignore[union-attr]


def test_the_two_night_attacks_are_separate_and_367_adds_up(replayed: Pipeline) -> None:
    events = views(replayed)
    assert {"attack-ukraine-2025-05-24", "attack-ukraine-2025-05-25"} <= set(events)
    may_25 = events["attack-ukraine-2025-05-25"].state
    assert "69 + 298 = 367" in may_25.holds
    killed = may_25.tally("attack.killed", "ukraine")
    assert killed is not None and killed.interval == Interval(12, None)


def test_the_replay_is_a_thread_per_event_and_at_most_30_messages(replayed: Pipeline) -> None:
    with replayed.store.transaction() as conn:
        counts = outbox_sql.counts(conn)
    sent = sum(n for (role, _), n in counts.items() if role in ("root", "reply"))
    roots = sum(n for (role, _), n in counts.items() if role == "root")
    assert roots == len(views(replayed))
    assert sent <= 30


def test_a_second_replay_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TALLYWIRE_SEEDS", "TALLYWIRE_CONFIG", "TALLYWIRE_FEEDS"):
        monkeypatch.delenv(name, raising=False)
    assert main(["replay"]) == 0
    first = capsys.readouterr().out
    assert "# Prisoner exchange" in first and "messages:" in first
    assert main(["replay"]) == 0
    second = capsys.readouterr().out
    assert "no new messages" in second and "#" not in second


def test_replay_json_prints_each_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["replay", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {
        "kind",
        "event",
        "event_date",
        "metric",
        "side",
        "low",
        "high",
        "sources",
        "text",
    } <= set(rows[0])
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["milestone"] == 1 and kinds["suspect"] >= 1 and kinds["new"] > 5
    shot = [r for r in rows if r["metric"] == "attack.drones_shot_down" and r["kind"] == "resolved"]
    assert [(r["low"], r["high"]) for r in shot] == [(128, 128)]


@pytest.fixture
def replayed_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TALLYWIRE_SEEDS", "TALLYWIRE_CONFIG", "TALLYWIRE_FEEDS"):
        monkeypatch.delenv(name, raising=False)
    assert main(["replay"]) == 0
    capsys.readouterr()


def asked(question: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["ask", question]) == 0
    return capsys.readouterr().out


@pytest.mark.usefixtures("replayed_cli")
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "how many prisoners have been exchanged in all?",
            ["1,000 each side", "390 + 307 + 303 = 1,000"],
        ),
        ("how many drones were shot down on May 24?", ["128 drones shot down", "(seed 001)"]),
        ("how many people were killed in the attack of May 25?", ["at least 12", "seed 004"]),
        ("what is the deal's total?", ["1,000 each side"]),
        ("do any reports conflict?", ["1,280", "set aside"]),
    ],
)
def test_ask_answers_from_the_store_with_sources(
    question: str, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    answer = asked(question, capsys)
    for part in expected:
        assert part in answer, answer


@pytest.mark.usefixtures("replayed_cli")
def test_a_question_it_cannot_answer_gets_a_helpful_reply(
    capsys: pytest.CaptureFixture[str],
) -> None:
    answer = asked("what will the weather be in Lviv?", capsys)
    assert "can't answer" in answer and "how many" in answer
    assert "Prisoner exchange" in answer  # says what it knows


@pytest.mark.usefixtures("replayed_cli")
def test_swaps_and_attacks_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["swaps"]) == 0
    assert "390 + 307 + 303 = 1,000" in capsys.readouterr().out
    assert main(["attacks", "2025-05-25"]) == 0
    assert "367 missiles and drones = 69 missiles + 298 drones" in capsys.readouterr().out
    assert main(["attacks", "someday"]) == 2
    assert "not a date" in capsys.readouterr().err
