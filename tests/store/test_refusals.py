"""The store refuses what it must not open, in one line and exit status 2, through the
real command line: a DATABASE_URL it cannot use, another application's database, a file
that is not SQLite, a store from a newer diplobot and a corrupt SQLite file."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.cli import main
from bot.store.db import Store, downgrade
from tests.conftest import postgres_url


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with no .env, settings or token of its own."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "DATABASE_URL",
        "DIPLOBOT_DB_PATH",
        "DISCORD_TOKEN",
        "DIPLOBOT_SEED_FILE",
        "LOG_LEVEL",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def one_line_refusal(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run diplobot with argv, expect exit 2 and one line on stderr, and return the line."""
    capsys.readouterr()
    assert main(list(argv)) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("diplobot: ")
    assert "Traceback" not in captured.err
    return lines[0]


# DATABASE_URL schemes.


@pytest.mark.parametrize(
    "value",
    [
        "http://example.com/db",
        "foo://u@h/db",
        "mysql://u@h/db",
        "postgresql+psycopg2://u@h/db",
        "garbage",
        "://nothing",
    ],
)
def test_a_database_url_of_another_kind_is_one_line_naming_the_accepted_forms(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", value)
    line = one_line_refusal(capsys, "ask", "!dispute kuril")
    for form in ("sqlite:///", "postgresql://", "postgres://"):
        assert form in line
    assert "NoSuchModuleError" not in line
    assert list(env.iterdir()) == []  # nothing was created


def scheme_url(base: str, scheme: str) -> str:
    """base (a PostgreSQL URL) written with scheme, as a hosted service would hand it out."""
    rendered = make_url(base).render_as_string(hide_password=False)
    return scheme + "://" + rendered.split("://", 1)[1]


@pytest.fixture
def fresh_schema() -> Iterator[tuple[str, str]]:
    """The test server's URL and the name of a new, empty schema, dropped after the test."""
    base = postgres_url()
    schema = f"diplobot_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base, schema
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def in_schema(url: str, schema: str) -> str:
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"


@pytest.mark.postgres
@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_and_postgresql_urls_open_postgresql_through_psycopg(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fresh_schema: tuple[str, str],
    scheme: str,
) -> None:
    base, schema = fresh_schema
    monkeypatch.setenv("DATABASE_URL", in_schema(scheme_url(base, scheme), schema))
    assert main(["ask", "!dispute kuril"]) == 0
    assert capsys.readouterr().out.startswith("Kuril Islands dispute  (dispute)")
    engine = sa.create_engine(base)
    try:
        tables = set(sa.inspect(engine).get_table_names(schema=schema))
    finally:
        engine.dispose()
    assert {"alembic_version", "entity", "fact"} <= tables
    assert not (env / "diplobot.db").exists()


def test_the_quick_start_still_creates_and_seeds_diplobot_db(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "!dispute kuril"]) == 0
    assert capsys.readouterr().out.startswith("Kuril Islands dispute  (dispute)")
    assert (env / "diplobot.db").is_file()
    assert os.path.getsize(env / "diplobot.db") > 0


# Another application's database is refused, and nothing is written to it.


def fingerprint(path: Path) -> tuple[bytes, int, set[str]]:
    """path's bytes, its modification time, and the files beside it (a -wal, a -shm)."""
    return path.read_bytes(), path.stat().st_mtime_ns, {p.name for p in path.parent.iterdir()}


def another_applications_sqlite_file(path: Path) -> Path:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    connection.execute("INSERT INTO invoices (total) VALUES (12.5)")
    connection.commit()
    connection.close()
    return path


@pytest.mark.parametrize("command", [["ask", "!dispute kuril"], ["db", "upgrade"], ["export", "-"]])
def test_another_applications_sqlite_file_is_refused_and_left_as_it_was(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    path = another_applications_sqlite_file(env / "accounts.db")
    before = fingerprint(path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")

    line = one_line_refusal(capsys, *command)

    assert "holds tables diplobot did not make (invoices)" in line
    assert "point DATABASE_URL at an empty database or a diplobot store" in line
    assert fingerprint(path) == before
    assert path.read_bytes()[18:20] == b"\x01\x01"  # still a rollback journal, not WAL


def test_a_file_that_is_not_sqlite_is_one_line_and_left_as_it_was(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = env / "notes.txt"
    path.write_text("shopping: eggs, milk\n" * 200, encoding="utf-8")
    before = fingerprint(path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")

    line = one_line_refusal(capsys, "ask", "!dispute kuril")

    assert "notes.txt is not an SQLite database" in line
    assert fingerprint(path) == before


def test_an_empty_file_is_still_made_a_store_and_seeded(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = env / "empty.db"
    path.touch()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    assert main(["ask", "!dispute kuril"]) == 0
    assert capsys.readouterr().out.startswith("Kuril Islands dispute  (dispute)")


def test_a_downgraded_store_is_still_diplobots(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`db downgrade base` leaves only alembic_version: that store is diplobot's own."""
    url = f"sqlite:///{env / 'mine.db'}"
    store = Store.open(url)
    downgrade(store.engine, "base")
    store.close()
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["ask", "!dispute kuril"]) == 0
    assert "Kuril Islands dispute  (dispute)" in capsys.readouterr().out


def schema_tables(base: str, schema: str) -> list[tuple[str, str]]:
    """Every table in schema with its kind, as PostgreSQL's catalog lists them."""
    engine = sa.create_engine(base)
    try:
        with engine.connect() as connection:
            return sorted(
                connection.execute(
                    sa.text(
                        "SELECT table_name, table_type FROM information_schema.tables"
                        " WHERE table_schema = :schema"
                    ),
                    {"schema": schema},
                ).tuples()
            )
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("command", [["ask", "!dispute kuril"], ["db", "upgrade"]])
def test_another_applications_postgres_schema_is_refused_and_left_as_it_was(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fresh_schema: tuple[str, str],
    command: list[str],
) -> None:
    base, schema = fresh_schema
    engine = sa.create_engine(base)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE TABLE "{schema}".invoices (id serial PRIMARY KEY)'))
        connection.execute(sa.text(f'INSERT INTO "{schema}".invoices DEFAULT VALUES'))
    engine.dispose()
    before = schema_tables(base, schema)
    monkeypatch.setenv("DATABASE_URL", in_schema(base, schema))

    line = one_line_refusal(capsys, *command)

    assert "holds tables diplobot did not make (invoices)" in line
    assert "point DATABASE_URL at an empty database or a diplobot store" in line
    assert schema_tables(base, schema) == before == [("invoices", "BASE TABLE")]
    assert not (env / "diplobot.db").exists()
