"""Full-text search over the text of facts, by the store's own index.

`FactSearch` is what the lookup catalog asks for: the keys of the facts whose text
matches a query, best first. Two things answer it, with the same SQL where they can:

- the store (`for_store`): SQLite FTS5 in an SQLite file, a ``tsvector`` column with a
  GIN index on PostgreSQL, which the database keeps current itself whoever writes
  (migration 0003);
- an in-memory SQLite database built from a list of facts (`in_memory`), for a catalog
  made without a store. It has an SQLite store's full-text tables, triggers and all,
  and is searched by the same SQL.

**Ranking.** Facts whose text contains every word of the query come first, then facts
containing some of them. Within each group, the most recent first: by the fact's date
(undated facts last), then the fact stored last first.

**Words** are matched whole, after folding case and accents the way SQLite's
``unicode61 remove_diacritics 2`` tokenizer does, and ё as е: ``Été`` finds ``ete``,
``ноздрев`` finds ``Ноздрёв``. A word in another script also finds its Latin
transliteration. Only the first `MAX_WORDS` distinct words of a query are searched.

**Typos.** A word that no stored fact contains is replaced by the closest stored words:
those that begin with the same `TYPO_PREFIX` letters and differ in length by at most
`TYPO_LENGTH_SLACK`, scoring at least `TYPO_MIN_SCORE` with rapidfuzz's ``fuzz.ratio``;
the best `TYPO_CHOICES` of them. Candidates come from a table of stored words
(``fact_fts_term``) by a range scan on its primary key, so the cost is bounded by the
number of stored words with those first letters, never by the number of facts.

Beside this module: `fulltext_folding` (words as the index keeps them),
`fulltext_schema` (the SQLite tables and triggers, shared with the in-memory search) and
`fulltext_dialects` (the SQL of each database).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, closing, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rapidfuzz import fuzz, process

from bot.errors import StoreError, is_database_error
from bot.store.fulltext_dialects import POSTGRESQL, SQLITE, Dialect, Run
from bot.store.fulltext_folding import MAX_WORD, latin
from bot.store.fulltext_schema import SQLITE_FILL, SQLITE_TABLES, SQLITE_TRIGGERS

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

MAX_QUERY = 2000
"""Only the first this many characters of a query are read."""
MAX_WORDS = 16
"""At most this many distinct words of a query are searched for; later ones are ignored."""
TYPO_MIN_LENGTH = 4
"""Shorter words are taken as typed: too many stored words are one letter away from them."""
TYPO_PREFIX = 2
"""A mistyped word's replacements begin with the same this many letters."""
TYPO_LENGTH_SLACK = 2
TYPO_MIN_SCORE = 80.0
TYPO_CHOICES = 3
TYPO_CANDIDATES = 5000
"""At most this many stored words are compared with one mistyped word."""


@dataclass(frozen=True, slots=True)
class FactMatch:
    """A fact whose text matches a search, and whether it holds every word searched for."""

    key: str
    every_word: bool


class FactSearch(Protocol):
    """Finds facts by the words of their text."""

    def search(self, query: str, limit: int) -> list[FactMatch]:
        """At most limit facts matching query, best first (see the module's ranking).

        Raises `StoreError` when the store cannot be searched.
        """
        ...


_NEAR = (
    "SELECT term FROM fact_fts_term WHERE term >= :low AND term < :high"
    " AND length(term) BETWEEN :shortest AND :longest LIMIT :most"
)


class WordSearch:
    """A `FactSearch` answered by a database's full-text index (see the module), on the
    connections `_connection` gives."""

    dialect: Dialect

    def search(self, query: str, limit: int) -> list[FactMatch]:
        """At most limit facts matching query, best first (see the module's ranking).

        Raises `StoreError` when the store cannot be searched.
        """
        if limit <= 0:
            return []
        try:
            with self._connection() as run:
                return self._search(run, query[:MAX_QUERY], limit)
        except Exception as error:
            if not is_database_error(error):
                raise
            reason = str(getattr(error, "orig", None) or error).strip()
            line = reason.splitlines()[0] if reason else type(error).__name__
            raise StoreError(f"could not search the facts: {line}") from error

    def _connection(self) -> AbstractContextManager[Run]:
        """A connection for one search, as the function that runs SQL on it."""
        raise NotImplementedError

    def _search(self, run: Run, query: str, limit: int) -> list[FactMatch]:
        typed = [word for word in self.dialect.words(run, query) if len(word) <= MAX_WORD]
        typed = typed[:MAX_WORDS]
        if not typed:
            return []
        groups = self._groups(run, typed)
        found: dict[str, bool] = {}
        if all(groups):
            for key in self._matching(run, groups, every=True, limit=limit):
                found.setdefault(key, True)
        known = [group for group in groups if group]
        if len(groups) > 1 and known and len(found) < limit:
            for key in self._matching(run, known, every=False, limit=limit + len(found)):
                found.setdefault(key, False)
        return [FactMatch(key, every) for key, every in list(found.items())[:limit]]

    def _groups(self, run: Run, typed: Sequence[str]) -> list[list[str]]:
        """For each word, the stored words that stand for it: itself and its Latin
        transliteration where stored, else the closest stored words (maybe none)."""
        choices = [list(dict.fromkeys(w for w in (word, latin(word)) if w)) for word in typed]
        stored = self._present(run, list(dict.fromkeys(w for ws in choices for w in ws)))
        groups = []
        for word, alternatives in zip(typed, choices, strict=True):
            kept = [term for term in alternatives if term in stored]
            if not kept and len(word) >= TYPO_MIN_LENGTH and not word.isdigit():
                kept = self._closest(run, word)
            groups.append(kept)
        return groups

    def _present(self, run: Run, terms: Sequence[str]) -> set[str]:
        """Which of terms some fact's text holds."""
        if not terms:
            return set()
        columns = ", ".join(self.dialect.exists_sql(f"t{i}") for i in range(len(terms)))
        values = {f"t{i}": self.dialect.term_query(term) for i, term in enumerate(terms)}
        row = run(f"SELECT {columns}", values)[0]
        return {term for term, stored in zip(terms, row, strict=True) if stored}

    def _closest(self, run: Run, word: str) -> list[str]:
        """The stored words closest to word, best first, as the module's typo rule says."""
        prefix = word[:TYPO_PREFIX]
        rows = run(
            _NEAR,
            {
                "low": prefix,
                "high": prefix + "\U0010ffff",
                "shortest": len(word) - TYPO_LENGTH_SLACK,
                "longest": len(word) + TYPO_LENGTH_SLACK,
                "most": TYPO_CANDIDATES,
            },
        )
        ranked = process.extract(
            word,
            list(dict.fromkeys(term for (term,) in rows)),
            scorer=fuzz.ratio,
            score_cutoff=TYPO_MIN_SCORE,
            limit=TYPO_CHOICES * 2,
        )
        close = [term for term, _, _ in ranked]
        stored = self._present(run, close)
        return [term for term in close if term in stored][:TYPO_CHOICES]

    def _matching(
        self, run: Run, groups: Sequence[Sequence[str]], *, every: bool, limit: int
    ) -> list[str]:
        return self.dialect.matching(run, self.dialect.all_of(groups, every=every), limit)


class FullTextSearch(WordSearch):
    """A `FactSearch` on a database SQLAlchemy connects to."""

    def __init__(
        self, engine: Engine, dialect: Dialect, *, lock: threading.Lock | None = None
    ) -> None:
        self.engine = engine
        self.dialect = dialect
        self._lock: AbstractContextManager[object] = lock if lock is not None else nullcontext()

    @contextmanager
    def _connection(self) -> Iterator[Run]:
        import sqlalchemy as sa

        with self._lock, self.engine.connect() as connection:

            def run(sql: str, values: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
                result = connection.execute(sa.text(sql), values)
                return result.all() if result.returns_rows else []

            self.dialect.prepare(run)
            yield run


class SqliteFileSearch(WordSearch):
    """A `FactSearch` on an SQLite store's file, read-only through the standard library's
    ``sqlite3`` (the same SQL as `FullTextSearch` on it, without loading SQLAlchemy)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dialect = SQLITE

    @contextmanager
    def _connection(self) -> Iterator[Run]:
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=5.0)) as connection:

            def run(sql: str, values: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
                return connection.execute(sql, values).fetchall()

            yield run


def for_store(engine: Engine) -> FullTextSearch:
    """The search the store's own full-text index answers, on the engine's database."""
    name = engine.dialect.name
    if name == "sqlite":
        return FullTextSearch(engine, SQLITE)
    if name == "postgresql":
        return FullTextSearch(engine, POSTGRESQL)
    raise StoreError(f"full-text search needs SQLite or PostgreSQL, not {name}")


def in_memory(facts: Iterable[tuple[str, str, str | None]]) -> FullTextSearch:
    """A search over facts given as (key, text, date), the date as files write it
    (``2023``, ``2023-12``, ``2023-12-31`` or None), in an in-memory SQLite database with
    an SQLite store's full-text tables and triggers."""
    import sqlalchemy as sa
    from sqlalchemy.pool import StaticPool

    engine = sa.create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE fact (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
            " text TEXT NOT NULL, happened DATE)"
        )
        rows = [(key, text, _day(date)) for key, text, date in facts]
        if rows:
            connection.exec_driver_sql(
                "INSERT INTO fact (key, text, happened) VALUES (?, ?, ?)", rows
            )
        for statement in (*SQLITE_TABLES, *SQLITE_FILL, *SQLITE_TRIGGERS):
            connection.exec_driver_sql(statement)
    return FullTextSearch(engine, SQLITE, lock=threading.Lock())


def _day(date: str | None) -> str | None:
    """The first day of a date written to its precision: ``2023-12`` → ``2023-12-01``."""
    if date is None:
        return None
    return date + "-01" * (2 - date.count("-"))


__all__ = [
    "MAX_WORDS",
    "FactMatch",
    "FactSearch",
    "FullTextSearch",
    "SqliteFileSearch",
    "WordSearch",
    "for_store",
    "in_memory",
]
