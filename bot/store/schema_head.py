"""The schema revisions this code has migrations for, read from the migration files'
revision lines without importing alembic (a quarter of a second)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(r'^(down_revision|revision)\s*(?::[^=]*)?=\s*["\']?([\w]+)', re.M)


@functools.cache
def revisions_in_files() -> tuple[frozenset[str], str | None]:
    """The migrations' revisions, read from their files' revision lines without alembic,
    and the newest: the one no other names as its down revision (None unless exactly one)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            (revisions if name == "revision" else downs).add(value)
    heads = revisions - downs
    return frozenset(revisions), heads.pop() if len(heads) == 1 else None


__all__ = ["MIGRATIONS", "revisions_in_files"]
