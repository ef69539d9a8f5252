"""Figures keep who claims them and the place they are a part for (issue 14): reconciling by
claimant sets two claimants' figures against each other, and a place's figure is never the
event's total. Both are null for figures stored before, as for figures whose text names neither.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figures") as batch:
        batch.add_column(sa.Column("claimant", sa.Text, nullable=True))
        batch.add_column(sa.Column("place", sa.Text, nullable=True))
