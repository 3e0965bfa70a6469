"""Snapshots of a store's catalog on disk, so a process starts without rebuilding it.

A snapshot holds what building a catalog costs: the entities and sources as lookups
see them, the name index and the source index; a second file holds the names
automaton (`!names`, the names menu) once one is built. Both are `packing` files
in a cache directory, one pair per store, read by memory mapping.

A snapshot is keyed by the store (its address), the code that made it (a hash of
the matching and catalog sources, so a snapshot from another diplobot is foreign)
and the revision it was made at, with that revision's time: a store rebuilt since
has another. One from an older revision is still used: the library applies the
changes since through `Catalog.changed` before it answers anything. A snapshot
that is cut short, damaged or foreign is ignored with one log line and rebuilt;
a directory that cannot be written is said once, and diplobot goes on without.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from sqlmodel import select

from bot.answers.catalog import RECENT_DAYS, Catalog
from bot.answers.catalog_snapshot import (
    FORMAT,
    automaton_path,
    catalog_of,
    code_version,
    expected,
    snapshot_paths,
    stamp_of,
)
from bot.answers.overlay import ReadWhenAsked
from bot.answers.packed_records import records_to_arrays
from bot.records.reader import changes_since, fact_change_times, fact_records
from bot.records.shapes import FactSpec
from bot.search.changed_mentions import ChangedMentions, changed
from bot.search.mentions import MentionMatcher
from bot.search.packing import PackError, read_pack, write_pack
from bot.store.db import Store
from bot.store.fulltext import for_store
from bot.store.models import Revision

log = logging.getLogger(__name__)

CHANGED_MAX = 2000
"""Records changed since a saved names automaton up to this many are applied to it;
more build it again."""
_STALE_AUTOMATA = 120.0
"""Automaton files no snapshot names are removed once this many seconds old (a process
may be between reading a snapshot and opening the automaton it names)."""


def store_identity(store: Store) -> str:
    """The store's address without its password (a SQLite file by its absolute path)."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        url = url.set(database=str(Path(url.database).expanduser().resolve()))
    return url.render_as_string(hide_password=True)


class CatalogCache:
    """The snapshots of one store's catalog in one directory."""

    def __init__(self, directory: Path, store: Store) -> None:
        self.directory, self.store = directory, store
        self.identity = store_identity(store)
        self.path, self.names_path = snapshot_paths(directory, self.identity)
        self._said_unwritable = False

    def _expected(self) -> dict[str, Any]:
        return expected(self.identity)

    def stamp(self, revision: int) -> str | None:
        """When revision was made, as the store records it (None for none)."""
        if revision == 0:
            return None
        with self.store.transaction() as session:
            at = session.exec(select(Revision.at).where(Revision.id == revision)).first()
        return stamp_of(at)

    def load(self, *, facts_in_memory: bool) -> tuple[Catalog, int] | None:
        """The catalog snapshot and its revision, or None when there is none to use."""
        try:
            meta, arrays = read_pack(self.path, self._expected())
            revision = meta.get("revision")
            if not isinstance(revision, int) or self.stamp(revision) != meta.get("stamp"):
                raise PackError("it is of another store or of a revision since undone")
            catalog = _restore(self.store, arrays, facts_in_memory=facts_in_memory)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (PackError, OSError, ValueError, TypeError, KeyError) as error:
            log.warning("ignored the catalog snapshot %s: %s", self.path, _reason(error))
            return None
        return catalog, revision

    def save(self, catalog: Catalog, revision: int) -> None:
        """Write catalog as the snapshot at revision, replacing any older one."""
        meta = {**self._expected(), "revision": revision, "stamp": self.stamp(revision)}
        try:
            arrays = _arrays(catalog)
        except ValueError as error:  # a name with a NUL character
            log.warning("no catalog snapshot: %s", error)
            return
        self._write(self.path, meta, arrays)

    def names_cache(self, revision: int) -> NamesCache:
        """Where the names automaton of the catalog at revision is saved and found."""
        return NamesCache(self, revision)

    def _write(self, path: Path, meta: Mapping[str, Any], arrays: dict[str, np.ndarray]) -> bool:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write_pack(path, meta, arrays)
            return True
        except OSError as error:
            self.unwritable(error)
            return False

    def unwritable(self, error: OSError) -> None:
        """Say once that snapshots cannot be written here, and why."""
        if not self._said_unwritable:
            self._said_unwritable = True
            log.warning(
                "cannot write catalog snapshots in %s (%s); starting without one each time",
                self.directory,
                error.strerror or error,
            )


class NamesCache:
    """The saved names automaton for the catalog at one revision (its `mentions_source`)."""

    def __init__(self, owner: CatalogCache, revision: int) -> None:
        self.owner, self.revision = owner, revision

    def load_or_build(self, names: Iterable[tuple[str, str]]) -> MentionMatcher:
        """The matcher saved, changed by the revisions since it was saved (`changed`); or,
        when there is none or the changes are many, one built of names (every name at this
        revision) and saved."""
        found = self.load()
        if found is not None:
            matcher, saved_at = found
            if saved_at == self.revision:
                return matcher
            with self.owner.store.transaction() as session:
                delta = changes_since(session, saved_at, CHANGED_MAX)
            if delta is not None:
                added = [
                    (key, name)
                    for key, spec in delta.entities.items()
                    if spec is not None
                    for name in (spec.name, *(alias.text for alias in spec.aliases or ()))
                ]
                result = changed(matcher, delta.entities.keys(), added, names)
                if not isinstance(result, ChangedMentions):  # built whole again
                    self.save(result)
                return result
        matcher = MentionMatcher(names)
        self.save(matcher)
        return matcher

    def load(self) -> tuple[MentionMatcher, int] | None:
        """The matcher saved at this revision or an earlier one, and that revision."""
        owner = self.owner
        try:
            meta, arrays = read_pack(owner.names_path, owner._expected())
            saved_at = meta.get("revision")
            if not isinstance(saved_at, int) or not 0 <= saved_at <= self.revision:
                raise PackError("it is of a later revision than the store's")
            if meta.get("stamp") != owner.stamp(saved_at):
                raise PackError("it is of another store or of a revision since undone")
            token = str(meta.get("automaton", ""))
            if not token.isalnum():
                raise PackError("it names no automaton file")
            return MentionMatcher.load(self._automaton(token), arrays, "names"), saved_at
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (PackError, OSError, ValueError, TypeError) as error:
            log.warning("ignored the names snapshot %s: %s", owner.names_path, _reason(error))
            return None

    def save(self, matcher: MentionMatcher) -> None:
        """Save matcher as the names automaton at this revision."""
        owner = self.owner
        token = secrets.token_hex(8)
        automaton = self._automaton(token)
        try:
            owner.directory.mkdir(parents=True, exist_ok=True)
            arrays = matcher.save(automaton, "names")
        except ValueError as error:
            automaton.unlink(missing_ok=True)
            log.warning("no names snapshot: %s", error)
            return
        except OSError as error:
            automaton.unlink(missing_ok=True)
            owner.unwritable(error)
            return
        meta = {**owner._expected(), "revision": self.revision}
        meta.update(stamp=owner.stamp(self.revision), automaton=token)
        if not owner._write(owner.names_path, meta, arrays):
            automaton.unlink(missing_ok=True)
            return
        self._remove_others(token)

    def _automaton(self, token: str) -> Path:
        return automaton_path(self.owner.names_path, token)

    def _remove_others(self, kept: str) -> None:
        """Remove automaton files of older snapshots once no reader can still want them."""
        now = time.time()
        for path in self.owner.directory.glob(f"{self.owner.names_path.stem}.*.aho"):
            try:
                if path != self._automaton(kept) and now - path.stat().st_mtime > _STALE_AUTOMATA:
                    path.unlink()
            except OSError:
                pass  # another process removed it first


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return str(error.strerror or error)
    return str(error) or type(error).__name__


def _arrays(catalog: Catalog) -> dict[str, np.ndarray]:
    """The catalog's records and indexes as named arrays."""
    return {
        **records_to_arrays(catalog),
        **catalog.index.to_arrays("index"),
        **catalog.source_index.to_arrays("source_index"),
    }


def _restore(store: Store, arrays: Mapping[str, np.ndarray], *, facts_in_memory: bool) -> Catalog:
    """The catalog of a snapshot's arrays; its facts read from the store (all of them now,
    or each when shown)."""
    specs: tuple[FactSpec, ...] = ()
    if facts_in_memory:
        with store.transaction() as session:
            specs = fact_records(session)
    since = datetime.now(UTC) - timedelta(days=RECENT_DAYS)
    # Read when `!recent` first asks (half a second after a large import), then kept.
    times = ReadWhenAsked(partial(_change_times, store, since))
    catalog = catalog_of(arrays, fact_search=for_store(store.engine), changed_at=times, facts=specs)
    if not facts_in_memory:
        catalog.read_facts_from(store)
    return catalog


def _change_times(store: Store, since: datetime) -> dict[str, datetime]:
    with store.transaction() as session:
        return fact_change_times(session, since=since)


__all__ = ["FORMAT", "CatalogCache", "NamesCache", "code_version", "store_identity"]
