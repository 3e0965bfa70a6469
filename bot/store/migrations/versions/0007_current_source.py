"""The source each Discord curator is citing, set with `curate source use`.

current_source   one row per curator (Discord user id): the source key their `curate fact
                 add` cites when it names none, and when it was set (it lapses after 24 h)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "current_source",
        sa.Column("actor_id", sa.String(length=32), nullable=False),
        sa.Column("source_key", sa.String(length=100), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("actor_id"),
    )


def downgrade() -> None:
    op.drop_table("current_source")
