"""The event loop runner hands a run's result back without printing it (CPython gh-112559: the
3.11 runner builds its main task's repr, result included, on the way out)."""

from __future__ import annotations

from bot.app import run_loop


class Reports:
    """A result whose repr is costly (a big night's poll reports): counted here."""

    def __init__(self) -> None:
        self.printed = 0

    def __repr__(self) -> str:
        self.printed += 1
        return "Reports()"


def test_the_result_comes_back_and_is_never_printed() -> None:
    reports = Reports()

    async def poll() -> Reports:
        return reports

    assert run_loop(poll()) is reports
    assert reports.printed == 0
