"""The commands and options a platform runs Tallywire with (the Procfile's processes):
`tallywire migrate` (the release step) and the process kinds of `tallywire run`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from bot.errors import ConfigError, StoreError
from bot.settings import Settings

WEB, WORKER = "web", "worker"


def register(subparsers: Any, store: argparse.ArgumentParser) -> None:
    """Add `migrate` to `subparsers` (what `add_subparsers()` returned); `store` is the parent
    parser that gives `--db`."""
    migrate = subparsers.add_parser(
        "migrate",
        parents=[store],
        help="bring the store to the newest schema, then exit (a release step)",
        description="Create or migrate the store to the newest schema and exit: 0 when done, "
        "1 when the store cannot be reached, 2 when its URL is wrong. A platform's release "
        "step runs it before the new processes start.",
    )
    migrate.set_defaults(func=migrate_command)


def add_process_options(run: argparse.ArgumentParser) -> None:
    """`run --web` and `run --worker`: the two processes of a Procfile."""
    kinds = run.add_mutually_exclusive_group()
    kinds.add_argument(
        "--web",
        dest="process",
        action="store_const",
        const=WEB,
        help="serve HTTP on PORT (required): /healthz, /metrics and the chat platforms' HTTP "
        "modes (Slack events, the Telegram webhook), besides polling and delivering",
    )
    kinds.add_argument(
        "--worker",
        dest="process",
        action="store_const",
        const=WORKER,
        help="poll and deliver without HTTP, whatever PORT says; chat commands only where "
        "they need no HTTP (Telegram polling, Slack Socket Mode), else it only sends",
    )


def for_process(settings: Settings, process: str | None) -> Settings:
    """The settings of one kind of process: `web` needs PORT; a `worker` serves no HTTP and
    leaves the chat platforms' HTTP modes to the web process. Raises ConfigError."""
    if process == WEB and settings.port is None:
        raise ConfigError(
            "run --web serves HTTP on PORT, which is not set (a platform sets it for a web "
            "process; locally: PORT=8000 tallywire run --web)"
        )
    if process == WORKER:
        return dataclasses.replace(settings, port=None, chat_http=False)
    return settings


def migrate_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire migrate`: open the store (which migrates it) and close it."""
    # Here, not at the top: SQLAlchemy and the store cost their import only to the commands
    # that open one.
    from bot.store import Store, redact

    url = settings.database_url
    _check_url(url)
    try:
        Store.open(url).close()
    except StoreError as exc:
        # The driver's message runs over lines (a hint, a link): its first says what failed.
        print(f"tallywire: error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except OSError as exc:  # the lock file beside a SQLite file: a missing or read-only folder
        print(f"tallywire: error: cannot open the store at {redact(url)}: {exc.strerror}: "
              f"{exc.filename}", file=sys.stderr)  # fmt: skip
        return 1
    print(f"the store at {redact(url)} has the newest schema")
    return 0


def _check_url(url: str) -> None:
    """Raise ConfigError unless SQLAlchemy reads `url` and has its driver installed."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(url).get_dialect().import_dbapi()
    except (ArgumentError, ValueError):
        # Not the exception's text: it would quote the URL with its password.
        raise ConfigError("the database URL does not parse; give a SQLite file's path or "
                          "sqlite:////srv/tallywire.db, or postgresql://user:password@host/db"
                          ) from None  # fmt: skip
    except (NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"no driver for this database URL ({exc}); Tallywire runs on "
                          "SQLite and on PostgreSQL with psycopg") from None  # fmt: skip
