"""Writing records to the store, each change logged as a `Revision` in the same transaction.

A `Writer` works inside one session: it upserts checked records by key, touching
nothing that already matches, and deletes records by key. Every record it
creates, changes or deletes gets one revision whose ``before`` and ``after``
are the record in the file shape, which is what history shows and undo
restores. Every revision of one writer shares a batch id: one curation action.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy import bindparam, update
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col, delete, select

from bot.curation.plan import Change, Counts, Plan, Step, Stored, plan_changes
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
from bot.store.changes import notify, number_in_commit_order
from bot.store.models import (
    Alias,
    Citation,
    Entity,
    EntityLink,
    Fact,
    FactEntity,
    Redirect,
    Revision,
    Source,
    utcnow,
)

Progress = Callable[[int, int], None]
"""Called with (records done, records in all) as a write goes."""

_Spec = TypeVar("_Spec", SourceSpec, EntitySpec, FactSpec)
_T = TypeVar("_T")

TARGETS = {"source": Source, "entity": Entity, "fact": Fact}
"""Record types by the name revisions give them."""


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
        out aliases, parties, areas or former keys keeps what the store has
        (see `plan_changes`).
        """
        self.apply(plan_changes(document, self.read(document)))

    def read(self, document: Document) -> Stored:
        """The stored records under document's keys: what a plan compares it with."""

        def stored(target: _Target[_Spec], specs: Sequence[_Spec]) -> Mapping[str, _Spec]:
            keys = [spec.key for spec in specs]
            return target.stored(self.session, columns_by_key(self.session, target.columns, keys))

        return Stored(
            stored(_SOURCES, document.sources),
            stored(_ENTITIES, document.entities),
            stored(_FACTS, document.facts),
        )

    def apply(self, plan: Plan) -> None:
        """Write what plan says, sources first, logging every record it changes."""
        self._total += plan.size
        self._unchanged("source", plan.unchanged["source"])
        self._apply(_SOURCES, plan.sources)
        self._unchanged("entity", plan.unchanged["entity"])
        self._apply(_ENTITIES, plan.entities)
        self._unchanged("fact", plan.unchanged["fact"])
        self._apply(_FACTS, plan.facts)

    def _unchanged(self, name: str, number: int) -> None:
        for _ in range(number):
            self.counts[name].unchanged += 1
            self._tick()

    def _tick(self) -> None:
        self._done += 1
        if self.progress is not None:
            self.progress(self._done, self._total)

    def _store(
        self,
        model: type[Source | Entity | Fact],
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

    def _apply(self, target: _Target[_Spec], steps: Sequence[Step[_Spec]]) -> None:
        """Create or update target's records in bulk, then rewrite the rows each owns
        (aliases, links, subjects…) where they changed, logging every change."""
        updating = [step.after.key for step in steps if step.before is not None]
        rows = columns_by_key(self.session, target.columns, updating)
        changed = [(step.before, step.after) for step in steps]
        created: dict[str, dict[str, Any]] = {}
        updated: dict[int, dict[str, Any]] = {}
        for before, after in changed:
            if before is None:
                created[after.key] = target.values(after)
            else:
                updated[rows[after.key].id] = target.values(after)
            self._log(target.name, after.key, before, after)
            self._tick()
        own = self._store(target.model, created, updated)
        own.update((key, row.id) for key, row in rows.items())
        for part in target.parts:
            rewritten = [
                (own[after.key], after)
                for before, after in changed
                if _differ(before, after, part.attribute)
            ]
            ids = self._referenced(part, [after for _, after in rewritten], own, target.model)
            self._replace(
                part.model,
                part.owner,
                [owner_id for owner_id, _ in rewritten],
                [row for owner_id, after in rewritten for row in part.rows(owner_id, after, ids)],
            )

    def _referenced(
        self,
        part: _Part[_Spec],
        specs: Sequence[_Spec],
        own: Mapping[str, int],
        model: type[SQLModel],
    ) -> Mapping[str, int]:
        """The ids of the records part's rows refer to, by key; own are the ids of the
        records just written, when part refers to their own type."""
        if part.refers_to is None:
            return {}
        known = own if part.refers_to is model else {}
        keys = {key for spec in specs for key in part.refers(spec)} - known.keys()
        if part.refers_to is Entity:
            return ids_by_key(self.session, Entity, keys, "entity") | dict(known)
        return ids_by_key(self.session, Source, keys, "source") | dict(known)

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
        number_in_commit_order(self.session)  # held to the commit: see bot.store.changes
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


def _differ(before: _Spec | None, after: _Spec, attribute: str) -> bool:
    """Whether a record is new or its attribute changed, so its rows must be rewritten."""
    return before is None or getattr(before, attribute) != getattr(after, attribute)


def _table(model: type[SQLModel]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


@dataclass(frozen=True, slots=True)
class _Part(Generic[_Spec]):
    """Rows a record owns in another table, rewritten whole when ``attribute`` changes."""

    model: type[SQLModel]
    owner: Mapped[int]
    attribute: str
    rows: Callable[[int, _Spec, Mapping[str, int]], Iterable[dict[str, Any]]]
    """The rows of one record, given its id and the ids of the records they refer to."""
    refers_to: type[Entity] | type[Source] | None = None
    refers: Callable[[_Spec], Iterable[str]] = lambda spec: ()
    """The keys of the `refers_to` records one record's rows name."""


@dataclass(frozen=True, slots=True)
class _Target(Generic[_Spec]):
    """How one type of record is read, compared and written."""

    name: str
    model: type[Source] | type[Entity] | type[Fact]
    columns: Sequence[Any]
    stored: Callable[[Session, Mapping[str, sa.Row[Any]]], Mapping[str, _Spec]]
    values: Callable[[_Spec], dict[str, Any]]
    """The record's own columns, as stored."""
    parts: tuple[_Part[_Spec], ...] = ()


_SOURCES: _Target[SourceSpec] = _Target(
    "source",
    Source,
    SOURCE_COLUMNS,
    lambda session, rows: {key: source_spec(row) for key, row in rows.items()},
    lambda spec: {
        "title": spec.title,
        "outlet": spec.outlet,
        "url": spec.url,
        "published": spec.published,
        "published_as": spec.published_as,
    },
)

_ENTITIES: _Target[EntitySpec] = _Target(
    "entity",
    Entity,
    ENTITY_COLUMNS,
    lambda session, rows: entity_specs(session, rows.values()),
    lambda spec: {
        "kind": spec.kind.value,
        "name": spec.name,
        "summary": spec.summary,
        "wikidata": spec.wikidata,
    },
    (
        _Part(
            Alias,
            col(Alias.entity_id),
            "aliases",
            lambda entity_id, spec, ids: (
                {"entity_id": entity_id, "text": alias.text, "lang": alias.lang}
                for alias in spec.aliases or ()
            ),
        ),
        _Part(
            EntityLink,
            col(EntityLink.dispute_id),
            "links",
            lambda entity_id, spec, ids: (
                {"dispute_id": entity_id, "member_id": ids[key], "role": role, "position": position}
                for position, (role, key) in enumerate(spec.links)
            ),
            Entity,
            lambda spec: (key for _, key in spec.links),
        ),
        _Part(
            Redirect,
            col(Redirect.entity_id),
            "former_keys",
            lambda entity_id, spec, ids: (
                {"key": key, "entity_id": entity_id} for key in spec.former_keys or ()
            ),
        ),
    ),
)

_FACTS: _Target[FactSpec] = _Target(
    "fact",
    Fact,
    FACT_COLUMNS,
    lambda session, rows: fact_specs(session, rows.values()),
    lambda spec: {
        "text": spec.text,
        "happened": spec.happened,
        "precision": spec.precision.value if spec.precision else None,
        "type": spec.type,
    },
    parts=(
        _Part(
            FactEntity,
            col(FactEntity.fact_id),
            "about",
            lambda fact_id, spec, ids: (
                {
                    "fact_id": fact_id,
                    "entity_id": ids[subject.entity],
                    "role": subject.role,
                    "position": position,
                }
                for position, subject in enumerate(spec.about)
            ),
            Entity,
            lambda spec: (subject.entity for subject in spec.about),
        ),
        _Part(
            Citation,
            col(Citation.fact_id),
            "sources",
            lambda fact_id, spec, ids: (
                {"fact_id": fact_id, "source_id": ids[key], "position": position}
                for position, key in enumerate(spec.sources)
            ),
            Source,
            lambda spec: spec.sources,
        ),
    ),
)


__all__ = ["TARGETS", "Change", "Counts", "Writer"]
