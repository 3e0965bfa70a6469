"""Opening the store: engines, transactions, migrations and first-run seeding."""

from __future__ import annotations

import fcntl
import functools
import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col

from bot.errors import StoreError
from bot.store.engine import SQLITE_HEADER, make_engine
from bot.store.models import Entity
from bot.store.schema_head import MIGRATIONS
from bot.store.schema_head import revisions_in_files as _revisions_in_files

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

_SETUP_LOCK = 0x6469706C6F626F74
"""The PostgreSQL advisory lock held while a process migrates and seeds ("diplobot")."""


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema up to revision (the newest by default)."""
    if revision == "head" and _at_head(engine):
        return  # nothing to do, and alembic takes a quarter of a second to import
    from alembic import command

    _run_alembic(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the schema down to revision (``base`` removes every table)."""
    from alembic import command

    _run_alembic(engine, command.downgrade, revision)


def _at_head(engine: Engine) -> bool:
    """Whether the database is at the newest migration, by one query."""
    head = _revisions_in_files()[1]
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return False  # no table yet: alembic creates it
    return [row[0] for row in found] == [head]


def _run_alembic(engine: Engine, action: Any, revision: str) -> None:
    """Run an Alembic command; an unknown or unreachable revision is one `StoreError`
    naming the known ones, raised before anything is migrated."""
    from alembic.util import CommandError

    if not revision.strip():
        raise _no_revision(revision)
    try:
        action(_alembic_config(engine), revision)
    except SQLAlchemyError as error:
        raise StoreError(f"could not migrate the database: {_reason(error)}") from error
    except CommandError as error:  # a revision Alembic cannot go to; nothing was run
        if revision not in _known_revisions() | {"base", "head"} and not _RELATIVE.match(revision):
            raise _no_revision(revision) from error
        said = _clip(" ".join(str(error).split()) or type(error).__name__, 120)
        raise StoreError(
            f"cannot migrate to schema revision {revision!r} ({said}); {_known_listing()}"
        ) from error


_RELATIVE = re.compile(r"[+-]\d+\Z")
"""Alembic's steps from the current revision: ``-1`` goes one down."""


def _no_revision(revision: str) -> StoreError:
    return StoreError(f"there is no schema revision {_clip(revision)!r}; {_known_listing()}")


def _known_listing() -> str:
    known = ", ".join(["base", *_revisions_in_order()])
    return f"the known revisions are {known} (newest). Nothing was changed"


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest schema revision this code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(make_engine("sqlite://"))).get_current_head()


class Store:
    """The database behind diplobot: an engine plus a way to run one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Connect to url and, unless told not to, bring its schema up to date."""
        where = _safe_url(url)
        _refuse_a_foreign_sqlite_file(url)  # before make_engine's connections switch it to WAL
        try:
            engine = make_engine(url)
        except ImportError as error:
            raise StoreError(
                f"the database at {where} needs the {error.name} driver: "
                "pip install 'diplobot[postgres]'"
            ) from error
        except (OSError, SQLAlchemyError) as error:
            raise StoreError(f"could not open the database at {where}: {_reason(error)}") from error
        try:
            with engine.connect() as connection:
                if engine.dialect.name != "sqlite":  # SQLite was checked before connecting
                    _refuse_foreign_tables(where, *_tables_and_revision(connection))
        except SQLAlchemyError as error:
            engine.dispose()
            raise StoreError(
                f"could not connect to the database at {where}: {_reason(error)}"
            ) from error
        except StoreError:
            engine.dispose()
            raise
        store = cls(engine)
        if migrate:
            try:
                with store.setting_up():
                    upgrade(engine)
            except BaseException:
                engine.dispose()
                raise
        return store

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Session]:
        """A session whose work is committed together at the end, or not at all. Say
        ``write`` for one that changes the store: on SQLite it then waits its turn behind
        another writer (up to 5 s) instead of failing when it first writes."""
        engine = self.engine
        if write and engine.dialect.name == "sqlite":
            engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def setting_up(self) -> Iterator[None]:
        """Hold the store's start-up lock, so that processes starting together migrate and
        seed it one after the other: a PostgreSQL advisory lock, or a lock file beside an
        SQLite file. Waits for whoever holds it."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SETUP_LOCK})
                try:
                    yield
                finally:
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": _SETUP_LOCK}
                    )
                    connection.commit()
            return
        database = self.engine.url.database
        if not database or database == ":memory:":
            yield
            return
        with open(f"{database}.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A transaction for a change: all of it or none. A database failure (the server
        gone, a lock held too long) becomes one `StoreError` saying nothing was changed."""
        try:
            with self.transaction(write=True) as session:
                yield session
        except SQLAlchemyError as error:
            log.debug("a write to the store failed", exc_info=error)
            raise StoreError(
                f"the store is unavailable or busy ({_reason(error).splitlines()[0]}); "
                "nothing was changed, try again shortly"
            ) from error

    def is_empty(self) -> bool:
        """Whether the store holds no entities at all."""
        with self.engine.connect() as connection:
            return connection.execute(select(col(Entity.id)).limit(1)).first() is None

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


_VERSION_TABLE = "alembic_version"


def _refuse_a_foreign_sqlite_file(url: str) -> None:
    """Raise `StoreError` if url names an existing, non-empty file that is not a diplobot
    store: not SQLite at all, or holding tables but no ``alembic_version``. Reads the file
    read-only, so nothing is written to a file that is refused. A file that does not
    exist yet, or is empty, is left for diplobot to make its own."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database).expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return
        with open(path, "rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError:
        return  # make_engine or connecting explains what is wrong with the path
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not an SQLite database; point DATABASE_URL at an empty database "
            "or a diplobot store"
        )
    where = _safe_url(url)
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StoreError(f"could not open the database at {where}: {error}") from error
    try:
        names = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            )
        }
        revision = None
        if _VERSION_TABLE in names:
            row = connection.execute(f"SELECT version_num FROM {_VERSION_TABLE}").fetchone()
            revision = row[0] if row else None
        # Every page's structure, read once: a damaged file is refused here, in one
        # line, rather than failing halfway through loading or writing.
        verdict = connection.execute("PRAGMA quick_check(1)").fetchone()
    except sqlite3.Error as error:
        said = " ".join(str(error).split())
        raise StoreError(
            f"{path} is damaged or not an SQLite database ({said}); nothing was changed"
        ) from error
    finally:
        connection.close()
    if verdict is None or verdict[0] != "ok":
        said = str(verdict[0]) if verdict else "no answer"
        problem = _clip(" ".join(said.replace("*** in database main ***", "").split()), 120)
        raise StoreError(f"{path} is damaged ({problem}); nothing was changed")
    _refuse_foreign_tables(str(path), names, revision)


def _tables_and_revision(connection: Connection) -> tuple[set[str], str | None]:
    """The tables and views in connection's default schema, and the revision its
    ``alembic_version`` holds (None when it has none, or no such table)."""
    inspector = sa_inspect(connection)
    names = set(inspector.get_table_names()) | set(inspector.get_view_names())
    revision = None
    if _VERSION_TABLE in names:
        revision = connection.execute(
            text(f"SELECT version_num FROM {_VERSION_TABLE}")
        ).scalar_one_or_none()
    connection.rollback()
    return names, revision


def _refuse_foreign_tables(where: str, names: set[str], revision: str | None) -> None:
    """Raise `StoreError` if a database holding names has no diplobot revision table, or
    is at a revision this diplobot does not know (a newer diplobot's, or not diplobot's)."""
    if not names:
        return
    if _VERSION_TABLE not in names:
        shown = sorted(names)[:5]
        listing = ", ".join(_clip(name) for name in shown)
        if len(names) > len(shown):
            listing += f" and {len(names) - len(shown)} more"
        raise StoreError(
            f"{where} holds tables diplobot did not make ({listing}); point DATABASE_URL "
            "at an empty database or a diplobot store"
        )
    if revision is None or revision in _revisions_in_files()[0]:
        return
    if revision in _known_revisions():
        return
    head = head_revision() or ""
    if re.fullmatch(r"\d{4}", revision) and head.isdigit() and int(revision) > int(head):
        raise StoreError(
            f"this store was written by a newer diplobot (revision {revision}; this one "
            f"knows up to {head}); upgrade diplobot. Nothing was changed"
        )
    raise StoreError(
        f"{where} is at schema revision {_clip(revision)!r}, which diplobot did not write; "
        "point DATABASE_URL at an empty database or a diplobot store"
    )


@functools.cache
def _known_revisions() -> frozenset[str]:
    """Every schema revision this code has a migration for."""
    return frozenset(_revisions_in_order())


@functools.cache
def _revisions_in_order() -> tuple[str, ...]:
    """Every schema revision this code has a migration for, oldest first, as alembic
    reads them."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    walked = [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()]
    return tuple(reversed(walked))


def _clip(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[:limit] + "…"


def _reason(error: BaseException) -> str:
    """The driver's or the system's own words for a failure, without SQLAlchemy's wrapping."""
    if isinstance(error, OSError):
        return f"{error.strerror}: {error.filename}" if error.filename else str(error)
    original = getattr(error, "orig", None)
    return str(original or error).strip()


_PLAIN_REASONS = (
    (
        ("database or disk is full", "no space left on device", "could not extend file"),
        "the disk is full",
    ),
    (
        ("database is locked", "lock timeout", "could not obtain lock", "deadlock detected"),
        "the store is locked by another writer",
    ),
    (
        (
            "connection refused",
            "server closed the connection",
            "terminating connection",
            "could not connect",
            "connection is closed",
        ),
        "the store cannot be reached",
    ),
    (("readonly database", "read-only", "attempt to write a readonly"), "the store is read-only"),
    (
        ("disk image is malformed", "file is not a database", "data_corrupted", "invalid page"),
        "the store file is damaged; restore it from a backup",
    ),
)


def plain_reason(error: BaseException) -> str:
    """One short sentence for a database failure, for the person who ran the command:
    "the disk is full", "the store is locked by another writer", or else the driver's
    first line, cut to 120 characters. (SQL and parameters belong in the DEBUG log.)"""
    words = _reason(error)
    folded = words.casefold()
    for markers, sentence in _PLAIN_REASONS:
        if any(marker in folded for marker in markers):
            return sentence
    first = words.splitlines()[0] if words else type(error).__name__
    return first if len(first) <= 120 else first[:119] + "…"


def _safe_url(url: str) -> str:
    """url with any password hidden, fit for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)
