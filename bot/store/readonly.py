"""An SQLite store read with the standard library alone, read-only.

What a process that answers one lookup from a current catalog snapshot still reads
from the store: whether the schema and the revision log are where the snapshot
says, when facts last changed (`!recent`), and the facts a lookup shows. It reads
what `bot.records.reader` reads, by the same joins and in the same order, without
loading SQLAlchemy (a third of a second) or the table classes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

FACT_COLUMNS = 'fact.id, fact."key", fact.text, fact.happened, fact.precision, fact.type'
"""A fact's columns as `bot.records.reader.FACT_COLUMNS` reads them."""
# The statements below are those SQLAlchemy writes for `bot.records.reader`'s, so SQLite
# plans them alike and returns rows in the same order where ORDER BY leaves ties.
FACT_ABOUT = (
    f"SELECT {FACT_COLUMNS} FROM fact JOIN fact_entity ON fact_entity.fact_id = fact.id"
    ' JOIN entity ON entity.id = fact_entity.entity_id WHERE entity."key" = ?'
    ' ORDER BY fact."key"'
)
FACT_CITING = (
    f"SELECT {FACT_COLUMNS} FROM fact JOIN citation ON citation.fact_id = fact.id"
    ' JOIN source ON source.id = citation.source_id WHERE source."key" = ?'
    ' ORDER BY fact."key"'
)
SUBJECTS = (
    'SELECT fact_entity.fact_id, entity."key", fact_entity.role FROM fact_entity'
    " JOIN entity ON entity.id = fact_entity.entity_id WHERE fact_entity.fact_id IN ({})"
    " ORDER BY fact_entity.position"
)
CITATIONS = (
    'SELECT citation.fact_id, source."key" FROM citation'
    " JOIN source ON source.id = citation.source_id WHERE citation.fact_id IN ({})"
    " ORDER BY citation.position"
)
FACT_OWNERS = (
    'SELECT DISTINCT entity."key" FROM entity JOIN fact_entity ON fact_entity.entity_id = entity.id'
)
SOURCE_OWNERS = (
    'SELECT DISTINCT source."key" FROM source JOIN citation ON citation.source_id = source.id'
)
CHUNK = 500
"""Keys per ``IN (...)`` query, as `bot.records.reader` reads them."""


class Subject(NamedTuple):
    """An entity a fact is about, by key, and its role."""

    entity: str
    role: str


class FactRow(NamedTuple):
    """A stored fact as a lookup shows it: what `bot.answers.catalog_records.fact_view`
    reads of a `FactSpec`."""

    key: str
    text: str
    date_text: str | None
    type: str | None
    about: tuple[Subject, ...]
    sources: tuple[str, ...]


def stored_time(text: str) -> datetime:
    """A timestamp as SQLAlchemy keeps one in SQLite (UTC, without a zone), in UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _stored_text(when: datetime) -> str:
    """A timestamp as SQLAlchemy writes one to SQLite, for comparing with stored ones."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _date_text(happened: str | None, precision: str | None) -> str | None:
    """A fact's date as files write it, to its precision (as `date_text` in the models)."""
    if not happened or not precision:
        return None
    day = date.fromisoformat(happened)
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


class ReadOnlyStore:
    """An SQLite store's file opened read-only; each method reads in one transaction."""

    def __init__(self, path: Path) -> None:
        """Open the file at path, which must exist (`sqlite3.Error` otherwise)."""
        self.path = path
        uri = f"{path.resolve().as_uri()}?mode=ro"
        self._connection = sqlite3.connect(uri, uri=True, timeout=5.0, check_same_thread=False)

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()

    def _rows(self, sql: str, values: Sequence[Any] = ()) -> list[Any]:
        with closing(self._connection.cursor()) as cursor:
            return cursor.execute(sql, values).fetchall()

    def schema_revision(self) -> str | None:
        """The migration the store is at (None before the first, or with no table for it)."""
        tables = self._rows("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'")
        if not tables:
            return None
        rows = self._rows("SELECT version_num FROM alembic_version")
        return rows[0][0] if len(rows) == 1 else None

    def latest_revision(self) -> int:
        """The newest revision's number (0 for none): the store's version as a whole."""
        return int(self._rows("SELECT max(id) FROM revision")[0][0] or 0)

    def revision_time(self, revision: int) -> datetime | None:
        """When revision was made (None if there is no such revision)."""
        rows = self._rows("SELECT at FROM revision WHERE id = ?", (revision,))
        return stored_time(rows[0][0]) if rows else None

    def has_entities(self) -> bool:
        """Whether the store holds any entity (an empty one is seeded by the full path)."""
        return bool(self._rows("SELECT 1 FROM entity LIMIT 1"))

    def fact_change_times(self, since: datetime) -> dict[str, datetime]:
        """When each fact was last changed, of the revisions at or after since (as
        `bot.records.reader.fact_change_times` reads them)."""
        rows = self._rows(
            "SELECT revision.target_key, max(revision.at) FROM revision"
            " WHERE revision.target_type = 'fact' AND revision.at >= ?"
            " GROUP BY revision.target_key",
            (_stored_text(since),),
        )
        return {key: stored_time(at) for key, at in rows}

    def facts(self, keys: Iterable[str]) -> dict[str, FactRow]:
        """The stored facts with the given keys, by key (those not stored left out)."""
        wanted = sorted(set(keys))
        rows = []
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            statement = f'SELECT {FACT_COLUMNS} FROM fact WHERE fact."key" IN ({marks})'
            rows += self._rows(statement, chunk)
        return self._facts_of(rows)

    def facts_about(self, entity: str) -> list[FactRow]:
        """The stored facts that name the entity, in key order."""
        return list(self._facts_of(self._rows(FACT_ABOUT, (entity,))).values())

    def facts_citing(self, source: str) -> list[FactRow]:
        """The stored facts that cite the source, in key order."""
        return list(self._facts_of(self._rows(FACT_CITING, (source,))).values())

    def fact_keys(self) -> list[str]:
        """Every stored fact's key, in key order."""
        return [key for (key,) in self._rows("SELECT key FROM fact ORDER BY key")]

    def owners(self, *, about: bool) -> list[str]:
        """The keys of the entities some fact is about (about), or of the sources cited."""
        return [key for (key,) in self._rows(FACT_OWNERS if about else SOURCE_OWNERS)]

    def _facts_of(self, rows: Sequence[Any]) -> dict[str, FactRow]:
        """Rows of `FACT_COLUMNS` as facts with their subjects and sources, in rows' order."""
        ids = [row[0] for row in rows]
        about: dict[int, list[Subject]] = {}
        cited: dict[int, list[str]] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            for fact_id, entity, role in self._rows(SUBJECTS.format(marks), chunk):
                about.setdefault(fact_id, []).append(Subject(entity, role))
            for fact_id, source in self._rows(CITATIONS.format(marks), chunk):
                cited.setdefault(fact_id, []).append(source)
        return {
            key: FactRow(
                key,
                text,
                _date_text(happened, precision),
                kind,
                tuple(about.get(fact_id, ())),
                tuple(cited.get(fact_id, ())),
            )
            for fact_id, key, text, happened, precision, kind in rows
        }


__all__ = ["FactRow", "ReadOnlyStore", "Subject", "stored_time"]
