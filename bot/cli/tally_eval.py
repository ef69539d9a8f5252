"""The end-to-end half of `tallywire eval --tallies GOLD --not NOT`: the documents replayed into
a fresh store, and the tallies it then holds, as `tallywire tallies --json` prints them.

`replayed_tallies(paths, settings, clock)` makes a SQLite store in a temporary folder (removed
after), with the seeds off, feeds each file through the pipeline in the order given, and
returns the tally rows. It raises TallywireError naming the file it cannot read.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.cli.output import tally_row, undated_metrics
from bot.commands import event_views
from bot.errors import TallywireError
from bot.pipeline import Pipeline
from bot.reconcile import Rulebook
from bot.settings import Settings
from bot.sources import Document, publication_date, read_document
from bot.store import Store


def read_paths(paths: Sequence[Path], seeds_dir: Path | None) -> list[Document]:
    """The text files as documents, dated by their date line, else the seeds manifest in
    `seeds_dir` (when given)."""
    documents = []
    for path in paths:
        try:
            published = publication_date(path, seeds_dir, None)
            documents.append(read_document(path, published))
        except OSError as exc:
            raise TallywireError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return documents


def replayed_tallies(
    paths: Sequence[Path], settings: Settings, clock: Callable[[], datetime]
) -> list[dict[str, Any]]:
    """The tally rows of a fresh store, seeds off, after the files are replayed into it."""
    documents = read_paths(paths, None)
    with tempfile.TemporaryDirectory(prefix="tallywire-eval-") as folder:
        fresh = dataclasses.replace(
            settings, database_url=f"sqlite:///{Path(folder) / 'eval.db'}", seeds_dir=None
        )
        rulebook = Rulebook.from_settings(fresh)
        store = Store.open(fresh.database_url)
        try:
            Pipeline(store, fresh, clock, rulebook).ingest(documents)
            views = event_views(store, rulebook)
        finally:
            store.close()
    undated = undated_metrics(rulebook.vocabulary)
    return [tally_row(view, tally, undated) for view in views for tally in view.state.tallies]
