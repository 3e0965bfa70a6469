"""Fixtures shared by the whole suite: fresh stores and the seeded library."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.answers.catalog import Catalog
from bot.config import Settings
from bot.library import Library
from bot.store.db import Store, upgrade
from tests.fake_discord import fake_discord  # noqa: F401  (a fixture: Discord faked on 127.0.0.1)

POSTGRES_URL_VARIABLE = "DIPLOBOT_TEST_POSTGRES_URL"
"""Names the PostgreSQL server tests marked ``postgres`` run against."""

StoreFactory = Callable[[], Store]
"""Makes one more empty, migrated store each time it is called."""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty, migrated SQLite store in a temporary file."""
    opened = Store.open(f"sqlite:///{tmp_path / 'test.db'}")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """The store as a new user gets it: migrated and seeded from data/seed.yaml. Read-only."""
    path = tmp_path_factory.mktemp("seeded") / "diplobot.db"
    opened = Library.open(Settings.from_mapping({"DATABASE_URL": f"sqlite:///{path}"}))
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def catalog(library: Library) -> Catalog:
    """The seeded catalog."""
    return library.catalog


@pytest.fixture
def postgres_stores() -> Iterator[StoreFactory]:
    """Empty, migrated PostgreSQL stores, each in a fresh schema dropped after the test.

    Skips the test when DIPLOBOT_TEST_POSTGRES_URL is unset. Mark such tests
    ``@pytest.mark.postgres``.
    """
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set: no PostgreSQL server to test against")
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
    base = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set: no PostgreSQL server to test against")
    schema = f"diplobot_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
