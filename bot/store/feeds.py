"""Feeds as chat commands see them: adding and removing one from chat, and the newest figure
each source has brought (for `/status`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, delete, func, select

from bot.store.schema import changes, documents, figures, sources
from bot.store.sources import as_utc, register_source


@dataclass(frozen=True)
class LastFigure:
    """The newest figure read from one source's documents."""

    metric: str
    value: int
    qualifier: str
    source: str
    event_date: date | None
    reported_at: datetime | None


@dataclass(frozen=True)
class LastChange:
    """The newest change of a tally that one source's documents made, as the summaries show
    it: the metric, the side, the tally's interval after the change (`high` None: "at least")."""

    metric: str
    side: str | None
    low: int
    high: int | None
    kind: str
    created_at: datetime | None


def last_changes(conn: Connection) -> dict[str, LastChange]:
    """For each source id, the newest change of a tally its documents made (issue 16: status
    showed the newest extracted figure, which may appear in no summary)."""
    joined = changes.join(documents, documents.c.id == changes.c.document_id)
    measured = changes.c.metric.is_not(None) & changes.c.low.is_not(None)
    newest = (
        select(func.max(changes.c.id).label("id"))
        .select_from(joined)
        .where(measured)
        .group_by(documents.c.source_id)
        .subquery()
    )
    rows = conn.execute(
        select(documents.c.source_id, changes)
        .select_from(joined)
        .where(changes.c.id.in_(select(newest.c.id)))
    )
    return {
        row.source_id: LastChange(
            row.metric, row.side, row.low, row.high, row.kind, as_utc(row.created_at)
        )
        for row in rows
    }


# The origin of a feed the operator added at the console with --allow-private: removable like a
# chat feed, polled like a feed of config (no SSRF guard).
OPERATOR = "operator"


def add_chat_feed(
    conn: Connection, feed_id: str, url: str, label: str, now: datetime, origin: str = "chat"
) -> str | None:
    """Register the feed at `url` as added from chat (or, `origin` OPERATOR, by the operator
    at the console, let through to a private address), unless a source already has that URL;
    return that source's id if one does (None when the feed was added)."""
    known = conn.execute(select(sources.c.id).where(sources.c.url == url)).scalar()
    if known is not None:
        return str(known)
    register_source(
        conn,
        source_id=feed_id,
        kind="feed",
        url=url,
        label=label,
        origin=origin,
        interval_seconds=None,
        now=now,
    )
    return None


def remove_chat_feed(conn: Connection, source_id: str) -> bool:
    """Delete the feed `source_id` if it was added from chat or by the operator; True if it was.

    Feeds from config or the environment and the seeds are never touched: they would come back
    at the next start. The feed's documents and figures stay, as the history they are.
    """
    result = conn.execute(
        delete(sources).where(
            sources.c.id == source_id,
            sources.c.kind == "feed",
            sources.c.origin.in_(("chat", OPERATOR)),
        )
    )
    return result.rowcount > 0


def last_figures(conn: Connection) -> dict[str, LastFigure]:
    """For each source id, the newest figure that counts now from its documents."""
    newest = (
        select(func.max(figures.c.id).label("id"))
        .select_from(figures.join(documents, documents.c.id == figures.c.document_id))
        .where(figures.c.active.is_(True))
        .group_by(documents.c.source_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            documents.c.source_id,
            figures.c.metric,
            figures.c.value,
            figures.c.qualifier,
            figures.c.source,
            figures.c.event_date,
            figures.c.reported_at,
        )
        .select_from(figures.join(documents, documents.c.id == figures.c.document_id))
        .where(figures.c.id.in_(select(newest.c.id)))
    )
    return {
        row.source_id: LastFigure(
            row.metric,
            row.value,
            row.qualifier,
            row.source,
            row.event_date,
            as_utc(row.reported_at),
        )
        for row in rows
    }
