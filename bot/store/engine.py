"""Engines for the store: PostgreSQL as given, SQLite set up for several processes (WAL,
a busy timeout, foreign keys, and writes that take the lock before they read)."""

from __future__ import annotations

import fcntl
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file."""


def make_engine(url: str) -> Engine:
    """An engine for url; SQLite gets WAL, foreign keys and real transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if not parsed.database.startswith("file:"):
            _switch_to_wal(Path(parsed.database).expanduser())
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        _set_up_sqlite(cursor)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write begins IMMEDIATE: it takes the write lock first, waiting for another
        # writer up to busy_timeout. A deferred BEGIN that reads and then writes is
        # refused at once in WAL mode when another writer went first.
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


SQLITE_BUSY_MS = 5000
"""How long an SQLite connection waits for another one's lock before giving up."""


def _switch_to_wal(path: Path) -> None:
    """Put the SQLite file at path in WAL mode, once, before any engine connects to it.

    Connections that find a new file in the old journal mode all try to switch it, each
    upgrading a read of its header to a write; SQLite refuses all but one of them at
    once, without waiting, to avoid a deadlock ("database is locked", seen in CI on four
    first starts together). So the switch is made here by one process at a time,
    holding the lock file `Store.setting_up` uses; a file already in WAL mode (its
    header says so) is left alone without taking the lock."""
    if _in_wal_mode(path):
        return
    try:
        lock = open(f"{path}.lock", "a+b")  # noqa: SIM115  (closed by the with below)
    except OSError:
        return  # a folder diplobot cannot write to: connecting explains it in one line
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _in_wal_mode(path):  # another process switched it while this one waited
                return
            connection = sqlite3.connect(path, timeout=SQLITE_BUSY_MS / 1000)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
            finally:
                connection.close()
        except sqlite3.Error:
            return  # not a store diplobot can use: connecting explains why, in one line
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _in_wal_mode(path: Path) -> bool:
    """Whether the SQLite file at path says, in its header, that it is in WAL mode."""
    try:
        with open(path, "rb") as file:
            header = file.read(20)
    except OSError:
        return False
    return header.startswith(SQLITE_HEADER) and header[18:20] == b"\x02\x02"


def _set_up_sqlite(cursor: sqlite3.Cursor) -> None:
    """A new connection's settings: wait for locks, WAL (a no-op once the file is in it),
    foreign keys. Several processes opening a new file at once all ask for the switch to
    WAL, and SQLite may refuse some at once, without waiting, to avoid a deadlock: they
    try again until `SQLITE_BUSY_MS` has passed."""
    deadline = time.monotonic() + SQLITE_BUSY_MS / 1000
    while True:
        try:
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
