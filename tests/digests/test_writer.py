"""Quiet hours and digest mode in the store (issue 17): alerts held as the seeds are folded in,
one digest written when the period ends, once, whatever restarts; a breakthrough kind still
alerts; a chat's own alert kinds. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from bot.digests import Digests
from bot.pipeline import subscribers
from bot.pipeline.flow import Pipeline
from bot.reconcile.rulebook import Rulebook
from bot.resources import shipped_dir
from bot.settings import Settings
from bot.sources.seeds import seed_documents
from bot.store import ChatSettings, Store
from bot.store import chat_settings as settings_sql
from bot.store import subscriptions as subscription_sql
from bot.store.schema import outbox

CHAT = "telegram:42"
OTHER = "telegram:43"  # subscribed with the defaults: today's behaviour
START = datetime(2025, 6, 1, 21, 30, tzinfo=UTC)  # 00:30 in Kyiv, inside 23:00-07:00
QUIET_END = datetime(2025, 6, 2, 4, 0, tzinfo=UTC)  # 07:00 in Kyiv
NIGHT = ChatSettings(time_zone="Europe/Kyiv", quiet=(time(23, 0), time(7, 0)), last_digest_at=START)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def setup(store: Store, chat: ChatSettings, clock: Clock) -> Pipeline:
    settings = Settings.from_env({})
    rulebook = Rulebook.from_settings(settings)
    with store.transaction() as conn:
        for destination in (CHAT, OTHER):
            subscription_sql.subscribe(conn, destination, frozenset({"all"}), None, "u", START)
        settings_sql.put_settings(conn, CHAT, chat, START)
    return Pipeline(store, settings, clock, rulebook, subscribers(console=False))


def rows(store: Store, destination: str) -> list[tuple[str, str, str]]:
    """(key, role, status) of the destination's outbox messages, in the order written."""
    with store.reading() as conn:
        found = conn.execute(
            select(outbox.c.key, outbox.c.role, outbox.c.status)
            .where(outbox.c.destination == destination)
            .order_by(outbox.c.id)
        )
        return [(k, r, s) for k, r, s in found]


def replay_seeds(pipeline: Pipeline) -> None:
    pipeline.register_seeds(shipped_dir("seeds"))
    pipeline.ingest(seed_documents(shipped_dir("seeds")))


def test_quiet_hours_hold_everything_and_end_in_one_digest_once(store: Store) -> None:
    clock = Clock(START)
    pipeline = setup(store, NIGHT, clock)
    replay_seeds(pipeline)
    held = rows(store, CHAT)
    others = rows(store, OTHER)
    assert held and {status for _, _, status in held} == {"held"}
    # the chat with the defaults gets exactly what it got before issue 17
    assert [(k.split("|", 1)[1], r, s) for k, r, s in others] == [
        (k.split("|", 1)[1], r, "pending") for k, r, _ in held
    ]
    digests = Digests(store, pipeline.rulebook, clock)
    clock.now = QUIET_END - timedelta(seconds=1)
    assert digests.write_due() == 0
    clock.now = QUIET_END + timedelta(seconds=3)
    assert digests.write_due() == 1
    assert digests.write_due() == 0
    assert Digests(store, pipeline.rulebook, clock).write_due() == 0  # a restarted service
    after = rows(store, CHAT)
    key = f"{CHAT}|digest|{QUIET_END.isoformat()}"
    assert [(k, r, s) for k, r, s in after if s == "pending"] == [(key, "digest", "pending")]
    assert {s for _, r, s in after if r != "digest"} == {"folded"}
    assert not [r for _, r, _ in after if r == "root"], "held roots are dropped, not sent"
    with store.reading() as conn:
        payload = conn.execute(select(outbox.c.payload).where(outbox.c.key == key)).scalar_one()
    assert "While it was quiet: 4 events changed" in payload
    assert "1,000" in payload and "Milestone" in payload, payload
    clock.now = QUIET_END + timedelta(hours=20)  # the next quiet hours, nothing held
    assert digests.write_due() == 0
    assert len([r for _, r, _ in rows(store, CHAT) if r == "digest"]) == 1


def test_a_breakthrough_kind_alerts_in_quiet_hours_with_its_root(store: Store) -> None:
    clock = Clock(START)
    pipeline = setup(store, NIGHT.but(breakthrough=frozenset({"milestone"})), clock)
    replay_seeds(pipeline)
    sent = [(k, r) for k, r, s in rows(store, CHAT) if s == "pending"]
    replies = [k for k, r in sent if r == "reply"]
    assert len(replies) == 1
    event = replies[0].split("|")[1]
    assert event.startswith("swap")
    assert (f"{CHAT}|{event}|root", "root") in sent
    assert all(k.split("|")[1] == event for k, _ in sent), "only the milestone's thread"


def test_digest_mode_holds_all_day_and_writes_one_digest_a_day(store: Store) -> None:
    clock = Clock(START)
    daily = ChatSettings(time_zone="Europe/Kyiv", digest_at=time(8, 0), last_digest_at=START)
    pipeline = setup(store, daily, clock)
    clock.now = START + timedelta(hours=12)  # the middle of the day: still held
    replay_seeds(pipeline)
    assert {s for _, _, s in rows(store, CHAT)} == {"held"}
    digests = Digests(store, pipeline.rulebook, clock)
    first = datetime(2025, 6, 2, 5, 0, tzinfo=UTC)  # 08:00 in Kyiv, before the seeds came
    clock.now = first + timedelta(minutes=1)
    assert digests.write_due() == 1
    assert digests.write_due() == 0
    clock.now = first + timedelta(days=1, minutes=1)
    assert digests.write_due() == 1
    clock.now = first + timedelta(days=1, hours=3)
    assert digests.write_due() == 0
    posted = [(k, s) for k, r, s in rows(store, CHAT) if r == "digest"]
    assert posted == [
        (f"{CHAT}|digest|{first.isoformat()}", "pending"),
        (f"{CHAT}|digest|{(first + timedelta(days=1)).isoformat()}", "pending"),
    ]
    assert {s for _, r, s in rows(store, CHAT) if r != "digest"} == {"folded"}


def test_a_chats_own_alert_kinds_choose_its_replies(store: Store) -> None:
    clock = Clock(START)
    pipeline = setup(store, ChatSettings(alert_kinds=frozenset({"milestone"})), clock)
    replay_seeds(pipeline)
    mine = [k for k, r, _ in rows(store, CHAT) if r == "reply"]
    theirs = [k for k, r, _ in rows(store, OTHER) if r == "reply"]
    assert len(mine) == 1 and len(theirs) > 1
    assert {s for _, _, s in rows(store, CHAT)} == {"pending"}
