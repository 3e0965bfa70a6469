"""Members' suggested corrections, waiting for a curator.

suggestion    who suggested what about which card's facts, from where, with an optional
              source URL; its state (open, accepted, dismissed), who decided and why

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("member_id", sa.String(length=32), nullable=False),
        sa.Column("member_name", sa.String(length=100), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("guild_id", sa.String(length=32), nullable=True),
        sa.Column("guild_name", sa.String(length=100), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("card", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("curator_id", sa.String(length=32), nullable=True),
        sa.Column("curator_name", sa.String(length=100), nullable=True),
        sa.Column("decided", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestion_card"), ["card"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestion_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_state"))
        batch_op.drop_index(batch_op.f("ix_suggestion_card"))
        batch_op.drop_index(batch_op.f("ix_suggestion_member_id"))
    op.drop_table("suggestion")
