"""Writing records to the store, each change logged as a `Revision` in the same transaction.

A `Writer` works inside one session: it upserts checked records by key, touching
nothing that already matches, and deletes records by key. Every record it
creates, changes or deletes gets one revision whose ``before`` and ``after``
are the record in the file shape, which is what history shows and undo
restores. Every revision of one writer shares a batch id: one curation action.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import bindparam, update
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col, delete, select

from bot.records.actor import Actor
from bot.records.reader import (
    ENTITY_COLUMNS,
    FACT_COLUMNS,
    SOURCE_COLUMNS,
    Record,
    chunks,
    columns_by_key,
    entity_specs,
    fact_specs,
    ids_by_key,
    rows_by_key,
    source_spec,
)
from bot.records.shapes import Document, EntitySpec, FactSpec, SourceSpec
from bot.store.bulk import insert_numbered, insert_rows
from bot.store.changes import notify
from bot.store.models import (
    Alias,
    Citation,
    Entity,
    EntityLink,
    Fact,
    FactEntity,
    Kind,
    Redirect,
    Revision,
    Source,
    utcnow,
)

Progress = Callable[[int, int], None]
"""Called with (records done, records in all) as a write goes."""

_Row = TypeVar("_Row", Source, Entity, Fact)
_Spec = TypeVar("_Spec", EntitySpec, FactSpec)
_T = TypeVar("_T")

TARGETS = {"source": Source, "entity": Entity, "fact": Fact}
"""Record types by the name revisions give them."""


@dataclass(slots=True)
class Counts:
    """What a write did to the records of one type."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass(frozen=True, slots=True)
class Change:
    """One record's change: ``before`` None for a creation, ``after`` None for a deletion."""

    target_type: str
    key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def action(self) -> str:
        if self.before is None:
            return "create"
        return "delete" if self.after is None else "update"


@dataclass(slots=True)
class Writer:
    """Upserts and deletes records in one session, logging each change."""

    session: Session
    actor: Actor
    reason: str | None = None
    progress: Progress | None = None
    batch: str = field(default_factory=lambda: uuid.uuid4().hex)
    now: Any = field(default_factory=utcnow)
    counts: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in TARGETS})
    changes: list[Change] = field(default_factory=list)
    _done: int = 0
    _total: int = 0

    # Upserts.

    def upsert(self, document: Document) -> None:
        """Create or update every record of a checked document, sources first.

        A record equal to the stored one is left alone. An entity that leaves
        out aliases, parties, areas or former keys keeps what the store has.
        """
        self._total += document.size
        self._sources(document.sources)
        self._entities(document.entities)
        self._facts(document.facts)

    def _tick(self) -> None:
        self._done += 1
        if self.progress is not None:
            self.progress(self._done, self._total)

    def _store(
        self,
        model: type[_Row],
        created: dict[str, dict[str, Any]],
        updated: dict[int, dict[str, Any]],
    ) -> dict[str, int]:
        """Insert the created rows (by key) and update the updated ones (by id), each in
        one executemany; the ids of the created rows by key."""
        table = _table(model)
        connection = self.session.connection()
        ids: dict[str, int] = {}
        if created:
            rows = [
                {"key": key, "created_at": self.now, "updated_at": self.now, **values}
                for key, values in created.items()
            ]
            ids.update(zip(created, insert_numbered(connection, table, rows), strict=True))
        if updated:
            columns: list[str] = [*next(iter(updated.values())), "updated_at"]
            statement = (
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values({column: bindparam(column) for column in columns})
            )
            connection.execute(
                statement,
                [
                    {"row_id": number, "updated_at": self.now, **values}
                    for number, values in updated.items()
                ],
            )
            for loaded in list(self.session.identity_map.values()):
                if isinstance(loaded, model) and loaded.id in updated:
                    self.session.expire(loaded)  # read before this update: stale now
        return ids

    def _log(self, target_type: str, key: str, before: Record | None, after: Record | None) -> None:
        change = Change(
            target_type,
            key,
            before.to_dict() if before is not None else None,
            after.to_dict() if after is not None else None,
        )
        counts = self.counts[target_type]
        if change.action == "create":
            counts.created += 1
        elif change.action == "delete":
            counts.deleted += 1
        else:
            counts.updated += 1
        self.changes.append(change)

    def _sources(self, specs: Sequence[SourceSpec]) -> None:
        stored = columns_by_key(self.session, SOURCE_COLUMNS, [spec.key for spec in specs])
        created: dict[str, dict[str, Any]] = {}
        updated: dict[int, dict[str, Any]] = {}
        for spec in specs:
            row = stored.get(spec.key)
            before = source_spec(row) if row is not None else None
            if spec == before:
                self.counts["source"].unchanged += 1
            else:
                values = {
                    "title": spec.title,
                    "outlet": spec.outlet,
                    "url": spec.url,
                    "published": spec.published,
                }
                if row is None:
                    created[spec.key] = values
                else:
                    updated[row.id] = values
                self._log("source", spec.key, before, spec)
            self._tick()
        self._store(Source, created, updated)

    def _entities(self, specs: Sequence[EntitySpec]) -> None:
        rows = columns_by_key(self.session, ENTITY_COLUMNS, [spec.key for spec in specs])
        stored = entity_specs(self.session, rows.values())
        changed: list[tuple[str, EntitySpec | None, EntitySpec]] = []
        created: dict[str, dict[str, Any]] = {}
        updated: dict[int, dict[str, Any]] = {}
        for spec in specs:
            before = stored.get(spec.key)
            after = _merged(spec, before)
            if after == before:
                self.counts["entity"].unchanged += 1
            else:
                values = {
                    "kind": after.kind.value,
                    "name": after.name,
                    "summary": after.summary,
                    "wikidata": after.wikidata,
                }
                row = rows.get(spec.key)
                if row is None:
                    created[spec.key] = values
                else:
                    updated[row.id] = values
                changed.append((spec.key, before, after))
                self._log("entity", spec.key, before, after)
            self._tick()
        own = self._store(Entity, created, updated)
        own.update((key, row.id) for key, row in rows.items())
        members = {key for _, _, after in changed for _, key in after.links}
        ids = ids_by_key(self.session, Entity, members - own.keys(), "entity") | own
        renamed = [
            (own[key], after) for key, before, after in changed if _differ(before, after, "aliases")
        ]
        self._replace(
            Alias,
            col(Alias.entity_id),
            [entity_id for entity_id, _ in renamed],
            [
                {"entity_id": entity_id, "text": a.text, "lang": a.lang}
                for entity_id, after in renamed
                for a in after.aliases or ()
            ],
        )
        relinked = [
            (own[key], after) for key, before, after in changed if _differ(before, after, "links")
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
        redirected = [
            (own[key], after)
            for key, before, after in changed
            if _differ(before, after, "former_keys")
        ]
        self._replace(
            Redirect,
            col(Redirect.entity_id),
            [entity_id for entity_id, _ in redirected],
            [
                {"key": key, "entity_id": entity_id}
                for entity_id, after in redirected
                for key in after.former_keys or ()
            ],
        )

    def _facts(self, specs: Sequence[FactSpec]) -> None:
        rows = columns_by_key(self.session, FACT_COLUMNS, [spec.key for spec in specs])
        stored = fact_specs(self.session, rows.values())
        changed: list[tuple[str, FactSpec | None, FactSpec]] = []
        created: dict[str, dict[str, Any]] = {}
        updated: dict[int, dict[str, Any]] = {}
        for spec in specs:
            before = stored.get(spec.key)
            if spec == before:
                self.counts["fact"].unchanged += 1
            else:
                values = {
                    "text": spec.text,
                    "happened": spec.happened,
                    "precision": spec.precision.value if spec.precision else None,
                    "type": spec.type,
                }
                row = rows.get(spec.key)
                if row is None:
                    created[spec.key] = values
                else:
                    updated[row.id] = values
                changed.append((spec.key, before, spec))
                self._log("fact", spec.key, before, spec)
            self._tick()
        own = self._store(Fact, created, updated)
        own.update((key, row.id) for key, row in rows.items())
        entity_ids = ids_by_key(
            self.session,
            Entity,
            {subject.entity for _, _, spec in changed for subject in spec.about},
            "entity",
        )
        source_ids = ids_by_key(
            self.session, Source, {key for _, _, spec in changed for key in spec.sources}, "source"
        )
        subjects = [
            (own[key], spec) for key, before, spec in changed if _differ(before, spec, "about")
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
            (own[key], spec) for key, before, spec in changed if _differ(before, spec, "sources")
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
        connection = self.session.connection()
        for chunk in chunks(owners):
            connection.execute(delete(model).where(owner.in_(chunk)))
        insert_rows(connection, _table(model), rows)

    # Deletes.

    def delete(self, target_type: str, key: str) -> None:
        """Delete one stored record, logging what it was.

        The caller makes sure nothing still needs it: facts citing an entity or
        a source, disputes linking an entity (their rows would go with it
        unlogged otherwise).
        """
        row: Source | Entity | Fact | None
        before: Record
        if target_type == "entity":
            row = rows_by_key(self.session, Entity, [key]).get(key)
            if row is None:
                return
            before = entity_specs(self.session, [row])[key]
        elif target_type == "fact":
            row = rows_by_key(self.session, Fact, [key]).get(key)
            if row is None:
                return
            before = fact_specs(self.session, [row])[key]
        else:
            row = rows_by_key(self.session, Source, [key]).get(key)
            if row is None:
                return
            before = source_spec(row)
        self.session.delete(row)
        self.session.flush()
        self._log(target_type, key, before, None)

    # The log.

    def finish(self) -> list[int]:
        """Write the revisions of everything changed; returns their numbers, in order."""
        if not self.changes:
            return []
        insert_rows(
            self.session.connection(),
            _table(Revision),
            [
                {
                    "at": self.now,
                    "actor_id": self.actor.id,
                    "actor_name": self.actor.name,
                    "guild_id": self.actor.guild_id,
                    "guild_name": self.actor.guild_name,
                    "batch": self.batch,
                    "action": change.action,
                    "target_type": change.target_type,
                    "target_key": change.key,
                    "before": change.before,
                    "after": change.after,
                    "reason": self.reason,
                }
                for change in self.changes
            ],
        )
        numbers = self.session.exec(
            select(Revision.id).where(Revision.batch == self.batch).order_by(col(Revision.id))
        ).all()
        written = [number for number in numbers if number is not None]
        if written:
            # Delivered on commit only: a rolled-back change notifies nobody.
            notify(self.session, written[-1])
        return written


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
        former_keys=_kept(spec.former_keys, stored.former_keys if stored else None),
    )


def _differ(before: _Spec | None, after: _Spec, attribute: str) -> bool:
    """Whether a record is new or its attribute changed, so its rows must be rewritten."""
    return before is None or getattr(before, attribute) != getattr(after, attribute)


def _table(model: type[SQLModel]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


__all__ = ["TARGETS", "Change", "Counts", "Writer"]
