"""Article drafts under review, and a source's publication time as the source gave it.

draft                 one article's draft: its owner, the import document, which facts are
                      kept, and when it expires (7 days after it was opened)
source.published_as   `published` as written: "2009-10-01" (a date alone), or a time with
                      the page's own offset; `published` keeps the UTC instant for ordering

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("owner_name", sa.String(length=100), nullable=False),
        sa.Column("guild_id", sa.String(length=32), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("kept", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_expires"), ["expires"], unique=False)
    # Plain ALTER TABLE on every backend: a SQLite "move and copy" of source would trip
    # the citations that refer to it.
    op.add_column("source", sa.Column("published_as", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("source", "published_as")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_expires"))
    op.drop_table("draft")
