"""The SQL of full-text search on each database: how a query's words are read, how a
search for stored words is written, and how the most recent matching facts are found
(SQLite FTS5 by the index's rowid order; PostgreSQL by one of two plans, chosen here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.store.fulltext_folding import words
from bot.store.fulltext_schema import DAY

Run = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]
"""Runs one SQL statement (parameters named ``:name``) on a connection and returns its
rows (none for a statement that returns none): SQLAlchemy's, or the standard library's."""


class Dialect:
    """The SQL of one database's full-text search."""

    def prepare(self, run: Run) -> None:
        """Set up the connection for one search."""

    def words(self, run: Run, query: str) -> list[str]:
        """The distinct words of query as the index stores them, in order."""
        raise NotImplementedError

    def term_query(self, term: str) -> str:
        """A query for the one stored word term, safe whatever it holds."""
        raise NotImplementedError

    def all_of(self, groups: Sequence[Sequence[str]], *, every: bool) -> str:
        """A query for facts holding a word of every group (every) or of any group."""
        raise NotImplementedError

    def exists_sql(self, parameter: str) -> str:
        """An SQL expression: whether a fact matches the query bound to parameter."""
        raise NotImplementedError

    def matching(self, run: Run, query: str, limit: int) -> list[str]:
        """The keys of at most limit facts matching query, most recent first."""
        raise NotImplementedError


class SqliteDialect(Dialect):
    def words(self, run: Run, query: str) -> list[str]:
        return words(query)

    def term_query(self, term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    def all_of(self, groups: Sequence[Sequence[str]], *, every: bool) -> str:
        alternatives = [" OR ".join(self.term_query(term) for term in group) for group in groups]
        return (" AND " if every else " OR ").join(f"({either})" for either in alternatives)

    def exists_sql(self, parameter: str) -> str:
        return f"EXISTS (SELECT 1 FROM fact_fts WHERE fact_fts MATCH :{parameter})"

    def matching(self, run: Run, query: str, limit: int) -> list[str]:
        # The index's rowid order is most recent first: the first limit rowids are the answer.
        rows = run(_SQLITE_MATCHING, {"query": query, "limit": limit})
        return [key for (key,) in rows]


class PostgresDialect(Dialect):
    def prepare(self, run: Run) -> None:
        # Plan each search for its own words: a plan made for "some word" would walk the
        # recency index for a rare word, or sort every fact holding a common one.
        run("SET LOCAL plan_cache_mode = force_custom_plan", {})

    def words(self, run: Run, query: str) -> list[str]:
        rows = run(
            "SELECT lexeme FROM unnest(to_tsvector('simple', fact_fts_fold(:query)))"
            " ORDER BY positions[1]",
            {"query": query},
        )
        return [lexeme for (lexeme,) in rows]

    def term_query(self, term: str) -> str:
        return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"

    def all_of(self, groups: Sequence[Sequence[str]], *, every: bool) -> str:
        alternatives = [" | ".join(self.term_query(term) for term in group) for group in groups]
        return (" & " if every else " | ").join(f"( {either} )" for either in alternatives)

    def exists_sql(self, parameter: str) -> str:
        return f"EXISTS (SELECT 1 FROM fact WHERE fts_document @@ CAST(:{parameter} AS tsquery))"

    def matching(self, run: Run, query: str, limit: int) -> list[str]:
        # Two ways to the most recent matches: walk the recency index until limit rows
        # match, reading about limit * facts / matches rows, or collect every match by the
        # GIN index and sort them, reading matches rows (in the table's order, about half
        # as costly each). PostgreSQL's planner walks far sooner than that balance (at
        # 0.2% of a million facts it read 27,000 rows, 60 ms, where collecting read 1,800),
        # so the choice is made here, on the planner's own estimate of the matches.
        values = {"query": query, "limit": limit}
        plan = run(_POSTGRES_ESTIMATE, {"query": query})[0][0]
        matches = float(plan[0]["Plan"]["Plan Rows"])
        facts = max(float(run(_POSTGRES_FACTS, {})[0][0] or 0), 0.0)
        walk = matches * matches > _WALK_COST * limit * facts
        rows = run(_POSTGRES_WALK if walk else _POSTGRES_COLLECT, values)
        return [key for (key,) in rows]


_SQLITE_MATCHING = (
    "SELECT fact.key FROM ("
    " SELECT rowid AS position FROM fact_fts WHERE fact_fts MATCH :query"
    " ORDER BY rowid DESC LIMIT :limit"
    f") AS hit JOIN fact ON fact.id = hit.position & {DAY - 1}"
    " ORDER BY hit.position DESC"
)
_WALK_COST = 2.0
"""What a row read walking PostgreSQL's recency index costs, in rows read collecting
matches by the GIN index (random order against the table's; measured at 1,000,000 facts)."""
_POSTGRES_ESTIMATE = (
    "EXPLAIN (FORMAT JSON) SELECT 1 FROM fact WHERE fts_document @@ CAST(:query AS tsquery)"
)
_POSTGRES_FACTS = "SELECT reltuples FROM pg_class WHERE oid = CAST('fact' AS regclass)"
_POSTGRES_WALK = (
    "SELECT key FROM fact WHERE fts_document @@ CAST(:query AS tsquery)"
    " ORDER BY happened DESC NULLS LAST, id DESC LIMIT :limit"
)
_POSTGRES_COLLECT = (
    # OFFSET 0 keeps the planner from walking the recency index for the inner query.
    "SELECT key FROM ("
    " SELECT key, happened, id FROM fact WHERE fts_document @@ CAST(:query AS tsquery)"
    " OFFSET 0"
    ") AS matched ORDER BY happened DESC NULLS LAST, id DESC LIMIT :limit"
)


SQLITE: Dialect = SqliteDialect()
POSTGRESQL: Dialect = PostgresDialect()


__all__ = ["POSTGRESQL", "SQLITE", "Dialect", "PostgresDialect", "Run", "SqliteDialect"]
