"""The store read as records in the file shape: the one place that reads sources,
entities and facts out of the tables.

Export, curation and the lookup catalog all read through here, so a record
looks the same wherever it is shown, diffed or written back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.errors import StoreError
from bot.records.shapes import AliasSpec, EntitySpec, FactSpec, SourceSpec, Subject
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
    Redirect,
    Revision,
    Source,
)

CHUNK = 500
"""Keys per ``IN (...)`` query, well below every backend's parameter limit."""

Record = SourceSpec | EntitySpec | FactSpec
"""Any record, as files and revisions hold it."""
Model = TypeVar("Model", Source, Entity, Fact)
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Delta:
    """Records changed since some revision, as they are now: None where deleted."""

    sources: Mapping[str, SourceSpec | None]
    entities: Mapping[str, EntitySpec | None]
    facts: Mapping[str, FactSpec | None]
    fact_times: Mapping[str, datetime] = field(default_factory=dict)
    """When each changed fact was last changed, by the revision log."""

    def __len__(self) -> int:
        return len(self.sources) + len(self.entities) + len(self.facts)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Every record in the store, each list in key order."""

    sources: tuple[SourceSpec, ...]
    entities: tuple[EntitySpec, ...]
    facts: tuple[FactSpec, ...]


def chunks(items: Sequence[_T]) -> Iterator[Sequence[_T]]:
    """items in slices small enough for one ``IN (...)`` query."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def row_id(row: Source | Entity | Fact | sa.Row[Any]) -> int:
    """The row's id, which a flushed row always has."""
    if row.id is None:
        raise StoreError(f"'{row.key}' has no id yet")
    return row.id


def rows_by_key(
    session: Session, model: type[Model], keys: Collection[str] | None
) -> dict[str, Model]:
    """The rows with the given keys (all rows when keys is None), in key order."""
    if keys is None:
        rows = list(session.exec(select(model)))
    else:
        rows = []
        for chunk in chunks(sorted(set(keys))):
            rows.extend(session.exec(select(model).where(col(model.key).in_(chunk))))
    return {row.key: row for row in sorted(rows, key=lambda row: row.key)}


def ids_by_key(
    session: Session, model: type[Model], keys: Collection[str], noun: str
) -> dict[str, int]:
    """The ids of the rows with the given keys; every key must exist."""
    rows = columns_by_key(session, (col(model.id), col(model.key)), keys)
    ids = {key: row.id for key, row in rows.items()}
    missing = sorted(set(keys) - ids.keys())
    if missing:
        raise StoreError(f"no {noun} '{missing[0]}' in the store or the file")
    return ids


def columns_by_key(
    session: Session, columns: Sequence[Any], keys: Collection[str]
) -> dict[str, sa.Row[Any]]:
    """Rows of columns (one of them the table's ``key``) for the given keys, by key;
    plain rows, read without the ORM."""
    key_column = next(column for column in columns if column.key == "key")
    connection = session.connection()
    found: dict[str, sa.Row[Any]] = {}
    for chunk in chunks(sorted(set(keys))):
        statement = sa.select(*columns).where(key_column.in_(chunk))
        found.update((row.key, row) for row in connection.execute(statement))
    return found


SOURCE_COLUMNS = (
    col(Source.id),
    col(Source.key),
    col(Source.title),
    col(Source.outlet),
    col(Source.url),
    col(Source.published),
    col(Source.published_as),
)
ENTITY_COLUMNS = (
    col(Entity.id),
    col(Entity.key),
    col(Entity.kind),
    col(Entity.name),
    col(Entity.summary),
    col(Entity.wikidata),
)
FACT_COLUMNS = (
    col(Fact.id),
    col(Fact.key),
    col(Fact.text),
    col(Fact.happened),
    col(Fact.precision),
    col(Fact.type),
)


EntityRow = Entity | sa.Row[Any]
"""An `Entity`, or a row of `ENTITY_COLUMNS`."""
FactRow = Fact | sa.Row[Any]
"""A `Fact`, or a row of `FACT_COLUMNS`."""


def source_spec(row: Source | sa.Row[Any]) -> SourceSpec:
    """A stored source as a record."""
    written = row.published_as
    if written is None and row.published is not None:  # stored before published_as was
        written = row.published.isoformat()
    return SourceSpec(row.key, row.title, row.outlet, row.url, row.published, written)


def entity_specs(
    session: Session, rows: Iterable[EntityRow], *, every: bool = False
) -> dict[str, EntitySpec]:
    """The stored entities as records with all their aliases, links and former keys.

    rows are `Entity` rows or rows of `ENTITY_COLUMNS`; ``every`` says they are all
    the entities in the store, which reads their parts in one query each."""
    by_id = {row_id(row): row for row in rows}
    aliases: defaultdict[int, list[AliasSpec]] = defaultdict(list)
    links: defaultdict[tuple[int, str], list[str]] = defaultdict(list)
    former: defaultdict[int, list[str]] = defaultdict(list)
    ids = None if every else list(by_id)
    alias_rows = select(Alias.entity_id, Alias.text, Alias.lang).order_by(col(Alias.id))
    for entity_id, text, lang in _owned_by(session, alias_rows, col(Alias.entity_id), ids):
        aliases[entity_id].append(AliasSpec(text, lang))
    link_rows = (
        select(EntityLink.dispute_id, EntityLink.role, Entity.key)
        .join(Entity, col(Entity.id) == col(EntityLink.member_id))
        .order_by(col(EntityLink.position))
    )
    for dispute_id, role, member in _owned_by(session, link_rows, col(EntityLink.dispute_id), ids):
        links[dispute_id, role].append(member)
    redirect_rows = select(Redirect.entity_id, Redirect.key).order_by(col(Redirect.key))
    for entity_id, key in _owned_by(session, redirect_rows, col(Redirect.entity_id), ids):
        former[entity_id].append(key)
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
            former_keys=tuple(former[entity_id]),
        )
        for entity_id, row in by_id.items()
    }


def fact_specs(
    session: Session, rows: Iterable[FactRow], *, every: bool = False
) -> dict[str, FactSpec]:
    """The stored facts as records with their subjects and sources.

    rows are `Fact` rows or rows of `FACT_COLUMNS`; ``every`` as for `entity_specs`."""
    by_id = {row_id(row): row for row in rows}
    about: defaultdict[int, list[Subject]] = defaultdict(list)
    cited: defaultdict[int, list[str]] = defaultdict(list)
    ids = None if every else list(by_id)
    subject_rows = (
        select(FactEntity.fact_id, Entity.key, FactEntity.role)
        .join(Entity, col(Entity.id) == col(FactEntity.entity_id))
        .order_by(col(FactEntity.position))
    )
    for fact_id, entity, role in _owned_by(session, subject_rows, col(FactEntity.fact_id), ids):
        about[fact_id].append(Subject(entity, role))
    citation_rows = (
        select(Citation.fact_id, Source.key)
        .join(Source, col(Source.id) == col(Citation.source_id))
        .order_by(col(Citation.position))
    )
    for fact_id, source in _owned_by(session, citation_rows, col(Citation.fact_id), ids):
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


def _owned_by(
    session: Session, statement: sa.Select[Any], owner: Any, ids: Sequence[int] | None
) -> Iterator[sa.Row[Any]]:
    """statement's rows whose owner column is one of ids (every row when ids is None).

    Each owner's rows come in statement's order, since all of them are in one query."""
    connection = session.connection()
    if ids is None:
        yield from connection.execute(statement)
        return
    for chunk in chunks(ids):
        yield from connection.execute(statement.where(owner.in_(chunk)))


def read_source(session: Session, key: str) -> SourceSpec | None:
    """One stored source, or None."""
    row = rows_by_key(session, Source, [key]).get(key)
    return source_spec(row) if row is not None else None


def read_entity(session: Session, key: str) -> EntitySpec | None:
    """One stored entity with its aliases, links and former keys, or None."""
    rows = rows_by_key(session, Entity, [key]).values()
    return entity_specs(session, rows).get(key)


def read_fact(session: Session, key: str) -> FactSpec | None:
    """One stored fact with its subjects and sources, or None."""
    rows = rows_by_key(session, Fact, [key]).values()
    return fact_specs(session, rows).get(key)


def read_one(session: Session, target_type: str, key: str) -> Record | None:
    """One stored record of the type revisions name (``source``, ``entity``, ``fact``), or None."""
    if target_type == "source":
        return read_source(session, key)
    if target_type == "entity":
        return read_entity(session, key)
    return read_fact(session, key)


def facts_about(session: Session, key: str) -> list[FactSpec]:
    """The stored facts that name the entity, in key order."""
    statement = (
        sa.select(*FACT_COLUMNS)
        .join(FactEntity, col(FactEntity.fact_id) == col(Fact.id))
        .join(Entity, col(Entity.id) == col(FactEntity.entity_id))
        .where(col(Entity.key) == key)
        .order_by(col(Fact.key))
    )
    return list(fact_specs(session, session.connection().execute(statement)).values())


def facts_citing(session: Session, key: str) -> list[FactSpec]:
    """The stored facts that cite the source, in key order."""
    statement = (
        sa.select(*FACT_COLUMNS)
        .join(Citation, col(Citation.fact_id) == col(Fact.id))
        .join(Source, col(Source.id) == col(Citation.source_id))
        .where(col(Source.key) == key)
        .order_by(col(Fact.key))
    )
    return list(fact_specs(session, session.connection().execute(statement)).values())


def read_facts(session: Session, keys: Collection[str]) -> dict[str, FactSpec]:
    """The stored facts with the given keys, by key (those not stored are left out)."""
    return fact_specs(session, columns_by_key(session, FACT_COLUMNS, keys).values())


def snapshot(session: Session, *, with_facts: bool = True) -> Snapshot:
    """Every record in the store, in key order; no facts unless with_facts.

    Reads plain columns, not ORM rows, and each part of the records in one query."""
    connection = session.connection()
    sources = connection.execute(sa.select(*SOURCE_COLUMNS)).all()
    entities = entity_specs(
        session, connection.execute(sa.select(*ENTITY_COLUMNS)).all(), every=True
    )
    facts = (
        fact_specs(session, connection.execute(sa.select(*FACT_COLUMNS)).all(), every=True)
        if with_facts
        else {}
    )
    return Snapshot(
        sources=tuple(sorted((source_spec(row) for row in sources), key=_key)),
        entities=tuple(sorted(entities.values(), key=_key)),
        facts=tuple(sorted(facts.values(), key=_key)),
    )


def fact_records(session: Session) -> tuple[FactSpec, ...]:
    """Every fact in the store, in key order (the facts of `snapshot` alone)."""
    connection = session.connection()
    facts = fact_specs(session, connection.execute(sa.select(*FACT_COLUMNS)).all(), every=True)
    return tuple(sorted(facts.values(), key=_key))


def _key(record: Record) -> str:
    return record.key


def changes_since(session: Session, revision: int, limit: int) -> Delta | None:
    """The records the revisions after ``revision`` touched, as they are now; None
    when there are more than limit of them (reading everything is then cheaper)."""
    touched = session.exec(
        select(Revision.target_type, Revision.target_key)
        .where(col(Revision.id) > revision)
        .distinct()
        .limit(limit + 1)
    ).all()
    if len(touched) > limit:
        return None
    wanted: defaultdict[str, list[str]] = defaultdict(list)
    for target_type, key in touched:
        wanted[target_type].append(key)
    sources = {
        key: source_spec(row) for key, row in rows_by_key(session, Source, wanted["source"]).items()
    }
    entities = entity_specs(session, rows_by_key(session, Entity, wanted["entity"]).values())
    facts = fact_specs(session, rows_by_key(session, Fact, wanted["fact"]).values())
    return Delta(
        sources={key: sources.get(key) for key in wanted["source"]},
        entities={key: entities.get(key) for key in wanted["entity"]},
        facts={key: facts.get(key) for key in wanted["fact"]},
        fact_times=fact_change_times(session, after=revision),
    )


def fact_change_times(
    session: Session, *, since: datetime | None = None, after: int | None = None
) -> dict[str, datetime]:
    """When each fact was last changed (added, edited, deleted or restored), by the
    revision log: of the revisions at or after ``since`` and numbered after ``after``.

    Both bounds are indexed columns, so the cost follows the revisions read, not the
    store (`bot.answers.catalog.Catalog.load` reads the last `RECENT_DAYS` days)."""
    query = (
        select(Revision.target_key, sa.func.max(Revision.at))
        .where(Revision.target_type == "fact")
        .group_by(col(Revision.target_key))
    )
    if since is not None:
        query = query.where(col(Revision.at) >= since)
    if after is not None:
        query = query.where(col(Revision.id) > after)
    return {key: at for key, at in session.exec(query).all()}
