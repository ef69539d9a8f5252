"""An index to find an event's thread in the outbox of one destination: every document folded
asks whether its events' roots were written already.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_thread", "outbox", ["destination", "event_id", "role"])
