"""A catalog's entities and sources as snapshot arrays, and read back from them.

Entities are kept one JSON row each, found by key through a table of stable hashes,
and read when a lookup first asks for one: a process that answers one command reads
a handful of the store's entities, not all of them. Sources, far fewer, are read at
once. What a catalog works out from every entity (redirects, dispute memberships) is
saved with them, so loading reads no entity it does not show.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from bot.answers.catalog import Catalog, EntityRecord
from bot.core.answer import EntityRef, SourceRef
from bot.search.fields import HashedIds, from_arrays, to_arrays
from bot.search.packing import PackError

_ENTITIES = {"keys": "strings", "ids": "ids", "rows": "strings"}


class PackedEntities(Mapping[str, EntityRecord]):
    """Entities by key, each read from its JSON row when first asked for."""

    def __init__(self, keys: Sequence[str], ids: HashedIds, rows: Sequence[str]) -> None:
        if len(rows) != len(keys):
            raise PackError("the entities' rows do not fit their keys")
        self._keys, self._ids, self._rows = keys, ids.attach(keys), rows
        self._read: dict[str, EntityRecord] = {}

    def __getitem__(self, key: str) -> EntityRecord:
        record = self._read.get(key)
        if record is None:
            number = self._ids.get(key)
            if number is None:
                raise KeyError(key)
            record = self._read[key] = _entity(json.loads(self._rows[number]))
            if record.ref.key != key:
                raise PackError(f"the entity row of {key!r} is another entity's")
        return record

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def records_to_arrays(catalog: Catalog) -> dict[str, np.ndarray]:
    """The catalog's entities (with its redirects and dispute memberships) and sources."""
    keys = list(catalog.entities)
    rows = [json.dumps(_entity_row(catalog.entities[key]), ensure_ascii=False) for key in keys]
    entities = {"keys": keys, "ids": dict(zip(keys, range(len(keys)), strict=True)), "rows": rows}
    sources = [
        [s.key, s.title, s.outlet, s.url, s.published and s.published.isoformat(), s.published_as]
        for s in catalog.sources.values()
    ]
    disputes = {key: catalog.disputes_of(key) for key in _members(catalog)}
    return {
        **to_arrays(entities, _ENTITIES, "entities", item=True),
        "records.sources": _json(sources),
        "records.redirects": _json(dict(catalog.redirects)),
        "records.disputes": _json(disputes),
    }


def records_from_arrays(
    arrays: Mapping[str, np.ndarray],
) -> tuple[PackedEntities, list[SourceRef], dict[str, str], dict[str, tuple[str, ...]]]:
    """Entities, sources, redirects and dispute memberships as `records_to_arrays` saved
    them (PackError where they are not of their shapes)."""
    parts = from_arrays(arrays, _ENTITIES, "entities")
    if not isinstance(parts["ids"], HashedIds):
        raise PackError("the entities' table is not of its kind")
    entities = PackedEntities(parts["keys"], parts["ids"], parts["rows"])
    sources = [_source(row) for row in _loaded(arrays, "records.sources", list)]
    redirects = _loaded(arrays, "records.redirects", dict)
    disputes = _loaded(arrays, "records.disputes", dict)
    for former, key in redirects.items():
        _text(former), _text(key)
    return entities, sources, redirects, {key: _texts(keys) for key, keys in disputes.items()}


def _members(catalog: Catalog) -> set[str]:
    """Every entity some dispute has as a party or an area."""
    return {
        member
        for record in catalog.entities.values()
        for member in (*record.parties, *record.areas)
    }


def _entity_row(record: EntityRecord) -> list[Any]:
    ref = record.ref
    lists = (record.aliases, record.parties, record.areas, record.former_keys)
    return [ref.key, ref.kind, ref.name, ref.summary, *lists]


def _entity(row: Any) -> EntityRecord:
    if not isinstance(row, list) or len(row) != 8:
        raise PackError("an entity row is not of its shape")
    key, kind, name, summary, aliases, parties, areas, former = row
    return EntityRecord(
        EntityRef(_text(key), _text(kind), _text(name), _text(summary)),
        *(_texts(values) for values in (aliases, parties, areas, former)),
    )


def _source(row: Any) -> SourceRef:
    if not isinstance(row, list) or len(row) != 6:
        raise PackError("a source row is not of its shape")
    key, title, outlet, url, published, published_as = row
    when = None if published is None else datetime.fromisoformat(_text(published))
    return SourceRef(
        _text(key), _text(title), _maybe(outlet), _maybe(url), when, _maybe(published_as)
    )


def _json(value: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode(), dtype=np.uint8)


def _loaded(arrays: Mapping[str, np.ndarray], name: str, kind: type) -> Any:
    try:
        value = json.loads(arrays[name].tobytes())
    except (KeyError, ValueError) as error:
        raise PackError(f"the snapshot's {name} is not readable") from error
    if not isinstance(value, kind):
        raise PackError(f"the snapshot's {name} is not of its shape")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise PackError("a record field is not text")
    return value


def _maybe(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list):
        raise PackError("a record's list is not a list")
    return tuple(map(_text, values))


__all__ = ["PackedEntities", "records_from_arrays", "records_to_arrays"]
