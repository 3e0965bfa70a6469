"""Fixtures shared by the whole suite: fresh stores and the seeded library."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answers.catalog import Catalog
from bot.config import Settings
from bot.library import Library
from bot.store.db import Store


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
