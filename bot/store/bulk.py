"""Writing many rows at once: COPY on PostgreSQL, one executemany elsewhere.

An import writes hundreds of thousands of rows. Sent as separate INSERTs, each
is a round trip; PostgreSQL's COPY streams them all in one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection


def insert_rows(connection: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows, which all give the same columns, into table, inside connection's
    transaction: a failure leaves nothing written once that transaction rolls back."""
    if not rows:
        return
    dialect = connection.dialect.name
    if dialect == "sqlite":
        _sqlite_insert(connection, table, rows)
        return
    if dialect != "postgresql":
        connection.execute(sa.insert(table), list(rows))
        return
    from psycopg import sql

    names = list(rows[0])
    shaped = [_copy_value(table.c[name]) for name in names]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([shape(row[name]) for name, shape in zip(names, shaped, strict=True)])


def insert_numbered(
    connection: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]
) -> list[int]:
    """`insert_rows` for a table whose ``id`` the database numbers: the ids the rows got,
    in the rows' order.

    The ids are worked out first, so the rows can go in one batch with them: drawn from
    the table's sequence on PostgreSQL; on SQLite the ones it would give itself (one
    past the highest, for a table without AUTOINCREMENT), which no other writer can
    take while this transaction holds the write lock."""
    if not rows:
        return []
    dialect = connection.dialect.name
    if dialect == "postgresql":
        drawn = connection.execute(
            sa.text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": len(rows)},
        )
        ids = [number for (number,) in drawn]
    elif dialect == "sqlite":
        highest = connection.execute(sa.select(sa.func.max(table.c.id))).scalar_one() or 0
        ids = list(range(highest + 1, highest + 1 + len(rows)))
    else:
        inserted = connection.execute(
            sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), list(rows)
        )
        return [number for (number,) in inserted]
    insert_rows(
        connection, table, [{"id": number, **row} for number, row in zip(ids, rows, strict=True)]
    )
    return ids


def _sqlite_insert(
    connection: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """One executemany of plain tuples: each value converted by its column's type (as
    SQLAlchemy would: timestamps as text, JSON as text), without building a parameter
    dictionary per row."""
    names = list(rows[0])
    convert = [
        table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        or _same
        for name in names
    ]
    columns = ", ".join(f'"{name}"' for name in names)
    places = ", ".join("?" for _ in names)
    statement = f'INSERT INTO "{table.name}" ({columns}) VALUES ({places})'
    connection.exec_driver_sql(
        statement,
        [
            tuple(to_db(row[name]) for name, to_db in zip(names, convert, strict=True))
            for row in rows
        ],
    )


def _copy_value(column: sa.Column[Any]) -> Callable[[Any], Any]:
    """How a value of column is written by COPY: JSON as its text (None as JSON null, as
    SQLAlchemy's JSON type stores it), anything else as psycopg adapts it."""
    if isinstance(column.type, sa.JSON):
        return json.dumps
    return _same


def _same(value: Any) -> Any:
    return value
