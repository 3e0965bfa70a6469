"""The store refuses what it must not open, in one line and exit status 2, through the
real command line: a DATABASE_URL it cannot use, another application's database, a file
that is not SQLite, a store from a newer diplobot and a corrupt SQLite file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.cli import main
from bot.store.db import Store, downgrade, plain_reason
from tests.conftest import new_schema


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
    with new_schema() as made:
        yield made


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


# A store from a newer diplobot, or a damaged SQLite file: one line, the store untouched.

EVERY_COMMAND = [["ask", "!dispute kuril"], ["import", "SEED"], ["export", "-"], ["db", "upgrade"]]


def with_seed(command: list[str]) -> list[str]:
    seed = Path(__file__).resolve().parents[2] / "data" / "seed.yaml"
    return [str(seed) if part == "SEED" else part for part in command]


def seeded_sqlite_store(path: Path) -> Path:
    """A seeded diplobot store in path, closed, with its WAL checkpointed into the file."""
    assert main(["ask", "!dispute kuril"]) == 0
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


def assert_no_write_ahead(path: Path) -> None:
    """Nothing waits in path's write-ahead log: reading the WAL-mode store read-only may
    leave an empty -wal and a -shm beside it, but no change."""
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def stamp(url: str, revision: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_a_store_from_a_newer_diplobot_is_one_line_and_untouched(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    path = env / "store.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    seeded_sqlite_store(path)
    stamp(f"sqlite:///{path}", "0099")
    before = fingerprint(path)[:2]

    line = one_line_refusal(capsys, *with_seed(command))

    assert "this store was written by a newer diplobot (revision 0099" in line
    assert "upgrade diplobot" in line
    assert fingerprint(path)[:2] == before
    assert_no_write_ahead(path)


def test_a_revision_diplobot_never_wrote_is_refused_as_another_applications(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = env / "store.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    seeded_sqlite_store(path)
    stamp(f"sqlite:///{path}", "ae1027a6acf")
    before = fingerprint(path)[:2]

    line = one_line_refusal(capsys, "ask", "!dispute kuril")

    assert "schema revision 'ae1027a6acf', which diplobot did not write" in line
    assert fingerprint(path)[:2] == before
    assert_no_write_ahead(path)


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_an_sqlite_file_with_corrupt_pages_is_one_line_and_untouched(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    path = env / "store.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    seeded_sqlite_store(path)
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = bytes(range(256)) * (page // 256)
    path.write_bytes(bytes(data))
    before = fingerprint(path)[:2]

    line = one_line_refusal(capsys, *with_seed(command))

    assert "store.db is damaged" in line and "nothing was changed" in line
    assert fingerprint(path)[:2] == before
    assert_no_write_ahead(path)


@pytest.mark.postgres
@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_a_postgres_store_from_a_newer_diplobot_is_one_line_and_untouched(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fresh_schema: tuple[str, str],
    command: list[str],
) -> None:
    base, schema = fresh_schema
    url = in_schema(base, schema)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["ask", "!dispute kuril"]) == 0
    stamp(url, "0099")
    before = schema_tables(base, schema)

    line = one_line_refusal(capsys, *with_seed(command))

    assert "this store was written by a newer diplobot (revision 0099" in line
    assert schema_tables(base, schema) == before
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == (
            "0099"
        )
    engine.dispose()


class _BrokenAfterTheFirstLine:
    """Standard input for ``ask -`` that, once the first command has been answered, has
    another program take the facts table away: the store fails after it was opened and
    checked."""

    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path, self.lines = path, lines

    def __iter__(self) -> Iterator[str]:
        import sqlite3

        yield self.lines[0]
        other = sqlite3.connect(self.path)
        other.execute("ALTER TABLE fact RENAME TO fact_elsewhere")
        other.commit()
        other.close()
        yield from self.lines[1:]


def test_a_store_failing_after_it_was_opened_is_one_line(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = env / "store.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    seeded_sqlite_store(path)
    lines = ["!who nozdrev\n", "!dispute kuril\n"]  # one-shot: facts are read when shown
    monkeypatch.setattr("sys.stdin", _BrokenAfterTheFirstLine(path, lines))

    line = one_line_refusal(capsys, "ask", "-")

    assert line == "diplobot: the store failed: no such table: fact"


def test_a_damaged_file_found_while_reading_is_said_in_plain_words(env: Path) -> None:
    import sqlite3

    path = seeded_sqlite_store(env / "diplobot.db")
    data = bytearray(path.read_bytes())
    data[4096:] = bytes(range(256)) * ((len(data) - 4096) // 256)  # every page but the first
    path.write_bytes(bytes(data))
    with pytest.raises(sqlite3.DatabaseError) as caught:
        sqlite3.connect(path).execute("SELECT count(*) FROM fact").fetchall()
    assert plain_reason(caught.value) == "the store file is damaged; restore it from a backup"
