"""Charts in an event's thread (issue 17): a per-chat setting, off by default, for a chart reply
after a swap's milestone and when an attack's night is complete. A chat without it behaves as
before.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chat_settings") as batch:
        batch.add_column(
            sa.Column("charts", sa.Boolean(), nullable=False, server_default=sa.false())
        )
