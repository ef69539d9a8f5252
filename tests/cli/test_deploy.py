"""`tallywire migrate` (the Procfile's release step) and the process kinds of `tallywire run`,
through the command line: one line, and the exit code a platform acts on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli.deploy import for_process
from bot.cli.main import main
from bot.errors import ConfigError
from bot.settings import Settings


@pytest.fixture(autouse=True)
def no_store_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_migrate_creates_the_store_at_a_plain_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tallywire.db"
    assert main(["migrate", "--db", str(path)]) == 0
    assert capsys.readouterr().out == f"the store at sqlite:///{path} has the newest schema\n"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    assert main(["migrate", "--db", str(path)]) == 0  # a second release finds it done


@pytest.mark.parametrize(
    ("url", "code", "says"),
    [
        ("mysql://u:secret@db.example/tw", 2, "mysql:// is not a store Tallywire runs on"),
        ("postgresql://u:secret@db.example:port/tw", 2, "the database URL does not parse"),
        ("postgresql+asyncpg://u:secret@db.example/tw", 2, "no driver for this database URL"),
        ("postgresql://u:secret@127.0.0.1:1/tw", 1, "cannot open the store at"),
        ("/no/such/folder/tw.db", 1, "cannot open the store at sqlite:////no/such/folder/tw.db"),
    ],
)
def test_migrate_fails_in_one_line_with_the_right_code(
    url: str, code: int, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate", "--db", url]) == code
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("tallywire: error: ") and says in err and "secret" not in err


def test_a_web_process_needs_port_and_a_worker_serves_no_http() -> None:
    with pytest.raises(ConfigError, match="PORT"):
        for_process(Settings.from_env({}), "web")
    web = Settings.from_env({"PORT": "8000", "TELEGRAM_WEBHOOK_URL": "https://h.example/tg"})
    assert for_process(web, "web") == web
    worker = for_process(web, "worker")
    assert (worker.port, worker.chat_http, worker.telegram_webhook_url) == (
        None,
        False,
        "https://h.example/tg",
    )
    assert for_process(web, None) == web
