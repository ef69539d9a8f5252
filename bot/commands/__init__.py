"""What people can ask: the one command table, answers to /swaps and /attacks, questions in
plain words, read views of the ledger, and subscribing."""

from bot.commands import answers
from bot.commands.charting import chart_reply, event_chart
from bot.commands.claims import Claim, claims_of
from bot.commands.context import ANYONE, OPERATORS, SUBSCRIBERS, Caller, Command, CommandContext
from bot.commands.days import days_in
from bot.commands.dialects import Dialect
from bot.commands.questions import ask, normalise
from bot.commands.table import COMMANDS, TROUBLE, dispatch, find
from bot.commands.views import EventStates, EventView, event_views, news_today

__all__ = [
    "ANYONE",
    "COMMANDS",
    "OPERATORS",
    "SUBSCRIBERS",
    "TROUBLE",
    "Caller",
    "Claim",
    "Command",
    "CommandContext",
    "Dialect",
    "EventStates",
    "EventView",
    "answers",
    "ask",
    "chart_reply",
    "claims_of",
    "days_in",
    "dispatch",
    "event_chart",
    "event_views",
    "find",
    "news_today",
    "normalise",
]
