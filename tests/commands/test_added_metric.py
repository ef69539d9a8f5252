"""Adding a metric is a config edit for answers too (issue 13, "Done when"): a TALLYWIRE_CONFIG
folder whose metrics.toml is the shipped one plus `attack.power_outages` with its question
words, one replayed article reporting outages, and a question about them asked through the
command table (and through `tallywire replay` and `tallywire ask`).

The article's sentence is made up for this test.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.commands import Caller, CommandContext, dispatch
from bot.compose import Message
from bot.pipeline.flow import Pipeline
from bot.reconcile.rulebook import Rulebook
from bot.resources import shipped_dir
from bot.settings import Settings
from bot.sources.documents import Document
from bot.store import Store

SHIPPED = shipped_dir("config") / "metrics.toml"
HOUSEHOLDS = 'household = ["households", "homes", "consumers", "subscribers"]\n'
OUTAGES = """
[metrics."attack.power_outages"]
topic = "attack"
counts = ["household"]
cues = ["without power", "without electricity", "lost power", "power outage*", "blackout*",
        "de-energi*", "cut off"]
blockers = ["@forecast"]
asked = ["without power", "without electricity", "power outage*", "power cut*", "blackout*"]
"""
REPLY = """reply.heading = "Power outages"
reply.many = "homes without power"
reply.one = "home without power"
reply.unit = "homes"
reply.unit_one = "home"
"""
SENTENCE = (
    "A Russian missile strike on Odesa overnight left 42,000 homes without power, the regional"
    " governor said."
)
QUESTION = "how many homes were left without power?"
MEMBER = Caller("u2", "telegram:-100", private=False, chat_admin=False)


def user_config(folder: Path, metric: str) -> Path:
    """A TALLYWIRE_CONFIG folder: the shipped metrics.toml with a noun class and `metric` more."""
    text = SHIPPED.read_text(encoding="utf-8").replace("[nouns]\n", "[nouns]\n" + HOUSEHOLDS, 1)
    folder.mkdir()
    (folder / "metrics.toml").write_text(text + metric, encoding="utf-8")
    return folder


async def no_lookups(host: str, port: int) -> list[str]:
    raise AssertionError(f"no command here resolves a host ({host}:{port})")


async def replay_and_ask(
    store: Store, now: datetime, config: Path | None, command: str, text: str
) -> Message:
    """The reply to `command` after the article is replayed under the config folder (shipped
    config only when None)."""
    settings = Settings.from_env({"TALLYWIRE_CONFIG": str(config)} if config else {})
    rulebook = Rulebook.from_settings(settings)
    pipeline = Pipeline(store, settings, lambda: now, rulebook)
    article = Document(
        "outages-1", "wire", SENTENCE, title=SENTENCE, published=date(2025, 6, 3), outlet="Wire"
    )
    pipeline.ingest_one(article)
    ctx = CommandContext(store, rulebook, settings, lambda: now, no_lookups)
    return await dispatch(ctx, MEMBER, command, text)


async def test_a_metric_added_in_config_is_answered(
    store: Store, now: datetime, tmp_path: Path
) -> None:
    config = user_config(tmp_path / "config", OUTAGES + REPLY)
    reply = await replay_and_ask(store, now, config, "ask", QUESTION)
    assert (reply.title, reply.lines) == (
        "Homes without power in the most recent attacks",
        ("Attack on Ukraine, June 3, 2025: 42,000 homes without power (Wire).",),
    )
    assert [(q.text, q.source) for q in reply.quotes] == [(SENTENCE, "Wire")]


async def test_attacks_lists_it_in_its_own_words(
    store: Store, now: datetime, tmp_path: Path
) -> None:
    config = user_config(tmp_path / "config", OUTAGES + REPLY)
    reply = await replay_and_ask(store, now, config, "attacks", "2025-06-03")
    assert (reply.title, reply.lines) == (
        "Attack on Ukraine, June 3, 2025",
        ("Power outages: 42,000 homes (Wire).",),
    )


async def test_without_reply_words_it_is_named_from_its_id(
    store: Store, now: datetime, tmp_path: Path
) -> None:
    config = user_config(tmp_path / "config", OUTAGES)
    reply = await replay_and_ask(store, now, config, "ask", "any power outages?")
    assert (reply.title, reply.lines) == (
        "Power outages in the most recent attacks",
        ("Attack on Ukraine, June 3, 2025: 42,000 power outages (Wire).",),
    )


def test_the_command_line_replays_and_answers_in_its_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = user_config(tmp_path / "config", OUTAGES + REPLY)
    article = tmp_path / "odesa.txt"
    article.write_text(f"date 2025-06-03 {SENTENCE}\n", encoding="utf-8")
    for name in ("DATABASE_URL", "TALLYWIRE_FEEDS", "TALLYWIRE_SEEDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TALLYWIRE_CONFIG", str(config))
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["replay", "--db", db, str(article)]) == 0
    assert "42,000 homes without power (odesa)" in capsys.readouterr().out
    assert main(["ask", "--db", db, QUESTION]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "Homes without power in the most recent attacks",
        "  Attack on Ukraine, June 3, 2025: 42,000 homes without power (odesa).",
    ]


@pytest.mark.parametrize(
    ("question", "title"),
    [
        (QUESTION, "Nothing is known about homes: no figure counts them."),
        ("were there any blackouts?", "I can't answer that from the figures I know."),
    ],
)
async def test_the_shipped_config_does_not_know_the_metric(
    store: Store, now: datetime, question: str, title: str
) -> None:
    reply = await replay_and_ask(store, now, None, "ask", question)
    assert reply.title == title
