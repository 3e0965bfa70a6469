"""Read-only mappings a catalog shares: a large base with a few changes over it
(`Overlay`), and one read from the store only when first asked (`ReadWhenAsked`).

A changed catalog shares its predecessor's big dictionaries instead of copying
them: only the changed keys are stored again, so a one-fact edit costs in
proportion to the edit, not to the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Overlay(Mapping[K, V]):
    """base, with the keys of changes replaced; a change to None removes its key.

    Layering an overlay over an overlay merges the changes, so a lookup is never
    more than two dictionary reads however many changes were applied.
    """

    __slots__ = ("_base", "_changes", "_length")

    def __init__(self, base: Mapping[K, V], changes: Mapping[K, V | None]) -> None:
        if isinstance(base, Overlay):
            changes = {**base._changes, **changes}
            base = base._base
        self._base: Mapping[K, V] = base
        self._changes: dict[K, V | None] = dict(changes)
        gained = sum(1 for key, value in self._changes.items() if value is not None)
        replaced = sum(1 for key in self._changes if key in base)
        self._length = len(base) - replaced + gained

    @property
    def changes(self) -> int:
        """How many keys the overlay changes (what a rebuild would fold into the base)."""
        return len(self._changes)

    def __getitem__(self, key: K) -> V:
        if key in self._changes:
            value = self._changes[key]
            if value is None:
                raise KeyError(key)
            return value
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        if key in self._changes:
            return self._changes[key] is not None
        return key in self._base

    def __iter__(self) -> Iterator[K]:
        changes = self._changes
        yield from (key for key in self._base if key not in changes)
        yield from (key for key, value in changes.items() if value is not None)

    def __len__(self) -> int:
        return self._length


class ReadWhenAsked(Mapping[K, V]):
    """A mapping read by a function when first asked for anything, and then kept: what
    most processes never ask for (when facts last changed, which only `!recent` reads)
    costs them nothing."""

    def __init__(self, read: Callable[[], Mapping[K, V]]) -> None:
        self._read = read
        self._read_once: Mapping[K, V] | None = None

    def _mapping(self) -> Mapping[K, V]:
        if self._read_once is None:
            self._read_once = self._read()
        return self._read_once

    def __getitem__(self, key: K) -> V:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())


__all__ = ["Overlay", "ReadWhenAsked"]
