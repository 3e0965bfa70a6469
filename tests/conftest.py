"""Fixtures shared by the whole suite: fresh stores and the seeded library."""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.answers.catalog import Catalog
from bot.config import Settings
from bot.curation.transfer import load_file
from bot.library import Library
from bot.records.actor import Actor
from bot.store.db import Store, upgrade
from tests.fake_discord import fake_discord  # noqa: F401  (a fixture: Discord faked on 127.0.0.1)

POSTGRES_URL_VARIABLE = "DIPLOBOT_TEST_POSTGRES_URL"
"""Names the PostgreSQL server tests marked ``postgres`` run against."""
CI_VARIABLE = "CI"
"""Set to ``true`` by CI, where PostgreSQL tests must run: without a server they fail."""

SEED = Path(__file__).resolve().parent.parent / "data" / "seed.yaml"
"""The seed file a new store is filled with."""

StoreFactory = Callable[[], Store]
"""Makes one more empty, migrated store each time it is called."""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory for the command line: its own store file, no .env, no token."""
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "DISCORD_TOKEN", "DIPLOBOT_SEED_FILE", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DIPLOBOT_DB_PATH", str(tmp_path / "cli.db"))
    return tmp_path


def self_contained(path: Path, template: Path) -> Path:
    """Copy the SQLite store at path into template, a file to copy for each test; template.

    A backup holds whatever the write-ahead log still held: the file alone is the store."""
    with (
        contextlib.closing(sqlite3.connect(path)) as source,
        contextlib.closing(sqlite3.connect(template)) as copy,
    ):
        source.backup(copy)
    return template


@pytest.fixture(scope="session")
def migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty store migrated to the head once, in one self-contained file.

    Migrating takes most of an empty store's setup; copying this file takes a fraction."""
    migrated = tmp_path_factory.mktemp("migrated") / "migrated.db"
    Store.open(f"sqlite:///{migrated}").close()
    return self_contained(migrated, migrated.with_name("template.db"))


@pytest.fixture
def store(tmp_path: Path, migrated_file: Path) -> Iterator[Store]:
    """An empty, migrated SQLite store in a temporary file (a copy of `migrated_file`)."""
    path = tmp_path / "test.db"
    shutil.copyfile(migrated_file, path)
    opened = Store.open(f"sqlite:///{path}")
    yield opened
    opened.close()


@pytest.fixture
def seeded(tmp_path: Path, seeded_file: Path) -> Iterator[Store]:
    """A SQLite store holding data/seed.yaml (a copy of `seeded_file`)."""
    path = tmp_path / "seeded.db"
    shutil.copyfile(seeded_file, path)
    opened = Store.open(f"sqlite:///{path}")
    yield opened
    opened.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def seeded_on(request: pytest.FixtureRequest) -> Store:
    """A store holding data/seed.yaml, on the backend the test is running against."""
    if request.param == "sqlite":
        seeded_store: Store = request.getfixturevalue("seeded")
        return seeded_store
    store: Store = request.getfixturevalue("postgres_store")
    load_file(store, SEED, Actor(None, "seed"))
    return store


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store migrated and seeded from data/seed.yaml once, in one self-contained file.

    Seeding takes most of a test's setup; copying this file takes a fraction."""
    folder = tmp_path_factory.mktemp("seeded")
    Library.open(
        Settings.from_mapping({"DATABASE_URL": f"sqlite:///{folder / 'seeded.db'}"})
    ).close()
    return self_contained(folder / "seeded.db", folder / "template.db")


@pytest.fixture
def own_library(tmp_path: Path, seeded_file: Path) -> Iterator[Library]:
    """A seeded store of this test's own (a copy of `seeded_file`), which tests may change."""
    path = tmp_path / "c.db"
    shutil.copyfile(seeded_file, path)
    opened = Library.open(Settings.from_mapping({"DATABASE_URL": f"sqlite:///{path}"}))
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory, seeded_file: Path) -> Iterator[Library]:
    """The store as a new user gets it: migrated and seeded from data/seed.yaml. Read-only."""
    path = tmp_path_factory.mktemp("library") / "diplobot.db"
    shutil.copyfile(seeded_file, path)
    opened = Library.open(Settings.from_mapping({"DATABASE_URL": f"sqlite:///{path}"}))
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def catalog(library: Library) -> Catalog:
    """The seeded catalog."""
    return library.catalog


PROJECT = Path(__file__).resolve().parent.parent


def diplobot_environment(home: Path, database_url: str) -> dict[str, str]:
    """The environment for a real ``diplobot`` process: this one's, without a token,
    seed file, log level or SQLite path of its own, with the checkout importable, output
    unbuffered, and database_url as its store."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DISCORD_TOKEN", "DIPLOBOT_SEED_FILE", "LOG_LEVEL", "DIPLOBOT_DB_PATH"}
    }
    env.update(
        PYTHONPATH=str(PROJECT),
        HOME=str(home),
        PYTHONUNBUFFERED="1",
        DATABASE_URL=database_url,
    )
    return env


def shell(cwd: Path, command: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a shell command line in cwd as a user would, with this checkout importable."""
    return subprocess.run(
        command,
        shell=True,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(PROJECT), "HOME": str(cwd)},
        check=False,
        timeout=60,
    )


def in_ci(env: Mapping[str, str]) -> bool:
    """Whether env is CI's (``CI=true``, or 1 or yes)."""
    return env.get(CI_VARIABLE, "").strip().casefold() in {"true", "1", "yes"}


def unreachable(url: str) -> str | None:
    """Why the PostgreSQL server at url cannot be used, in one line; None when it can."""
    engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:  # any failure to reach it is the answer, not a crash
        reason = str(getattr(error, "orig", None) or error).strip()
        return reason.splitlines()[0] if reason else type(error).__name__
    finally:
        engine.dispose()
    return None


def postgres_verdict(
    env: Mapping[str, str], probe: Callable[[str], str | None] = unreachable
) -> tuple[str, str]:
    """Whether tests marked ``postgres`` ``run``, ``skip`` or ``fail`` in env, and the URL
    to run them against or why not.

    They run when DIPLOBOT_TEST_POSTGRES_URL names a server that answers. Otherwise
    they are skipped on a developer's machine, and fail in CI (``CI=true``), where a
    missing server must not pass unnoticed as a row of skips."""
    url = env.get(POSTGRES_URL_VARIABLE, "").strip()
    if not url:
        why = f"{POSTGRES_URL_VARIABLE} is not set: no PostgreSQL server to test against"
    else:
        reason = probe(url)
        if reason is None:
            return "run", url
        where = make_url(url).render_as_string(hide_password=True)
        why = f"the PostgreSQL server in {POSTGRES_URL_VARIABLE} ({where}) is unreachable: {reason}"
    if in_ci(env):
        return "fail", f"{why}; in CI (CI=true) PostgreSQL tests must run, not be skipped"
    return "skip", why


WORKER_VARIABLE = "PYTEST_XDIST_WORKER"
"""Names this pytest-xdist worker (``gw0``, ``gw1`` …); unset in a run without workers."""
_own_databases: list[tuple[sa.Engine, str]] = []
"""The databases this process made on the server (through which engine): dropped at the end."""


def own_database(base: str) -> str:
    """A new, empty database on the server at base, for this test process alone; its URL.

    Named ``<base database>_<worker>_<random>``: one per pytest-xdist worker (``main``
    without workers), and distinct between runs that share the server. Notifications
    reach every listener in a database, so a test that LISTENs would otherwise be woken
    by another worker's, or another run's, changes. Dropped when the session ends."""
    url = make_url(base)
    worker = os.environ.get(WORKER_VARIABLE, "main")
    name = f"{url.database or 'postgres'}_{worker}_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    _own_databases.append((admin, name))
    return url.set(database=name).render_as_string(hide_password=False)


WORKERS_PER_CORE = 2
"""pytest-xdist workers per core for ``-n auto``: the tests wait on threads, sockets,
processes and timers much of the time, so a core runs two of them."""
WORKERS_MAX = 8
"""At most this many: each holds a few PostgreSQL connections (the server allows 100)."""


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """How many workers ``-n auto`` starts: `WORKERS_PER_CORE` per core this process may
    use, at most `WORKERS_MAX`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(WORKERS_MAX, WORKERS_PER_CORE * cores)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first, so that in parallel the long ones start at once and the quick
    ones fill the other workers around them, instead of all waiting at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop the databases `own_database` made, whatever connection a test left open."""
    while _own_databases:
        admin, name = _own_databases.pop()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@functools.cache
def _session_verdict() -> tuple[str, str]:
    """`postgres_verdict` for this process's environment, probed once per test session;
    when the tests run, the URL is of a database of this process's own (`own_database`)."""
    verdict, detail = postgres_verdict(os.environ)
    if verdict == "run":
        return verdict, own_database(detail)
    return verdict, detail


def postgres_url() -> str:
    """The URL of this test process's own database on the PostgreSQL server to test
    against (`own_database`); skips the calling test without one, or fails it in CI
    (see `postgres_verdict`)."""
    verdict, detail = _session_verdict()
    if verdict == "fail":
        pytest.fail(detail, pytrace=False)
    if verdict == "skip":
        pytest.skip(detail)
    return detail


@pytest.fixture
def postgres_stores() -> Iterator[StoreFactory]:
    """Empty, migrated PostgreSQL stores, each in a fresh schema dropped after the test.

    Skips the test when DIPLOBOT_TEST_POSTGRES_URL is unset or its server unreachable,
    and fails it instead in CI (`postgres_url`). Mark such tests
    ``@pytest.mark.postgres``.
    """
    url = postgres_url()
    admin = sa.create_engine(url)
    made: list[tuple[str, Store]] = []

    def make() -> Store:
        schema = f"diplobot_test_{secrets.token_hex(6)}"
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine = sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        store = Store(engine)
        made.append((schema, store))
        upgrade(store.engine)
        return store

    try:
        yield make
    finally:
        for schema, store in made:
            store.close()
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_store(postgres_stores: StoreFactory) -> Store:
    """An empty, migrated PostgreSQL store in a schema of its own."""
    return postgres_stores()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL several processes (or threads) can open one store by: an SQLite file, or a
    fresh PostgreSQL schema dropped after the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
        return
    with new_schema() as (base, schema):
        yield (
            make_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )


@contextlib.contextmanager
def new_schema() -> Iterator[tuple[str, str]]:
    """The test server's URL and the name of a new, empty schema on it, dropped at the end."""
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
