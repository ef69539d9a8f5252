"""The entry point of `tallywire` and `python -m bot`.

It installs a SIGTERM handler before importing anything heavy, so that a PaaS stopping the
process while it starts up gets a clean exit (status 0) rather than death by signal; the
service replaces the handler with its own graceful one once it runs.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main() -> int:
    """Run the command line; returns the exit code."""
    signal.signal(signal.SIGTERM, _exit_cleanly)
    from bot.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
