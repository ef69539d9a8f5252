"""A chat platform that refuses a token once the service runs (issue 16): one log line, no
retry loop of tracebacks, and /healthz degraded (503) naming the channel."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest

from bot.app import run_service
from bot.settings import Settings
from tests.fakes.service_harness import base_env, free_port
from tests.fakes.slack_api import SlackApi
from tests.fakes.telegram_api import TelegramApi

BOUND = 20.0


async def test_a_refused_slack_app_token_is_one_line_and_a_degraded_healthz(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    env = base_env(tmp_path, f"sqlite:///{tmp_path / 'tw.db'}")
    with SlackApi("xoxb-good", "xapp-good") as api:
        env.update(
            SLACK_BOT_TOKEN="xoxb-good",
            SLACK_APP_TOKEN="xapp-refused",
            SLACK_API_URL=api.base_url,
            TALLYWIRE_SEEDS="off",
            PORT=str(port),
        )
        settings = Settings.from_env(env)
        stop = asyncio.Event()
        caplog.set_level(logging.INFO)
        service = asyncio.create_task(run_service(settings, stop))
        try:
            health = await _degraded(port)
            calls = len(api.calls_of("apps.connections.open"))
        finally:
            stop.set()
            await asyncio.wait_for(service, BOUND)
    assert health == (
        503,
        {
            "status": "degraded",
            "scheduler": True,
            "store": True,
            "failed": ["slack"],
            "problems": {"slack": "Slack refused a token (invalid_auth)"},
            "detail": health[1]["detail"],
        },
    )
    assert calls == 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        "Slack refused a token (invalid_auth): no commands will be answered"
    ]
    assert all(r.exc_info is None for r in caplog.records)


async def _degraded(port: int) -> tuple[int, dict[str, object]]:
    """/healthz once it answers 503, within BOUND seconds."""
    deadline = asyncio.get_running_loop().time() + BOUND
    async with httpx.AsyncClient(trust_env=False) as client:
        while asyncio.get_running_loop().time() < deadline:
            try:
                answer = await client.get(f"http://127.0.0.1:{port}/healthz")
                if answer.status_code == 503:
                    return answer.status_code, answer.json()
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("/healthz never said degraded")


async def test_a_refused_telegram_token_makes_healthz_degraded(tmp_path: Path) -> None:
    """Issue 16: it logged one line and /healthz answered 200 {"status": "ok"}."""
    port = free_port()
    env = base_env(tmp_path, f"sqlite:///{tmp_path / 'tw.db'}")
    with TelegramApi("123456:good") as api:
        env.update(
            TELEGRAM_BOT_TOKEN="123456:refused",
            TELEGRAM_API_URL=api.base_url,
            TALLYWIRE_SEEDS="off",
            PORT=str(port),
        )
        stop = asyncio.Event()
        service = asyncio.create_task(run_service(Settings.from_env(env), stop))
        try:
            status, body = await _degraded(port)
        finally:
            stop.set()
            await asyncio.wait_for(service, BOUND)
    assert (status, body["problems"]) == (
        503,
        {"telegram": "Telegram refused TELEGRAM_BOT_TOKEN"},
    )
