"""Moving curation documents into and out of the store.

`import_document` upserts a checked `Document` by key in one transaction,
writing a `Revision` for every record it creates or changes and touching
nothing that already matches. `export_document` writes the whole store in the
same file shape, and `load_file` reads, checks and imports a file in one go.
`load_data` with ``dry_run=True`` says what an import would do without writing
anything: it imports and rolls back.
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
from bot.curation.problems import FileProblems
from bot.curation.validate import validate
from bot.curation.writer import Change, Counts, Progress, Writer
from bot.errors import StoreError
from bot.records.actor import Actor
from bot.records.reader import snapshot
from bot.records.shapes import Document
from bot.store.db import Store, plain_reason
from bot.store.models import Entity, Source

log = logging.getLogger(__name__)

_T = TypeVar("_T")


@dataclass(slots=True)
class ImportReport:
    """What an import did (or, for a preview, would do), per section, and its batch id.

    ``changes`` lists each created or updated record in file order; ``revisions``
    the numbers of the revisions written (none for a preview).
    """

    batch: str
    origin: str | None = None
    sources: Counts = field(default_factory=Counts)
    entities: Counts = field(default_factory=Counts)
    facts: Counts = field(default_factory=Counts)
    changes: list[Change] = field(default_factory=list)
    revisions: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, writer: Writer, origin: str | None, revisions: list[int]) -> ImportReport:
        return cls(
            writer.batch,
            origin,
            writer.counts["source"],
            writer.counts["entity"],
            writer.counts["fact"],
            writer.changes,
            revisions,
        )

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
        """``imported FILE: 1 source, 17 entities, 15 facts created; 0 updated; 0 unchanged``."""
        where = f" {self.origin}" if self.origin else ""
        counts = "; ".join(self.describe(name) for name in ("created", "updated", "unchanged"))
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
        store, lambda session: _write(Writer(session, actor, reason, progress), document, None)
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
    return load_data(store, read_document(path), str(path), actor, progress, reason=reason)


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

    With ``dry_run`` the import is carried out and rolled back, so the report
    says exactly what it would change while nothing is written.
    """

    def work(session: Session) -> ImportReport:
        document = check_against_store(session, raw, origin)
        writer = Writer(session, actor, reason, progress)
        if dry_run:
            writer.upsert(document)
            raise _RolledBack(ImportReport.of(writer, origin, []))
        return _write(writer, document, origin)

    try:
        return _in_transaction(store, work)
    except _RolledBack as preview:
        return preview.report


def check_against_store(session: Session, raw: Mapping[str, Any], origin: str) -> Document:
    """raw checked against itself and the store's keys; `FileProblems` (an `ImportFileError`)
    counts every problem and lists the first `PROBLEMS_SHOWN`."""
    known_entities = dict(session.exec(select(Entity.key, Entity.kind)).all())
    known_sources = set(session.exec(select(Source.key)).all())
    document, problems = validate(raw, known_entities, known_sources)
    if problems:
        raise FileProblems(origin, problems)
    return document


def export_document(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The whole store in the file shape, every list in key order.

    Importing the result into an empty store and exporting again gives an
    equal result.
    """
    with store.transaction() as session:
        records = snapshot(session)
    return Document(records.sources, records.entities, records.facts).to_dict()


class _RolledBack(Exception):
    """Raised out of a dry run's transaction, so that it is rolled back, carrying its report."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("dry run")
        self.report = report


def _write(writer: Writer, document: Document, origin: str | None) -> ImportReport:
    writer.upsert(document)
    return ImportReport.of(writer, origin, writer.finish())


def _in_transaction(store: Store, work: Callable[[Session], _T]) -> _T:
    """work's result, run in one store transaction that a database failure rolls back."""
    try:
        with store.transaction(write=True) as session:
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
]
