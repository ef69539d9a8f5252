"""What the store knows of one event, ready for answers and messages: the event and its state."""

from __future__ import annotations

from dataclasses import dataclass

from bot.events import Event
from bot.reconcile import EventState


@dataclass(frozen=True)
class EventView:
    """One event with its reconciled state (tallies, checks, running totals)."""

    event: Event
    state: EventState
