"""Merged entities keep their old keys as redirects; revisions name their server;
alias.normalized goes, since nothing reads it.

The search index folds every alias itself when the catalog loads, so the stored
folded copy was written on every import and never read.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "redirect",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entity_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("redirect", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_redirect_entity_id"), ["entity_id"], unique=False)
    with op.batch_alter_table("alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alias_normalized"))
        batch_op.drop_column("normalized")
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guild_name", sa.String(length=100), nullable=True))


def downgrade() -> None:
    from bot.search.normalize import fold

    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_column("guild_name")
    with op.batch_alter_table("alias", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("normalized", sa.String(length=400), nullable=False, server_default="")
        )
    alias = sa.table(
        "alias",
        sa.column("id", sa.Integer),
        sa.column("text", sa.String),
        sa.column("normalized", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(alias.c.id, alias.c.text)).all()
    for alias_id, text in rows:
        connection.execute(
            alias.update().where(alias.c.id == alias_id).values(normalized=fold(text)[:400])
        )
    with op.batch_alter_table("alias", schema=None) as batch_op:
        batch_op.alter_column("normalized", server_default=None)
        batch_op.create_index(batch_op.f("ix_alias_normalized"), ["normalized"], unique=False)
    with op.batch_alter_table("redirect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_redirect_entity_id"))
    op.drop_table("redirect")
