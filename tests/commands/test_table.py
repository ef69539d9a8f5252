"""bot.commands: the one command table, its permissions, and the replies, over real stores.

Feeds added from chat go through the SSRF guard with an injected resolver; a real HTTP server
on 127.0.0.1 (port 0) records every request, and every socket connect in the process is
recorded too, so "refused" means no request and no connection reached anything.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot.commands import answers, table
from bot.commands.context import ANYONE, OPERATORS, SUBSCRIBERS, Caller, Command, CommandContext
from bot.commands.operating import change_text, unsent_lines
from bot.commands.subscribing import parse_topics, recent_views
from bot.commands.table import COMMANDS, TROUBLE, dispatch, find, permitted
from bot.commands.views import event_views
from bot.compose.messages import Message
from bot.errors import StoreError
from bot.pipeline.flow import Pipeline
from bot.reconcile.rulebook import Rulebook
from bot.resources import shipped_dir
from bot.settings import Settings
from bot.sources.cleaning import COMMAND_TEXT_CHARS, LINK_CHARS
from bot.sources.feeds import feed_id_for
from bot.sources.netguard import PUBLIC_ONLY
from bot.sources.seeds import seed_documents
from bot.store import PollRecord, Store
from bot.store import feeds as feed_sql
from bot.store import outbox as outbox_sql
from bot.store import subscriptions as subscription_sql

SETTINGS = replace(Settings.from_env({}), admins=frozenset({"op"}))
RULEBOOK = Rulebook.from_settings(SETTINGS)
MAY = {d: date(2025, 5, d) for d in range(20, 27)}

ME = Caller("u1", "telegram:u1", private=True, chat_admin=False)
MEMBER = Caller("u2", "telegram:-100", private=False, chat_admin=False)
GROUP_ADMIN = Caller("u3", "telegram:-100", private=False, chat_admin=True)
OPERATOR = Caller("op", "slack:C1", private=False, chat_admin=False)


class FakeResolver:
    """Answers from `table`; unknown names do not resolve. Records every (host, port) asked."""

    def __init__(self, table: Mapping[str, list[str]] | None = None) -> None:
        self.table = dict(table or {})
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        if host.rstrip(".") not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: unknown")
        return list(self.table[host.rstrip(".")])


def context(
    store: Store,
    now: datetime,
    resolver: FakeResolver | None = None,
    treat_as_public: frozenset[str] = frozenset(),
) -> CommandContext:
    return CommandContext(
        store, RULEBOOK, SETTINGS, lambda: now, resolver or FakeResolver(), treat_as_public
    )


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every socket connect attempted in this process while the test runs."""
    seen: list[object] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self: socket.socket, address: object) -> None:
        seen.append(address)
        real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        seen.append(address)
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    return seen


@contextmanager
def loopback_server() -> Iterator[tuple[int, list[str]]]:
    """A real HTTP server on 127.0.0.1, port 0, in a thread: (port, paths requested)."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd.server_address[1], requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def replayed(store: Store, now: datetime) -> Store:
    """The store after the five seeds, as `tallywire replay` leaves it."""
    pipeline = Pipeline(store, SETTINGS, lambda: now, RULEBOOK)
    pipeline.register_seeds(shipped_dir("seeds"))
    pipeline.ingest(seed_documents(shipped_dir("seeds")))
    return store


def outbox_rows(store: Store, destination: str) -> list[tuple[str, str]]:
    with store.transaction() as conn:
        return [(i.key, i.role) for i in outbox_sql.pending(conn, [destination])]


def chat_feeds(store: Store) -> list[str]:
    return [s.id for s in store.sources() if s.origin == "chat"]


# --- The table -----------------------------------------------------------------------------


def test_the_commands_in_order() -> None:
    assert [c.name for c in COMMANDS] == [
        "help",
        "start",
        "subscribe",
        "unsubscribe",
        "settings",
        "swaps",
        "attacks",
        "chart",
        "ask",
        "sources",
        "status",
        "feeds",
        "addfeed",
        "removefeed",
    ]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_command_has_help_usage_and_a_refusal_when_it_can_refuse(
    command: Command,
) -> None:
    assert command.help.strip() and command.help == command.help.strip()
    assert command.usage.split()[0] == command.name
    assert command.who in ("anyone", SUBSCRIBERS, OPERATORS)
    if command.who != "anyone":
        assert command.refusal.startswith("Only ") and len(command.refusal) <= 80


def test_only_the_welcome_is_left_out_of_help_and_the_menus() -> None:
    assert [c.name for c in COMMANDS if not c.listed] == ["start"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("help", "help"),
        ("/help", "help"),
        ("/HELP@TallywireBot", "help"),
        ("start", "start"),
        ("/start", "start"),
        (" addfeed ", "addfeed"),
        ("nope", None),
        ("", None),
        ("@", None),
    ],
)
def test_find(typed: str, found: str | None) -> None:
    command = find(typed)
    assert (command.name if command else None) == found


async def test_help_has_a_line_per_command(store: Store, now: datetime) -> None:
    reply = await dispatch(context(store, now), MEMBER, "help", "")
    assert reply.lines == tuple(f"/{c.usage}: {c.help}" for c in COMMANDS if c.listed)
    assert not any(line.startswith("/start") for line in reply.lines)


async def test_start_welcomes_in_three_lines_then_lists_the_commands(
    store: Store, now: datetime
) -> None:
    welcome = await dispatch(context(store, now), MEMBER, "/start", "")
    helped = await dispatch(context(store, now), MEMBER, "help", "")
    assert welcome.title == "Welcome to Tallywire"
    about, blank, commands = welcome.lines[:3], welcome.lines[3], welcome.lines[4:]
    assert "figures" in about[0] and "/subscribe" in about[2] and blank == ""
    assert commands == helped.lines


async def test_an_unknown_command_lists_the_commands(store: Store, now: datetime) -> None:
    reply = await dispatch(context(store, now), MEMBER, "/frobnicate", "x")
    assert reply.title == "There is no command /frobnicate."
    names = ["/" + c.name for c in COMMANDS if c.listed]
    assert reply.lines == (f"Commands: {', '.join(names[:-1])} and {names[-1]}.",)
    assert reply.failed


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("/subscibe", "/subscribe"), ("/attack", "/attacks"), ("/SWAP", "/swaps"),
     ("/feed", "/feeds"), ("/stats", "/status")],
)  # fmt: skip
async def test_an_unknown_command_close_to_one_names_it(
    store: Store, now: datetime, typed: str, meant: str
) -> None:
    reply = await dispatch(context(store, now), MEMBER, typed, "")
    assert reply.title.endswith(f" Did you mean {meant}?")


async def test_an_unknown_command_far_from_all_names_none(store: Store, now: datetime) -> None:
    reply = await dispatch(context(store, now), MEMBER, "/xyzzy", "")
    assert reply.title == "There is no command /xyzzy."


# --- Who may run what ----------------------------------------------------------------------

SUBSCRIBE_REFUSED = "Only this chat's admins or Tallywire's operators can subscribe it."
FEEDS_REFUSED = "Only Tallywire's operators can change feeds."


@pytest.mark.parametrize(
    ("caller", "name", "allowed"),
    [
        (ME, "subscribe", True),  # a private chat with the bot
        (MEMBER, "subscribe", False),
        (GROUP_ADMIN, "subscribe", True),
        (OPERATOR, "subscribe", True),  # an operator, anywhere
        (replace(ME, destination="slack:D1", user_id="op"), "subscribe", True),
        (MEMBER, "unsubscribe", False),
        (GROUP_ADMIN, "unsubscribe", True),
        (ME, "addfeed", False),
        (GROUP_ADMIN, "addfeed", False),
        (OPERATOR, "addfeed", True),
        (GROUP_ADMIN, "removefeed", False),
        (OPERATOR, "removefeed", True),
        (ME, "status", False),
        (OPERATOR, "status", True),
        (GROUP_ADMIN, "feeds", False),
        (MEMBER, "swaps", True),
        (MEMBER, "attacks", True),
        (MEMBER, "ask", True),
        (MEMBER, "sources", True),
        (MEMBER, "help", True),
    ],
)
def test_permissions(caller: Caller, name: str, allowed: bool) -> None:
    command = find(name)
    assert command is not None
    assert permitted(command, caller, SETTINGS) is allowed


async def test_a_group_member_is_refused_with_the_short_reason(store: Store, now: datetime) -> None:
    reply = await dispatch(context(store, now), MEMBER, "subscribe", "")
    assert reply == Message(SUBSCRIBE_REFUSED)
    with store.transaction() as conn:
        assert subscription_sql.get_subscription(conn, MEMBER.destination) is None


@pytest.mark.parametrize("caller", [ME, GROUP_ADMIN, OPERATOR], ids=["private", "admin", "op"])
async def test_those_allowed_subscribe(store: Store, now: datetime, caller: Caller) -> None:
    reply = await dispatch(context(store, now), caller, "subscribe", "")
    assert (
        reply.title == "Subscribed this chat to swap and attack: new events will follow as threads."
    )
    with store.transaction() as conn:
        found = subscription_sql.get_subscription(conn, caller.destination)
    assert found is not None and found.topics == frozenset({"all"}) and found.enabled


async def test_a_non_operator_cannot_add_a_feed(store: Store, now: datetime) -> None:
    resolver = FakeResolver({"public.test": ["93.184.216.34"]})
    reply = await dispatch(
        context(store, now, resolver), GROUP_ADMIN, "addfeed", "http://public.test/"
    )
    assert reply == Message(FEEDS_REFUSED)
    assert resolver.calls == [] and chat_feeds(store) == []


# --- /addfeed and the SSRF guard -----------------------------------------------------------

REFUSED = [
    ("http://127.0.0.1:{port}/feed.xml", "127.0.0.1 is a loopback address"),
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://[::1]:{port}/", "::1 is a loopback address"),
    ("http://0x7f000001:{port}/", "0x7f000001 (127.0.0.1) is a loopback address"),
    ("http://localhost:{port}/", "localhost is this machine"),
    ("http://feeds.test:{port}/feed.xml", "feeds.test resolves to 127.0.0.1, a loopback address"),
    ("http://u@public.test:{port}/", "user name or password"),
]


@pytest.mark.parametrize(("template", "reason"), REFUSED)
async def test_internal_feeds_are_refused_and_nothing_is_contacted(
    store: Store, now: datetime, connections: list[object], template: str, reason: str
) -> None:
    resolver = FakeResolver({"feeds.test": ["127.0.0.1"], "public.test": ["93.184.216.34"]})
    with loopback_server() as (port, requests):
        reply = await dispatch(
            context(store, now, resolver), OPERATOR, "addfeed", template.format(port=port)
        )
        await asyncio.sleep(0)  # anything the command had started would have run by now
    assert reply.title.startswith("Feed not added: ") and reason in reply.title
    assert reply.title.endswith(f"{PUBLIC_ONLY}.") or "user name" in reason
    assert requests == []
    assert connections == []
    assert chat_feeds(store) == []


async def test_a_name_is_resolved_not_fetched(
    store: Store, now: datetime, connections: list[object]
) -> None:
    resolver = FakeResolver({"feeds.test": ["127.0.0.1"]})
    with loopback_server() as (port, requests):
        await dispatch(
            context(store, now, resolver), OPERATOR, "addfeed", f"http://feeds.test:{port}/"
        )
    assert resolver.calls == [("feeds.test", port)]
    assert requests == [] and connections == []


async def test_a_public_feed_is_added_from_chat(
    store: Store, now: datetime, connections: list[object]
) -> None:
    resolver = FakeResolver({"news.test": ["127.0.0.2"]})
    ctx = context(store, now, resolver, treat_as_public=frozenset({"127.0.0.2"}))
    url = "https://news.test/rss.xml"
    reply = await dispatch(ctx, OPERATOR, "addfeed", f"  {url}  ")
    feed_id = feed_id_for(url)
    assert reply == Message(
        f"Added feed {feed_id}.", (url,), (), f"/removefeed {feed_id} removes it."
    )
    record = store.source(feed_id)
    assert record is not None
    assert (record.kind, record.url, record.origin, record.label) == (
        "feed",
        url,
        "chat",
        "news.test",
    )
    assert connections == []  # checked by resolving only
    again = await dispatch(ctx, OPERATOR, "addfeed", url)
    assert again == Message(f"That feed is already polled, as {feed_id}.")
    assert chat_feeds(store) == [feed_id]


async def test_a_feed_already_configured_is_not_added_twice(store: Store, now: datetime) -> None:
    url = "https://news.test/rss.xml"
    store.register_source(
        source_id="news", kind="feed", url=url, label="News", origin="config",
        interval_seconds=None, now=now,
    )  # fmt: skip
    ctx = context(store, now, FakeResolver({"news.test": ["93.184.216.34"]}))
    assert await dispatch(ctx, OPERATOR, "addfeed", url) == Message(
        "That feed is already polled, as news."
    )
    assert chat_feeds(store) == []


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("", "Usage: /addfeed URL"),
        ("   ", "Usage: /addfeed URL"),
        ("ftp://news.test/rss", "Feed not added: 'ftp://news.test/rss' is not an http(s) URL"),
        ("news.test/rss", "Feed not added: 'news.test/rss' is not an http(s) URL"),
        (
            "http://nowhere.test/",
            "Feed not added: nowhere.test could not be resolved, so it cannot be checked.",
        ),
    ],
)
async def test_addfeed_says_what_is_wrong(
    store: Store, now: datetime, text: str, title: str
) -> None:
    reply = await dispatch(context(store, now), OPERATOR, "addfeed", text)
    assert reply.title == title
    assert chat_feeds(store) == []


async def test_a_feed_url_longer_than_a_link_is_refused_unresolved(
    store: Store, now: datetime
) -> None:
    resolver = FakeResolver({"news.test": ["93.184.216.34"]})
    url = "https://news.test/" + "a" * LINK_CHARS

    reply = await dispatch(context(store, now, resolver), OPERATOR, "addfeed", url)

    assert reply == Message("Feed not added: the URL is longer than 2,048 characters.")
    assert resolver.calls == [] and chat_feeds(store) == []


async def test_a_feed_added_from_chat_is_stored_clean(store: Store, now: datetime) -> None:
    # Issue 12: chat input is cleaned once, in dispatch, on both engines alike.
    resolver = FakeResolver({"news.test": ["127.0.0.2"]})
    ctx = context(store, now, resolver, treat_as_public=frozenset({"127.0.0.2"}))

    reply = await dispatch(ctx, OPERATOR, "/add\x00feed\r", "https://news.test/\x00rss.xml\r\n")

    url = "https://news.test/rss.xml"
    assert reply.title == f"Added feed {feed_id_for(url)}."
    record = store.source(feed_id_for(url))
    assert record is not None and (record.url, record.label) == (url, "news.test")


async def test_commands_get_their_name_and_text_clean_and_bounded(
    store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    names: list[str] = []
    texts: list[str] = []

    async def record(ctx: CommandContext, caller: Caller, text: str) -> Message:
        texts.append(text)
        return Message("recorded")

    def found(name: str) -> Command:
        names.append(name)
        return Command("record", "record", "records what it is given", record, ANYONE)

    monkeypatch.setattr(table, "find", found)
    text = "how many\x00 drones?\r\n\x1b[2J" + "x" * COMMAND_TEXT_CHARS

    reply = await dispatch(context(store, now), ME, " /rec\x00ord\n@Bot\x7f ", text)

    assert reply == Message("recorded")
    assert names == ["/record @Bot"]
    assert texts == [("how many drones?\n[2J" + "x" * COMMAND_TEXT_CHARS)[:COMMAND_TEXT_CHARS]]


async def test_the_allowlist_lets_an_internal_feed_in(store: Store, now: datetime) -> None:
    settings = replace(SETTINGS, feed_allow=Settings.from_env(
        {"TALLYWIRE_FEED_ALLOW": "10.0.0.0/8"}).feed_allow)  # fmt: skip
    ctx = replace(context(store, now), settings=settings)
    reply = await dispatch(ctx, OPERATOR, "addfeed", "http://10.1.2.3/rss")
    assert reply.title == f"Added feed {feed_id_for('http://10.1.2.3/rss')}."


# --- /removefeed ---------------------------------------------------------------------------


@pytest.fixture
def with_feeds(store: Store, now: datetime) -> Store:
    for source_id, origin in (("wire", "config"), ("envfeed", "env"), ("chatfeed", "chat")):
        store.register_source(
            source_id=source_id, kind="feed", url=f"https://{source_id}.test/rss", label=source_id,
            origin=origin, interval_seconds=None, now=now,
        )  # fmt: skip
    store.register_source(
        source_id="seeds", kind="seeds", url=None, label="seeds", origin="seeds",
        interval_seconds=None, now=now,
    )  # fmt: skip
    return store


@pytest.mark.parametrize(
    ("text", "title", "gone"),
    [
        ("chatfeed", "Removed feed chatfeed: it is no longer polled.", "chatfeed"),
        ("wire", "wire is in config (feeds.toml); remove it there, not from chat.", None),
        ("envfeed", "envfeed is in TALLYWIRE_FEEDS; remove it there, not from chat.", None),
        ("seeds", "seeds is the seed documents, not a feed.", None),
        ("nosuch", "nosuch is not a feed's id.", None),
        ("'; drop table sources; --", "'; drop table sources; -- is not a feed's id.", None),
        ("", "Usage: /removefeed ID", None),
    ],
)
async def test_removefeed(
    with_feeds: Store, now: datetime, text: str, title: str, gone: str | None
) -> None:
    before = {s.id for s in with_feeds.sources()}
    reply = await dispatch(context(with_feeds, now), OPERATOR, "removefeed", text)
    assert reply.title == title
    assert {s.id for s in with_feeds.sources()} == before - {gone}


async def test_removing_twice(with_feeds: Store, now: datetime) -> None:
    ctx = context(with_feeds, now)
    await dispatch(ctx, OPERATOR, "removefeed", "chatfeed")
    reply = await dispatch(ctx, OPERATOR, "removefeed", "chatfeed")
    assert reply.title == "chatfeed is not a feed's id."


def test_remove_chat_feed_touches_only_chat_feeds(with_feeds: Store) -> None:
    with with_feeds.transaction() as conn:
        assert [feed_sql.remove_chat_feed(conn, i) for i in ("wire", "envfeed", "seeds")] == [
            False,
            False,
            False,
        ]
        assert feed_sql.remove_chat_feed(conn, "chatfeed") is True
    assert {s.id for s in with_feeds.sources()} == {"wire", "envfeed", "seeds"}


# --- /subscribe and /unsubscribe -----------------------------------------------------------


async def test_subscribing_opens_a_thread_per_recent_event_once(
    replayed: Store, now: datetime
) -> None:
    newest = replayed.newest_published()
    assert newest is not None
    recent = recent_views(event_views(replayed, RULEBOOK), newest)
    expected = [(f"{GROUP_ADMIN.destination}|{v.event.id}|root", "root") for v in recent]
    # The seeds' exchange and their night attacks on each side, May 23 to 25.
    assert {v.event.id for v in recent} >= {
        "attack-ukraine-2025-05-24",
        "attack-ukraine-2025-05-25",
    }
    assert len(expected) == 7
    ctx = context(replayed, now)
    reply = await dispatch(ctx, GROUP_ADMIN, "subscribe", "")
    assert (
        reply.title
        == "Subscribed this chat to swap and attack: 7 current events follow as threads."
    )
    assert outbox_rows(replayed, GROUP_ADMIN.destination) == expected
    again = await dispatch(ctx, GROUP_ADMIN, "subscribe", "all")
    assert again.title == "This chat's subscription now covers swap and attack."
    assert outbox_rows(replayed, GROUP_ADMIN.destination) == expected  # no duplicate root


async def test_subscribing_to_one_topic(replayed: Store, now: datetime) -> None:
    ctx = context(replayed, now)
    reply = await dispatch(ctx, ME, "subscribe", "swaps")
    assert reply.title == "Subscribed this chat to swap: 1 current event follows as a thread."
    assert [key.split("|")[1] for key, _ in outbox_rows(replayed, ME.destination)] == [
        v.event.id for v in event_views(replayed, RULEBOOK, "swap")
    ]
    widened = await dispatch(ctx, ME, "subscribe", "attack, swap")
    assert widened.title == (
        "This chat's subscription now covers swap and attack. 6 current events follow as threads."
    )
    assert len(outbox_rows(replayed, ME.destination)) == 7


async def test_subscribe_with_a_bad_topic_shows_the_usage(store: Store, now: datetime) -> None:
    reply = await dispatch(context(store, now), ME, "subscribe", "weather")
    assert reply.title == "Usage: /subscribe [swap|attack|all]"
    with store.transaction() as conn:
        assert subscription_sql.get_subscription(conn, ME.destination) is None


async def test_unsubscribe(store: Store, now: datetime) -> None:
    ctx = context(store, now)
    await dispatch(ctx, ME, "subscribe", "attack")
    reply = await dispatch(ctx, ME, "unsubscribe", "")
    assert reply.title == "Unsubscribed this chat: no new threads will be posted here."
    again = await dispatch(ctx, ME, "unsubscribe", "")
    assert again.title == "This chat was not subscribed."


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("", {"all"}),
        ("all", {"all"}),
        ("ALL", {"all"}),
        ("swap", {"swap"}),
        ("swaps", {"swap"}),
        ("attack", {"attack"}),
        ("attacks swap", {"attack", "swap"}),
        ("swap,attack", {"attack", "swap"}),
        ("swap all", {"all"}),
        ("weather", None),
        ("swap weather", None),
    ],
)
def test_parse_topics(text: str, topics: set[str] | None) -> None:
    assert parse_topics(text) == (frozenset(topics) if topics is not None else None)


# --- Answers -------------------------------------------------------------------------------


async def test_swaps_attacks_and_ask_answer_from_the_tallies(
    replayed: Store, now: datetime
) -> None:
    ctx = context(replayed, now)
    views = event_views(replayed, RULEBOOK)
    assert await dispatch(ctx, MEMBER, "swaps", "") == answers.swaps(views, RULEBOOK.naming)
    assert await dispatch(ctx, MEMBER, "attacks", "") == answers.attacks(
        views, names=RULEBOOK.naming
    )
    may_24 = await dispatch(ctx, MEMBER, "attacks", "May 24")
    assert may_24 == answers.attacks(views, MAY[24], names=RULEBOOK.naming)
    assert "250" in may_24.plain() and "128" in may_24.plain()  # figures in digits
    assert await dispatch(ctx, MEMBER, "attacks", "2025-05-25") == answers.attacks(
        views, MAY[25], names=RULEBOOK.naming
    )
    reply = await dispatch(ctx, MEMBER, "ask", "how many drones were shot down on May 24?")
    assert "128" in reply.plain()


async def test_attacks_with_a_date_it_cannot_read(store: Store, now: datetime) -> None:
    reply = await dispatch(context(store, now), MEMBER, "attacks", "the day after the war")
    assert reply.title == "That is not a date I can read."
    assert reply.lines == ('Try "/attacks May 24", "/attacks 2025-05-24" or "/attacks yesterday".',)


async def test_ask_with_nothing_asked_explains(store: Store, now: datetime) -> None:
    reply = await dispatch(context(store, now), MEMBER, "ask", "")
    assert reply.title == "Ask me about the figures in the news."


# --- /sources, /feeds and /status ----------------------------------------------------------


async def test_sources_feeds_and_status(replayed: Store, now: datetime) -> None:
    replayed.register_source(
        source_id="wire", kind="feed", url="https://wire.test/rss", label="Wire", origin="config",
        interval_seconds=None, now=now,
    )  # fmt: skip
    replayed.record_poll("wire", PollRecord(status="error", error="HTTP 500"), now)
    with replayed.transaction() as conn:
        subscription_sql.subscribe(conn, "slack:C1", frozenset({"all"}), None, None, now)
        subscription_sql.subscribe(conn, "slack:C2", frozenset({"all"}), None, None, now)
        subscription_sql.disable(conn, "slack:C2", "channel_not_found", now)
        pending = len(outbox_sql.pending(conn))
        last = feed_sql.last_changes(conn)
        held = outbox_sql.pending(conn)[:3]
        for item, end in zip(held, ("failed", "uncertain", "uncertain"), strict=True):
            outbox_sql.finish(conn, item.id, end, now, None, "no answer")
    documents = replayed.documents_by_source()["seeds"]
    ctx = context(replayed, now)

    sources = await dispatch(ctx, MEMBER, "sources", "")
    assert sources.title == "Sources"
    assert sources.lines[0].endswith(
        f"last poll 2025-05-24 12:00 UTC, ok, {documents} documents, 0 errors."
    )
    assert sources.lines[1] == "Wire: last poll 2025-05-24 12:00 UTC, error, 0 documents, 1 error."

    feeds = await dispatch(ctx, OPERATOR, "feeds", "")
    assert feeds.lines == (
        "wire (config): https://wire.test/rss",
        "  last poll 2025-05-24 12:00 UTC, error, 0 documents, 1 error.",
        "  Last error: HTTP 500",
    )

    status = await dispatch(ctx, OPERATOR, "status", "")
    assert set(last) == {"seeds"}
    # Issue 16: the newest change of a tally, as the summaries show it, not a raw figure that
    # may appear in no summary: its interval is the current tally's.
    newest = last["seeds"]
    assert status.lines[2] == f"  Last change: {change_text(newest, ctx.rulebook.naming)}"
    tallies = [t for v in event_views(replayed, ctx.rulebook) for t in v.state.tallies]
    assert any(
        (t.metric, t.side, t.interval.low, t.interval.high)
        == (newest.metric, newest.side, newest.low, newest.high)
        for t in tallies
    )
    held_to = sorted({item.destination for item in held})
    assert status.lines[-2 - len(held_to) :] == (
        f"Outbox: {pending - 3} messages waiting to be sent.",
        *unsent_lines(
            {
                (d, e): n
                for d in held_to
                for e, n in Counter(
                    end
                    for item, end in zip(held, ("failed", "uncertain", "uncertain"), strict=True)
                    if item.destination == d
                ).items()
            }
        ),
        "Subscriptions: 1 active, 1 disabled.",
    )
    assert "  Last error: HTTP 500" in status.lines


async def test_status_of_an_empty_store(store: Store, now: datetime) -> None:
    reply = await dispatch(context(store, now), OPERATOR, "status", "")
    assert reply == Message(
        "Tallywire status",
        ("Outbox: 0 messages waiting to be sent.", "Subscriptions: 0 active, 0 disabled."),
    )
    assert (await dispatch(context(store, now), MEMBER, "sources", "")).lines == (
        "No sources yet.",
    )


def test_last_figures_is_the_newest_active_figure_per_source(replayed: Store) -> None:
    from sqlalchemy import select

    from bot.store.schema import figures

    with replayed.transaction() as conn:
        newest = conn.execute(
            select(figures).where(figures.c.active.is_(True)).order_by(figures.c.id.desc())
        ).first()
        found = feed_sql.last_figures(conn)["seeds"]
    assert newest is not None
    assert (found.metric, found.value, found.qualifier, found.source) == (
        newest.metric, newest.value, newest.qualifier, newest.source,
    )  # fmt: skip


# --- dispatch never raises -----------------------------------------------------------------


async def test_an_unexpected_error_is_logged_not_echoed(
    store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> Message:
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setattr(answers, "swaps", broken)
    with caplog.at_level(logging.ERROR, logger="bot.commands"):
        reply = await dispatch(context(store, now), MEMBER, "swaps", "")
    assert reply == Message(TROUBLE)
    assert "hunter2" in caplog.text  # the operators see it in the log


async def test_a_store_error_is_not_echoed(
    store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise StoreError("cannot open the store at postgresql://u:***@db/x: connection refused")

    monkeypatch.setattr(table, "event_views", broken)
    assert await dispatch(context(store, now), MEMBER, "attacks", "") == Message(TROUBLE)


NAMES = st.one_of(
    st.sampled_from([*(c.name for c in COMMANDS), "start", "/help@Bot", "/ADDFEED"]), st.text()
)
CALLERS = st.builds(
    Caller,
    user_id=st.sampled_from(["op", "u1", ""]),
    destination=st.sampled_from(["telegram:-1", "slack:C1", "console"]),
    private=st.booleans(),
    chat_admin=st.booleans(),
)


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(caller=CALLERS, name=NAMES, text=st.text(max_size=300))
def test_dispatch_never_raises(
    store: Store, now: datetime, caller: Caller, name: str, text: str
) -> None:
    ctx = context(store, now + timedelta(days=1))  # the resolver knows no name: no DNS
    reply = asyncio.run(dispatch(ctx, caller, name, text))
    assert isinstance(reply, Message) and reply.title
    assert "Traceback" not in reply.plain()
