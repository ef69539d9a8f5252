"""Blocking work in threads that the process never waits for when it exits.

`asyncio.to_thread` runs work in the loop's default executor, and `asyncio.run` waits for that
executor's threads at exit: a parse or an ingest in progress would hold a SIGTERM'd service
past its 10 seconds. A daemon thread per call does not; how many work at once is the caller's
to bound (a semaphore around the work), as the executor's size bounded it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def run_detached(work: Callable[[], T], name: str) -> T:
    """What `work()` returns (or raises), run in a daemon thread named `name`.

    Cancelling the awaiting task leaves the thread to finish on its own, its outcome dropped;
    an exit of the process does not wait for it.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def succeed(result: T) -> None:
        if not future.done():  # done: the awaiting task was cancelled
            future.set_result(result)

    def fail(error: BaseException) -> None:
        if not future.done():
            future.set_exception(error)

    def target() -> None:
        try:
            result = work()
        except BaseException as exc:  # handed to the awaiting task, whatever it is
            error = exc
            _call_soon(loop, lambda: fail(error))
        else:
            _call_soon(loop, lambda: succeed(result))

    threading.Thread(target=target, name=name, daemon=True).start()
    return await future


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
    # A closed loop raises RuntimeError: nobody is waiting for the outcome any more.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(callback)
