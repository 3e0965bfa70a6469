"""The SQLite full-text tables and triggers, as migration 0003 creates them (the
migration keeps its own frozen copy; a test holds them equal) and as the in-memory
search builds them; and Alembic's hook that leaves the full-text objects out of the
models' comparison."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DAY = 1 << 32
"""In the SQLite index a fact's rowid is its day number times this, plus its id: so the
index's own rowid order is "most recent first" (undated facts have day 0)."""

_TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
"""Letters, digits, private-use characters and combining marks make words; accents on
Latin letters are dropped, marks of other scripts (Cyrillic й, Devanagari vowel signs)
are spelling and kept."""


def _position(row: str) -> str:
    return f"coalesce(CAST(julianday({row}.happened) AS INTEGER), 0) * {DAY} + {row}.id"


def _document(row: str) -> str:
    return f"replace(replace({row}.text, 'ё', 'е'), 'Ё', 'Е')"


def _remember_terms(row: str) -> str:
    return (
        f"INSERT INTO fact_fts_scratch (rowid, text) VALUES (1, {_document(row)});\n"
        "    INSERT OR IGNORE INTO fact_fts_term (term) SELECT term FROM fact_fts_scratch_terms;\n"
        "    INSERT INTO fact_fts_scratch (fact_fts_scratch) VALUES ('delete-all');"
    )


SQLITE_TABLES = (
    f"CREATE VIRTUAL TABLE fact_fts USING fts5(text, content='', columnsize=0, "
    f'tokenize="{_TOKENIZER}")',
    "CREATE TABLE fact_fts_term (term TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID",
    f"CREATE VIRTUAL TABLE fact_fts_scratch USING fts5(text, content='', columnsize=0, "
    f'detail=none, tokenize="{_TOKENIZER}")',
    "CREATE VIRTUAL TABLE fact_fts_scratch_terms USING fts5vocab(fact_fts_scratch, 'row')",
)
"""The SQLite full-text tables, as migration 0003 creates them:

- ``fact_fts``: a contentless FTS5 index of every fact's text, rowid as `DAY` says;
- ``fact_fts_term``: every word ever indexed, for typo candidates by a range scan (FTS5's
  own vocabulary table counts each word's documents as it goes, which costs tens of
  milliseconds for a word in most facts);
- ``fact_fts_scratch`` and its vocabulary: where a trigger tokenizes one fact's text to
  learn its words (SQL has no other way to call the tokenizer)."""

SQLITE_FILL = (
    f"INSERT INTO fact_fts (rowid, text) SELECT {_position('fact')}, {_document('fact')} FROM fact",
    "CREATE VIRTUAL TABLE temp.fact_fts_vocab USING fts5vocab(main, fact_fts, 'row')",
    "INSERT INTO fact_fts_term (term) SELECT term FROM temp.fact_fts_vocab",
    "DROP TABLE temp.fact_fts_vocab",
)
"""Index the facts already in the table (migration 0003's upgrade)."""

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER fact_fts_insert AFTER INSERT ON fact BEGIN
    INSERT INTO fact_fts (rowid, text) VALUES ({_position("NEW")}, {_document("NEW")});
    {_remember_terms("NEW")}
END""",
    f"""CREATE TRIGGER fact_fts_update AFTER UPDATE OF text, happened ON fact
WHEN OLD.text IS NOT NEW.text OR OLD.happened IS NOT NEW.happened BEGIN
    INSERT INTO fact_fts (fact_fts, rowid, text)
        VALUES ('delete', {_position("OLD")}, {_document("OLD")});
    INSERT INTO fact_fts (rowid, text) VALUES ({_position("NEW")}, {_document("NEW")});
    {_remember_terms("NEW")}
END""",
    f"""CREATE TRIGGER fact_fts_delete AFTER DELETE ON fact BEGIN
    INSERT INTO fact_fts (fact_fts, rowid, text)
        VALUES ('delete', {_position("OLD")}, {_document("OLD")});
END""",
)
"""Keep the index in step with the fact table, whoever writes to it. A contentless index
forgets a row only when told its old text, which the delete and update triggers give.
Words of deleted facts stay in ``fact_fts_term``; a search checks each candidate."""


def include_name(name: str | None, type_: str, parent_names: Mapping[Any, str | None]) -> bool:
    """Alembic's ``include_name`` hook: False for the full-text objects of migration 0003,
    which the models do not describe (the SQLite virtual tables and what FTS5 makes for
    them, the PostgreSQL generated column, its indexes and the word table)."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("fact_fts")
    if type_ == "column":
        return not (parent_names.get("table_name") == "fact" and name == "fts_document")
    if type_ == "index":
        return not name.startswith("ix_fact_fts")
    return True


__all__ = ["DAY", "SQLITE_FILL", "SQLITE_TABLES", "SQLITE_TRIGGERS", "include_name"]
