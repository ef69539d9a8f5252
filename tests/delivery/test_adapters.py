"""bot/delivery/adapters.py: chat platforms are found through the `tallywire.channels` entry
points and say themselves whether the settings enable them (issue 13: "a test adapter
registered through the entry point is enabled without a line of bot/ changing").

The fake platform (tests/fakes/chat_platform.py) is installed for real: a `*.dist-info` folder
on sys.path, found by importlib.metadata as pip's installs are.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest

from bot.cli.deploy import WORKER, for_process
from bot.commands import CommandContext
from bot.delivery import ChatContext, load_adapters
from bot.delivery.adapters import GROUP, installed_platforms
from bot.errors import ConfigError
from bot.settings import Settings
from bot.store import Store, subscriptions
from tests.conftest import utc_clock
from tests.fakes.chat_platform import URL_VARIABLE
from tests.fakes.chat_server import ChatServer
from tests.fakes.distributions import install_entry_point
from tests.fakes.service_harness import base_env, sent_posts, settled, start, stop, wait_until

REPO = Path(__file__).resolve().parents[2]
PLATFORM = "tests.fakes.chat_platform"
LOOPBACK = "http://127.0.0.1:9"
TELEGRAM_TOKEN = "123456789:AAH-fakeTokenForTallywireTests_0123456"


async def no_move(old: str, new: str) -> None:
    raise AssertionError("no destination moves in these tests")


def context(env: dict[str, str]) -> ChatContext:
    """What load_adapters gets, for settings read from `env` (no command is run here)."""
    return ChatContext(Settings.from_env(env), cast(CommandContext, None), None, no_move)


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Install a distribution whose entry point `fakechat` names `value`."""

    def installing(value: str) -> None:
        site = install_entry_point(tmp_path / "site", GROUP, "fakechat", value)
        monkeypatch.syspath_prepend(str(site))

    return installing


def test_the_shipped_platforms_are_installed_and_off_without_their_tokens() -> None:
    assert {"slack", "telegram"} <= {name for name, _ in installed_platforms()}
    assert load_adapters(context({})) == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, []),
        ({URL_VARIABLE: ""}, []),
        ({URL_VARIABLE: LOOPBACK}, ["fakechat"]),
        ({URL_VARIABLE: LOOPBACK, "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN}, ["fakechat", "telegram"]),
    ],
)
def test_a_platform_installed_from_elsewhere_is_enabled_by_its_own_setting(
    install: Callable[[str], None], env: dict[str, str], expected: list[str]
) -> None:
    install(PLATFORM)
    assert [adapter.name for adapter in load_adapters(context(env))] == expected


@pytest.mark.parametrize(
    ("value", "env", "message"),
    [
        (
            "tests.fakes.no_such_platform",
            {},
            r"^the fakechat chat platform \(tests\.fakes\.no_such_platform\) cannot be loaded: "
            r"ModuleNotFoundError",
        ),
        (
            f"{PLATFORM}:build",  # a build function alone, as the entry points were before
            {},
            r"^the fakechat chat platform \(tests\.fakes\.chat_platform:build\) names no "
            r"ChatPlatform: it needs enabled\(settings\) and build\(context\)$",
        ),
        (
            PLATFORM,
            {URL_VARIABLE: "https://chat.example/"},
            r"^the fakechat chat platform could not be built: ValueError: FAKECHAT_URL must be",
        ),
    ],
)
def test_a_platform_that_cannot_be_loaded_or_built_is_named(
    install: Callable[[str], None], value: str, env: dict[str, str], message: str
) -> None:
    install(value)
    with pytest.raises(ConfigError, match=message):
        load_adapters(context(env))


def test_a_config_error_of_a_platform_names_it() -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_URL": "https://bot.test/telegram",
        "TELEGRAM_WEBHOOK_SECRET": "hook-Secret_42",
    }
    with pytest.raises(
        ConfigError, match=r"^the telegram chat platform: TELEGRAM_WEBHOOK_URL needs"
    ):
        load_adapters(context(env))  # no PORT: the webhook has nowhere to be served


def test_a_worker_beside_the_web_process_sends_without_the_http_modes() -> None:
    """`run --worker` (no HTTP): the Telegram webhook and Slack's events URL are the web
    process's, and the worker's adapters only send (issue 16)."""
    env = {
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_URL": "https://bot.test/telegram",
        "TELEGRAM_WEBHOOK_SECRET": "hook-Secret_42",
        "SLACK_BOT_TOKEN": "xoxb-1-fake",
        "SLACK_SIGNING_SECRET": "fake-signing",
    }
    worker = dataclasses.replace(context(env), settings=for_process(Settings.from_env(env), WORKER))
    assert sorted(adapter.name for adapter in load_adapters(worker)) == ["slack", "telegram"]


def test_asking_the_shipped_platforms_imports_no_chat_sdk() -> None:
    """A service without Telegram or Slack does not pay for their SDKs (16 MB, ~0.2 s)."""
    script = (
        "import sys\n"
        "from tests.delivery.test_adapters import context\n"
        "from bot.delivery import load_adapters\n"
        "assert load_adapters(context({})) == []\n"
        "print(sorted(m for m in ('telegram', 'slack_bolt', 'slack_sdk') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout == "[]\n"


def test_the_service_builds_an_installed_platform_and_delivers_to_it(tmp_path: Path) -> None:
    """`tallywire run` in its own process, the fake platform installed on its PYTHONPATH and
    enabled by FAKECHAT_URL alone; a chat subscribed there gets the seeds' alerts."""
    site = install_entry_point(tmp_path / "site", GROUP, "fakechat", PLATFORM)
    db = f"sqlite:///{tmp_path / 'service.db'}"
    store = Store.open(db)
    with store.transaction() as conn:
        subscriptions.subscribe(
            conn, "fakechat:room-1", frozenset({"all"}), None, "test", utc_clock()
        )
    store.close()
    with ChatServer() as chat:
        env = base_env(tmp_path, db) | {
            URL_VARIABLE: chat.url,
            "PYTHONPATH": os.pathsep.join([str(site), str(REPO)]),
            "TALLYWIRE_POLL_SECONDS": "2",
            "LOG_LEVEL": "WARNING",
            "PORT": "",
        }
        service = start(env, tmp_path)
        try:
            assert wait_until(lambda: settled(db), 60), (tmp_path / "service.log").read_text()
        finally:
            assert stop(service) == 0
    assert chat.messages != []
    assert {message.destination for message in chat.messages} == {"room-1"}
    assert sorted(chat.keys()) == sorted(sent_posts(db))
