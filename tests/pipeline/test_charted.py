"""An event's chart in its thread (issue 17, `/settings charts on`): what earns one (a swap's
milestone, an attack's night complete), a table of plain cases; then the seeds folded for a
chat with charts on and one with the defaults, on SQLite and PostgreSQL: one chart reply per
trigger, none for the chat that did not ask, held and folded like a reply in quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.compose import Message
from bot.digests import Digests
from bot.pipeline import subscribers
from bot.pipeline.charted import chart_items, chart_trigger, night_complete
from bot.pipeline.flow import Pipeline
from bot.reconcile import Change, Event, EventState, Interval, Tally
from bot.reconcile.rulebook import Rulebook
from bot.resources import shipped_dir
from bot.settings import Settings
from bot.sources.seeds import seed_documents
from bot.store import ChatSettings, Outgoing, Store
from bot.store import chat_settings as settings_sql
from bot.store import subscriptions as subscription_sql
from bot.store.schema import outbox

CHAT = "telegram:42"  # charts on
OTHER = "telegram:43"  # the defaults: no charts
START = datetime(2025, 6, 1, 21, 30, tzinfo=UTC)  # 00:30 in Kyiv, inside 23:00-07:00
QUIET_END = datetime(2025, 6, 2, 4, 0, tzinfo=UTC)
NIGHT = date(2025, 5, 24)
ATTACK = Event("attack-ukraine-2025-05-24", "attack", "ukraine", NIGHT, NIGHT)
SWAP = Event("swap-2025-05-24", "swap", None, NIGHT, NIGHT)


def tally(metric: str, low: int | None = 10) -> Tally:
    interval = Interval(low, low) if low is not None else None
    return Tally(ATTACK.id, metric, None, NIGHT, interval, "single", ())


def state(*tallies: Tally) -> EventState:
    return EventState(ATTACK.id, tallies)


def change(kind: str, low: int = 1000) -> Change:
    return Change(kind, SWAP.id, None, None, None, Interval(low, low), None, ())


DRONES = (tally("attack.drones_launched", 90), tally("attack.drones_downed", 70))
MISSILES = (tally("attack.missiles_launched", 9), tally("attack.missiles_downed", 4))


@pytest.mark.parametrize(
    ("event", "before", "after", "changes", "expected"),
    [
        # seed 004: "the deal is complete: 390 + 307 + 303 = 1,000 of 1,000 agreed"
        (SWAP, None, state(), [change("new"), change("milestone")], "milestone-1000"),
        (SWAP, None, state(), [change("new"), change("conflict")], None),
        # seed 001: the air force's nightly report gives drones launched and downed at once
        (ATTACK, None, state(*DRONES), [], "complete"),
        (ATTACK, state(DRONES[0]), state(*DRONES), [], "complete"),
        (ATTACK, state(MISSILES[0]), state(*MISSILES), [], "complete"),
        (ATTACK, state(*DRONES), state(*DRONES, *MISSILES), [], None),  # completed before
        (ATTACK, None, state(DRONES[0], MISSILES[1]), [], None),  # no pair
        (ATTACK, None, state(DRONES[0], tally("attack.drones_downed", None)), [], None),
        (ATTACK, None, state(*DRONES), [change("milestone")], "complete"),
    ],
)
def test_what_earns_a_thread_its_chart(
    event: Event,
    before: EventState | None,
    after: EventState,
    changes: list[Change],
    expected: str | None,
) -> None:
    assert chart_trigger(event, before, after, changes) == expected


def test_a_night_is_complete_with_a_launched_and_a_downed_count() -> None:
    assert [night_complete(s) for s in (None, state(), state(*DRONES), state(DRONES[1]))] == [
        False,
        False,
        True,
        False,
    ]


def test_a_chart_reply_only_where_charts_are_on_and_once_per_trigger() -> None:
    titled = Message("The chart of this exchange")
    assert chart_items(CHAT, False, SWAP, "milestone-1000", False) == []
    assert chart_items(CHAT, True, SWAP, None, False) == []
    assert chart_items(CHAT, True, SWAP, "milestone-1000", True) == [
        Outgoing(f"{CHAT}|{SWAP.id}|chart|milestone-1000", CHAT, SWAP.id, "chart", titled, True)
    ]
    assert chart_items(CHAT, True, ATTACK, "complete", False)[0].key == (
        f"{CHAT}|{ATTACK.id}|chart|complete"
    )


def setup(store: Store, chat: ChatSettings) -> Pipeline:
    settings = Settings.from_env({})
    with store.transaction() as conn:
        for destination in (CHAT, OTHER):
            subscription_sql.subscribe(conn, destination, frozenset({"all"}), None, "u", START)
        settings_sql.put_settings(conn, CHAT, chat, START)
    rulebook = Rulebook.from_settings(settings)
    return Pipeline(store, settings, lambda: START, rulebook, subscribers(console=False))


def rows(store: Store, destination: str) -> list[tuple[str, str, str]]:
    """(key after the destination, role, status) of its outbox messages, in order."""
    with store.reading() as conn:
        found = conn.execute(
            select(outbox.c.key, outbox.c.role, outbox.c.status)
            .where(outbox.c.destination == destination)
            .order_by(outbox.c.id)
        )
        return [(k.split("|", 1)[1], r, s) for k, r, s in found]


def replay_seeds(pipeline: Pipeline) -> None:
    pipeline.register_seeds(shipped_dir("seeds"))
    pipeline.ingest(seed_documents(shipped_dir("seeds")))


SEED_CHARTS = [
    # seed 001: the May 24 attack's first report has drones launched and downed
    ("attack-ukraine-2025-05-24|chart|complete", "chart", "pending"),
    # seed 004: the exchange reaches 1,000 of 1,000
    ("swap-2025-05-24|chart|milestone-1000", "chart", "pending"),
]


def test_the_seeds_give_a_chart_chat_one_chart_per_trigger_and_others_none(
    store: Store,
) -> None:
    pipeline = setup(store, ChatSettings(charts=True))
    replay_seeds(pipeline)
    charted, plain = rows(store, CHAT), rows(store, OTHER)
    assert [r for r in charted if r[1] == "chart"] == SEED_CHARTS
    assert [r for r in charted if r[1] != "chart"] == plain  # the rest as without charts
    assert [r for r in plain if r[1] == "chart"] == []
    # each chart follows what earned it: the attack's root, the exchange's milestone reply
    keys = [k for k, _, _ in charted]
    assert keys.index(SEED_CHARTS[0][0]) == keys.index("attack-ukraine-2025-05-24|root") + 1
    replay_seeds(pipeline)  # the same documents again: nothing new, no second chart
    assert rows(store, CHAT) == charted


def test_quiet_hours_hold_the_chart_and_its_digest_folds_it(store: Store) -> None:
    quiet = ChatSettings(
        time_zone="Europe/Kyiv", quiet=(time(23, 0), time(7, 0)), last_digest_at=START,
        charts=True,
    )  # fmt: skip
    pipeline = setup(store, quiet)
    replay_seeds(pipeline)
    charts = [(k, s) for k, r, s in rows(store, CHAT) if r == "chart"]
    assert charts == [(k, "held") for k, _, _ in SEED_CHARTS]
    clock = {"now": QUIET_END + timedelta(seconds=3)}
    assert Digests(store, pipeline.rulebook, lambda: clock["now"]).write_due() == 1
    charts = [(k, s) for k, r, s in rows(store, CHAT) if r == "chart"]
    assert charts == [(k, "folded") for k, _, _ in SEED_CHARTS]
