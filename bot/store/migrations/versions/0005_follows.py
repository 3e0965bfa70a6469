"""Follows: a channel following an entity, with the last revision it has posted.

follow   one channel following one entity (``mode`` each or daily); ``cursor`` is the
         last revision dealt with, ``digest_on`` the day of the last digest, ``paused``
         why posting stopped

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("entity_key", sa.String(length=100), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("digest_on", sa.Date(), nullable=True),
        sa.Column("paused", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel_id", "entity_key"),
    )
    with op.batch_alter_table("follow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_guild_id"), ["guild_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("follow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_guild_id"))
    op.drop_table("follow")
