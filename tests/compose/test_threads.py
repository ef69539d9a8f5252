"""Composing summaries and alerts: hedges as the tallies give them, sides merged, digits only."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bot.compose.threads import alert, event_title, label, summary
from bot.reconcile.changes import diff
from bot.reconcile.engine import reconcile_event
from bot.reconcile.events import Event
from tests.naming import SHIPPED_NAMING
from tests.reconcile.reports import RULES, report
from tests.reconcile.test_engine import kyiv_may_24

KYIV = Event("attack-ukraine-2025-05-24", "attack", "ukraine", date(2025, 5, 24), date(2025, 5, 24))
SWAP = Event("swap-2025-05-23", "swap", None, date(2025, 5, 23), date(2025, 5, 24))


def test_titles_name_the_event_and_its_days() -> None:
    assert event_title(KYIV) == "Air attack on Ukraine, 24 May 2025"
    assert event_title(SWAP) == "Prisoner exchange, 23–24 May 2025"
    assert (
        event_title(Event("attack-russia-x", "attack", "russia", None, None))
        == "Air attack on Russia"
    )


def test_labels_fall_back_to_the_metric_id_for_metrics_added_in_config() -> None:
    assert label("attack.killed", SHIPPED_NAMING) == "people killed"
    assert label("attack.power_outages", SHIPPED_NAMING) == "power outages"


def test_the_summary_lists_hedged_tallies_and_flags_what_was_set_aside() -> None:
    reports = [*kyiv_may_24(), report("attack.injured", 15, "A", "at_least")]
    text = summary(KYIV, reconcile_event(KYIV.id, reports, RULES), names=SHIPPED_NAMING).plain()
    assert "at least 15 people injured (A)" in text
    assert "250 drones launched (2 sources)" in text
    assert "Adds up: 128 + 117 = 245" in text
    assert "Set aside: 1,280 (A) drones shot down" in text
    assert "Sources: A, B, C" in text


def test_an_each_side_swap_reads_once() -> None:
    reports = [
        report("swap.released", 390, "A", side="both", day=23, event=SWAP.id, phase=23),
        report("swap.released", 307, "B", side="both", day=24, event=SWAP.id, phase=24),
        report("swap.agreed", 1000, "A", side="both", day=None, event=SWAP.id),
    ]
    text = summary(SWAP, reconcile_event(SWAP.id, reports, RULES), names=SHIPPED_NAMING).plain()
    assert "Each side: 390 on 23 May, 307 on 24 May" in text
    assert "Released so far: 697 of 1,000 agreed" in text
    assert "Each side: 1,000 people agreed to be exchanged (A)" in text
    assert "Ukraine" not in text and "Russia" not in text


def test_an_alert_names_the_change_the_values_the_sources_and_the_quote() -> None:
    before = reconcile_event(KYIV.id, kyiv_may_24(with_fix=False), RULES)
    fix = [
        report("attack.drones_shot_down", 128, "B", evidence="128 were shot down and 117 jammed.")
    ]
    after = reconcile_event(KYIV.id, kyiv_may_24(with_fix=False) + fix, RULES)
    message = alert(KYIV, diff(before, after, fix, RULES.tolls), SHIPPED_NAMING)
    assert message.title == "Air attack on Ukraine, 24 May 2025: resolved"
    assert message.lines == ("Resolved: 128 drones shot down (B)",)
    assert [(q.text, q.source) for q in message.quotes] == [
        ("128 were shot down and 117 jammed.", "B")
    ]


def test_figures_in_messages_are_digits() -> None:
    state = reconcile_event(KYIV.id, kyiv_may_24(), RULES)
    text = summary(KYIV, state, names=SHIPPED_NAMING).plain()
    words = re.findall(
        r"\b(one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand)\b", text
    )
    assert words == []


def test_a_dispute_between_claimants_names_each_claim() -> None:
    # Issue 14: "Russia's defence ministry said 180 Ukrainians were returned; Zelensky said 193
    # came home", in one article, and another outlet repeating Zelensky's figure.
    swap = [
        replace(report("swap.released", 180, "AP", side="ukraine", day=23, event=SWAP.id,
                       phase=23), claimant="Russian defence ministry"),
        replace(report("swap.released", 193, "AP", side="ukraine", day=23, event=SWAP.id,
                       phase=23), claimant="Zelensky"),
        replace(report("swap.released", 193, "Reuters", side="ukraine", day=23, event=SWAP.id,
                       phase=23), claimant="Zelensky"),
    ]  # fmt: skip
    text = summary(SWAP, reconcile_event(SWAP.id, swap, RULES), names=SHIPPED_NAMING).plain()
    assert (
        "In dispute: people released: Ukraine: 180 by Russian defence ministry, 193 by Zelensky"
        in text.splitlines()
    )
    before = reconcile_event(SWAP.id, swap[1:], RULES)
    changes = diff(before, reconcile_event(SWAP.id, swap, RULES), swap[:1], RULES.tolls)
    reply = alert(SWAP, changes, SHIPPED_NAMING).plain()
    assert "against 180 (Russian defence ministry, AP)" in reply


def test_a_places_figure_is_never_said_as_the_events() -> None:
    night = Event("attack-russia-2025-05-24", "attack", "russia", date(2025, 5, 24), None)
    reports = [
        report("attack.drones_downed", 105, "TASS", side="russia", event=night.id),
        replace(report("attack.drones_downed", 52, "TASS", side="russia", event=night.id),
                place="Moscow region"),
    ]  # fmt: skip
    text = summary(night, reconcile_event(night.id, reports, RULES), names=SHIPPED_NAMING).plain()
    assert "105 drones downed (TASS)" in text.splitlines()
    assert "52" not in text
