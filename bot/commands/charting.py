"""/chart attacks [days] and /chart swaps: a chart of the tallies as a PNG, with a caption that
says the same in words.

The reply is a `Message` whose `image` is the chart and whose text is the caption; each chat
adapter sends it its way (Telegram a photo, Slack a file), the command line writes the file.
Reading the store and drawing run in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date, timedelta

from bot.charts import draw_attacks, draw_swaps
from bot.commands import answers
from bot.commands.chart_series import attacks_caption, attacks_chart, swaps_chart
from bot.commands.context import Caller, CommandContext, WrongUsage, plural
from bot.commands.views import EventView, event_views, news_today
from bot.compose import Image, Message, days_text
from bot.extract import Naming
from bot.reconcile import Rulebook
from bot.store import Store, ledger

DEFAULT_DAYS = 30
MAX_DAYS = 366  # a year of nights, leap or not
EVENT_NIGHTS = 7  # an attack's chart in its thread: its night and the 6 before it
KINDS = {"attacks": "attacks", "attack": "attacks", "swaps": "swaps", "swap": "swaps"}


def chart_request(text: str) -> tuple[str, int]:
    """("attacks", days) or ("swaps", 0) from the text after /chart: "attacks", "attacks 7",
    "attacks 7 days", "swaps". Raises WrongUsage for anything else, days outside 1 to MAX_DAYS
    included."""
    words = text.casefold().split()
    kind = KINDS.get(words[0]) if words else None
    rest = words[1:]
    if kind == "swaps" and not rest:
        return kind, 0
    if kind != "attacks" or len(rest) > 2 or rest[1:] not in ([], ["days"], ["day"], ["nights"]):
        raise WrongUsage(text)
    if not rest:
        return kind, DEFAULT_DAYS
    number = rest[0].removesuffix("d")
    if not number.isdigit() or not 1 <= int(number) <= MAX_DAYS:
        raise WrongUsage(text)
    return kind, int(number)


def chart_reply(
    kind: str, days: int, views: Sequence[EventView], today: date, names: Naming
) -> Message:
    """The chart of `kind` ("attacks" over the `days` nights up to `today`, or "swaps") as a
    Message carrying the PNG, its text the caption; or, with nothing to chart, a reply that
    says so and what is known instead (no image)."""
    if kind == "swaps":
        chart = swaps_chart(views)
        if chart.empty:
            return Message("Nothing to chart yet: no prisoner exchange is known.")
        caption = answers.swaps(views, names)
        drawn = draw_swaps(chart)
        alt = f"{chart.title}: phases, running total and agreed number"
        image = Image(drawn.png, "chart-swaps.png", alt)
        return Message(caption.title, caption.lines, caption.quotes, image=image)
    attacks = attacks_chart(views, today, days, names)
    if attacks.empty:
        known = answers.attack_days(views)
        return Message(
            f"Nothing to chart yet: no air attack is known in the last {plural(days, 'day')}.",
            (f"Air attacks are known on {days_text(known[-3:])}.",) if known else (),
        )
    drawn = draw_attacks(attacks)
    alt = f"{attacks.title}: drones and missiles launched and downed, night by night"
    return Message(
        attacks.title, attacks_caption(attacks), image=Image(drawn.png, "chart-attacks.png", alt)
    )


def event_chart(store: Store, rulebook: Rulebook, event_id: str) -> Message | None:
    """The chart an event's thread gets (bot.pipeline.charted), drawn from the store now: for a
    swap, the swaps chart of that exchange alone; for an attack, the attacks chart of the
    EVENT_NIGHTS nights up to its own. None when the event is gone or has no date, or when
    there is nothing to chart."""
    with store.reading() as conn:
        event = ledger.events_by_id(conn, [event_id]).get(event_id)
    if event is None or event.last_date is None:
        return None
    if event.topic == "swap":
        views = [v for v in event_views(store, rulebook, "swap") if v.event.id == event_id]
        kind, days, last = "swaps", 0, event.last_date
    else:
        since = event.last_date - timedelta(days=EVENT_NIGHTS - 1)
        views = event_views(store, rulebook, "attack", since=since)
        kind, days, last = "attacks", EVENT_NIGHTS, event.last_date
    reply = chart_reply(kind, days, views, last, rulebook.naming)
    return reply if reply.image is not None else None


async def chart(ctx: CommandContext, caller: Caller, text: str) -> Message:
    """/chart attacks [days] (30 if none given) or /chart swaps."""
    kind, days = chart_request(text)

    def work() -> Message:
        views = event_views(ctx.store, ctx.rulebook, states=ctx.states)
        today = news_today(ctx.store, ctx.clock().date())
        return chart_reply(kind, days, views, today, ctx.rulebook.naming)

    return await asyncio.to_thread(work)
