"""The running store and its in-memory catalog, shared by every front door."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from bot.answers import commands
from bot.answers.catalog import Catalog, names_of
from bot.answers.catalog_cache import CatalogCache
from bot.config import Settings
from bot.core.answer import Answer
from bot.errors import DiplobotError, StoreError
from bot.records.actor import Actor
from bot.records.reader import Delta, changes_since
from bot.search.changed_mentions import changed as changed_mentions
from bot.store.changes import ChangeListener
from bot.store.db import Store, upgrade
from bot.store.models import Revision

if TYPE_CHECKING:
    from bot.drafting import Known

log = logging.getLogger(__name__)

INCREMENTAL_MAX = 2000
"""Changed records up to this many are applied to the catalog; more reload it whole."""


class Library:
    """A store opened for use: migrated, seeded if empty, and loaded into a `Catalog`.

    Lookups read `catalog`, which is swapped whole by `reload`, so readers never
    see a half-built one. `watch` keeps it current as other processes change the
    store (PostgreSQL notifications); `refresh`, called periodically, is the
    fallback for SQLite and for while the listening connection is down.
    """

    def __init__(
        self,
        store: Store,
        *,
        facts_in_memory: bool = True,
        allow_private_urls: bool = False,
        cache_dir: Path | None = None,
    ) -> None:
        """store loaded into a catalog; with facts_in_memory False, facts are read when a
        lookup shows them (for a process that answers one command, see `Catalog.load`).
        allow_private_urls lets ``curate article`` fetch from private addresses. With a
        cache_dir, the catalog starts from its snapshot there (`bot.answers.catalog_cache`),
        brought up to date before anything is answered, and full loads are saved there."""
        self.store = store
        self.allow_private_urls = allow_private_urls
        self._facts_in_memory = facts_in_memory
        self._lock = threading.Lock()
        self._listener: ChangeListener | None = None
        self._cache = CatalogCache(cache_dir, store) if cache_dir is not None else None
        restored = self._cache.load(facts_in_memory=facts_in_memory) if self._cache else None
        if restored is None:
            self.seen = 0
            self.reload()
            return
        self.catalog, self.seen = restored
        snapshot_revision = self.seen
        self.refresh()  # the changes since the snapshot, before anything is answered
        if self._cache is not None:
            if self.seen != snapshot_revision:
                self._cache.save(self.catalog, self.seen)
            self.catalog.mentions_source = self._cache.names_cache(self.seen).load_or_build

    @classmethod
    def open(cls, settings: Settings, *, facts_in_memory: bool = True) -> Library:
        """Open the configured store (see `open_store`) and load it into a catalog."""
        store = open_store(settings)
        try:
            return cls(
                store,
                facts_in_memory=facts_in_memory,
                allow_private_urls=settings.draft_allow_private_urls,
                cache_dir=settings.snapshot_dir(),
            )
        except BaseException:
            store.close()
            raise

    def answer(self, text: str) -> Answer:
        """Answer one command line, such as ``!who nozdrev``."""
        return commands.answer(self.catalog, text)

    def whole(self) -> Library:
        """This library: what a curation command runs on (see `bot.answers.quick`, whose
        library opens one of these when a line needs it)."""
        return self

    def warm_up(self) -> None:
        """Read now what some lookups otherwise read when they first need it: the common
        words of `bot.search.common_words` (about half a second), and, for a catalog
        started from a snapshot, when facts last changed (`!recent`; half a second at
        1,000,000 aliases). A long-running process calls it in a thread at start, so no
        lookup on its event loop waits for either. Safe from any thread."""
        from bot.search.common_words import common_words

        common_words()
        len(self.catalog.changed_at)

    def known_names(self) -> Known:
        """The names and keys of the store as the catalog holds them now, for drafting an
        article (see `known_names`)."""
        return known_names(self.catalog)

    def reload(self) -> Catalog:
        """Rebuild the catalog from the whole store and make it the one lookups use."""
        with self._lock:
            seen = _latest_revision(self.store)  # read first: a later change reloads again
            self.catalog, self.seen = self._load_whole(seen), seen
            return self.catalog

    def _load_whole(self, revision: int) -> Catalog:
        """The catalog read from the whole store, saved as the snapshot at revision."""
        catalog = Catalog.load(self.store, facts_in_memory=self._facts_in_memory)
        if self._cache is not None:
            self._cache.save(catalog, revision)
            catalog.mentions_source = self._cache.names_cache(revision).load_or_build
        return catalog

    def _carry_mentions(self, old: Catalog, new: Catalog, delta: Delta, revision: int) -> None:
        """Have new's names matcher made from old's, changed where delta changes names, rather
        than built whole (tens of seconds on a large store); or loaded from the cache."""
        if old.mentions_ready:
            matcher, keys = old.mentions, list(delta.entities)
            added = list(names_of(new.entities[key] for key in keys if key in new.entities))
            new.mentions_source = lambda names: changed_mentions(matcher, keys, added, names)
        elif self._cache is not None:
            new.mentions_source = self._cache.names_cache(revision).load_or_build

    def refresh(self) -> bool:
        """Catch up if the store changed since the catalog was read (an import from the
        host, another process's edit, this one's); returns whether it did. One cheap
        query otherwise.

        Only the records changed since are read and applied to a copy of the catalog
        that shares everything else (`Catalog.changed`), unless there are more than
        `INCREMENTAL_MAX` of them. Safe from any thread: callers that race (the change
        listener and the periodic check) take turns, and the later one finds the
        catalog already current."""
        with self._lock:
            with self.store.transaction() as session:
                latest = session.exec(select(func.max(Revision.id))).one() or 0
                if latest == self.seen:
                    return False
                delta = changes_since(session, self.seen, INCREMENTAL_MAX)
            if delta is None:
                self.catalog = self._load_whole(latest)
            else:
                old, self.catalog = self.catalog, self.catalog.changed(delta)
                self._carry_mentions(old, self.catalog, delta, latest)
            self.seen = latest
            return True

    def watch(self, *, application_name: str | None = None) -> Library:
        """Start reloading as soon as another process commits a change (PostgreSQL only;
        on SQLite nothing starts and the periodic `refresh` does the work)."""
        if self._listener is None:
            extra = {"application_name": application_name} if application_name else {}
            self._listener = ChangeListener(
                self.store.engine, lambda _payload: self._refresh_quietly(), **extra
            ).start()
        return self

    @property
    def listener(self) -> ChangeListener | None:
        """The change listener `watch` started, if any."""
        return self._listener

    def _refresh_quietly(self) -> None:
        try:
            if self.refresh():
                log.info("the store changed elsewhere; lookups now read the new version")
        except (DiplobotError, SQLAlchemyError) as error:
            log.warning("could not reload after a change notification: %s", error)

    def close(self) -> None:
        """Stop watching for changes and release the store's connections."""
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        self.store.close()


def _latest_revision(store: Store) -> int:
    """The number of the newest revision (0 for none): the store's version as a whole."""
    with store.transaction() as session:
        return session.exec(select(func.max(Revision.id))).one() or 0


def open_store(settings: Settings) -> Store:
    """The configured store, migrated, with the seed file loaded into it if it was empty;
    for commands that read or write records without looking anything up (import, export).
    """
    store = Store.open(settings.database_url, migrate=False)
    try:
        # Processes starting together on a new store take turns: one migrates and
        # seeds it, the others find it ready.
        with store.setting_up():
            upgrade(store.engine)
            if settings.seed_file is not None and store.is_empty():
                if not settings.seed_file.is_file():
                    raise StoreError(f"the seed file {settings.seed_file} does not exist")
                from bot.curation.transfer import load_file

                report = load_file(store, settings.seed_file, Actor(None, "seed"))
                log.info("seeded an empty store: %s", report)
        return store
    except BaseException:
        store.close()
        raise


def known_names(catalog: Catalog) -> Known:
    """A catalog's names and keys for drafting an article: the matcher ``!names`` uses,
    every entity key (former keys too, which still name their entity), every source
    key, and each entity's kind."""
    from bot.drafting import Known  # its extraction libraries take 0.4 s to import

    return Known(
        mentions=catalog.mentions,
        entity_keys=frozenset(catalog.entities) | frozenset(catalog.redirects),
        source_keys=frozenset(catalog.sources),
        kinds={key: record.ref.kind for key, record in catalog.entities.items()},
    )
