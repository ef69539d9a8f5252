"""A disputed tally answered with every claim, by its claimant (issue 14, cause 4): states the
real engine reconciles from reports written for these tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.commands import answers
from bot.commands.claims import Claim, claims_of, claims_text
from bot.commands.questions import ask
from bot.commands.views import EventView
from bot.reconcile import Claim as EngineClaim
from bot.reconcile import Event, EventState, Interval, Report, Tally
from tests.naming import SHIPPED_NAMING

JUNE = {day: date(2025, 6, day) for day in range(1, 10)}
TODAY = JUNE[9]


def report(
    event: Event, metric: str, value: int, side: str, source: str, claimant: str | None
) -> Report:
    day = event.last_date
    return Report(
        metric=metric,
        value=value,
        qualifier="exact",
        side=side,
        event_date=day,
        document_id=f"{source}-{value}",
        source=source,
        reported_at=datetime(2025, 6, 9, tzinfo=UTC),
        evidence=f"{claimant or source} put it at {value}.",
        event_id=event.id,
        phase=day if metric == "swap.released" else None,
        claimant=claimant,
    )


def tally(backing: Sequence[Report], disputed: Sequence[Report] = ()) -> Tally:
    """The tally a claimant-reconciling engine gives: the first group kept, the others set
    against it as a conflict, one claim per claimant (built by hand, so that these tests do
    not depend on how the engine chooses)."""
    first = backing[0]
    claims = tuple(
        EngineClaim(r.claimant or r.source, r.interval, (r.source,)) for r in (*backing, *disputed)
    )
    return Tally(
        event_id=first.event_id,
        metric=first.metric,
        side=first.side,
        phase=first.phase,
        interval=first.interval,
        status="conflict" if disputed else "single",
        backing=tuple(backing),
        disputed=tuple(disputed),
        claims=claims if disputed else (),
    )


SWAP = Event("swap-2025-06-05", "swap", None, JUNE[5], JUNE[5])
KILLED = Event("attack-ukraine-2025-06-03", "attack", "ukraine", JUNE[3], JUNE[3])
MINISTRY = "Russia's defence ministry"
VIEWS = [
    EventView(
        SWAP,
        EventState(
            SWAP.id,
            (
                tally(
                    [report(SWAP, "swap.released", 180, "ukraine", "Wire", MINISTRY)],
                    [report(SWAP, "swap.released", 193, "ukraine", "Wire", "Zelensky")],
                ),
                tally([report(SWAP, "swap.released", 180, "russia", "Wire", MINISTRY)]),
            ),
        ),
    ),
    EventView(
        KILLED,
        EventState(
            KILLED.id,
            (
                tally(
                    [
                        report(KILLED, "attack.killed", 18, "ukraine", "Daily", "the governor"),
                        report(KILLED, "attack.killed", 18, "ukraine", "Wire", None),
                    ],
                    [report(KILLED, "attack.killed", 85, "ukraine", "Daily", MINISTRY)],
                ),
            ),
        ),
    ),
]


def test_the_claims_of_a_dispute_name_their_claimants_or_else_their_outlets() -> None:
    killed = next(t for t in VIEWS[1].state.tallies if t.metric == "attack.killed")
    assert claims_of(killed) == [
        Claim(Interval(18, 18), ("Wire", "the governor")),
        Claim(Interval(85, 85), ("Russia's defence ministry",)),
    ]
    assert claims_text(claims_of(killed)) == (
        "18 by Wire and the governor, 85 by Russia's defence ministry"
    )


def test_a_tally_all_agree_on_has_no_claims() -> None:
    released = next(t for t in VIEWS[0].state.tallies if t.side == "russia")
    assert claims_of(released) == []


@pytest.mark.parametrize(
    ("question", "must", "must_not"),
    [
        (
            "how many prisoners did Ukraine get back on June 5?",
            ["Russia's defence ministry", "Zelensky", "180", "193"],
            ["each side"],
        ),
        (
            "how many people were killed on June 3?",
            ["18 by Wire and the governor", "85 by Russia's defence ministry"],
            [],
        ),
    ],
)
def test_a_disputed_figure_is_answered_with_both_claims(
    question: str, must: list[str], must_not: list[str]
) -> None:
    reply = ask(question, VIEWS, TODAY, SHIPPED_NAMING)
    text = "\n".join((reply.title, *reply.lines))
    assert [m for m in must if m not in text] == []
    assert [m for m in must_not if m in text] == []


def test_the_summary_of_a_swap_gives_each_claim_of_a_disputed_side() -> None:
    lines = answers.phase_lines(VIEWS[0].state)
    assert len(lines) == 1
    assert lines[0].startswith("June 5: returned to Ukraine, disputed: ")
    assert lines[0].endswith("; 180 to Russia (Wire).")


def test_the_engines_own_claims_are_read_the_kept_one_first() -> None:
    backing = [report(KILLED, "attack.killed", 18, "ukraine", "Daily", "the governor")]
    rival = [report(KILLED, "attack.killed", 85, "ukraine", "Daily", MINISTRY)]
    claimed = replace(
        tally(backing, rival),
        claims=(
            EngineClaim(MINISTRY, Interval(85, 85), ("Daily",)),
            EngineClaim("the governor", Interval(18, 18), ("Daily",)),
            EngineClaim("the mayor", Interval(18, 18), ("Post",)),
        ),
    )
    assert claims_text(claims_of(claimed)) == (
        "18 by the governor and the mayor, 85 by Russia's defence ministry"
    )
