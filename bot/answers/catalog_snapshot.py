"""A catalog snapshot's file, without the store: where one store's snapshot is, what
marks it as this code's, and the catalog its arrays hold.

`bot.answers.catalog_cache` writes snapshots and brings them up to date through the
store; `bot.answers.quick` reads a current one without loading SQLAlchemy. Both find
and read them here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.answers.catalog import Catalog
from bot.answers.catalog_records import FactLike, fact_view
from bot.answers.packed_records import records_from_arrays
from bot.search.index import SearchIndex
from bot.search.mentions import MentionMatcher
from bot.search.packing import PackError, read_pack

if TYPE_CHECKING:
    from bot.store.fulltext import FactSearch

FORMAT = 1
"""The snapshot layout's version; a snapshot of another is foreign."""
_SOURCES = (
    "search",
    "answers/catalog.py",
    "answers/catalog_records.py",
    "answers/catalog_cache.py",
    "answers/catalog_snapshot.py",
    "answers/overlay.py",
    "answers/packed_records.py",
)
"""The code whose every change makes older snapshots foreign (under bot/)."""


@cache
def code_version() -> str:
    """A hash of the sources a snapshot's contents depend on."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=12)
    for name in _SOURCES:
        path = root / name
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def expected(identity: str) -> dict[str, Any]:
    """What a snapshot of the store identity (`store_identity`) made by this code says
    of itself, beside its revision and that revision's time."""
    return {"format": FORMAT, "code": code_version(), "store": identity}


def snapshot_paths(directory: Path, identity: str) -> tuple[Path, Path]:
    """The catalog snapshot and the names snapshot of the store identity in directory."""
    stem = hashlib.blake2b(identity.encode(), digest_size=8).hexdigest()
    return directory / f"catalog-{stem}.snapshot", directory / f"catalog-{stem}.names.snapshot"


def automaton_path(names_path: Path, token: str) -> Path:
    """The names automaton file a names snapshot at names_path names by its token."""
    return names_path.with_name(f"{names_path.stem}.{token}.aho")


def names_at(
    names_path: Path, identity: str, revision: int, stamp: str | None
) -> MentionMatcher | None:
    """The names matcher saved at exactly revision (made at stamp), or None when the names
    snapshot is of another revision, missing or not readable (the caller builds one)."""
    try:
        meta, arrays = read_pack(names_path, expected(identity))
        token = str(meta.get("automaton", ""))
        if meta.get("revision") != revision or meta.get("stamp") != stamp or not token.isalnum():
            return None
        return MentionMatcher.load(automaton_path(names_path, token), arrays, "names")
    except (OSError, PackError, ValueError, TypeError):
        return None


def stamp_of(at: datetime | None) -> str:
    """A revision's time as a snapshot records it ("missing" for a revision not stored)."""
    return at.isoformat() if isinstance(at, datetime) else "missing"


def catalog_of(
    arrays: Mapping[str, np.ndarray],
    *,
    fact_search: FactSearch,
    changed_at: Mapping[str, datetime],
    facts: Sequence[FactLike] = (),
) -> Catalog:
    """The catalog of a snapshot's arrays, with facts (none: they are read when shown, see
    `Catalog.read_facts_from`); its entities read from their rows when first asked for.
    Raises `PackError` (or a `ValueError`, `KeyError`, `TypeError`) for arrays not of a
    snapshot's shapes."""
    entities, sources, redirects, disputes = records_from_arrays(arrays)
    indexes = (
        SearchIndex.from_arrays(arrays, "index"),
        SearchIndex.from_arrays(arrays, "source_index"),
    )
    by_key = {source.key: source for source in sources}
    views = [fact_view(fact, by_key, entities) for fact in facts]
    # Built without entities, which would be read whole; then given the saved ones, with
    # what the catalog works out from all of them, as `Catalog.changed` gives its fields.
    catalog = Catalog(
        (), sources, views, fact_search=fact_search, indexes=indexes, changed_at=changed_at
    )
    catalog.entities, catalog.redirects, catalog._disputes = entities, redirects, disputes
    return catalog


__all__ = [
    "FORMAT",
    "automaton_path",
    "catalog_of",
    "code_version",
    "expected",
    "names_at",
    "snapshot_paths",
    "stamp_of",
]
