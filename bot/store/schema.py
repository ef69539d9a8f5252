"""The store's tables, as SQLAlchemy Core sees them. Migrations in bot/migrations create them."""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# A place documents come from: a feed, or the shipped seeds. Poll state lives here too.
sources = Table(
    "sources",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("url", Text),
    Column("label", Text, nullable=False),
    Column("origin", String(16), nullable=False),
    Column("interval_seconds", Integer),
    Column("enabled", Boolean, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled_at", DateTime(timezone=True)),
    Column("last_status", String(32)),
    Column("last_error", Text),
    Column("error_count", Integer, nullable=False),
    Column("consecutive_errors", Integer, nullable=False),
    Column("next_poll_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("source_id", String(100), nullable=False, index=True),
    Column("guid", Text),
    Column("link", Text),
    Column("title", Text, nullable=False),
    Column("outlet", Text),
    Column("published", Date),
    Column("version", Integer, nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Every text a document has had; the newest is documents.version.
document_versions = Table(
    "document_versions",
    metadata,
    Column("document_id", String(100), ForeignKey("documents.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

# The keys a document is recognised by again: "guid:…", "link:…", "text:…" (digests).
document_keys = Table(
    "document_keys",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("document_id", String(100), ForeignKey("documents.id"), nullable=False, index=True),
)
