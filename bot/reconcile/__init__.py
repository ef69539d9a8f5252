"""The diff engine: figures placed in events, folded into tallies under the checks, and
what changed, named."""

from bot.reconcile.changes import KINDS, Change, diff
from bot.reconcile.checks import Split
from bot.reconcile.claims import Claim
from bot.reconcile.cumulative import Cumulative
from bot.reconcile.engine import EventState, Rules, reconcile_event
from bot.reconcile.events import SWAP_WINDOW, Event, Provenance, place_figures
from bot.reconcile.intervals import Interval, describe
from bot.reconcile.joining import MIN_MEETING, best_event, home_of, undated
from bot.reconcile.reports import Report
from bot.reconcile.rulebook import Rulebook
from bot.reconcile.tallies import Memo, Tally

__all__ = [
    "KINDS",
    "MIN_MEETING",
    "SWAP_WINDOW",
    "Change",
    "Claim",
    "Cumulative",
    "Event",
    "EventState",
    "Interval",
    "Memo",
    "Provenance",
    "Report",
    "Rulebook",
    "Rules",
    "Split",
    "Tally",
    "best_event",
    "describe",
    "diff",
    "home_of",
    "place_figures",
    "reconcile_event",
    "undated",
]
