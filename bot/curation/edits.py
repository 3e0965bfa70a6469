"""Curation operations on single records: add, edit, alias, link, merge and delete.

Every operation checks its record with the file format's own validator (so a
modal, a prefix command, the console and a file get the same problems in the
same words), then writes it through a `Writer` in one transaction with its
revisions. They raise a `CurationError` having changed nothing, or return a
`Done` saying what was written. Nothing here knows who is asking or from where
beyond the `Actor` it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from bot.curation.list_edits import ListEdit
from bot.curation.problems import suggestion
from bot.curation.relinking import (
    complete_entity,
    disputes_linking,
    renamed,
    resubjected,
    union,
)
from bot.curation.validate import validate
from bot.curation.writer import Change, Writer
from bot.errors import CurationError, NotInStoreError, RecordError, StaleEditError
from bot.records.actor import Actor
from bot.records.fact_keys import keys_for_fact
from bot.records.reader import (
    facts_about,
    read_entity,
    read_one,
)
from bot.records.shapes import AliasSpec, Document, EntitySpec, SourceSpec
from bot.store.db import Store
from bot.store.models import (
    Entity,
    Fact,
    Kind,
    Revision,
    Source,
)

CLEAR = "-"
"""Given as an optional field's new value, clears it."""
LISTED = 10
"""How many dependent records a refusal names before saying how many more."""

_T = TypeVar("_T")
_SECTIONS = {"source": "sources", "entity": "entities", "fact": "facts"}


@dataclass(frozen=True, slots=True)
class Done:
    """What one curation action wrote: its revisions (one per record) and their changes."""

    summary: str
    revisions: tuple[int, ...]
    changes: tuple[Change, ...]

    @property
    def changed(self) -> bool:
        return bool(self.revisions)


# Reading what a curator names.


def version_of(session: Session, target_type: str, key: str) -> Revision | None:
    """The latest revision that touched the record: its version, as stale checks compare it."""
    return session.exec(
        select(Revision)
        .where(Revision.target_type == target_type, Revision.target_key == key)
        .order_by(col(Revision.id).desc())
        .limit(1)
    ).first()


def current_version(store: Store, target_type: str, key: str) -> int | None:
    """The record's version (the number of the last revision that changed it), or None."""
    with store.transaction() as session:
        latest = version_of(session, target_type, key)
        return latest.id if latest is not None else None


def _missing(session: Session, target_type: str, key: str) -> NotInStoreError:
    column = {"source": Source.key, "entity": Entity.key, "fact": Fact.key}[target_type]
    keys = list(session.exec(select(column)).all())
    return NotInStoreError(f"no {target_type} '{key}'{suggestion(key, keys)}")


def _require(session: Session, target_type: str, key: str, found: _T | None) -> _T:
    if found is None:
        raise _missing(session, target_type, key)
    return found


def _check_version(session: Session, target_type: str, key: str, version: int | None) -> None:
    """Refuse an edit of a record changed since version; the record's row stays locked
    (on PostgreSQL) until the edit commits, so two editors cannot both pass."""
    if version is None:
        return
    column = {"source": Source.key, "entity": Entity.key, "fact": Fact.key}[target_type]
    session.exec(select(column).where(column == key).with_for_update()).all()
    latest = version_of(session, target_type, key)
    if latest is not None and latest.id != version:
        raise StaleEditError(f"{target_type} '{key}'", latest.id or 0, latest.actor_name)


def _checked(session: Session, target_type: str, raw: Mapping[str, Any], what: str) -> Any:
    """raw checked as one record of target_type by the file validator, with its problems
    named by field (``date: …`` rather than ``facts[0].date: …``)."""
    known_entities = dict(session.exec(select(Entity.key, Entity.kind)).all())
    known_sources = set(session.exec(select(Source.key)).all())
    section = _SECTIONS[target_type]
    keys = keys_for_fact(session, raw) if target_type == "fact" else None
    document, problems = validate({section: [dict(raw)]}, known_entities, known_sources, keys)
    if problems:
        prefix = f"{section}[0]"
        raise RecordError(what, [_field_problem(problem, prefix) for problem in problems])
    return getattr(document, section)[0]


def _field_problem(problem: str, prefix: str) -> str:
    """A file problem about the one record as a problem about its fields."""
    if problem.startswith(prefix + ": "):
        problem = problem[len(prefix) + 2 :]
    return problem.replace(prefix + ".", "")


def _write(
    store: Store,
    actor: Actor,
    reason: str | None,
    work: Callable[[Session, Writer], str],
) -> Done:
    """Run work in one transaction with a writer, then log its revisions; all or nothing."""
    with store.writing() as session:
        writer = Writer(session, actor, reason)
        summary = work(session, writer)
        numbers = writer.finish()
    return Done(summary, tuple(numbers), tuple(writer.changes))


def _edited(stored: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The stored record with the given fields changed; `CLEAR` removes a field.

    A key is never changed: merging is how an entity takes another's key.
    """
    if "key" in changes and changes["key"] not in (None, stored.get("key")):
        raise CurationError("a record's key cannot be changed; add a new record instead")
    record = dict(stored)
    for name, value in changes.items():
        if value is None:
            continue
        if isinstance(value, ListEdit):
            record[name] = value.applied(record.get(name))
        elif value == CLEAR:
            record.pop(name, None)
        else:
            record[name] = value
    return record


def _add(
    store: Store,
    actor: Actor,
    target_type: str,
    raw: Mapping[str, Any],
    reason: str | None,
    done: Callable[[Any], str],
) -> Done:
    """Check raw as a new record of target_type and add it; refused if its key is taken."""

    def work(session: Session, writer: Writer) -> str:
        spec = _checked(session, target_type, raw, f"the {target_type}")
        if read_one(session, target_type, spec.key) is not None:
            raise CurationError(f"{target_type} '{spec.key}' already exists; edit it instead")
        writer.upsert(Document(**{_SECTIONS[target_type]: (spec,)}))
        return done(spec)

    return _write(store, actor, reason, work)


def _edit(
    store: Store,
    actor: Actor,
    target_type: str,
    key: str,
    changes: Mapping[str, Any],
    version: int | None,
    reason: str | None,
    adjust: Callable[[Session, Any, dict[str, Any]], None] | None = None,
) -> Done:
    """Change the given fields of a stored record, checked as a whole; ``adjust`` may
    amend the edited record (in the file shape) before it is checked."""

    def work(session: Session, writer: Writer) -> str:
        stored = read_one(session, target_type, key)
        if stored is None:
            raise _missing(session, target_type, key)
        _check_version(session, target_type, key, version)
        raw = _edited(stored.to_dict(), changes)
        if adjust is not None:
            adjust(session, stored, raw)
        spec = _checked(session, target_type, raw, f"{target_type} '{key}'")
        if isinstance(spec, EntitySpec):
            spec = complete_entity(spec)
        writer.upsert(Document(**{_SECTIONS[target_type]: (spec,)}))
        if writer.changes:
            return f"Edited {target_type} '{key}'."
        return f"{target_type.capitalize()} '{key}' already says that; nothing was changed."

    return _write(store, actor, reason, work)


# Sources.


def add_source(
    store: Store, actor: Actor, raw: Mapping[str, Any], *, reason: str | None = None
) -> Done:
    """Add a new source (key, title, and optionally outlet, url, published)."""
    return _add(store, actor, "source", raw, reason, lambda spec: f"Added source '{spec.key}'.")


def edit_source(
    store: Store,
    actor: Actor,
    key: str,
    changes: Mapping[str, Any],
    *,
    version: int | None = None,
    reason: str | None = None,
) -> Done:
    """Change the given fields of a source; the others keep their values."""
    return _edit(store, actor, "source", key, changes, version, reason)


# Entities.


def add_entity(
    store: Store, actor: Actor, raw: Mapping[str, Any], *, reason: str | None = None
) -> Done:
    """Add a new entity (key, kind, name, and optionally summary, aliases, parties, areas)."""
    return _add(
        store, actor, "entity", raw, reason, lambda spec: f"Added {spec.kind.value} '{spec.key}'."
    )


def edit_entity(
    store: Store,
    actor: Actor,
    key: str,
    changes: Mapping[str, Any],
    *,
    version: int | None = None,
    reason: str | None = None,
) -> Done:
    """Change the given fields of an entity (kind, name, summary, wikidata, parties, areas).

    An entity that stops being a dispute loses its parties and areas; one that
    some dispute lists as a party or area cannot become a dispute.
    """

    def adjust(session: Session, stored: EntitySpec, raw: dict[str, Any]) -> None:
        if raw.get("kind") != Kind.DISPUTE:
            raw.pop("parties", None)
            raw.pop("areas", None)
        elif stored.kind is not Kind.DISPUTE:
            linking = [dispute.key for dispute in disputes_linking(session, key)]
            if linking:
                raise CurationError(
                    f"'{key}' cannot become a dispute while {_listing(linking)} "
                    "lists it as a party or area"
                )

    return _edit(store, actor, "entity", key, changes, version, reason, adjust)


def add_alias(
    store: Store,
    actor: Actor,
    key: str,
    text: str,
    lang: str | None = None,
    *,
    reason: str | None = None,
) -> Done:
    """Give an entity another name, in a language when one is given
    (`bot.curation.alias_edits` adds several at once)."""
    from bot.curation import alias_edits  # it builds on this module

    return alias_edits.add_aliases(store, actor, key, [text], lang, reason=reason)


def remove_alias(
    store: Store, actor: Actor, key: str, text: str, *, reason: str | None = None
) -> Done:
    """Take one of an entity's aliases away."""
    from bot.curation import alias_edits  # it builds on this module

    return alias_edits.remove_alias(store, actor, key, text, reason=reason)


def merge_entities(
    store: Store, actor: Actor, keep: str, other: str, *, reason: str | None = None
) -> Done:
    """Fold entity ``other`` into ``keep``: its name and aliases become aliases of ``keep``,
    facts and disputes that name it name ``keep`` instead, and its key keeps naming
    ``keep``. Both must be of the same kind."""

    def work(session: Session, writer: Writer) -> str:
        kept = _require(session, "entity", keep, read_entity(session, keep))
        gone = _require(session, "entity", other, read_entity(session, other))
        if keep == other:
            raise CurationError("an entity cannot be merged into itself")
        if kept.kind is not gone.kind:
            raise CurationError(
                f"'{keep}' is a {kept.kind.value} and '{other}' a {gone.kind.value}; "
                "give them the same kind before merging them"
            )
        texts = {alias.text for alias in kept.aliases or ()} | {kept.name}
        aliases = list(kept.aliases or ())
        for alias in (AliasSpec(gone.name), *(gone.aliases or ())):
            if alias.text not in texts:
                texts.add(alias.text)
                aliases.append(alias)
        if gone.former_keys:
            writer.upsert(Document(entities=(replace(gone, former_keys=()),)))
        merged = replace(
            kept,
            aliases=tuple(aliases),
            former_keys=(*(kept.former_keys or ()), other, *(gone.former_keys or ())),
            parties=union(kept.parties, gone.parties, drop=keep),
            areas=union(kept.areas, gone.areas, drop=keep),
        )
        disputes = [
            replace(
                dispute,
                parties=renamed(dispute.parties, other, keep),
                areas=renamed(dispute.areas, other, keep),
            )
            for dispute in disputes_linking(session, other)
            if dispute.key != keep
        ]
        facts = [
            replace(fact, about=resubjected(fact.about, other, keep))
            for fact in facts_about(session, other)
        ]
        writer.upsert(Document(entities=(merged, *disputes), facts=tuple(facts)))
        writer.delete("entity", other)
        return (
            f"Merged '{other}' into '{keep}': {count(len(facts), 'fact')} and "
            f"{count(len(disputes), 'dispute')} now name '{keep}', and '{other}' leads to it."
        )

    return _write(store, actor, reason, work)


def delete_entity(
    store: Store, actor: Actor, key: str, *, with_facts: bool = False, reason: str | None = None
) -> Done:
    """Delete an entity. Refused while facts are about it, unless ``with_facts`` deletes
    them too; disputes that list it as a party or area lose it (each change logged)."""

    def work(session: Session, writer: Writer) -> str:
        _require(session, "entity", key, read_entity(session, key))
        facts = facts_about(session, key)
        if facts and not with_facts:
            raise CurationError(
                f"entity '{key}' is still named by {count(len(facts), 'fact')}: "
                f"{_listing([fact.key for fact in facts])}. Delete or edit those first, "
                f"or delete them with it: `curate entity delete {key} with_facts:yes`"
            )
        disputes = [
            replace(
                dispute,
                parties=tuple(k for k in dispute.parties or () if k != key),
                areas=tuple(k for k in dispute.areas or () if k != key),
            )
            for dispute in disputes_linking(session, key)
        ]
        if disputes:
            writer.upsert(Document(entities=tuple(disputes)))
        for fact in facts:
            writer.delete("fact", fact.key)
        writer.delete("entity", key)
        also = f" with {count(len(facts), 'fact')}" if facts else ""
        return f"Deleted entity '{key}'{also}."

    return _write(store, actor, reason, work)


def facts_naming(store: Store, key: str) -> list[str]:
    """The keys of the facts about an entity (what deleting it with its facts would delete)."""
    with store.transaction() as session:
        _require(session, "entity", key, read_entity(session, key))
        return [fact.key for fact in facts_about(session, key)]


# Facts.


def add_fact(
    store: Store, actor: Actor, raw: Mapping[str, Any], *, reason: str | None = None
) -> Done:
    """Add a new fact: text, the entities it is about, its source(s), and optionally a date,
    a type and a key (derived from text and date when not given)."""
    return _add(store, actor, "fact", raw, reason, lambda spec: f"Added fact '{spec.key}'.")


def edit_fact(
    store: Store,
    actor: Actor,
    key: str,
    changes: Mapping[str, Any],
    *,
    version: int | None = None,
    reason: str | None = None,
) -> Done:
    """Change the given fields of a fact (text, date, about, source, type); its key stays."""
    return _edit(store, actor, "fact", key, changes, version, reason)


def delete_fact(store: Store, actor: Actor, key: str, *, reason: str | None = None) -> Done:
    """Delete a fact."""

    def work(session: Session, writer: Writer) -> str:
        _require(session, "fact", key, read_one(session, "fact", key))
        writer.delete("fact", key)
        return f"Deleted fact '{key}'."

    return _write(store, actor, reason, work)


def read_record(store: Store, target_type: str, key: str) -> tuple[dict[str, Any], int | None]:
    """A stored record in the file shape, and its version (for an edit form to send back)."""
    with store.transaction() as session:
        found = read_one(session, target_type, key)
        if found is None:
            raise _missing(session, target_type, key)
        latest = version_of(session, target_type, key)
        return found.to_dict(), latest.id if latest is not None else None


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``1 fact``, ``3 facts``; ``plural`` for nouns that do not just take an s."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _listing(keys: Sequence[str]) -> str:
    shown = ", ".join(f"'{key}'" for key in keys[:LISTED])
    more = len(keys) - LISTED
    return shown + (f" and {more} more" if more > 0 else "")


__all__ = [
    "CLEAR",
    "Done",
    "SourceSpec",
    "add_alias",
    "add_entity",
    "add_fact",
    "add_source",
    "current_version",
    "delete_entity",
    "delete_fact",
    "edit_entity",
    "edit_fact",
    "edit_source",
    "facts_naming",
    "merge_entities",
    "read_record",
    "remove_alias",
    "version_of",
]


def require_source(store: Store, key: str) -> None:
    """Raise `NotInStoreError` (with a did-you-mean) unless the store has source key."""
    with store.transaction() as session:
        _require(session, "source", key, read_one(session, "source", key))
