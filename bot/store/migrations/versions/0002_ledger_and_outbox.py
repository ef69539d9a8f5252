"""Events, the figures reported in them, named changes, the outbox and its threads.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("side", sa.String(16)),
        sa.Column("first_date", sa.Date, index=True),
        sa.Column("last_date", sa.Date, index=True),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
    op.create_table(
        "figures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(100), nullable=False, index=True),
        sa.Column("document_version", sa.Integer, nullable=False),
        sa.Column("event_id", sa.String(120), nullable=False, index=True),
        sa.Column("metric", sa.String(64), nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("side", sa.String(16)),
        sa.Column("event_date", sa.Date),
        sa.Column("phase", sa.Date),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("reported_at", _WHEN, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(120), nullable=False, index=True),
        sa.Column("document_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("metric", sa.String(64)),
        sa.Column("side", sa.String(16)),
        sa.Column("phase", sa.Date),
        sa.Column("low", sa.BigInteger),
        sa.Column("high", sa.BigInteger),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("alert", sa.Boolean, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("destination", sa.String(200), nullable=False, index=True),
        sa.Column("event_id", sa.String(120), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", _WHEN),
        sa.Column("claimed_until", _WHEN),
        sa.Column("platform_id", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("sent_at", _WHEN),
    )
    op.create_table(
        "threads",
        sa.Column("destination", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.String(120), primary_key=True),
        sa.Column("root_platform_id", sa.Text, nullable=False),
    )
