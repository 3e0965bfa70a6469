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
