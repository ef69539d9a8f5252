"""Settings from an explicit environment mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.resources import shipped_dir
from bot.settings import PollLimits, Settings, normalize_database_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db.example:5432/tw", "postgresql+psycopg://u:p@db.example:5432/tw"),
        ("postgresql://u@h/tw", "postgresql+psycopg://u@h/tw"),
        ("postgresql+psycopg://u@h/tw", "postgresql+psycopg://u@h/tw"),
        ("sqlite:///tallywire.db", "sqlite:///tallywire.db"),
    ],
)
def test_database_urls_in_paas_spelling_are_accepted(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


def test_defaults_are_sqlite_the_shipped_seeds_and_ten_minutes() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///tallywire.db"
    assert settings.seeds_dir == shipped_dir("seeds")
    assert settings.poll_seconds == 600
    assert settings.fetch.max_bytes == 5 * 1024 * 1024 and settings.fetch.timeout_seconds == 20
    assert settings.config_file("feeds.toml") == shipped_dir("config") / "feeds.toml"


def test_environment_values_are_read(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgres://h/db",
            "TALLYWIRE_FEEDS": " http://a.example/rss , ,http://b.example/atom",
            "TALLYWIRE_SEEDS": "off",
            "TALLYWIRE_POLL_SECONDS": "2",
            "TALLYWIRE_ADMINS": "123,U456",
            "PORT": "8080",
            "LOG_FORMAT": "JSON",
        }
    )
    assert settings.database_url == "postgresql+psycopg://h/db"
    assert settings.feed_urls == ("http://a.example/rss", "http://b.example/atom")
    assert settings.seeds_dir is None
    assert settings.poll_seconds == 2
    assert settings.admins == {"123", "U456"}
    assert (settings.port, settings.log_format) == (8080, "json")


def test_user_config_takes_precedence(tmp_path: Path) -> None:
    (tmp_path / "feeds.toml").write_text("feeds = []\n")
    settings = Settings.from_env({"TALLYWIRE_CONFIG": str(tmp_path)})
    assert settings.config_file("feeds.toml") == tmp_path / "feeds.toml"
    assert settings.config_file("no-such.toml") is None


def test_secrets_stay_out_of_repr() -> None:
    settings = Settings.from_env(
        {"TELEGRAM_BOT_TOKEN": "123:SECRET", "SLACK_BOT_TOKEN": "xoxb-SECRET"}
    )
    assert "SECRET" not in repr(settings)


def test_the_environment_is_kept_for_settings_without_a_field() -> None:
    """A chat platform installed from elsewhere reads its own variables there (issue 13)."""
    env = {"FAKECHAT_TOKEN": "fake-SECRET", "DATABASE_URL": "sqlite:///x.db"}
    settings = Settings.from_env(env)
    env["FAKECHAT_TOKEN"] = "changed later"
    assert dict(settings.env) == {"FAKECHAT_TOKEN": "fake-SECRET", "DATABASE_URL": "sqlite:///x.db"}
    assert "SECRET" not in repr(settings)
    assert settings == Settings.from_env({"DATABASE_URL": "sqlite:///x.db"})  # fields decide
    assert dict(Settings().env) == {}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TALLYWIRE_POLL_SECONDS": "often"}, "TALLYWIRE_POLL_SECONDS"),
        ({"TALLYWIRE_POLL_SECONDS": "0"}, "at least 1"),
        ({"PORT": "eighty"}, "PORT"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"TALLYWIRE_SEEDS": "/no/such/folder"}, "TALLYWIRE_SEEDS"),
        ({"TALLYWIRE_CONFIG": "/no/such/folder"}, "TALLYWIRE_CONFIG"),
        ({"TALLYWIRE_POLL_MAX_ITEMS": "0"}, "TALLYWIRE_POLL_MAX_ITEMS"),
        ({"TALLYWIRE_EXTRACT_MAX_CHARS": "10"}, "at least 1000"),
        ({"TALLYWIRE_POLL_BUDGET": "-1"}, "TALLYWIRE_POLL_BUDGET"),
        ({"TALLYWIRE_POLL_LEASE": "1"}, "TALLYWIRE_POLL_LEASE"),
    ],
)
def test_malformed_values_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_with_database_overrides_only_the_store() -> None:
    settings = Settings.from_env({}).with_database("postgres://h/x")
    assert settings.database_url == "postgresql+psycopg://h/x"
    assert Settings.from_env({}).with_database(None).database_url == "sqlite:///tallywire.db"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/srv/tw/x.db", "sqlite:////srv/tw/x.db"),
        ("x.db", "sqlite:///x.db"),
        ("sqlite:////srv/tw/x.db", "sqlite:////srv/tw/x.db"),
    ],
)
def test_db_takes_a_sqlite_files_path(given: str, expected: str) -> None:
    """Issue 16: `--db /path/x.db` said "not a database URL" with no hint."""
    assert Settings.from_env({}).with_database(given).database_url == expected


@pytest.mark.parametrize("url", ["mysql://u:secret@h/tw", "mongodb://h/tw"])
def test_a_store_tallywire_does_not_run_on_names_the_forms_it_takes(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({}).with_database(url)
    message = str(caught.value)
    assert message.startswith("--db: ") and "sqlite:////srv/tallywire.db" in message
    assert "postgresql://" in message and "secret" not in message
    with pytest.raises(ConfigError, match=r"^DATABASE_URL: "):
        Settings.from_env({"DATABASE_URL": url})


def test_a_polls_bounds_default_and_are_read() -> None:
    assert Settings.from_env({}).poll == PollLimits(200, 100_000, 30.0, 120.0)
    env = {
        "TALLYWIRE_POLL_MAX_ITEMS": "50",
        "TALLYWIRE_EXTRACT_MAX_CHARS": "20000",
        "TALLYWIRE_POLL_BUDGET": "2.5",
        "TALLYWIRE_POLL_LEASE": "10",
    }
    assert Settings.from_env(env).poll == PollLimits(50, 20_000, 2.5, 10.0)
