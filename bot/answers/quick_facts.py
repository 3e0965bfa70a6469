"""Facts read from the store when a lookup shows them, and kept: `FactsWhenAsked`, what
both readers share, and `ReadFacts` and `ReadGroups`, which read an SQLite store's
file through the standard library (`bot.store.readonly`) for a catalog restored from a
current snapshot by `bot.answers.quick`; `bot.answers.stored` reads the same through
SQLAlchemy."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar

from bot.core.answer import FactView
from bot.store.readonly import FactRow, ReadOnlyStore

RowView = Callable[[FactRow], FactView]
"""Makes a fact view of a stored fact (with the catalog's entity and source refs)."""

Record = TypeVar("Record")


class FactsWhenAsked(Mapping[str, FactView], Generic[Record]):
    """Every stored fact by key, read when first asked for and then kept. Subclasses say
    how one fact (a record `view` turns into a fact view) and every key are read."""

    def __init__(self, view: Callable[[Record], FactView]) -> None:
        self._view = view
        self._read: dict[str, FactView | None] = {}
        self._lock = threading.Lock()

    def _read_one(self, key: str) -> Record | None:
        """The stored fact of key, or None."""
        raise NotImplementedError

    def _keys(self) -> Sequence[str]:
        """Every stored fact's key, in key order."""
        raise NotImplementedError

    def __getitem__(self, key: str) -> FactView:
        if key not in self._read:
            found = self._read_one(key)
            with self._lock:
                self._read[key] = self._view(found) if found is not None else None
        fact = self._read[key]
        if fact is None:
            raise KeyError(key)
        return fact

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    @property
    def held(self) -> int:
        """How many facts have been read so far (each is read once)."""
        return len(self._read)

    def kept(self, facts: list[FactView]) -> tuple[FactView, ...]:
        """facts, remembered by key so a later lookup of one reads nothing."""
        with self._lock:
            self._read.update((fact.key, fact) for fact in facts)
        return tuple(facts)


class ReadFacts(FactsWhenAsked[FactRow]):
    """Every stored fact by key, read from the file when first asked for."""

    def __init__(self, store: ReadOnlyStore, view: RowView) -> None:
        super().__init__(view)
        self._store = store

    def _read_one(self, key: str) -> FactRow | None:
        return self._store.facts([key]).get(key)

    def _keys(self) -> Sequence[str]:
        return self._store.fact_keys()


class ReadGroups(Mapping[str, tuple[FactView, ...]]):
    """The facts about each entity (``about``) or citing each source, read when first
    asked for; only keys with at least one fact are present (as `StoredGroups`)."""

    def __init__(
        self, store: ReadOnlyStore, facts: ReadFacts, view: RowView, *, about: bool
    ) -> None:
        self._store, self._facts, self._view, self._about = store, facts, view, about
        self._read: dict[str, tuple[FactView, ...]] = {}

    def __getitem__(self, key: str) -> tuple[FactView, ...]:
        group = self._read.get(key)
        if group is None:
            read = self._store.facts_about if self._about else self._store.facts_citing
            group = self._read[key] = self._facts.kept([self._view(row) for row in read(key)])
        if not group:
            raise KeyError(key)
        return group

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.owners(about=self._about))

    def __len__(self) -> int:
        return len(self._store.owners(about=self._about))


__all__ = ["FactsWhenAsked", "ReadFacts", "ReadGroups", "RowView"]
