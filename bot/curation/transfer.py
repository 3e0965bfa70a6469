"""Moving curation documents into and out of the store.

`import_document` upserts a checked `Document` by key in one transaction,
writing a `Revision` for every record it creates or changes and touching
nothing that already matches. `export_document` writes the whole store in the
same file shape, and `load_file` reads, checks and imports a file in one go.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col, delete, select

from bot.curation.fileformat import (
    AliasSpec,
    Document,
    EntitySpec,
    FactSpec,
    SourceSpec,
    Subject,
    read_document,
    validate,
)
from bot.errors import ImportFileError, StoreError
from bot.search.normalize import fold
from bot.store.db import Store
from bot.store.models import (
    Alias,
    Citation,
    Entity,
    EntityLink,
    Fact,
    FactEntity,
    Kind,
    LinkRole,
    Precision,
    Revision,
    Source,
    utcnow,
)

Progress = Callable[[int, int], None]
"""Called with (records done, records in all) as an import goes."""

_CHUNK = 500
"""Keys per ``IN (...)`` query, well below every backend's parameter limit."""

_Row = TypeVar("_Row", Source, Entity, Fact)
_Spec = TypeVar("_Spec", EntitySpec, FactSpec)
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change, as the revision log records it."""

    id: str | None
    name: str
    guild_id: str | None = None

    @classmethod
    def console(cls) -> Actor:
        """The person at the command line."""
        return cls(None, "console")


@dataclass(slots=True)
class Counts:
    """What an import did to the records of one section."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(slots=True)
class ImportReport:
    """What an import did, per section, and the batch id its revisions share."""

    batch: str
    origin: str | None = None
    sources: Counts = field(default_factory=Counts)
    entities: Counts = field(default_factory=Counts)
    facts: Counts = field(default_factory=Counts)

    @property
    def changed(self) -> int:
        """How many records were created or updated."""
        return sum(counts.created + counts.updated for counts in self._sections().values())

    def _sections(self) -> dict[tuple[str, str], Counts]:
        return {
            ("source", "sources"): self.sources,
            ("entity", "entities"): self.entities,
            ("fact", "facts"): self.facts,
        }

    def _describe(self, attribute: str) -> str:
        parts = []
        for (one, many), counts in self._sections().items():
            number: int = getattr(counts, attribute)
            if number:
                parts.append(f"{number} {one if number == 1 else many}")
        return f"{', '.join(parts) or '0'} {attribute}"

    def __str__(self) -> str:
        """``imported FILE: 1 source, 17 entities, 15 facts created; 0 updated; 0 unchanged``."""
        where = f" {self.origin}" if self.origin else ""
        counts = "; ".join(self._describe(name) for name in ("created", "updated", "unchanged"))
        return f"imported{where}: {counts}"


def import_document(
    store: Store,
    document: Document,
    *,
    actor: Actor,
    reason: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Upsert every record of a checked document in one transaction: all of it or none.

    Records that already match the store are not touched; every created or
    updated record gets a `Revision` whose ``before`` and ``after`` are in the
    file shape. Raises `StoreError` (having written nothing) if the store
    refuses any of it.
    """
    return _in_transaction(
        store, lambda session: _Importer(session, actor, reason, progress).run(document)
    )


def load_file(
    store: Store,
    path: str | Path,
    actor: Actor,
    progress: Progress | None = None,
    *,
    reason: str | None = None,
) -> ImportReport:
    """Read, check and import a curation file.

    The file is checked against the keys in the store within the same
    transaction that imports it. Any problem raises `ImportFileError` listing
    all of them, and nothing is written.
    """
    raw = read_document(path)

    def work(session: Session) -> ImportReport:
        known_entities = dict(session.exec(select(Entity.key, Entity.kind)).all())
        known_sources = set(session.exec(select(Source.key)).all())
        document, problems = validate(raw, known_entities, known_sources)
        if problems:
            raise ImportFileError(str(path), problems)
        return _Importer(session, actor, reason, progress, origin=str(path)).run(document)

    return _in_transaction(store, work)


def export_document(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The whole store in the file shape, every list in key order.

    Importing the result into an empty store and exporting again gives an
    equal result.
    """
    with store.transaction() as session:
        sources = _rows_by_key(session, Source, None)
        entities = _rows_by_key(session, Entity, None)
        facts = _rows_by_key(session, Fact, None)
        document = Document(
            sources=tuple(_source_spec(row) for row in sources.values()),
            entities=tuple(_entity_specs(session, entities.values()).values()),
            facts=tuple(_fact_specs(session, facts.values()).values()),
        )
    return document.to_dict()


def _in_transaction(store: Store, work: Callable[[Session], _T]) -> _T:
    """work's result, run in one store transaction that a database failure rolls back."""
    try:
        with store.transaction() as session:
            return work(session)
    except SQLAlchemyError as error:
        raise StoreError(f"the import failed and nothing was written: {error}") from error


# Reading what the store holds, in the shape of the file.


def _chunks(items: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _id(row: Source | Entity | Fact) -> int:
    if row.id is None:
        raise StoreError(f"'{row.key}' has no id yet")
    return row.id


def _rows_by_key(
    session: Session, model: type[_Row], keys: Collection[str] | None
) -> dict[str, _Row]:
    """The rows with the given keys (all rows when keys is None), in key order."""
    if keys is None:
        rows = list(session.exec(select(model)))
    else:
        rows = []
        for chunk in _chunks(sorted(set(keys))):
            rows.extend(session.exec(select(model).where(col(model.key).in_(chunk))))
    return {row.key: row for row in sorted(rows, key=lambda row: row.key)}


def _ids_by_key(
    session: Session, model: type[_Row], keys: Collection[str], noun: str
) -> dict[str, int]:
    """The ids of the rows with the given keys; every key must exist."""
    ids = {key: _id(row) for key, row in _rows_by_key(session, model, keys).items()}
    missing = sorted(set(keys) - ids.keys())
    if missing:
        raise StoreError(f"no {noun} '{missing[0]}' in the store or the file")
    return ids


def _source_spec(row: Source) -> SourceSpec:
    return SourceSpec(row.key, row.title, row.outlet, row.url, row.published)


def _entity_specs(session: Session, rows: Iterable[Entity]) -> dict[str, EntitySpec]:
    """The stored entities as specs with all their aliases and links, keyed as given."""
    by_id = {_id(row): row for row in rows}
    aliases: defaultdict[int, list[AliasSpec]] = defaultdict(list)
    links: defaultdict[tuple[int, str], list[str]] = defaultdict(list)
    for chunk in _chunks(list(by_id)):
        alias_rows = session.exec(
            select(Alias.entity_id, Alias.text, Alias.lang)
            .where(col(Alias.entity_id).in_(chunk))
            .order_by(col(Alias.id))
        )
        for entity_id, text, lang in alias_rows:
            aliases[entity_id].append(AliasSpec(text, lang))
        link_rows = session.exec(
            select(EntityLink.dispute_id, EntityLink.role, Entity.key)
            .join(Entity, col(Entity.id) == col(EntityLink.member_id))
            .where(col(EntityLink.dispute_id).in_(chunk))
            .order_by(col(EntityLink.position))
        )
        for dispute_id, role, member in link_rows:
            links[dispute_id, role].append(member)
    return {
        row.key: EntitySpec(
            key=row.key,
            kind=Kind(row.kind),
            name=row.name,
            summary=row.summary,
            wikidata=row.wikidata,
            aliases=tuple(aliases[entity_id]),
            parties=tuple(links[entity_id, LinkRole.PARTY]),
            areas=tuple(links[entity_id, LinkRole.AREA]),
        )
        for entity_id, row in by_id.items()
    }


def _fact_specs(session: Session, rows: Iterable[Fact]) -> dict[str, FactSpec]:
    """The stored facts as specs with their subjects and sources, keyed as given."""
    by_id = {_id(row): row for row in rows}
    about: defaultdict[int, list[Subject]] = defaultdict(list)
    cited: defaultdict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(list(by_id)):
        subject_rows = session.exec(
            select(FactEntity.fact_id, Entity.key, FactEntity.role)
            .join(Entity, col(Entity.id) == col(FactEntity.entity_id))
            .where(col(FactEntity.fact_id).in_(chunk))
            .order_by(col(FactEntity.position))
        )
        for fact_id, entity, role in subject_rows:
            about[fact_id].append(Subject(entity, role))
        citation_rows = session.exec(
            select(Citation.fact_id, Source.key)
            .join(Source, col(Source.id) == col(Citation.source_id))
            .where(col(Citation.fact_id).in_(chunk))
            .order_by(col(Citation.position))
        )
        for fact_id, source in citation_rows:
            cited[fact_id].append(source)
    return {
        row.key: FactSpec(
            key=row.key,
            text=row.text,
            about=tuple(about[fact_id]),
            sources=tuple(cited[fact_id]),
            happened=row.happened,
            precision=Precision(row.precision) if row.precision else None,
            type=row.type,
        )
        for fact_id, row in by_id.items()
    }


def _kept(given: tuple[_T, ...] | None, stored: tuple[_T, ...] | None) -> tuple[_T, ...]:
    """The file's list when it gives one, else what the store has."""
    if given is not None:
        return given
    return stored if stored is not None else ()


def _merged(spec: EntitySpec, stored: EntitySpec | None) -> EntitySpec:
    """The entity as it will be stored: lists the file leaves out are kept from the store.

    Only a dispute has parties and areas; an entity that is not one has none.
    """
    dispute = spec.kind is Kind.DISPUTE
    return replace(
        spec,
        aliases=_kept(spec.aliases, stored.aliases if stored else None),
        parties=_kept(spec.parties, stored.parties if stored else None) if dispute else (),
        areas=_kept(spec.areas, stored.areas if stored else None) if dispute else (),
    )


def _differ(before: _Spec | None, after: _Spec, attribute: str) -> bool:
    """Whether a record is new or its attribute changed, so its rows must be rewritten."""
    return before is None or getattr(before, attribute) != getattr(after, attribute)


# Writing.


class _Importer:
    """One import: upserts a document's records through one session and logs each change."""

    def __init__(
        self,
        session: Session,
        actor: Actor,
        reason: str | None,
        progress: Progress | None,
        *,
        origin: str | None = None,
    ) -> None:
        self.session = session
        self.actor = actor
        self.reason = reason
        self.progress = progress
        self.report = ImportReport(batch=uuid.uuid4().hex, origin=origin)
        self.now = utcnow()
        self.revisions: list[dict[str, Any]] = []
        self.done = 0
        self.total = 0

    def run(self, document: Document) -> ImportReport:
        self.total = document.size
        self._sources(document.sources)
        self._entities(document.entities)
        self._facts(document.facts)
        if self.revisions:
            self.session.exec(insert(Revision), params=self.revisions)
        return self.report

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def _save(self, model: type[_Row], row: _Row | None, key: str, values: dict[str, Any]) -> _Row:
        """row updated to values, or a new row with key and values when row is None."""
        if row is None:
            row = model(key=key, created_at=self.now, updated_at=self.now, **values)
            self.session.add(row)
            return row
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = self.now
        return row

    def _log(
        self,
        target_type: str,
        counts: Counts,
        before: SourceSpec | EntitySpec | FactSpec | None,
        after: SourceSpec | EntitySpec | FactSpec,
    ) -> None:
        if before is None:
            counts.created += 1
        else:
            counts.updated += 1
        self.revisions.append(
            {
                "at": self.now,
                "actor_id": self.actor.id,
                "actor_name": self.actor.name,
                "guild_id": self.actor.guild_id,
                "batch": self.report.batch,
                "action": "create" if before is None else "update",
                "target_type": target_type,
                "target_key": after.key,
                "before": before.to_dict() if before is not None else None,
                "after": after.to_dict(),
                "reason": self.reason,
            }
        )

    def _sources(self, specs: Sequence[SourceSpec]) -> None:
        rows = _rows_by_key(self.session, Source, [spec.key for spec in specs])
        for spec in specs:
            row = rows.get(spec.key)
            before = _source_spec(row) if row is not None else None
            if spec == before:
                self.report.sources.unchanged += 1
            else:
                values = {
                    "title": spec.title,
                    "outlet": spec.outlet,
                    "url": spec.url,
                    "published": spec.published,
                }
                self._save(Source, row, spec.key, values)
                self._log("source", self.report.sources, before, spec)
            self._tick()

    def _entities(self, specs: Sequence[EntitySpec]) -> None:
        rows = _rows_by_key(self.session, Entity, [spec.key for spec in specs])
        stored = _entity_specs(self.session, rows.values())
        changed: list[tuple[Entity, EntitySpec | None, EntitySpec]] = []
        for spec in specs:
            before = stored.get(spec.key)
            after = _merged(spec, before)
            if after == before:
                self.report.entities.unchanged += 1
            else:
                values = {
                    "kind": after.kind.value,
                    "name": after.name,
                    "summary": after.summary,
                    "wikidata": after.wikidata,
                }
                row = self._save(Entity, rows.get(spec.key), spec.key, values)
                changed.append((row, before, after))
                self._log("entity", self.report.entities, before, after)
            self._tick()
        self.session.flush()
        members = {key for _, _, after in changed for _, key in after.links}
        ids = _ids_by_key(self.session, Entity, members, "entity")
        renamed = [
            (_id(row), after) for row, before, after in changed if _differ(before, after, "aliases")
        ]
        self._replace(
            Alias,
            col(Alias.entity_id),
            [entity_id for entity_id, _ in renamed],
            [
                {"entity_id": entity_id, "text": a.text, "normalized": fold(a.text), "lang": a.lang}
                for entity_id, after in renamed
                for a in after.aliases or ()
            ],
        )
        relinked = [
            (_id(row), after) for row, before, after in changed if _differ(before, after, "links")
        ]
        self._replace(
            EntityLink,
            col(EntityLink.dispute_id),
            [entity_id for entity_id, _ in relinked],
            [
                {"dispute_id": entity_id, "member_id": ids[key], "role": role, "position": position}
                for entity_id, after in relinked
                for position, (role, key) in enumerate(after.links)
            ],
        )

    def _facts(self, specs: Sequence[FactSpec]) -> None:
        rows = _rows_by_key(self.session, Fact, [spec.key for spec in specs])
        stored = _fact_specs(self.session, rows.values())
        changed: list[tuple[Fact, FactSpec | None, FactSpec]] = []
        for spec in specs:
            before = stored.get(spec.key)
            if spec == before:
                self.report.facts.unchanged += 1
            else:
                values = {
                    "text": spec.text,
                    "happened": spec.happened,
                    "precision": spec.precision.value if spec.precision else None,
                    "type": spec.type,
                }
                row = self._save(Fact, rows.get(spec.key), spec.key, values)
                changed.append((row, before, spec))
                self._log("fact", self.report.facts, before, spec)
            self._tick()
        self.session.flush()
        entity_ids = _ids_by_key(
            self.session,
            Entity,
            {subject.entity for _, _, spec in changed for subject in spec.about},
            "entity",
        )
        source_ids = _ids_by_key(
            self.session, Source, {key for _, _, spec in changed for key in spec.sources}, "source"
        )
        subjects = [
            (_id(row), spec) for row, before, spec in changed if _differ(before, spec, "about")
        ]
        self._replace(
            FactEntity,
            col(FactEntity.fact_id),
            [fact_id for fact_id, _ in subjects],
            [
                {
                    "fact_id": fact_id,
                    "entity_id": entity_ids[subject.entity],
                    "role": subject.role,
                    "position": position,
                }
                for fact_id, spec in subjects
                for position, subject in enumerate(spec.about)
            ],
        )
        cited = [
            (_id(row), spec) for row, before, spec in changed if _differ(before, spec, "sources")
        ]
        self._replace(
            Citation,
            col(Citation.fact_id),
            [fact_id for fact_id, _ in cited],
            [
                {"fact_id": fact_id, "source_id": source_ids[key], "position": position}
                for fact_id, spec in cited
                for position, key in enumerate(spec.sources)
            ],
        )

    def _replace(
        self,
        model: type[SQLModel],
        owner: Mapped[int],
        owners: Sequence[int],
        rows: list[dict[str, Any]],
    ) -> None:
        """Replace model's rows whose owner column is in owners with rows, in bulk."""
        for chunk in _chunks(owners):
            self.session.exec(delete(model).where(owner.in_(chunk)))
        if rows:
            self.session.exec(insert(model), params=rows)
