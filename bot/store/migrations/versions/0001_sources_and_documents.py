"""Sources with their poll state, documents with versions and recognition keys.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("interval_seconds", sa.Integer),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_polled_at", _WHEN),
        sa.Column("last_status", sa.String(32)),
        sa.Column("last_error", sa.Text),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("consecutive_errors", sa.Integer, nullable=False),
        sa.Column("next_poll_at", _WHEN),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("source_id", sa.String(100), nullable=False, index=True),
        sa.Column("guid", sa.Text),
        sa.Column("link", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("first_seen_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
    op.create_table(
        "document_versions",
        sa.Column("document_id", sa.String(100), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("seen_at", _WHEN, nullable=False),
    )
    op.create_table(
        "document_keys",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(100),
            sa.ForeignKey("documents.id"),
            nullable=False,
            index=True,
        ),
    )
