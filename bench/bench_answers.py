"""Answers (issue 8, benchmark 6): /swaps, /attacks and ask with 100,000 figures in the store,
on SQLite and on PostgreSQL, timed server-side.

    python bench/bench_answers.py [--quick] [--calls 300]

The store is filled with a year of news made here, reproducibly, from bench_extract's synthetic
paragraphs and filler: every night an air attack, told by several articles published that
morning, each about that one night (the outlets repeat the night's figures, and now and then
give figures of their own, which disagree), and every few weeks a prisoner exchange in one to
three daily phases; then the five seeds. The articles take the pipeline's own steps into the
ledger: each is stored once (`add_document`), its figures are extracted, placed in events as
`fold_document` places them (`place_figures`, nearby swaps read from the store) and written
with the ledger's functions (`save_events`, `replace_document_reports`). Only the reconciling,
the change log and the outbox are left out, as answers read none of them; the rows answers
read are the pipeline's (tests/test_bench_answers_store.py checks it). PostgreSQL gets a
throwaway schema of the test database, dropped at the end.

Each command then runs as a chat command does, through `bot.commands.dispatch` with one
`CommandContext` (no network), the calls shuffled: /swaps, /attacks (the latest), /attacks with
a day of the year, and ask with a mix of questions about days of the year, the latest night
and the exchanges; p50 and p95 per command and store. The first answer of a process reads every
event's days and reconciles only the events it shows; the others are reconciled in the
background (bot.commands.views.EventStates keeps the states), and the answers are timed once
that is done (how long it took after the first answer is printed). The first answer is
printed apart, as is `/subscribe` of a new chat (it reads and reconciles the last week's
events only, to open their threads), and the median answer just after the pipeline took in an
article about the latest night (whose events are then reconciled again). "Do any reports
conflict?" about every event is timed apart too: its reply names every doubted figure of the
year (its size is printed), so it grows with the store, unlike the others.

Target (issue 8): answers p95 <= 20 ms with 100,000 figures, on both stores; (issue 15)
/subscribe <= 200 ms there.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script: python bench/bench_answers.py

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.exc import SQLAlchemyError  # noqa: E402

from bench.bench_extract import FILLER, WEEKDAYS, synthetic_paragraph  # noqa: E402
from bench.common import Row, held_to, percentile  # noqa: E402
from bot.commands.table import Caller, CommandContext, dispatch  # noqa: E402
from bot.errors import StoreError  # noqa: E402
from bot.extract import extract  # noqa: E402
from bot.extract.figures import Figure  # noqa: E402
from bot.pipeline.flow import Pipeline  # noqa: E402
from bot.pipeline.fold import _nearby_swaps, source_name  # noqa: E402
from bot.reconcile.events import Provenance, place_figures  # noqa: E402
from bot.reconcile.rulebook import Rulebook  # noqa: E402
from bot.resources import shipped_dir  # noqa: E402
from bot.settings import Settings, normalize_database_url  # noqa: E402
from bot.sources.documents import Document  # noqa: E402
from bot.sources.seeds import seed_documents  # noqa: E402
from bot.store import Store, ledger  # noqa: E402
from bot.store.documents import add_document  # noqa: E402
from bot.store.schema import events, figures  # noqa: E402

BENCHMARK = "answers"
TARGET_MS = 20.0
FIGURES, QUICK_FIGURES = 100_000, 5_000
CALLS, QUICK_CALLS = 300, 60
PG_ENV = "TALLYWIRE_TEST_DATABASE_URL"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"

LAST_DAY = date(2025, 5, 31)  # the seeds' attacks (May 24 and 25, 2025) fall in the year
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SWAP_EVERY_DAYS = 23  # a new exchange every few weeks, in one to three daily phases
FIGURES_PER_ARTICLE = 33  # what one of these articles yields, on average (measured)
SYNTHETIC_SHARE = 0.4  # of an article's paragraphs; the rest is filler
FACTS_PER_DAY = 8  # figure paragraphs about one day that the outlets repeat
OWN_SHARE = 0.1  # of an article's figure paragraphs: its own figures, not the day's
ARTICLE_BYTES = 5000
OUTLETS = ("AP", "Reuters", "Kyiv Independent", "RFE/RL", "Ukrainska Pravda", "TASS", "BBC")
SWAP_WORDS = ("prisoners", "defenders")
NEW_ARTICLES = 10
# The one question whose reply names every doubted figure in the store (see the docstring).
EVERY_DOUBT_QUESTION = "do any reports conflict?"
EVERY_DOUBT = "ask: do any reports conflict? (all events)"
MEASURES = ("/swaps", "/attacks", "/attacks DATE", "ask", EVERY_DOUBT)
READER = Caller("bench", "console", private=True, chat_admin=False)


@dataclass(frozen=True)
class Request:
    """One timed command: the row it counts in, the command's name and its text."""

    measure: str
    name: str
    text: str


# --- The year of news ------------------------------------------------------------------------


def article_paragraph(rng: random.Random, day: date, swap: bool) -> str:
    """A synthetic figure paragraph about the night (or the exchange) of `day`."""
    while True:
        paragraph = synthetic_paragraph(rng)
        if any(word in paragraph for word in SWAP_WORDS) == swap:
            break
    for weekday in WEEKDAYS:
        paragraph = paragraph.replace(weekday, WEEKDAYS[day.weekday()])
    return paragraph


def day_facts(day: date, swap: bool) -> list[str]:
    """The figure paragraphs the outlets repeat about `day`'s attack (or exchange), drawn once
    for the day."""
    rng = random.Random(f"{day.isoformat()} {swap}")
    return [article_paragraph(rng, day, swap) for _ in range(FACTS_PER_DAY)]


def article(
    rng: random.Random, number: int, day: date, swap: bool, facts: Sequence[str]
) -> Document:
    """An article of about 5 KB published on `day`: paragraphs of the day's facts, now and then
    one with figures of its own (that disagree), among filler."""
    parts: list[str] = []
    untold = rng.sample(facts, len(facts))  # each fact told once
    while sum(len(p) + 2 for p in parts) < ARTICLE_BYTES:
        roll = rng.random()
        if roll < SYNTHETIC_SHARE * (1 - OWN_SHARE) and untold:
            parts.append(untold.pop())
        elif roll < SYNTHETIC_SHARE:
            parts.append(article_paragraph(rng, day, swap))
        else:
            parts.append(rng.choice(FILLER))
    return Document(
        id=f"bench-{number:06d}",
        source="bench",
        text="\n\n".join(parts),
        title=parts[0][:80],
        link=f"https://news.test/{day.isoformat()}/{number}",
        published=day,
        outlet=rng.choice(OUTLETS),
    )


def year_of_news(figures: int, rng: random.Random) -> list[Document]:
    """About `figures` figures of news over the year to LAST_DAY (fewer days for fewer figures),
    oldest first: each day's attack articles, and the exchanges' articles on their phase days."""
    articles = figures / FIGURES_PER_ARTICLE
    days = min(365, max(30, round(articles)))  # a shorter span for a small store
    per_day = max(1, round(articles / days))
    first = LAST_DAY - timedelta(days=days - 1)
    documents: list[Document] = []
    phases_left = 0
    for offset in range(days):
        day = first + timedelta(days=offset)
        if offset % SWAP_EVERY_DAYS == SWAP_EVERY_DAYS // 2:
            phases_left = rng.randint(1, 3)
        facts = day_facts(day, swap=False)
        for _ in range(per_day):
            documents.append(article(rng, len(documents), day, False, facts))
        if phases_left:
            phases_left -= 1
            facts = day_facts(day, swap=True)
            for _ in range(max(1, per_day // 2)):
                documents.append(article(rng, len(documents), day, True, facts))
    return documents


def seeds() -> list[Document]:
    """The shipped seed articles (the exchange and attacks of May 23 to 25, 2025)."""
    return list(seed_documents(shipped_dir("seeds")))


# --- Filling a store -------------------------------------------------------------------------


def place(store: Store, doc: Document, found: Sequence[Figure], now: datetime) -> None:
    """Store `doc` and its figures as the pipeline does, without reconciling or the outbox:
    the document once, its figures placed in events (nearby swaps read from the store) and
    written to the ledger, in one transaction. `_nearby_swaps` is the pipeline's own look-up,
    used so that the events are the ones the pipeline would place the figures in."""
    with store.transaction() as conn:
        stored = add_document(conn, doc, now)
        if stored.kind == "duplicate":
            return
        doc = replace(doc, id=stored.document_id)
        old = ledger.document_reports(conn, doc.id)
        known = _nearby_swaps(conn, found, doc.published) + list(
            ledger.events_by_id(conn, {r.event_id for r in old}).values()
        )
        provenance = Provenance(doc.id, source_name(doc), doc.published, now)
        reports, touched = place_figures(found, provenance, known)
        ledger.save_events(conn, touched, now)
        ledger.replace_document_reports(conn, doc.id, stored.version, reports)


def fill(store: Store, extracted: Sequence[tuple[Document, list[Figure]]]) -> None:
    """Place every document with its extracted figures, in order."""
    for doc, found in extracted:
        place(store, doc, found, NOW)


def extract_all(
    documents: Sequence[Document], rulebook: Rulebook
) -> list[tuple[Document, list[Figure]]]:
    """Each document with the figures the extractor finds in it."""
    vocabulary = rulebook.vocabulary
    return [(d, extract(d.text, d.published, d.id, vocabulary)) for d in documents]


def ledger_size(store: Store) -> tuple[int, int]:
    """(active figures, events) in the store."""
    with store.transaction() as conn:
        active = select(func.count()).select_from(figures).where(figures.c.active.is_(True))
        return (
            conn.execute(active).scalar_one(),
            conn.execute(select(func.count()).select_from(events)).scalar_one(),
        )


# --- Timing ----------------------------------------------------------------------------------


def requests(rng: random.Random, days: Sequence[date], count: int) -> list[Request]:
    """`count` calls of each command, shuffled, with days and questions drawn from the year's
    days; and a few of "do any reports conflict?" (of every event; see EVERY_DOUBT)."""

    def day_words(day: date) -> str:
        return day.isoformat() if rng.random() < 0.3 else f"{day:%B} {day.day}"

    questions: list[Callable[[date], str]] = [
        lambda d: f"how many drones were shot down on {day_words(d)}?",
        lambda d: f"how many people were killed on {day_words(d)}?",
        lambda d: f"how many missiles did Russia launch on {day_words(d)}?",
        lambda d: "how many drones were shot down last night?",
        lambda d: "how many prisoners have been exchanged in all?",
        lambda d: "what was the agreed total of the last exchange?",
        lambda d: f"what happened on {day_words(d)}?",
        lambda d: f"do any reports about {day_words(d)} conflict?",
    ]
    made = [Request(EVERY_DOUBT, "ask", EVERY_DOUBT_QUESTION)] * max(5, count // 15)
    for _ in range(count):
        made += [
            Request("/swaps", "swaps", ""),
            Request("/attacks", "attacks", ""),
            Request("/attacks DATE", "attacks", day_words(rng.choice(days))),
            Request("ask", "ask", rng.choice(questions)(rng.choice(days))),
        ]
    rng.shuffle(made)
    return made


async def timed(ctx: CommandContext, calls: Sequence[Request]) -> dict[str, list[float]]:
    """Milliseconds of each call, by measure."""
    times: dict[str, list[float]] = {}
    for call in calls:
        start = time.perf_counter()
        await dispatch(ctx, READER, call.name, call.text)
        times.setdefault(call.measure, []).append((time.perf_counter() - start) * 1000)
    return times


def measure(store: Store, label: str, rulebook: Rulebook, calls: Sequence[Request]) -> list[Row]:
    """Time `calls` against `store` with one CommandContext, as a service has: the first
    answer, then p50 (context) and p95 (held to the target) of each command, then answers
    just after a new article."""
    settings = Settings.from_env({})
    ctx = CommandContext(store, rulebook, settings, lambda: NOW, _no_dns)
    first = asyncio.run(timed(ctx, [Request("first", "attacks", "")]))["first"][0]
    rows = [Row(BENCHMARK, f"{label}: first answer of a process", round(first, 1), "ms")]
    subscriber = Caller("bench", "telegram:1", private=True, chat_admin=False)
    began = time.perf_counter()
    asyncio.run(dispatch(ctx, subscriber, "subscribe", ""))
    took = round((time.perf_counter() - began) * 1000, 1)
    rows.append(held_to(BENCHMARK, f"{label}: /subscribe of a new chat", took, "ms", at_most=200))
    began = time.perf_counter()
    ctx.states.warmed()
    rows.append(
        Row(BENCHMARK, f"{label}: then every event's state ready (reconciled in the background)",
            round(time.perf_counter() - began, 2), "s")
    )  # fmt: skip
    times = asyncio.run(timed(ctx, calls))
    for name in sorted(times, key=MEASURES.index):
        values = times[name]
        rows.append(Row(BENCHMARK, f"{label} {name} p50", round(percentile(values, 0.5), 2), "ms"))
        p95 = round(percentile(values, 0.95), 2)
        rows.append(held_to(BENCHMARK, f"{label} {name} p95", p95, "ms", at_most=TARGET_MS))
    reply = asyncio.run(dispatch(ctx, READER, "ask", EVERY_DOUBT_QUESTION))
    size = round(len(reply.plain().encode()) / 1000)
    rows.append(Row(BENCHMARK, f"{label}: the reply to {EVERY_DOUBT_QUESTION!r}", size, "KB"))
    after = after_news(ctx, rulebook, settings)
    rows.append(Row(BENCHMARK, f"{label}: /attacks just after a new article, p50", after, "ms"))
    return rows


def after_news(ctx: CommandContext, rulebook: Rulebook, settings: Settings) -> float:
    """The median time of /attacks just after the pipeline took in a new article about the
    latest night (its events reconciled again), over NEW_ARTICLES articles."""
    pipeline = Pipeline(ctx.store, settings, lambda: NOW, rulebook)
    rng = random.Random(9)
    times = []
    for number in range(NEW_ARTICLES):
        doc = article(rng, 900_000 + number, LAST_DAY, False, day_facts(LAST_DAY, swap=False))
        pipeline.ingest_one(doc)
        times += asyncio.run(timed(ctx, [Request("after", "attacks", "")]))["after"]
    return round(percentile(times, 0.5), 2)


async def _no_dns(host: str, port: int) -> list[str]:
    raise OSError("the answers benchmark resolves no name")


# --- The stores ------------------------------------------------------------------------------


@contextmanager
def postgres_store() -> Iterator[Store]:
    """A store in a throwaway schema of the test PostgreSQL database, dropped afterwards.
    Raises StoreError or SQLAlchemyError when the server cannot be reached."""
    base = normalize_database_url(os.environ.get(PG_ENV) or PG_DEFAULT)
    schema = f"tw_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        separator = "&" if "?" in base else "?"
        store = Store.open(f"{base}{separator}options=-csearch_path%3D{schema}")
        try:
            yield store
        finally:
            store.close()
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    finally:
        admin.dispose()


@contextmanager
def sqlite_store() -> Iterator[Store]:
    """A store in a temporary SQLite file."""
    with tempfile.TemporaryDirectory(prefix="tw-bench-answers-") as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'store.db'}")
        try:
            yield store
        finally:
            store.close()


def on_store(
    label: str,
    store: Store,
    extracted: Sequence[tuple[Document, list[Figure]]],
    rulebook: Rulebook,
    calls: Sequence[Request],
) -> list[Row]:
    """Fill `store`, then time the answers on it."""
    start = time.perf_counter()
    fill(store, extracted)
    built = time.perf_counter() - start
    active, known = ledger_size(store)
    rows = [
        Row(BENCHMARK, f"{label}: figures in the store", active, "figures"),
        Row(BENCHMARK, f"{label}: events in the store", known, "events"),
        Row(BENCHMARK, f"{label}: time to fill the store", round(built, 1), "s"),
    ]
    return rows + measure(store, label, rulebook, calls)


def run(quick: bool, calls_each: int | None = None) -> list[Row]:
    """Fill a SQLite and a PostgreSQL store and time the answers on each (see the module
    docstring); a row says so when PostgreSQL cannot be reached."""
    rng = random.Random(8)
    rulebook = Rulebook.from_settings(Settings.from_env({}))
    start = time.perf_counter()
    documents = year_of_news(QUICK_FIGURES if quick else FIGURES, rng) + seeds()
    extracted = extract_all(documents, rulebook)
    days = sorted({d.published for d in documents if d.published})
    calls = requests(rng, days, calls_each or (QUICK_CALLS if quick else CALLS))
    rows = [Row(BENCHMARK, "articles made and read", round(time.perf_counter() - start, 1), "s")]
    with sqlite_store() as store:
        rows += on_store("SQLite", store, extracted, rulebook, calls)
    try:
        with postgres_store() as store:
            rows += on_store("PostgreSQL", store, extracted, rulebook, calls)
    except (StoreError, SQLAlchemyError) as exc:
        reason = " ".join(str(exc).split())[:120]
        rows.append(Row(BENCHMARK, f"PostgreSQL not measured: {reason}", 0, ""))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="about 5,000 figures, fewer calls")
    parser.add_argument("--calls", type=int, help="timed calls of each command")
    args = parser.parse_args()
    start = time.perf_counter()
    for row in run(args.quick, args.calls):
        target = f"  (target {row.target}: {'met' if row.met else 'NOT met'})" if row.target else ""
        print(f"{row.measure:58} {row.value:>10,} {row.unit}{target}")
    print(f"{'whole benchmark':58} {time.perf_counter() - start:>10,.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
