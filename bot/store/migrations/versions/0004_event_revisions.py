"""Events count their revisions, so that answers keep each event's reconciled state until its
figures change; documents are indexed by publication day, for the newest one.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("revision", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_documents_published", "documents", ["published"])
