"""The running store and its in-memory catalog, shared by every front door."""

from __future__ import annotations

import logging
import threading

from bot.answers import commands
from bot.answers.catalog import Catalog
from bot.answers.model import Answer
from bot.config import Settings
from bot.curation.history import latest_revision
from bot.curation.transfer import Actor, load_file
from bot.errors import StoreError
from bot.store.db import Store

log = logging.getLogger(__name__)


class Library:
    """A store opened for use: migrated, seeded if empty, and loaded into a `Catalog`.

    Lookups read `catalog`, which is swapped whole by `reload`, so readers never
    see a half-built one.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self.seen = latest_revision(store)
        self.catalog = Catalog.load(store)

    @classmethod
    def open(cls, settings: Settings) -> Library:
        """Open the configured store, migrating it and loading the seed file into an empty one."""
        store = Store.open(settings.database_url)
        try:
            if settings.seed_file is not None and store.is_empty():
                if not settings.seed_file.is_file():
                    raise StoreError(f"the seed file {settings.seed_file} does not exist")
                report = load_file(store, settings.seed_file, Actor(None, "seed"))
                log.info("seeded an empty store: %s", report)
            return cls(store)
        except BaseException:
            store.close()
            raise

    def answer(self, text: str) -> Answer:
        """Answer one command line, such as ``!who nozdrev``."""
        return commands.answer(self.catalog, text)

    def reload(self) -> Catalog:
        """Rebuild the catalog from the store and make it the one lookups use."""
        with self._lock:
            seen = latest_revision(self.store)  # read first: a later change reloads again
            self.catalog = Catalog.load(self.store)
            self.seen = seen
        return self.catalog

    def refresh(self) -> bool:
        """Reload if the store changed since the catalog was read (an import from the host,
        another process's edit); returns whether it did. One cheap query otherwise."""
        if latest_revision(self.store) == self.seen:
            return False
        self.reload()
        return True

    def close(self) -> None:
        """Release the store's connections."""
        self.store.close()
