"""Merged entities keep their old keys as redirects; revisions name their server;
alias.normalized goes, since nothing reads it.

The search index folds every alias itself when the catalog loads, so the stored
folded copy was written on every import and never read. Going down refills it with
the folding of this revision's day, frozen below (`_fold`), since a migration must
not import application code that changes after it; tests/store/test_migration_fold.py
notices when ``bot.search.normalize.fold`` no longer agrees with it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from typing import NamedTuple

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
            alias.update().where(alias.c.id == alias_id).values(normalized=_fold(text)[:400])
        )
    with op.batch_alter_table("alias", schema=None) as batch_op:
        batch_op.alter_column("normalized", server_default=None)
        batch_op.create_index(batch_op.f("ix_alias_normalized"), ["normalized"], unique=False)
    with op.batch_alter_table("redirect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_redirect_entity_id"))
    op.drop_table("redirect")


# The folding the downgrade writes into alias.normalized: bot.search.normalize.fold as
# of this writing, frozen. NFKC, casefold, ё→е, dots and apostrophes dropped, other
# punctuation to single spaces, and accents stripped from Latin and Greek letters only.
# Its patterns are built on first use: upgrades never need them.


def _mark_ranges() -> str:
    """A regex character class body of every combining mark (Unicode category M*)."""
    marks = [
        code
        for code in (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0))
        if unicodedata.category(chr(code)).startswith("M")
    ]
    ranges: list[str] = []
    start = previous = marks[0]
    for code in [*marks[1:], sys.maxunicode + 2]:
        if code != previous + 1:
            ranges.append(chr(start) if start == previous else f"{chr(start)}-{chr(previous)}")
            start = code
        previous = code
    return "".join(ranges)


class _Patterns(NamedTuple):
    joiners: re.Pattern[str]
    separators: re.Pattern[str]
    orphan_marks: re.Pattern[str]
    yo: re.Pattern[str]
    latin_accents: re.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    marks = _mark_ranges()
    return _Patterns(
        joiners=re.compile(r"[.'’ʼ`´]"),
        separators=re.compile(rf"(?:[^\w{marks}]|_)+"),
        orphan_marks=re.compile(rf"(?:^|(?<=[^\w{marks}])|(?<=_))[{marks}]+"),
        yo=re.compile(rf"е[{marks}]+"),
        latin_accents=re.compile(rf"([\x00-\u036f\u1e00-\u1fff])[{marks}]+"),
    )


_ASCII_FOLD = str.maketrans(
    {
        chr(code): None if chr(code) in ".'`" else " "
        for code in range(128)
        if not chr(code).isalnum()
    }
)


def _fold(text: str) -> str:
    """text folded as the downgrade writes alias.normalized."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_FOLD).split())
    patterns = _patterns()
    text = unicodedata.normalize("NFKC", text).casefold()
    text = patterns.orphan_marks.sub("", patterns.joiners.sub("", text))
    decomposed = unicodedata.normalize("NFD", text)
    text = patterns.yo.sub(lambda yo: yo.group().replace("\u0308", ""), decomposed)
    folded = " ".join(patterns.separators.sub(" ", unicodedata.normalize("NFC", text)).split())
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFD", folded)
    return unicodedata.normalize("NFC", patterns.latin_accents.sub(r"\1", decomposed))
