"""Building reports by hand for the engine's tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from bot.reconcile.checks import load_checks
from bot.reconcile.engine import Rules
from bot.reconcile.reports import Report

CONFIG = Path(__file__).resolve().parents[2] / "config"
TOLLS = frozenset({"attack.killed", "attack.injured", "attack.places_hit", "swap.released_total"})
RULES = Rules(TOLLS, load_checks(CONFIG / "checks.toml"))
MAY = {d: date(2025, 5, d) for d in range(20, 27)}


def report(
    metric: str,
    value: int,
    source: str,
    qualifier: str = "exact",
    *,
    side: str | None = "ukraine",
    day: int | None = 24,
    event: str = "attack-ukraine-2025-05-24",
    phase: int | None = None,
    evidence: str = "",
) -> Report:
    return Report(
        metric=metric,
        value=value,
        qualifier=qualifier,
        side=side,
        event_date=MAY[day] if day else None,
        document_id=f"doc-{source}",
        source=source,
        reported_at=datetime(2025, 5, 24, 12, tzinfo=UTC),
        evidence=evidence or f"{source} reports {value} ({metric})",
        event_id=event,
        phase=MAY[phase] if phase else None,
    )
