"""/settings (issue 17): a chat's settings shown, with buttons, and changed by text or button.

    /settings                                 what the chat has, with buttons to change it
    /settings topics swap|attack|all          the topics, as /subscribe takes them
    /settings alerts KIND ... | default       which change kinds earn a reply
    /settings zone Europe/Kyiv                the chat's time zone (IANA name)
    /settings quiet 23:00-07:00 [ZONE] | off  quiet hours: alerts held for one digest at the end
    /settings breakthrough KIND ... | none    kinds that alert even in quiet hours
    /settings digest 08:00 [ZONE] | off       digest mode: no alerts, one digest a day
    /settings charts on|off                   an event's chart in its thread (off by default)

Parsing (`parse`) and applying (`apply`) are pure; `settings` runs them against the store. A
button's action is the same text ("settings quiet off"), so a button and a typed command do
the same thing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, time

from bot.commands.context import Caller, CommandContext
from bot.commands.subscribing import open_threads, parse_topics, topics_text
from bot.compose import Button, Message
from bot.digests import Digests, schedules
from bot.errors import TallywireError
from bot.reconcile import KINDS
from bot.store import ChatSettings
from bot.store import chat_settings as settings_sql
from bot.store import subscriptions as subscription_sql

OFF = ("off", "none", "no")
SETTINGS = "settings"


class SettingsError(TallywireError):
    """Text /settings cannot use; the message says what was wrong and how to write it."""


@dataclass(frozen=True)
class Edit:
    """One change a /settings text asks for: `what` ("topics", "alerts", "zone", "quiet",
    "breakthrough", "digest", "charts") and its parsed `value` (None: off, or back to the
    default)."""

    what: str
    value: object = None
    zone: str | None = None


def parse(text: str) -> Edit | None:
    """The change `text` asks for; None to show the settings. Raises SettingsError."""
    words = text.split()
    if not words or words[0].casefold() in ("show", "help"):
        return None
    what, rest = words[0].casefold(), words[1:]
    if what in ("topic", "topics"):
        topics = parse_topics(" ".join(rest))
        if topics is None or not rest:
            raise SettingsError("Topics are swap, attack or all: /settings topics swap")
        return Edit("topics", topics)
    if what in ("alert", "alerts"):
        return Edit("alerts", _kinds(rest, "alerts", default_word="default"))
    if what in ("breakthrough", "break"):
        return Edit(
            "breakthrough", _kinds(rest, "breakthrough", default_word="none") or frozenset()
        )
    if what in ("zone", "timezone", "tz"):
        if len(rest) != 1:
            raise SettingsError("Name one time zone: /settings zone Europe/Kyiv")
        return Edit("zone", zone=_zone(rest[0]))
    if what == "quiet":
        return _quiet(rest)
    if what == "digest":
        return _digest(rest)
    if what in ("chart", "charts"):
        return _charts(rest)
    raise SettingsError(
        f"There is no setting {words[0]!r}: topics, alerts, zone, quiet, breakthrough, digest,"
        " charts."
    )


def apply(settings: ChatSettings, edit: Edit, now: datetime) -> ChatSettings:
    """`settings` with `edit` made at `now`. Quiet hours or a digest time set where there were
    none start their count at `now` (a period that ended before is owed no digest); changed,
    they keep it (the next digest covers what came since the last)."""
    zone = edit.zone or settings.time_zone
    since = settings.last_digest_at if _schedules(settings) else None
    start = since or now
    if edit.what == "alerts":
        return settings.but(alert_kinds=edit.value)
    if edit.what == "breakthrough":
        return settings.but(breakthrough=edit.value)
    if edit.what == "charts":
        return settings.but(charts=edit.value is True)
    if edit.what == "zone":
        return settings.but(time_zone=zone, last_digest_at=start)
    if edit.what == "quiet":
        return settings.but(quiet=edit.value, time_zone=zone, last_digest_at=start)
    if edit.what == "digest":
        return settings.but(digest_at=edit.value, time_zone=zone, last_digest_at=start)
    return settings


def describe(
    settings: ChatSettings,
    topics: frozenset[str] | None,
    now: datetime,
    command: str = "/settings",
    chat: str = "this chat",
) -> Message:
    """The chat's settings as a reply, with a button for each common change; `command` is
    /settings as the caller's platform writes it, `chat` the chat as the caller names it."""
    local = now.astimezone(settings.zone)
    kinds = settings.alert_kinds
    quiet = settings.quiet
    lines = [
        f"Topics: {topics_text(topics) if topics else 'not subscribed'}",
        f"Alerts: {_kinds_text(kinds) if kinds is not None else 'as config/alerts.toml says'}",
        f"Time zone: {settings.time_zone} (now {local:%H:%M})",
        f"Quiet hours: {_hhmm(quiet[0])}-{_hhmm(quiet[1])}" if quiet else "Quiet hours: off",
        f"Breaking through quiet hours: {_kinds_text(settings.breakthrough) or 'nothing'}",
        f"Digest: daily at {_hhmm(settings.digest_at)}" if settings.digest_at else "Digest: off",
        f"Charts in event threads: {'on' if settings.charts else 'off'}",
    ]
    upcoming = schedules.next_end(settings, now)
    if upcoming is not None:
        lines.append(f"Next digest: {upcoming.astimezone(settings.zone):%d %b %H:%M}, if due")
    return Message(
        f"Settings for {chat}",
        tuple(lines),
        note=f"Change one with a button, or type {command} NAME VALUE.",
        buttons=BUTTONS,
    )


BUTTONS = (
    (Button("Topics: all", "settings topics all"), Button("Swaps", "settings topics swap"),
     Button("Attacks", "settings topics attack")),
    (Button("Alerts: default", "settings alerts default"),
     Button("Only conflicts, milestones", "settings alerts conflict milestone")),
    (Button("Quiet 23:00-07:00", "settings quiet 23:00-07:00"),
     Button("Quiet off", "settings quiet off")),
    (Button("Conflicts break through", "settings breakthrough conflict milestone"),
     Button("Nothing breaks through", "settings breakthrough none")),
    (Button("Digest at 08:00", "settings digest 08:00"),
     Button("Digest off", "settings digest off")),
    (Button("Charts on", "settings charts on"), Button("Charts off", "settings charts off")),
)  # fmt: skip


async def settings(ctx: CommandContext, caller: Caller, text: str) -> Message:
    """/settings [NAME VALUE]: show the chat's settings, or change one and show them."""
    command = caller.dialect.command(SETTINGS)
    try:
        edit = parse(text)
    except SettingsError as error:
        usage = USAGE.replace("/settings", command)
        return Message(str(error).replace("/settings", command), (usage,), failed=True)
    now = ctx.clock()
    destination = caller.destination
    if edit is not None and edit.what == "topics":
        wanted = edit.value
        assert isinstance(wanted, frozenset)
        await asyncio.to_thread(
            open_threads, ctx.store, ctx.rulebook, destination, wanted, caller.user_id, now,
            now.date(),
        )  # fmt: skip

    def change() -> tuple[ChatSettings, frozenset[str] | None]:
        digests = Digests(ctx.store, ctx.rulebook, ctx.clock)
        with ctx.store.transaction() as conn:
            old = settings_sql.get_settings(conn, destination, lock=True)
            new = old if edit is None else apply(old, edit, now)
            if new != old:
                if _schedules(old) and not _schedules(new):
                    digests.flush(conn, destination, old, now)  # what was held is not lost
                settings_sql.put_settings(conn, destination, new, now)
            subscription = subscription_sql.get_subscription(conn, destination)
        return new, subscription.topics if subscription else None

    chosen, topics = await asyncio.to_thread(change)
    return describe(chosen, topics, now, command, caller.chat)


USAGE = (
    "/settings topics swap|attack|all · alerts KIND ...|default · zone Europe/Kyiv · "
    "quiet 23:00-07:00 [ZONE]|off · breakthrough KIND ...|none · digest 08:00 [ZONE]|off · "
    "charts on|off"
)


def _schedules(settings: ChatSettings) -> bool:
    return settings.quiet is not None or settings.digest_at is not None


def _kinds(words: list[str], what: str, default_word: str) -> frozenset[str] | None:
    chosen = [w.casefold().strip(",") for w in words]
    if chosen == [default_word] or (what == "breakthrough" and chosen in (["off"], ["nothing"])):
        return None
    if not chosen or any(k not in KINDS for k in chosen):
        raise SettingsError(
            f"Name change kinds ({', '.join(KINDS)}) or {default_word}: "
            f"/settings {what} conflict milestone"
        )
    return frozenset(chosen)


def _zone(name: str) -> str:
    if not settings_sql.valid_zone(name):
        raise SettingsError(f"{name[:40]!r} is not a time zone: name one like Europe/Kyiv or UTC.")
    return name


def _time(text: str, example: str) -> time:
    found = settings_sql.parse_hhmm(text)
    if found is None:
        raise SettingsError(f"{text[:20]!r} is not a time of day: {example}")
    return found


def _quiet(words: list[str]) -> Edit:
    example = "/settings quiet 23:00-07:00 Europe/Kyiv, or /settings quiet off"
    if len(words) == 1 and words[0].casefold() in OFF:
        return Edit("quiet")
    if len(words) not in (1, 2) or words[0].count("-") != 1:
        raise SettingsError(f"Give the quiet hours as start-end: {example}")
    start_text, end_text = words[0].split("-")
    start, end = _time(start_text, example), _time(end_text, example)
    if start == end:
        raise SettingsError(f"Quiet hours need an end other than their start: {example}")
    return Edit("quiet", (start, end), _zone(words[1]) if len(words) == 2 else None)


def _digest(words: list[str]) -> Edit:
    example = "/settings digest 08:00 Europe/Kyiv, or /settings digest off"
    if len(words) == 1 and words[0].casefold() in OFF:
        return Edit("digest")
    if len(words) not in (1, 2):
        raise SettingsError(f"Give the digest's time of day: {example}")
    return Edit("digest", _time(words[0], example), _zone(words[1]) if len(words) == 2 else None)


def _charts(words: list[str]) -> Edit:
    chosen = " ".join(words).casefold()
    if chosen in ("on", "yes"):
        return Edit("charts", True)
    if chosen in OFF:
        return Edit("charts", False)
    raise SettingsError("Charts are on or off: /settings charts on")


def _kinds_text(kinds: frozenset[str]) -> str:
    return ", ".join(k for k in KINDS if k in kinds)


def _hhmm(when: time) -> str:
    return f"{when.hour:02d}:{when.minute:02d}"
