"""Storing documents once: recognised again by guid, link or text; changed text is a new version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import Connection, func, insert, select, update

from bot.sources import Document
from bot.store.schema import document_keys, document_versions, documents

StoredKind = Literal["new", "version", "duplicate"]


@dataclass(frozen=True)
class Stored:
    """What storing a document did: `new` document, new `version` of one, or a `duplicate`."""

    kind: StoredKind
    document_id: str
    version: int


def add_document(conn: Connection, doc: Document, now: datetime) -> Stored:
    """Store `doc` unless it is already known; a known guid or link with new text is a version.

    The same text under another URL is the same document (syndication), not a version.
    """
    keys = doc.identity_keys()
    found = dict(
        conn.execute(
            select(document_keys.c.key, document_keys.c.document_id).where(
                document_keys.c.key.in_(keys)
            )
        ).all()
    )
    known_id = next((found[key] for key in keys if key in found), None)
    if known_id is None and _exists(conn, doc.id):
        known_id = doc.id  # a seed file edited in place keeps its id
    if known_id is None:
        _insert_new(conn, doc, now)
        _add_keys(conn, doc.id, [k for k in keys if k not in found])
        return Stored("new", doc.id, 1)
    version, latest_hash = conn.execute(
        select(documents.c.version, document_versions.c.content_hash)
        .join(document_versions, document_versions.c.document_id == documents.c.id)
        .where(documents.c.id == known_id, document_versions.c.version == documents.c.version)
    ).one()
    matched_by_text_only = all(k.startswith("text:") for k in keys if k in found)
    _add_keys(conn, known_id, [k for k in keys if k not in found])
    if latest_hash == doc.content_hash or (found and matched_by_text_only):
        return Stored("duplicate", known_id, version)
    _insert_version(conn, known_id, version + 1, doc, now)
    conn.execute(
        update(documents)
        .where(documents.c.id == known_id)
        .values(version=version + 1, title=doc.title, updated_at=now)
    )
    return Stored("version", known_id, version + 1)


def latest_text(conn: Connection, document_id: str) -> str | None:
    """The newest text of a document, or None if there is no such document."""
    row = conn.execute(
        select(document_versions.c.text)
        .join(documents, documents.c.id == document_versions.c.document_id)
        .where(documents.c.id == document_id, document_versions.c.version == documents.c.version)
    ).first()
    return row[0] if row else None


def documents_by_source(conn: Connection) -> dict[str, int]:
    """How many documents each source has brought."""
    rows = conn.execute(
        select(documents.c.source_id, func.count()).group_by(documents.c.source_id)
    ).all()
    return {source_id: count for source_id, count in rows}


def newest_published(conn: Connection) -> date | None:
    """The publication day of the newest dated document."""
    return conn.execute(select(func.max(documents.c.published))).scalar()


def _exists(conn: Connection, document_id: str) -> bool:
    return (
        conn.execute(select(documents.c.id).where(documents.c.id == document_id)).first()
        is not None
    )


def _insert_new(conn: Connection, doc: Document, now: datetime) -> None:
    conn.execute(
        insert(documents).values(
            id=doc.id,
            source_id=doc.source,
            guid=doc.guid,
            link=doc.link,
            title=doc.title,
            outlet=doc.outlet,
            published=doc.published,
            version=1,
            first_seen_at=now,
            updated_at=now,
        )
    )
    _insert_version(conn, doc.id, 1, doc, now)


def _insert_version(
    conn: Connection, document_id: str, version: int, doc: Document, now: datetime
) -> None:
    conn.execute(
        insert(document_versions).values(
            document_id=document_id,
            version=version,
            content_hash=doc.content_hash,
            text=doc.text,
            seen_at=now,
        )
    )


def _add_keys(conn: Connection, document_id: str, keys: list[str]) -> None:
    if keys:
        conn.execute(insert(document_keys), [{"key": k, "document_id": document_id} for k in keys])
