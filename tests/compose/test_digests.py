"""A chat's digest as a message (bot.compose.digests, issue 17): pure, values in."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from bot.compose import DigestSection, Message, digest
from bot.reconcile import Change, Interval
from bot.reconcile.events import Event
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings

NAMES = Rulebook.from_settings(Settings.from_env({})).naming
KYIV = timezone(timedelta(hours=3))
SINCE = datetime(2025, 6, 1, 23, 0, tzinfo=KYIV)
UNTIL = datetime(2025, 6, 2, 7, 0, tzinfo=KYIV)
NIGHT = Event("attack-ukraine-2025-06-02", "attack", "ukraine", date(2025, 6, 2), date(2025, 6, 2))


def change(kind: str, low: int, metric: str = "attack.drones_launched") -> Change:
    return Change(kind, NIGHT.id, metric, None, None, Interval(low, low), None, ("wire",))


def section(*changes: Change) -> DigestSection:
    return DigestSection(NIGHT, changes, Message("Air attack on Ukraine, 2 June 2025", ("a", "b")))


def test_an_empty_digest_says_nothing_changed() -> None:
    empty = digest([], SINCE, UNTIL, "Europe/Kyiv", NAMES, quiet=False)
    assert empty == Message(
        "Daily digest: no changes",
        ("Nothing changed from 1 Jun 23:00 to 2 Jun 07:00 (Europe/Kyiv).",),
    )


def test_each_event_lists_its_weightiest_changes_then_its_figures_now() -> None:
    news = [change("new", n) for n in range(1, 8)]
    shown = digest([section(*news, change("conflict", 90))], SINCE, UNTIL, "Europe/Kyiv",
                   NAMES, quiet=True, more=2)  # fmt: skip
    assert shown.title == "While it was quiet: 3 events changed"
    assert shown.lines[0] == "▪ Air attack on Ukraine, 2 June 2025"
    assert shown.lines[1].startswith("  Conflict: ")
    assert len([line for line in shown.lines if line.startswith("  New: ")]) == 5
    assert shown.lines[-3:] == ("  …and 2 more changes", "  Now: a; b", "…and 2 more events")
    assert shown.note == "From 1 Jun 23:00 to 2 Jun 07:00 (Europe/Kyiv)."
