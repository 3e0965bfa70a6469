"""The exceptions diplobot raises on purpose.

Every message is written for the person who will read it: a server member, a
curator, or whoever runs the bot. Code that catches `DiplobotError` may show
``str(error)`` as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

EXIT_USAGE = 2
"""The exit status of a command stopped by something its user can fix (a setting, a file)."""


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
