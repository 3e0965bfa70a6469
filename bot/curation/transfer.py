"""Moving curation documents into and out of the store.

`import_document` upserts a checked `Document` by key in one transaction,
writing a `Revision` for every record it creates or changes and touching
nothing that already matches. `export_document` writes the whole store in the
same file shape, and `load_file` reads, checks and imports a file in one go.
`load_data` with ``dry_run=True`` says what an import would do without writing
anything. Both work out the same `Plan` (bot/curation/plan.py) from the stored
records and the document; the import writes it, the dry run only reports it,
with the same warnings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from bot.curation.files import read_document
from bot.curation.history import diff
from bot.curation.plan import Plan, import_warnings, plan_changes
from bot.curation.problems import FileProblems
from bot.curation.validate import validate
from bot.curation.vocabulary import type_note
from bot.curation.writer import Change, Counts, Progress, Writer
from bot.errors import StoreError
from bot.records.actor import Actor
from bot.records.fact_keys import read_fact_keys
from bot.records.reader import snapshot
from bot.records.shapes import Document
from bot.search.normalize import fold
from bot.store.db import Store, plain_reason
from bot.store.models import Alias, Entity, Fact, Source

log = logging.getLogger(__name__)

KEYS_NAMED = 20
"""How many created (and updated) keys an import's summary names before counting the rest."""

_T = TypeVar("_T")


@dataclass(slots=True)
class ImportReport:
    """What an import did (or, for a preview, would do), per section, and its batch id.

    ``changes`` lists each created or updated record in file order; ``revisions``
    the numbers of the revisions written (none for a preview); ``warnings`` what
    a curator should look at (see `import_warnings`).
    """

    batch: str
    origin: str | None = None
    sources: Counts = field(default_factory=Counts)
    entities: Counts = field(default_factory=Counts)
    facts: Counts = field(default_factory=Counts)
    changes: list[Change] = field(default_factory=list)
    revisions: list[int] = field(default_factory=list)
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, writer: Writer, origin: str | None, revisions: list[int], plan: Plan | None = None
    ) -> ImportReport:
        """The report of what writer wrote (from plan, whose warnings it carries)."""
        return cls(
            writer.batch,
            origin,
            writer.counts["source"],
            writer.counts["entity"],
            writer.counts["fact"],
            writer.changes,
            revisions,
            plan.warnings if plan is not None else (),
        )

    @classmethod
    def planned(cls, batch: str, origin: str | None, plan: Plan) -> ImportReport:
        """The report of an import not carried out: what plan would do."""
        report = cls(batch, origin, changes=plan.changes, warnings=plan.warnings)
        sections = {"source": report.sources, "entity": report.entities, "fact": report.facts}
        for change in report.changes:
            counts = sections[change.target_type]
            counts.created += change.action == "create"
            counts.updated += change.action == "update"
        for name, number in plan.unchanged.items():
            sections[name].unchanged = number
        return report

    def keys(self, action: str) -> list[str]:
        """``fact 'x'`` for every record created (action ``create``) or updated, in file order."""
        return [f"{c.target_type} '{c.key}'" for c in self.changes if c.action == action]

    def summary(self) -> list[str]:
        """Lines naming the keys created and updated (the first `KEYS_NAMED` of each), then
        the warnings."""
        lines = []
        for action, label in (("create", "created"), ("update", "updated")):
            keys = self.keys(action)
            if keys:
                more = len(keys) - KEYS_NAMED
                shown = ", ".join(keys[:KEYS_NAMED]) + (f" and {more:,} more" if more > 0 else "")
                lines.append(f"{label}: {shown}")
        return lines + [f"warning: {warning}" for warning in self.warnings]

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

    def describe(self, attribute: str) -> str:
        """``1 source, 17 entities created`` for attribute ``created`` (or updated, unchanged)."""
        parts = []
        for (one, many), counts in self._sections().items():
            number: int = getattr(counts, attribute)
            if number:
                parts.append(f"{number} {one if number == 1 else many}")
        return f"{', '.join(parts) or '0'} {attribute}"

    def __str__(self) -> str:
        """``imported FILE: 1 source, 17 entities, 15 facts created; 0 updated; 0 unchanged``,
        then a line of keys created, one of keys updated, and a line per warning."""
        where = f" {self.origin}" if self.origin else ""
        return "\n".join([f"imported{where}: {self.counts()}", *self.summary()])

    def dry_run(self) -> str:
        """What a dry run prints: the counts, every record the import would create, update
        (the fields that change, and how) or delete, then the warnings."""
        where = f" of {self.origin}" if self.origin else ""
        lines = [f"dry run{where}, nothing was written: {self.counts()}"]
        for change in self.changes:
            fields = f": {', '.join(change.fields)}" if change.fields else ""
            lines.append(f"{change.action} {change.target_type} '{change.key}'{fields}")
            if change.action == "update":
                lines.extend(f"    {line}" for line in diff(change.before, change.after))
        return "\n".join([*lines, *(f"warning: {warning}" for warning in self.warnings)])

    def counts(self) -> str:
        """``1 source, 2 facts created; 1 fact updated; 3 entities unchanged``."""
        return "; ".join(self.describe(name) for name in ("created", "updated", "unchanged"))


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
        store,
        lambda session: _write(Writer(session, actor, reason, progress), document, None, False),
    )


def load_file(
    store: Store,
    path: str | Path,
    actor: Actor,
    progress: Progress | None = None,
    *,
    reason: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Read, check and import a curation file (with ``dry_run``, only say what it would do).

    The file is checked against the keys in the store within the same
    transaction that imports it. Any problem raises `ImportFileError` listing
    all of them, and nothing is written.
    """
    raw = read_document(path)
    return load_data(store, raw, str(path), actor, progress, reason=reason, dry_run=dry_run)


def load_data(
    store: Store,
    raw: Mapping[str, Any],
    origin: str,
    actor: Actor,
    progress: Progress | None = None,
    *,
    reason: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Check already-parsed file data against the store and import it (see `load_file`).

    With ``dry_run`` nothing is written: the report says what the import would
    change, from the same plan an import writes, with the same warnings.
    """

    def work(session: Session) -> ImportReport:
        document = check_against_store(session, raw, origin)
        report = _write(Writer(session, actor, reason, progress), document, origin, dry_run)
        report.warnings = (*word_notes(raw), *report.warnings)
        return report

    return _in_transaction(store, work, write=not dry_run)


def check_against_store(session: Session, raw: Mapping[str, Any], origin: str) -> Document:
    """raw checked against itself and the store's keys; `FileProblems` (an `ImportFileError`)
    counts every problem and lists the first `PROBLEMS_SHOWN`."""
    known_entities = dict(session.exec(select(Entity.key, Entity.kind)).all())
    known_sources = set(session.exec(select(Source.key)).all())
    keyless = _keyless_texts(raw)
    fact_keys = read_fact_keys(session, keyless) if keyless else None
    document, problems = validate(raw, known_entities, known_sources, fact_keys)
    if problems:
        raise FileProblems(origin, problems)
    return document


def word_notes(raw: Mapping[str, Any]) -> list[str]:
    """A line for each of raw's facts whose ``type`` was a common word taken as an event
    type (``meeting`` as ``consult``), naming the fact, as command receipts say it."""
    facts = raw.get("facts")
    notes = []
    for number, fact in enumerate(facts if isinstance(facts, list) else [], start=1):
        note = type_note(fact.get("type")) if isinstance(fact, Mapping) else None
        if note is not None:
            named = f"'{fact['key']}'" if isinstance(fact.get("key"), str) else f"number {number}"
            notes.append(f"fact {named}: {note}")
    return notes


def _keyless_texts(raw: Mapping[str, Any]) -> list[str]:
    """The texts of raw's facts given without a key (which `read_fact_keys` keys)."""
    facts = raw.get("facts")
    if not isinstance(facts, list):
        return []
    given = [fact for fact in facts if isinstance(fact, Mapping) and fact.get("key") is None]
    return [fact["text"] for fact in given if isinstance(fact.get("text"), str)]


def export_document(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The whole store in the file shape, every list in key order.

    Importing the result into an empty store and exporting again gives an
    equal result.
    """
    with store.transaction() as session:
        records = snapshot(session)
    return Document(records.sources, records.entities, records.facts).to_dict()


def plan_import(writer: Writer, document: Document) -> Plan:
    """What importing document does, with its warnings against the store (see `plan_changes`
    and `import_warnings`); nothing is written."""
    plan = plan_changes(document, writer.read(document))
    session = writer.session
    texts = dict(session.exec(select(Fact.key, Fact.text)).all()) if plan.facts else {}
    names: dict[str, list[str]] = {}
    if plan.entities:
        named = session.exec(select(Entity.name, Entity.key)).all()
        aliased = session.exec(select(Alias.text, Entity.key).join(Entity)).all()
        for name, key in [*named, *aliased]:
            keys = names.setdefault(fold(name), [])
            if key not in keys:
                keys.append(key)
    plan.warnings = import_warnings(plan, texts, names)
    return plan


def _write(writer: Writer, document: Document, origin: str | None, dry_run: bool) -> ImportReport:
    plan = plan_import(writer, document)
    if dry_run:
        return ImportReport.planned(writer.batch, origin, plan)
    writer.apply(plan)
    return ImportReport.of(writer, origin, writer.finish(), plan)


def _in_transaction(store: Store, work: Callable[[Session], _T], *, write: bool = True) -> _T:
    """work's result, run in one store transaction that a database failure rolls back."""
    try:
        with store.transaction(write=write) as session:
            return work(session)
    except SQLAlchemyError as error:
        log.debug("an import failed in the database", exc_info=error)
        raise StoreError(
            f"the import failed and nothing was written: {plain_reason(error)}"
        ) from error


__all__ = [
    "ImportReport",
    "Progress",
    "check_against_store",
    "export_document",
    "import_document",
    "load_data",
    "load_file",
    "plan_import",
]
