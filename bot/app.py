"""The composition root: builds everything from settings and runs it in one event loop."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.checks import Problem, port_refusal, running_problems
from bot.commands import CommandContext, event_chart
from bot.compose import Message
from bot.delivery import (
    Adapters,
    Channel,
    ChatAdapter,
    ChatContext,
    ConsoleChannel,
    Deliverer,
    WebhookChannel,
    destination_mover,
    load_adapters,
)
from bot.errors import ConfigError
from bot.pipeline import Pipeline, Service, SourceReport, subscribers, worker_name
from bot.reconcile import Rulebook
from bot.settings import Settings
from bot.sources import (
    FeedSpec,
    guarded_transport,
    load_feeds,
    make_client,
    system_resolver,
)
from bot.store import OutboxItem, Store
from bot.store import outbox as outbox_sql
from bot.store import sources as source_sql
from bot.store import subscriptions as subscription_sql
from bot.telemetry import Health, HttpServer, Metrics, service_registry

log = logging.getLogger(__name__)
T = TypeVar("T")
WEBHOOK_DESTINATION = "webhook:default"
SEND_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` to its end on uvloop's event loop (a drop-in for asyncio's own that spends
    less CPU per connection: most of a poll of an unchanged feed), else on asyncio's.

    The result comes back outside the task: on its way out, Python 3.11's runner builds the repr
    of its main task, result included, twice (CPython gh-112559), and the reports of a poll of a
    big night took two thirds of the run's time to print that way."""
    result: list[T] = []

    async def main_task() -> None:
        result.append(await main)

    try:
        import uvloop
    except ImportError:  # not on Windows
        asyncio.run(main_task())
    else:
        uvloop.run(main_task())
    return result[0]


def utc_now() -> datetime:
    """The wall clock in UTC: the only clock the core is handed."""
    return datetime.now(UTC)


def build_channels(
    settings: Settings, client: httpx.AsyncClient, chats: Mapping[str, Channel] | None = None
) -> dict[str, Channel]:
    """Every channel whose settings are present (`chats`: the chat adapters' channels); the
    console when there is none."""
    channels: dict[str, Channel] = dict(chats or {})
    if settings.webhook_url:
        channels["webhook"] = WebhookChannel(
            settings.webhook_url, client, spacing_seconds=settings.webhook_spacing
        )
    if not channels:
        channels["console"] = ConsoleChannel()
    return channels


def subscribe_configured(store: Store, settings: Settings) -> None:
    """The destinations the operator configured receive every topic from the start."""
    if not settings.webhook_url:
        return
    try:
        with store.transaction() as conn:
            if subscription_sql.get_subscription(conn, WEBHOOK_DESTINATION) is None:
                subscription_sql.subscribe(
                    conn, WEBHOOK_DESTINATION, frozenset({"all"}), None, "config", utc_now()
                )
    except IntegrityError:
        pass  # another worker subscribed it at the same moment


def build_pipeline(
    settings: Settings,
    store: Store,
    channels: dict[str, Channel],
    rulebook: Rulebook,
    metrics: Metrics | None = None,
) -> Pipeline:
    """The pipeline, fanning out to the subscriptions (and the console when it is on),
    counting into `metrics` if given."""
    return Pipeline(store, settings, utc_now, rulebook, subscribers("console" in channels), metrics)


def chart_renderer(store: Store, rulebook: Rulebook) -> Callable[[OutboxItem], Message | None]:
    """What draws a chart reply when the Deliverer sends it: the event's chart from the store
    (bot.commands.event_chart), None when there is nothing to chart."""
    return lambda item: event_chart(store, rulebook, item.event_id)


async def run_once(settings: Settings) -> tuple[list[SourceReport], dict[str, int]]:
    """Poll every source once, deliver, and return what each source brought and what was sent."""
    settings, feeds = configured_feeds(settings)
    store = await asyncio.to_thread(Store.open, settings.database_url)
    try:
        async with httpx.AsyncClient(timeout=SEND_TIMEOUT, trust_env=False) as client:
            channels = build_channels(settings, client)
            await asyncio.to_thread(subscribe_configured, store, settings)
            rulebook = Rulebook.from_settings(settings)
            pipeline = build_pipeline(settings, store, channels, rulebook)
            await asyncio.to_thread(pipeline.register_feeds, feeds)
            seeds = await asyncio.to_thread(pipeline.ingest_seeds)
            reports = ([seeds] if seeds else []) + await pipeline.poll_feeds(feeds)
            charts = chart_renderer(store, rulebook)
            sent = await Deliverer(store, channels, utc_now, worker_name(), charts=charts).drain()
        return reports, dict(sent)
    finally:
        store.close()


async def run_service(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run the service until SIGTERM or SIGINT (or `stop`), serving HTTP when PORT is set."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    settings, feeds = configured_feeds(settings)
    store = await asyncio.to_thread(Store.open, settings.database_url)
    metrics = Metrics(service_registry())
    worker = worker_name()
    rulebook = Rulebook.from_settings(settings)
    try:
        async with httpx.AsyncClient(timeout=SEND_TIMEOUT, trust_env=False) as client:
            adapters: list[ChatAdapter] = []
            http = _http_server(
                settings, store, metrics, lambda: deliverer.last_round, lambda: adapters
            )
            adapters = load_adapters(_chat_context(settings, store, rulebook, http))
            chats = Adapters(adapters)
            channels = build_channels(settings, client, chats.channels)
            await asyncio.to_thread(subscribe_configured, store, settings)
            charts = chart_renderer(store, rulebook)
            deliverer = Deliverer(store, channels, utc_now, worker, metrics, charts=charts)
            service = Service(
                build_pipeline(settings, store, channels, rulebook, metrics),
                deliverer,
                feeds,
                guarded_client(settings),
                worker,
                on_start=lambda: chats.start(stop),
            )
            if http:
                await _serve(http, settings.port or 0)
            try:
                await service.run(stop)
            finally:
                await chats.close()
                if http:
                    await http.stop()
    finally:
        store.close()


def configured_feeds(settings: Settings) -> tuple[Settings, list[FeedSpec]]:
    """The feeds the operator configured, and the settings with the seeds off beside them
    unless TALLYWIRE_SEEDS asked for them. Raises ConfigError on a malformed feed."""
    feeds = load_feeds(settings)
    kept = settings.seeds_beside(len(feeds))
    if kept.seeds_dir != settings.seeds_dir:
        log.info("seeds off: %d feeds are configured (TALLYWIRE_SEEDS=on replays them)", len(feeds))
    return kept, feeds


def _chat_context(
    settings: Settings, store: Store, rulebook: Rulebook, http: HttpServer | None
) -> ChatContext:
    """What the chat adapters are built from: the command context and the HTTP server."""
    commands = CommandContext(store, rulebook, settings, utc_now, system_resolver)
    return ChatContext(settings, commands, http, destination_mover(store, utc_now))


def guarded_client(settings: Settings) -> Callable[[], httpx.AsyncClient]:
    """Clients for feeds added from chat: every connection checked against private targets."""
    return lambda: make_client(
        settings.fetch, transport=guarded_transport(system_resolver, settings.feed_allow)
    )


async def _serve(http: HttpServer, port: int) -> None:
    """Start `http`; a port taken since the start-up checks is a ConfigError, in one line."""
    try:
        await http.start()
    except OSError as error:
        raise ConfigError(port_refusal(port, error)) from None


def _http_server(
    settings: Settings,
    store: Store,
    metrics: Metrics,
    last_round: Callable[[], float],
    adapters: Callable[[], Sequence[ChatAdapter]],
) -> HttpServer | None:
    """The HTTP server when PORT is set (`last_round`: when delivery last ran; `adapters`:
    the chat adapters, whose `problem` makes /healthz degraded), else None."""
    if settings.port is None:
        return None
    started = time.monotonic()

    async def problems() -> list[Problem]:
        channels = {a.name: getattr(a, "problem", None) for a in adapters()}
        oldest, failing = await asyncio.to_thread(_troubles, store, settings.poll_seconds)
        return running_problems(channels, oldest, failing, utc_now())

    async def health() -> Health:
        reachable = await asyncio.to_thread(_store_reachable, store)
        idle = time.monotonic() - max(last_round(), started)
        found = await problems() if reachable else []
        wrong = {problem.part: problem.text for problem in found}
        return Health(idle < 60, reachable, {"worker": worker_name()}, wrong)

    async def scrape(accept: str | None) -> tuple[bytes, str]:
        backlog = await asyncio.to_thread(_backlog, store)
        up = 0 if await problems() else 1  # degraded: a channel, the outbox or a feed is wrong
        return metrics.exposition(accept, {"tallywire_outbox_backlog": backlog, "tallywire_up": up})

    return HttpServer(settings.port, health, scrape)


def _store_reachable(store: Store) -> bool:
    try:
        with store.reading() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure of the store means "not reachable" on /healthz
        log.warning("the store is not reachable", exc_info=True)
        return False


def _backlog(store: Store) -> int:
    with store.reading() as conn:
        return outbox_sql.backlog(conn)


def _troubles(
    store: Store, poll_seconds: int
) -> tuple[datetime | None, list[tuple[str, timedelta]]]:
    """When the oldest waiting message was written, and how long each failing feed has failed
    (its polls in a row that failed, times its interval: a floor, since failures back off)."""
    with store.reading() as conn:
        oldest = outbox_sql.oldest_pending(conn)
        records = source_sql.list_sources(conn)
    failing = [
        (r.id, timedelta(seconds=r.consecutive_errors * (r.interval_seconds or poll_seconds)))
        for r in records
        if r.kind == "feed" and r.consecutive_errors > 0
    ]
    return oldest, failing
