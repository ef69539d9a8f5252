"""Per-chat settings beside the subscription (issue 17): which change kinds alert, quiet hours
in the chat's time zone and the kinds that break through them, digest mode and its time, and
when the chat's last digest was due. A chat without a row behaves as before: config/alerts.toml
decides, no quiet hours, no digest.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "chat_settings",
        sa.Column("destination", sa.String(200), primary_key=True),
        sa.Column("alert_kinds", sa.String(120)),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("quiet_start", sa.String(5)),
        sa.Column("quiet_end", sa.String(5)),
        sa.Column("breakthrough", sa.String(120), nullable=False),
        sa.Column("digest_at", sa.String(5)),
        sa.Column("last_digest_at", _WHEN),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
