"""How stored records become what lookups read: entity records, source and fact views,
and the entries the name and source indexes hold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.core.answer import EntityRef, FactView, SourceRef
from bot.search.results import Entry

if TYPE_CHECKING:  # only their fields are read here; the module loads SQLModel
    from bot.records.shapes import EntitySpec, SourceSpec

SOURCE_KIND = "source"
"""The kind sources are indexed under in `Catalog.source_index`."""


class SubjectLike(Protocol):
    """What a fact view reads of a fact's subject: its entity's key."""

    @property
    def entity(self) -> str: ...


class FactLike(Protocol):
    """What a fact view reads of a stored fact (a `FactSpec`, or a row read without
    SQLAlchemy by `bot.store.readonly`)."""

    @property
    def key(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def date_text(self) -> str | None: ...
    @property
    def type(self) -> str | None: ...
    @property
    def sources(self) -> Sequence[str]: ...
    @property
    def about(self) -> Sequence[SubjectLike]: ...


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """An entity with its aliases and, for a dispute, its parties and areas (as keys)."""

    ref: EntityRef
    aliases: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    former_keys: tuple[str, ...] = ()
    """Keys of entities merged into this one; each still names it."""


def source_ref(spec: SourceSpec) -> SourceRef:
    """The view of a source that answers cite."""
    return SourceRef(spec.key, spec.title, spec.outlet, spec.url, spec.published, spec.published_as)


def entity_record(spec: EntitySpec) -> EntityRecord:
    """An entity as lookups read it."""
    return EntityRecord(
        EntityRef(spec.key, spec.kind.value, spec.name, spec.summary),
        tuple(alias.text for alias in spec.aliases or ()),
        spec.parties or (),
        spec.areas or (),
        spec.former_keys or (),
    )


def fact_view(
    spec: FactLike, sources: Mapping[str, SourceRef], entities: Mapping[str, EntityRecord]
) -> FactView:
    """A fact as answers show it, its sources and subjects looked up by key."""
    return FactView(
        key=spec.key,
        text=spec.text,
        date=spec.date_text,
        sources=tuple(sources[key] for key in spec.sources),
        about=tuple(entities[subject.entity].ref for subject in spec.about),
        type=spec.type,
    )


def names_of(records: Iterable[EntityRecord]) -> Iterable[tuple[str, str]]:
    """What the names matcher holds of records: (key, name) for each name and alias."""
    return ((r.ref.key, name) for r in records for name in (r.ref.name, *r.aliases))


def entity_entries(records: Iterable[EntityRecord]) -> Iterable[Entry]:
    """What the entity index holds: each entity's name, key (as words) and aliases."""
    return (
        Entry(r.ref.key, r.ref.kind, name)
        for r in records
        for name in (r.ref.name, r.ref.key.replace("-", " "), *r.aliases)
    )


def source_entries(sources: Iterable[SourceRef]) -> Iterable[Entry]:
    """What the source index holds: each source's title, key (as words) and outlet."""
    return (
        Entry(s.key, SOURCE_KIND, name)
        for s in sources
        for name in (s.title, s.key.replace("-", " "), s.outlet or "")
        if name
    )


def redirect_changes(
    before: Mapping[str, EntityRecord], records: Mapping[str, EntityRecord | None]
) -> dict[str, str | None]:
    """Redirect changes: the former keys of replaced records go, the new ones come."""
    changes: dict[str, str | None] = {}
    for key in records:
        old = before.get(key)
        for former in old.former_keys if old else ():
            changes[former] = None
    for key, record in records.items():
        for former in record.former_keys if record else ():
            changes[former] = key
    return changes
