"""Where an ingest's time goes: the pipeline's steps timed from outside, in this process only.

    with StageTimer() as timer:
        ... poll feeds or ingest documents ...
    timer.seconds  # {"fetch": ..., "parse": ..., "store": ..., "extract": ..., ...}

The benchmark wraps the functions the pipeline calls for each step, by their module-level
names, for as long as the block runs (nothing in bot/ knows it is timed); a name that is
gone (the code moved) is left untimed and missing from `seconds`. Times are wall-clock sums
over every call, across threads: fetches and parses overlap with the storing of other feeds,
so the stages together can exceed the whole run. The stages:

- fetch: the HTTP request and reading the body (bot.sources.polling.fetch_feed);
- parse: feedparser and turning its entries into documents (bot.sources.polling.parse_capped);
- store: looking the document up and writing it (bot.pipeline.flow.add_document);
- extract: reading the figures (bot.pipeline.flow.extract);
- reconcile: placing the figures in events, reconciling them and recording the changes
  (bot.pipeline.fold.Fold's add and finish, one document at a time or a poll's batch, less
  the outbox's part);
- outbox: composing the messages and writing them (bot.pipeline.fold.messages_for and
  bot.store.outbox.enqueue);
- commit: the rest of a batch's transaction, its BEGIN and COMMIT mostly
  (Pipeline._ingest_batch, less the stages inside it and the wait for its turn);
- waiting for a write turn: how long transactions waited for the other threads' (SQLite
  writes one at a time; bot.store.database.WriterTurns.turn). Waiting, not work: a sum over
  threads waiting together, left out of the stages' shares.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Self

# (stage, module, attribute): the attribute is looked up on the module (a class for "X.y").
WRAPPED = (
    ("fetch", "bot.sources.polling", "fetch_feed"),
    ("parse", "bot.sources.polling", "parse_capped"),
    ("store", "bot.pipeline.flow", "add_document"),
    ("extract", "bot.pipeline.flow", "extract"),
    ("fold", "bot.pipeline.flow", "Fold.add"),
    ("fold", "bot.pipeline.flow", "Fold.finish"),
    ("outbox", "bot.pipeline.fold", "messages_for"),
    ("outbox", "bot.store.outbox", "enqueue"),
    ("transaction", "bot.pipeline.flow", "Pipeline._ingest_batch"),
    ("turn", "bot.store.database", "WriterTurns.turn"),  # a context manager: its entry timed
)
STAGES = ("fetch", "parse", "store", "extract", "reconcile", "outbox", "commit")
WAITING = "waiting for a write turn"


class StageTimer:
    """Sums the wall time of each stage while the block runs (see the module's docstring)."""

    def __init__(self) -> None:
        self._raw: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()
        self._within = threading.local()  # whether this thread is in a batch's transaction
        self._undo: list[Callable[[], None]] = []

    def __enter__(self) -> Self:
        for stage, module_name, attribute in WRAPPED:
            owner: Any = importlib.import_module(module_name)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part, None)
            original = getattr(owner, name, None) if owner is not None else None
            if original is None:
                continue
            wrapped = self._entered if stage == "turn" else self._timed
            setattr(owner, name, wrapped(stage, original))
            self._undo.append(functools.partial(setattr, owner, name, original))
        return self

    def __exit__(self, *exc: object) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()

    @property
    def seconds(self) -> dict[str, float]:
        """Seconds spent in each stage that could be timed, in the order of STAGES."""
        raw = dict(self._raw)
        found = dict(raw)
        if "fold" in raw:
            found["reconcile"] = raw["fold"] - raw.get("outbox", 0.0)
        if "transaction" in raw:
            inside = sum(raw.get(s, 0.0) for s in ("store", "extract", "fold", "document turn"))
            found["commit"] = raw["transaction"] - inside
        return {stage: found[stage] for stage in STAGES if stage in found}

    @property
    def waited(self) -> float:
        """Seconds transactions waited for their write turn, summed over threads."""
        return self._raw.get("turn", 0.0)

    def _add(self, stage: str, seconds: float) -> None:
        with self._lock:
            self._raw[stage] += seconds

    def _entered(self, stage: str, original: Callable[..., Any]) -> Callable[..., Any]:
        @contextmanager
        @functools.wraps(original)
        def timed_entry(*args: Any, **kwargs: Any) -> Iterator[Any]:
            began = time.perf_counter()
            with original(*args, **kwargs) as value:
                waited = time.perf_counter() - began
                self._add(stage, waited)
                if getattr(self._within, "transaction", False):
                    self._add("document turn", waited)
                yield value

        return timed_entry

    def _timed(self, stage: str, original: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(original):

            @functools.wraps(original)
            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                began = time.perf_counter()
                try:
                    return await original(*args, **kwargs)
                finally:
                    self._add(stage, time.perf_counter() - began)

            return timed_async

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            if stage == "transaction":
                self._within.transaction = True
            try:
                return original(*args, **kwargs)
            finally:
                self._within.transaction = False
                self._add(stage, time.perf_counter() - began)

        return timed
