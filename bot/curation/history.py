"""The revision log read back: history listings, one revision as a diff, and undo.

Every curation action writes one revision per record it touches, all sharing a
batch id. Undo reverts a whole action (the batch of the revision named), since
half of a merge or of a delete-with-facts would leave the store inconsistent;
it is refused, changing nothing, when a later revision touched the same records.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from bot.curation.edits import LISTED, Done
from bot.curation.relinking import complete_entity, disputes_linking
from bot.curation.validate import validate
from bot.curation.writer import Writer
from bot.errors import NotInStoreError, UndoConflictError
from bot.records.actor import Actor
from bot.records.reader import facts_about, facts_citing, read_one
from bot.store.db import Store
from bot.store.models import Entity, Kind, Revision, Source

_VERBS = {"create": "created", "update": "changed", "delete": "deleted"}
_SECTIONS = {"source": "sources", "entity": "entities", "fact": "facts"}
_LISTED_ITEMS = 3
"""How many items added to or removed from a list a history line names."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One revision as history lists it."""

    number: int
    at: datetime
    actor_id: str | None
    actor_name: str
    guild_id: str | None
    guild_name: str | None
    action: str
    target_type: str
    target_key: str
    reason: str | None
    batch: str | None
    fields: str = ""
    """What an update changed, named: ``aliases + 'Yamato'``, ``date, text`` (empty for an
    addition or a deletion)."""

    @classmethod
    def of(cls, row: Revision) -> Entry:
        return cls(
            row.id or 0,
            row.at,
            row.actor_id,
            row.actor_name,
            row.guild_id,
            row.guild_name,
            row.action,
            row.target_type,
            row.target_key,
            row.reason,
            row.batch,
            changed_fields(row.before, row.after) if row.action == "update" else "",
        )

    @property
    def undoes(self) -> int | None:
        """The revision this one is part of the undo of, or None when it is no undo."""
        return undone(self.batch)

    @property
    def where(self) -> str:
        """The server the change was made in, ``console``, or ``file`` for the seed."""
        if self.guild_id is not None:
            return f"in {self.guild_name or 'server ' + self.guild_id}"
        if self.actor_id is not None:
            return "on Discord"
        return "console" if self.actor_name == "console" else "file"

    @property
    def who(self) -> str:
        """``alice in Diplomacy``, ``console``, ``seed (file)``."""
        if self.actor_id is None:
            return (
                self.actor_name
                if self.where == self.actor_name
                else f"{self.actor_name} ({self.where})"
            )
        return f"{self.actor_name} {self.where}"

    @property
    def what(self) -> str:
        """``changed fact 'japan-agreed'``."""
        return f"{_VERBS.get(self.action, self.action)} {self.target_type} '{self.target_key}'"

    @property
    def change(self) -> str:
        """What it did, with what an update changed and what it undid:
        ``changed entity 'japan' (aliases + 'Yamato') · undo of #35``."""
        shown = f"{self.what} ({self.fields})" if self.fields else self.what
        return shown if self.undoes is None else f"{shown} · undo of #{self.undoes}"

    def line(self) -> str:
        """``#12 · 2026-11-27 11:20 UTC · alice in Diplomacy · changed fact 'x' (date) ·
        “why”``; an undo's default reason is not repeated after its mark."""
        when = self.at.strftime("%Y-%m-%d %H:%M UTC")
        parts = [f"#{self.number}", when, self.who, self.change]
        if self.reason and self.reason != _undo_reason(self.undoes):
            parts.append(f"“{self.reason}”")
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Detail:
    """One revision with what it changed, field by field."""

    entry: Entry
    diff: tuple[str, ...]
    batch_size: int


def history(
    store: Store, key: str | None = None, *, limit: int = 500, before: int | None = None
) -> list[Entry]:
    """The latest ``limit`` revisions, newest first; with key, those that touched a record
    with that key (an entity, a source or a fact); with before, those older than revision
    ``before`` (the next page of a listing that ended at it)."""
    with store.transaction() as session:
        query = select(Revision).order_by(col(Revision.id).desc()).limit(limit)
        if key is not None:
            query = query.where(Revision.target_key == key)
        if before is not None:
            query = query.where(col(Revision.id) < before)
        return [Entry.of(row) for row in session.exec(query)]


def revision(store: Store, number: int) -> Detail:
    """One revision and its before and after as a readable diff."""
    with store.transaction() as session:
        row = _revision(session, number)
        size = 1
        if row.batch is not None:
            size = session.exec(
                select(func.count()).select_from(Revision).where(Revision.batch == row.batch)
            ).one()
        return Detail(Entry.of(row), tuple(diff(row.before, row.after)), size)


def latest_revision(store: Store) -> int:
    """The number of the newest revision (0 for none): the store's version as a whole."""
    with store.transaction() as session:
        return session.exec(select(func.max(Revision.id))).one() or 0


def undo(store: Store, actor: Actor, number: int, *, reason: str | None = None) -> Done:
    """Revert the action revision ``number`` belongs to, exactly, as a new action.

    Every record the action touched goes back to how it was before it. Refused,
    with nothing changed, when a record is no longer as the action left it (a
    later revision changed it and was not undone), or when something added
    since still needs a record the undo would remove.
    """
    with store.writing() as session:
        row = _revision(session, number)
        group = _action(session, row)
        first_before: dict[tuple[str, str], dict[str, Any] | None] = {}
        last_after: dict[tuple[str, str], dict[str, Any] | None] = {}
        for step in group:
            target = (step.target_type, step.target_key)
            first_before.setdefault(target, step.before)
            last_after[target] = step.after
        changed = [t for t, left in last_after.items() if _current(session, *t) != left]
        if changed:
            raise _changed_since(session, changed, last_after, group[-1].id or 0)
        writer = Writer(session, actor, reason or _undo_reason(number))
        writer.batch = undo_batch(number)
        _restore(session, writer, first_before)
        numbers = writer.finish()
    last = group[-1].id
    what = f"revision {number}" if len(group) == 1 else f"revisions {group[0].id}–{last}"
    return Done(f"Undid {what}.", tuple(numbers), tuple(writer.changes))


_UNDO_BATCH = re.compile(r"undo:(?P<number>[0-9]+):")


def undo_batch(number: int) -> str:
    """A batch id for the undo of revision ``number``: the action says what it undid, so
    history can mark it whatever reason the curator gave."""
    return f"undo:{number}:{uuid.uuid4().hex[:20]}"


def undone(batch: str | None) -> int | None:
    """The revision a batch id made by `undo_batch` undid, or None for any other batch."""
    match = _UNDO_BATCH.match(batch or "")
    return int(match["number"]) if match else None


def _undo_reason(number: int | None) -> str:
    """The reason an undo of revision ``number`` records when its curator gives none."""
    return f"undo of revision {number}"


def _revision(session: Session, number: int) -> Revision:
    row = session.get(Revision, number)
    if row is None:
        newest = session.exec(select(func.max(Revision.id))).one() or 0
        raise NotInStoreError(f"no revision {number} (the newest is {newest})")
    return row


def _action(session: Session, row: Revision) -> list[Revision]:
    """Every revision of the action row belongs to, oldest first."""
    if row.batch is None:
        return [row]
    return list(
        session.exec(select(Revision).where(Revision.batch == row.batch).order_by(col(Revision.id)))
    )


def _current(session: Session, target_type: str, key: str) -> dict[str, Any] | None:
    """The record as stored now, in the shape revisions keep, or None if there is none."""
    found = read_one(session, target_type, key)
    return found.to_dict() if found is not None else None


def _changed_since(
    session: Session,
    targets: list[tuple[str, str]],
    left: Mapping[tuple[str, str], dict[str, Any] | None],
    after: int,
) -> UndoConflictError:
    """The refusal naming every later revision to undo first, newest first: for each
    record, those that took it from how the action left it to how it is now."""
    blocking: dict[int, Revision] = {}
    for target in targets:
        for row in _chain(session, target, left[target], after) or ():
            blocking.setdefault(row.id or 0, row)
    if not blocking:  # pragma: no cover - a change outside curation, such as a hand edit
        kind, key = targets[0]
        return UndoConflictError(
            f"{kind} '{key}' was changed outside diplobot. Nothing was changed"
        )
    rows = sorted(blocking.values(), key=lambda row: -(row.id or 0))
    said = "; ".join(
        f"revision {row.id} by {row.actor_name} changed {row.target_type} "
        f"'{row.target_key}' afterwards"
        for row in rows[:LISTED]
    )
    if len(rows) > LISTED:
        said += f"; and {len(rows) - LISTED} more"
    actions = list(dict.fromkeys(row.batch or f"#{row.id}" for row in rows))
    firsts = [next(row.id for row in rows if (row.batch or f"#{row.id}") == a) for a in actions]
    if len(firsts) == 1:
        return UndoConflictError(f"{said}; undo revision {firsts[0]} first. Nothing was changed")
    undos = ", then ".join(f"`curate undo {number}`" for number in firsts[:LISTED])
    return UndoConflictError(f"{said}; undo them first, newest first: {undos}. Nothing was changed")


def _chain(
    session: Session, target: tuple[str, str], left: dict[str, Any] | None, after: int
) -> list[Revision] | None:
    """The revisions after ``after`` that took the record from ``left`` to how it is now,
    newest first (undone changes and their undos left out); None if they do not."""
    kind, key = target
    rows = session.exec(
        select(Revision)
        .where(col(Revision.id) > after, Revision.target_type == kind, Revision.target_key == key)
        .order_by(col(Revision.id).desc())
    ).all()
    state, chain = _current(session, kind, key), []
    for row in rows:
        if state == left:
            break
        if row.after == state:
            chain.append(row)
            state = row.before
    return chain if state == left else None


def _restore(
    session: Session, writer: Writer, wanted: Mapping[tuple[str, str], dict[str, Any] | None]
) -> None:
    """Put every record back as wanted: recreate and rewrite first (checked together, so
    they may name each other), then delete facts, disputes, other entities and sources."""
    known_entities = dict(session.exec(select(Entity.key, Entity.kind)).all())
    known_sources = set(session.exec(select(Source.key)).all())
    raw: dict[str, list[dict[str, Any]]] = {section: [] for section in _SECTIONS.values()}
    for (kind, _), record in wanted.items():
        if record is not None:
            raw[_SECTIONS[kind]].append(record)
    document, problems = validate(raw, known_entities, known_sources)
    if problems:
        raise UndoConflictError(f"{_named(problems[0], raw)}. Nothing was changed")
    writer.upsert(replace(document, entities=tuple(complete_entity(e) for e in document.entities)))

    gone = {target for target, record in wanted.items() if record is None}

    def deletion_order(target: tuple[str, str]) -> tuple[int, str]:
        kind, key = target
        if kind == "entity":
            return (1 if known_entities.get(key) == Kind.DISPUTE else 2), key
        return (0 if kind == "fact" else 3), key

    for kind, key in sorted(gone, key=deletion_order):
        _refuse_if_needed(session, kind, key, gone)
        writer.delete(kind, key)


def _named(problem: str, raw: Mapping[str, list[dict[str, Any]]]) -> str:
    """A problem with a record to put back, naming the record rather than its place:
    ``fact 'x' cannot be put back: about[0]: no entity 'y'``."""
    match = re.match(r"(sources|entities|facts)\[(\d+)\]\.?:? ?", problem)
    if match is None:
        return f"the records cannot be put back: {problem}"
    section, index = match.group(1), int(match.group(2))
    kind = next(kind for kind, name in _SECTIONS.items() if name == section)
    key = raw[section][index].get("key", "?")
    return f"{kind} '{key}' cannot be put back: {problem[match.end() :]}"


def _refuse_if_needed(session: Session, kind: str, key: str, gone: set[tuple[str, str]]) -> None:
    """Refuse to delete a record that something the undo keeps still names."""
    if kind == "entity":
        users = [("fact", f.key) for f in facts_about(session, key)]
        users += [("entity", d.key) for d in disputes_linking(session, key)]
    elif kind == "source":
        users = [("fact", f.key) for f in facts_citing(session, key)]
    else:
        return
    kept = [
        f"{'dispute' if user_kind == 'entity' else user_kind} '{user_key}'"
        for user_kind, user_key in users
        if (user_kind, user_key) not in gone
    ]
    if kept:
        names = "names" if len(kept) == 1 else "name"
        raise UndoConflictError(
            f"{kind} '{key}' cannot be removed: {', '.join(kept[:5])} {names} it. "
            "Nothing was changed"
        )


# Diffs.


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[str]:
    """What changed between two records in the file shape, one line per field:
    ``name: 'Nipon' → 'Nippon'``, ``aliases: + 'Nihon'``, ``+ summary: '…'`` for a new record."""
    if before is None and after is None:
        return []
    if before is None or after is None:
        sign, record = ("+", after) if before is None else ("-", before)
        assert record is not None
        return [f"{sign} {name}: {_shown(value)}" for name, value in record.items() if value != []]
    lines = []
    for name in dict.fromkeys((*before, *after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if isinstance(old, list) or isinstance(new, list):
            lines.append(f"{name}: {', '.join(_item_changes(old, new)) or 'reordered'}")
        elif old is None:
            lines.append(f"{name}: set to {_shown(new)}")
        elif new is None:
            lines.append(f"{name}: cleared (was {_shown(old)})")
        else:
            lines.append(f"{name}: {_shown(old)} → {_shown(new)}")
    return lines


def changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str:
    """The fields an update changed, for one line: a list field with what was added or
    removed (``aliases + 'Yamato'``), others by name (``date, text``)."""
    if before is None or after is None:
        return ""
    named = []
    for name in dict.fromkeys((*before, *after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if isinstance(old, list) or isinstance(new, list):
            changes = _item_changes(old, new)
            if len(changes) > _LISTED_ITEMS:
                changes[_LISTED_ITEMS:] = [f"… {len(changes) - _LISTED_ITEMS} more"]
            named.append(f"{name} {' '.join(changes) or 'reordered'}")
        else:
            named.append(name)
    return ", ".join(named)


def _item_changes(old: Any, new: Any) -> list[str]:
    """``+ 'Nihon'`` for each item new adds to old, then ``- …`` for each it drops."""
    old_items, new_items = _items(old), _items(new)
    added = [f"+ {_shown(item)}" for item in new_items if item not in old_items]
    removed = [f"- {_shown(item)}" for item in old_items if item not in new_items]
    return [*added, *removed]


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _shown(value: Any) -> str:
    """A value as a diff shows it, whole (a curator copies a fact's text from it)."""
    if isinstance(value, list):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    if isinstance(value, Mapping):  # {entity, role} or {text, lang}: "japan (recipient)"
        first, *rest = (str(v) for v in value.values())
        return _shown(first) + (f" ({', '.join(rest)})" if rest else "")
    return f"'{value}'"


__all__ = [
    "Detail",
    "Entry",
    "changed_fields",
    "diff",
    "history",
    "latest_revision",
    "revision",
    "undo",
    "undo_batch",
    "undone",
]
