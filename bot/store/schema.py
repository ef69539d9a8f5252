"""The store's tables, as SQLAlchemy Core sees them. Migrations in bot/migrations create them."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
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
    # A worker's lease on polling this source; expires if the worker dies.
    Column("claimed_until", DateTime(timezone=True)),
    Column("claimed_by", String(100)),
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
    Column("published", Date, index=True),
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

events = Table(
    "events",
    metadata,
    Column("id", String(120), primary_key=True),
    Column("topic", String(32), nullable=False),
    Column("side", String(16)),
    Column("first_date", Date, index=True),
    Column("last_date", Date, index=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Moves whenever the event's days or its active figures change (bot.store.ledger), so that
    # answers keep its reconciled state until then (bot.queries.EventStates).
    Column("revision", Integer, nullable=False, server_default="0"),
)

# Every figure read, placed in its event; a later version of its document deactivates it.
figures = Table(
    "figures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(100), nullable=False, index=True),
    Column("document_version", Integer, nullable=False),
    Column("event_id", String(120), nullable=False, index=True),
    Column("metric", String(64), nullable=False),
    Column("value", BigInteger, nullable=False),
    Column("qualifier", String(16), nullable=False),
    Column("side", String(16)),
    Column("event_date", Date),
    Column("phase", Date),
    Column("source", Text, nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    # Who the text says gives the count (null: the outlet itself), and the place the count is a
    # part for (null: the whole event); migration 0006.
    Column("claimant", Text),
    Column("place", Text),
)

changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(120), nullable=False, index=True),
    Column("document_id", String(100), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("metric", String(64)),
    Column("side", String(16)),
    Column("phase", Date),
    Column("low", BigInteger),
    Column("high", BigInteger),
    Column("sources", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("alert", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Every message to send, written before it is sent; `key` makes writing it twice impossible.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False, unique=True),
    Column("destination", String(200), nullable=False, index=True),
    Column("event_id", String(120), nullable=False),
    Column("role", String(8), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("claimed_until", DateTime(timezone=True)),
    Column("platform_id", Text),
    Column("error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("claimed_by", String(100)),
    Index("ix_outbox_thread", "destination", "event_id", "role"),
)

# The root message of each event's thread, per destination, as the platform knows it.
threads = Table(
    "threads",
    metadata,
    Column("destination", String(200), primary_key=True),
    Column("event_id", String(120), primary_key=True),
    Column("root_platform_id", Text, nullable=False),
)

# A chat or channel that receives the threads of some topics. `destination` is "channel:address"
# ("telegram:-100123", "slack:C0123"); `topics` is "all" or a comma-separated list ("swap,attack");
# `min_kind` the least change kind that earns a reply. A destination the platform says is gone is
# disabled, with the reason.
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("destination", String(200), primary_key=True),
    Column("topics", String(100), nullable=False),
    Column("min_kind", String(16)),
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", Text),
    Column("created_by", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# A chat's own settings (migration 0007); a destination without a row has the defaults.
# `alert_kinds`: comma-separated change kinds that earn a reply (null: config/alerts.toml);
# `time_zone`: an IANA name; `quiet_start`/`quiet_end`: local "HH:MM" (both or neither);
# `breakthrough`: comma-separated kinds that alert even in quiet hours; `digest_at`: local
# "HH:MM" of the daily digest (null: no digest mode); `last_digest_at`: the end of the period
# the last digest covered (or when the setting began), in UTC.
chat_settings = Table(
    "chat_settings",
    metadata,
    Column("destination", String(200), primary_key=True),
    Column("alert_kinds", String(120)),
    Column("time_zone", String(64), nullable=False),
    Column("quiet_start", String(5)),
    Column("quiet_end", String(5)),
    Column("breakthrough", String(120), nullable=False),
    Column("digest_at", String(5)),
    Column("last_digest_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("charts", Boolean, nullable=False, server_default=false()),
)
