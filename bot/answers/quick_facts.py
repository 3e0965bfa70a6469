"""Facts read from an SQLite store's file when a lookup shows them, through the standard
library (`bot.store.readonly`): what `bot.answers.stored` reads through SQLAlchemy, for
a catalog restored from a current snapshot by `bot.answers.quick`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping

from bot.core.answer import FactView
from bot.store.readonly import FactRow, ReadOnlyStore

RowView = Callable[[FactRow], FactView]
"""Makes a fact view of a stored fact (with the catalog's entity and source refs)."""


class ReadFacts(Mapping[str, FactView]):
    """Every stored fact by key, read when first asked for (as `StoredFacts`)."""

    def __init__(self, store: ReadOnlyStore, view: RowView) -> None:
        self._store, self._view = store, view
        self._read: dict[str, FactView | None] = {}
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> FactView:
        if key not in self._read:
            found = self._store.facts([key]).get(key)
            with self._lock:
                self._read[key] = self._view(found) if found is not None else None
        fact = self._read[key]
        if fact is None:
            raise KeyError(key)
        return fact

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.fact_keys())

    def __len__(self) -> int:
        return len(self._store.fact_keys())

    def kept(self, facts: list[FactView]) -> tuple[FactView, ...]:
        """facts, remembered by key so a later lookup of one reads nothing."""
        with self._lock:
            self._read.update((fact.key, fact) for fact in facts)
        return tuple(facts)


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


__all__ = ["ReadFacts", "ReadGroups", "RowView"]
