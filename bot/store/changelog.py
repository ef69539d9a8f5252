"""Reading the recorded changes back (issue 17's digests): each change of a period as the
diff engine named it, without the reports behind it (a digest quotes no one)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, select

from bot.reconcile import Change, Interval
from bot.store.schema import changes


def changes_between(conn: Connection, since: datetime, until: datetime) -> list[Change]:
    """The changes recorded after `since` and up to `until`, in the order they were made."""
    rows = conn.execute(
        select(changes)
        .where(changes.c.created_at > since, changes.c.created_at <= until)
        .order_by(changes.c.id)
    )
    return [
        Change(
            row.kind,
            row.event_id,
            row.metric,
            row.side,
            row.phase,
            Interval(row.low, row.high) if row.low is not None else None,
            None,
            tuple(json.loads(row.sources)),
            (),
            row.detail,
        )
        for row in rows
    ]
