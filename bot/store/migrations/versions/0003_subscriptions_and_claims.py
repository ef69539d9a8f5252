"""Subscriptions, and the leases by which several workers share polls and deliveries.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("destination", sa.String(200), primary_key=True),
        sa.Column("topics", sa.String(100), nullable=False),
        sa.Column("min_kind", sa.String(16)),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("disabled_reason", sa.Text),
        sa.Column("created_by", sa.String(100)),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("claimed_until", _WHEN))
        batch.add_column(sa.Column("claimed_by", sa.String(100)))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(100)))
