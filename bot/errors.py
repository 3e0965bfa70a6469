"""The exceptions diplobot raises on purpose.

Every message is written for the person who will read it: a server member, a
curator, or whoever runs the bot. Code that catches `DiplobotError` may show
``str(error)`` as it is.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from datetime import datetime

EXIT_USAGE = 2
"""The exit status of a command stopped by something its user can fix (a setting, a file)."""


def is_database_error(error: BaseException) -> bool:
    """Whether error is a database's failure: SQLAlchemy's, told without importing
    SQLAlchemy (a process that never loaded it, answering from a snapshot, cannot have
    raised one), or the ``sqlite3`` module's (that process reads the store with it)."""
    if isinstance(error, sqlite3.Error):
        return True
    exceptions = sys.modules.get("sqlalchemy.exc")
    return exceptions is not None and isinstance(error, exceptions.SQLAlchemyError)


class DiplobotError(Exception):
    """Base class of every error diplobot reports to a person."""


class ConfigError(DiplobotError):
    """A setting is missing or malformed."""


class StoreError(DiplobotError):
    """The fact store could not be opened, migrated or written."""


class QueryError(DiplobotError):
    """A lookup command or its query cannot be answered as typed."""


class UnknownCommandError(QueryError):
    """The text does not start with a command diplobot knows."""


class ExportError(DiplobotError):
    """The store could not be written to the file asked for."""


class ImportFileError(DiplobotError):
    """A curation file has problems; nothing from it was written.

    ``problems`` lists each one by its place in the file, such as
    ``entities[3].kind: unknown kind 'persn'``.
    """

    def __init__(self, path: str, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        listing = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{path}: {count} {noun}, nothing was imported:\n{listing}")


class CurationError(DiplobotError):
    """A curation command was refused; the store was not changed."""


class RecordError(CurationError):
    """A record as given has problems, each by its field (``date: '2024-02-30' is not a date``)."""

    def __init__(self, what: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        self.headline = (
            f"{what} has {count} problem{'' if count == 1 else 's'}; nothing was changed"
        )
        listing = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{self.headline}:\n{listing}")


class NotInStoreError(CurationError):
    """A curation command names a record, or a revision, that the store does not have."""


class StaleEditError(CurationError):
    """The record changed after the curator opened it; their draft was not saved."""

    def __init__(self, what: str, revision: int, actor: str) -> None:
        self.revision = revision
        self.actor = actor
        super().__init__(f"{what} changed since you opened it (revision {revision} by {actor})")


class UndoConflictError(CurationError):
    """A revision cannot be undone without overwriting or breaking a later change."""


class DraftError(DiplobotError):
    """An article could not be read, fetched or drafted; one line says why."""


class SuggestionError(DiplobotError):
    """A suggested correction was refused (a limit, or one already decided); nothing was
    saved. ``again`` is when the member may suggest again, when that is the reason."""

    def __init__(self, message: str, *, again: datetime | None = None) -> None:
        super().__init__(message)
        self.again = again
