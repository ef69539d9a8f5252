"""An event's chart in its thread (issue 17, the chat setting `charts`, off by default).

A chat with charts on gets one more reply in an event's thread, carrying the event's chart:

- a swap, after each update that brings a `milestone` change (the exchange reached its agreed
  number): the swaps chart of that exchange, keyed "<destination>|<event>|chart|milestone-<n>",
  n the total the milestone reached;
- an attack, after the update that completes its night: the first after which the event has
  both a launched and a downed count of drones, or of missiles (what the air force's nightly
  report gives): the attacks chart of the 7 nights up to the event's, keyed
  "<destination>|<event>|chart|complete".

Each key is written once, so a trigger sends one chart per event and chat however often the
event changes after it. The outbox row (role "chart") carries only a text naming the chart;
the picture is drawn from the store when the row is sent (the Deliverer's `charts` renderer),
as digests are, so a year of nights is never stored as a PNG. Held like any reply in quiet
hours or digest mode, and folded by the digest. Pure apart from the values it is given.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.compose import Message
from bot.reconcile import Change, Event, EventState
from bot.store import Outgoing

# (launched, downed): an attack's night is complete once one pair has both counts.
NIGHT_PAIRS = (
    ("attack.drones_launched", "attack.drones_downed"),
    ("attack.missiles_launched", "attack.missiles_downed"),
)
TITLES = {
    "swap": "The chart of this exchange",
    "attack": "The chart of this night's air attack, with the 6 nights before it",
}


def night_complete(state: EventState | None) -> bool:
    """Whether an attack's state has a launched and a downed count of drones or of missiles."""
    if state is None:
        return False
    counted = {t.metric for t in state.tallies if t.interval is not None}
    return any(launched in counted and downed in counted for launched, downed in NIGHT_PAIRS)


def chart_trigger(
    event: Event, before: EventState | None, after: EventState, changes: Sequence[Change]
) -> str | None:
    """What earns the event's thread its chart in this update: "milestone-<n>" for a swap's
    milestone, "complete" for the update that completes an attack's night; None otherwise."""
    if event.topic == "swap":
        for change in changes:
            if change.kind == "milestone":
                return f"milestone-{change.interval.low if change.interval else 0}"
        return None
    if event.topic == "attack" and night_complete(after) and not night_complete(before):
        return "complete"
    return None


def chart_items(
    destination: str,
    charts_on: bool,
    event: Event,
    trigger: str | None,
    held: bool,
) -> list[Outgoing]:
    """The chart reply for `destination` (none unless its charts are on and the update has a
    `trigger`); `held` as the update's reply is."""
    if not charts_on or trigger is None:
        return []
    key = f"{destination}|{event.id}|chart|{trigger}"
    message = Message(TITLES.get(event.topic, "The chart of this event"))
    return [Outgoing(key, destination, event.id, "chart", message, held)]
