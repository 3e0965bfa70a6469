"""How records that name an entity are rewritten when it is merged, deleted or restored:
the disputes that link it, the key lists that list it, and the facts about it."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, col, select

from bot.records.reader import entity_specs, rows_by_key
from bot.records.shapes import EntitySpec, Subject
from bot.store.models import Entity, EntityLink


def complete_entity(spec: EntitySpec) -> EntitySpec:
    """An entity read from a full record: lists it leaves out are empty, not kept."""
    return replace(
        spec,
        aliases=spec.aliases or (),
        parties=spec.parties or (),
        areas=spec.areas or (),
        former_keys=spec.former_keys or (),
    )


def disputes_linking(session: Session, key: str) -> list[EntitySpec]:
    """The stored disputes that list the entity as a party or an area."""
    member = rows_by_key(session, Entity, [key]).get(key)
    if member is None:
        return []
    dispute_ids = select(EntityLink.dispute_id).where(EntityLink.member_id == member.id)
    rows = session.exec(select(Entity).where(col(Entity.id).in_(dispute_ids))).all()
    return list(entity_specs(session, rows).values())


def renamed(keys: tuple[str, ...] | None, old: str, new: str) -> tuple[str, ...]:
    """keys with old replaced by new, each once."""
    renamed = [new if key == old else key for key in keys or ()]
    return tuple(dict.fromkeys(renamed))


def union(
    first: tuple[str, ...] | None, second: tuple[str, ...] | None, *, drop: str
) -> tuple[str, ...]:
    """The keys of both lists, each once, in order, without ``drop``."""
    return tuple(key for key in dict.fromkeys((*(first or ()), *(second or ()))) if key != drop)


def resubjected(about: tuple[Subject, ...], old: str, new: str) -> tuple[Subject, ...]:
    """about with old replaced by new; when new is already there, it keeps its own role."""
    present = any(subject.entity == new for subject in about)
    result: list[Subject] = []
    for subject in about:
        if subject.entity == old:
            if not present:
                result.append(Subject(new, subject.role))
        else:
            result.append(subject)
    return tuple(result)
