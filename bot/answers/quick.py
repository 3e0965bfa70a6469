"""Lookups answered from a current catalog snapshot, without loading SQLAlchemy.

`diplobot ask '!who nozdrev'` is a process of its own each time. Opening the store
the usual way (`bot.library.Library.open`) loads SQLAlchemy, SQLModel and the table
classes, about half a second, though a snapshot of the catalog at the store's
current revision already holds every entity, source and index a lookup reads.
`open_quick` checks with the standard library's ``sqlite3``, read-only, that the
snapshot is current (the schema at the newest migration, the newest revision and
its time those the snapshot was made at, entities in the store) and then answers
from it, reading the facts a lookup shows from the file. Anything else (no snapshot,
one from an earlier revision, a store that is not an SQLite file, an empty one to be
seeded) is left to the full path, which also brings the snapshot up to date.

A `QuickLibrary` opens the full library when a line needs it: a curation command,
or a change by another process between lines of ``ask -``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from bot.answers import commands
from bot.answers.catalog import RECENT_DAYS, Catalog
from bot.answers.catalog_records import fact_view
from bot.answers.catalog_snapshot import (
    catalog_of,
    expected,
    names_at,
    snapshot_paths,
    stamp_of,
)
from bot.answers.overlay import ReadWhenAsked
from bot.answers.quick_facts import ReadFacts, ReadGroups
from bot.config import Settings, sqlite_database
from bot.core.answer import Answer, FactView
from bot.errors import StoreError
from bot.search.mentions import MentionMatcher
from bot.search.packing import PackError, read_pack
from bot.store.fulltext import SqliteFileSearch
from bot.store.readonly import FactRow, ReadOnlyStore
from bot.store.schema_head import revisions_in_files

log = logging.getLogger(__name__)


class WholeLibrary(Protocol):
    """What a `QuickLibrary` hands lookups to once it opens the full library."""

    @property
    def catalog(self) -> Catalog: ...
    def answer(self, text: str) -> Answer: ...
    def refresh(self) -> bool: ...
    def close(self) -> None: ...


L = TypeVar("L", bound=WholeLibrary)


class QuickLibrary(Generic[L]):
    """A library answering lookups from a current snapshot (see the module), until a
    line needs the full one, which `whole` opens (with the opener given) and keeps."""

    def __init__(
        self,
        catalog: Catalog,
        store: ReadOnlyStore,
        revision: int,
        opener: Callable[[], L],
        names: Callable[[], MentionMatcher | None] = lambda: None,
    ) -> None:
        """catalog, of store at revision; names gives the names matcher saved at revision
        (None when there is none, and the full library's is used)."""
        self._catalog, self._store, self.seen = catalog, store, revision
        self._opener, self._names = opener, names
        self._whole: L | None = None
        catalog.mentions_source = self._mentions

    @property
    def catalog(self) -> Catalog:
        """The catalog lookups read: the snapshot's, or the full library's once opened."""
        return self._catalog if self._whole is None else self._whole.catalog

    def answer(self, text: str) -> Answer:
        """Answer one command line, such as ``!who nozdrev``."""
        if self._whole is not None:
            return self._whole.answer(text)
        return commands.answer(self._catalog, text)

    def refresh(self) -> bool:
        """Whether the store changed since the snapshot (another process's change between
        lines); if so, lookups go to the full library from now on, which catches up."""
        if self._whole is not None:
            return self._whole.refresh()
        try:
            latest = self._store.latest_revision()
        except sqlite3.Error as error:
            raise StoreError(f"could not read the store: {error}") from error
        if latest == self.seen:
            return False
        self.whole()
        return True

    def whole(self) -> L:
        """The full library, opened now if it is not yet (for a curation command)."""
        if self._whole is None:
            self._whole = self._opener()
        return self._whole

    def _mentions(self, names: Iterable[tuple[str, str]]) -> MentionMatcher:
        """The names matcher (`!names`): the one saved at this revision, or else the full
        library's, which builds and saves it."""
        return self._names() or self.whole().catalog.mentions

    def close(self) -> None:
        """Close the store file, and the full library if it was opened."""
        if self._whole is not None:
            self._whole.close()
        self._store.close()


def open_quick(settings: Settings, opener: Callable[[], L]) -> QuickLibrary[L] | None:
    """A library answering from the snapshot of the configured store, when the store is an
    SQLite file and the snapshot is current (see the module); else None, for the full path.

    opener opens the full library when a line needs it."""
    directory = settings.snapshot_dir()
    database = sqlite_database(settings.database_url)
    if directory is None or database is None:
        return None
    path = Path(database).expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        identity = settings.database_url[: settings.database_url.index(":///") + 4]
        identity += str(path.resolve())
        snapshot, names_path = snapshot_paths(directory, identity)
        if not snapshot.is_file():
            return None
        meta, arrays = read_pack(snapshot, expected(identity))
        store = ReadOnlyStore(path)
    except (OSError, PackError, ValueError, sqlite3.Error):
        return None  # the full path says what is wrong, once
    try:
        catalog = _current_catalog(store, path, meta, arrays)
    except (OSError, PackError, ValueError, TypeError, KeyError, sqlite3.Error):
        catalog = None
    if catalog is None:
        store.close()
        return None
    revision, stamp = meta["revision"], meta.get("stamp")
    names = partial(names_at, names_path, identity, revision, stamp)
    return QuickLibrary(catalog, store, revision, opener, names)


def _current_catalog(
    store: ReadOnlyStore, path: Path, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
) -> Catalog | None:
    """The snapshot's catalog, when it is of the store as it is now; else None."""
    revision = meta.get("revision")
    if not isinstance(revision, int) or revision <= 0:
        return None
    if store.schema_revision() != revisions_in_files()[1] or not store.has_entities():
        return None
    if store.latest_revision() != revision:
        return None
    if stamp_of(store.revision_time(revision)) != meta.get("stamp"):
        return None
    since = datetime.now(UTC) - timedelta(days=RECENT_DAYS)
    catalog = catalog_of(arrays, fact_search=SqliteFileSearch(path), changed_at={})
    # Read by `!recent` alone; a tenth of a second after an import of 50,000 records.
    catalog.changed_at = ReadWhenAsked(partial(store.fact_change_times, since))

    def view(row: FactRow) -> FactView:
        return fact_view(row, catalog.sources, catalog.entities)

    facts = ReadFacts(store, view)
    catalog.read_facts_through(
        facts,
        ReadGroups(store, facts, view, about=True),
        ReadGroups(store, facts, view, about=False),
    )
    return catalog


__all__ = ["QuickLibrary", "WholeLibrary", "open_quick"]
