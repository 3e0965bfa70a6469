"""Losing the database while running, for real, for 30 seconds (`OUTAGE_SECONDS`).

On PostgreSQL a `Library` reaches the server through a TCP proxy, and the test cuts
the proxy (every connection closed, new ones refused), then opens it again. What
must hold, step by step:

1. before: lookups answer, the change listener listens;
2. cut: the listener notices; then every few seconds (`CHECK_EVERY`) for the whole
   outage, lookups keep answering from memory (``!search``, which asks the store's
   full-text index, says it is unavailable), the periodic check (`Library.refresh`)
   fails cleanly and leaves the catalog as it was, and a curation command fails
   within seconds with one line, "the store is unavailable … try again shortly",
   having written nothing;
3. meanwhile another process, on its own connection, commits a change the library
   cannot hear about;
4. reopened: the listener reconnects by itself within its longest backoff
   (`bot.store.changes.BACKOFF`, 5 s) and a little, catches up on the missed change
   and hears the next ones; curation works again. No restart, nothing called by hand.

On SQLite the store cannot go away, but another writer can hold it for as long: for
`OUTAGE_SECONDS` a transaction in another connection keeps the write lock. Lookups keep
answering, every curation attempt gives up within its bounded wait (at most the 5 s
busy timeout; today at once, since a transaction that read first cannot wait for the
write lock) with the same one line and writes nothing, and curation works again once
the lock is released.

Every wait is bounded. Run with ``-s`` to see the timings.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from bot.config import Settings
from bot.core.answer import Status
from bot.curation import edits
from bot.curation.history import latest_revision
from bot.curation.operations import Desk, run_line
from bot.library import Library
from bot.records.actor import Actor
from bot.store.changes import BACKOFF
from bot.store.db import Store
from bot.store.models import Alias
from tests.conftest import postgres_url

pytestmark = pytest.mark.slow  # 30-second outages

ACTOR = Actor("42", "curator-in-this-process")
ELSEWHERE = Actor(None, "another-process")
OUTAGE_SECONDS = 30.0
"""How long the database stays away (or, on SQLite, locked by another writer)."""
CHECK_EVERY = 3.0
"""Seconds between the checks made throughout the outage."""
REFUSED_WITHIN = 5.0
"""How soon a curation command must say the PostgreSQL store is unavailable."""
BUSY_TIMEOUT = 5.0
"""How long SQLite waits for another writer's lock (``PRAGMA busy_timeout`` in
`bot.store.engine.make_engine`) before a write gives up."""
LOOKUPS = [
    ("who nozdrev", "Nikolai Nozdrev"),
    ("dispute kuril", "Kuril Islands dispute"),
    ("about iturup", "Iturup"),
    ("who Olliphant", "Nikolai Nozdrev"),
    ("source russia warns japan", None),
    ("names Nozdrev warned Japan", None),
]
"""Lookups that must answer from memory, and the title each answers with."""


class Proxy:
    """A TCP proxy on 127.0.0.1 in front of one upstream server, that can be cut.

    `cut` closes every connection it carries and stops listening, so new
    connections are refused, as when the server is down; `open` listens again on
    the same port.
    """

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._carried: set[socket.socket] = set()
        self._listening: socket.socket | None = None

    def open(self) -> None:
        """Listen (again, on the same port once it has one) and carry what connects."""
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(64)
        server.settimeout(0.05)
        self.port = server.getsockname()[1]
        with self._lock:
            self._listening = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and close every open one."""
        with self._lock:
            server, self._listening = self._listening, None
            carried, self._carried = self._carried, set()
        if server is not None:
            server.close()
        for end in carried:
            _close(end)

    def _accept(self, server: socket.socket) -> None:
        while True:
            with self._lock:
                if self._listening is not server:
                    return
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self._lock:
                if self._listening is not server:
                    _close(client)
                    _close(upstream)
                    return
                self._carried |= {client, upstream}
                self.connections += 1
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._carried -= {source, sink}
            _close(source)
            _close(sink)


def _close(end: socket.socket) -> None:
    with contextlib.suppress(OSError):
        end.shutdown(socket.SHUT_RDWR)
    end.close()


def within(seconds: float, done: Callable[[], bool], what: str) -> float:
    """Wait until done() holds, at most seconds; how long it took. Fails naming what."""
    started = time.monotonic()
    while not done():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.01)
    return time.monotonic() - started


@dataclass
class Setup:
    proxy: Proxy
    through: str
    """The URL of the store through the proxy."""
    direct: str
    """The URL of the same store, straight to the server."""


@pytest.fixture
def setup() -> Iterator[Setup]:
    """A fresh database, reachable through an open proxy and directly; dropped afterwards.

    A database of its own, not just a schema: notifications go to every listener in
    a database, and other test runs on the same server would otherwise wake this
    test's listener and hide a missing catch-up."""
    base = make_url(postgres_url())
    database = f"diplobot_outage_{secrets.token_hex(6)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    proxy = Proxy((base.host or "127.0.0.1", base.port or 5432))
    proxy.open()
    own = base.set(database=database)
    try:
        yield Setup(
            proxy,
            own.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
            own.render_as_string(hide_password=False),
        )
    finally:
        proxy.cut()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{database}" WITH (FORCE)'))
        admin.dispose()


def found(library: Library, name: str) -> bool:
    return library.answer(f"who {name}").entity is not None


def aliases(store: Store, text: str) -> int:
    with store.transaction() as session:
        return len(session.exec(select(Alias).where(Alias.text == text)).all())


def listener_pid(store: Store, name: str) -> int | None:
    """The server process of the library's listening connection, seen from outside."""
    with store.engine.connect() as connection:
        return connection.execute(
            sa.text(
                "SELECT pid FROM pg_stat_activity WHERE application_name = :name "
                "AND query ILIKE 'LISTEN%'"
            ),
            {"name": name},
        ).scalar()


def refused(desk: Desk, alias: str) -> tuple[str, float]:
    """Try a curation command that must fail: its one-line notice, and how long it took."""
    started = time.monotonic()
    failed = run_line(desk, f"curate alias add nikolai-nozdrev {alias}")
    took = time.monotonic() - started
    assert failed.status is Status.ERROR, failed
    assert failed.notice.startswith("The store is unavailable or busy ("), failed.notice
    assert failed.notice.endswith("nothing was changed, try again shortly."), failed.notice
    assert "\n" not in failed.notice and not failed.lines
    return failed.notice, took


def answers_from_memory(library: Library) -> None:
    """Every lookup in `LOOKUPS` answers, as before."""
    for query, title in LOOKUPS:
        answer = library.answer(query)
        assert answer.status is Status.FOUND, (query, answer.notice)
        assert title is None or answer.title == title, query
    timeline = library.answer("timeline japan russia")
    assert timeline.status is Status.FOUND and timeline.facts


@pytest.mark.postgres
def test_losing_the_database_while_running(setup: Setup, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    name = f"diplobot-outage-{secrets.token_hex(4)}"
    library = Library.open(Settings.from_mapping({"DATABASE_URL": setup.through}))
    other = Store.open(setup.direct, migrate=False)
    timings: dict[str, float] = {}
    refusals: list[float] = []
    try:
        # 1. Running normally, through the proxy.
        library.watch(application_name=name)
        assert library.listener is not None and library.listener.wait_listening(5)
        first_pid = listener_pid(other, name)
        assert first_pid is not None
        assert found(library, "nozdrev")
        desk = Desk(library, ACTOR)
        assert run_line(desk, "curate alias add nikolai-nozdrev Olliphant").status is Status.DONE
        assert found(library, "Olliphant")
        revisions_before = latest_revision(other)

        # 2. The database goes away.
        cut_at = time.time()
        setup.proxy.cut()
        cut = time.monotonic()
        listener = library.listener
        timings["listener noticed"] = within(
            5, lambda: not listener.wait_listening(0), "the listener noticed the loss"
        )

        # 3. Meanwhile another process, with its own connection, changes the store.
        edits.add_alias(other, ELSEWHERE, "nikolai-nozdrev", "Marzipanov")
        assert latest_revision(other) == revisions_before + 1, "only the other process wrote"

        # Throughout the outage, every few seconds: lookups answer from memory, the
        # periodic check fails and leaves the catalog alone, curation is refused in one
        # line and writes nothing, and nothing could have told the library of the change.
        catalog = library.catalog
        checks = 0
        while True:
            answers_from_memory(library)
            # !search asks the store's full-text index: it says so rather than fail.
            search = library.answer("search patriot missiles")
            assert search.status is Status.ERROR and "try again shortly" in search.notice
            with pytest.raises(SQLAlchemyError):
                library.refresh()  # the periodic check; the bot logs this and tries again
            assert library.catalog is catalog, "a failed check leaves the catalog alone"
            notice, took = refused(desk, "Quillbrook")
            refusals.append(took)
            assert took < REFUSED_WITHIN, f"curation took {took:.1f} s to say so"
            assert aliases(other, "Quillbrook") == 0, "the failed curation wrote nothing"
            assert latest_revision(other) == revisions_before + 1
            assert not found(library, "Quillbrook") and not found(library, "Marzipanov")
            assert not listener.wait_listening(0)
            checks += 1
            left = OUTAGE_SECONDS - (time.monotonic() - cut)
            if left <= 0:
                break
            time.sleep(min(CHECK_EVERY, left))
        timings["outage"] = time.monotonic() - cut
        attempts = caplog.text.count("to listen for changes")
        assert attempts >= 5, f"the listener tried to reconnect only {attempts} times"

        # 4. The database comes back: everything resumes by itself, within the longest
        # backoff between the listener's attempts and a little.
        setup.proxy.open()
        back = time.monotonic()
        timings["missed change answered"] = within(
            BACKOFF[1] + 3, lambda: found(library, "Marzipanov"), "the change missed while away"
        )
        assert listener.wait_listening(5)
        timings["listening again"] = time.monotonic() - back
        second_pid = listener_pid(other, name)
        assert second_pid not in (None, first_pid), "a new listening connection"

        edits.add_alias(other, ELSEWHERE, "nikolai-nozdrev", "Tundrashev")
        committed = time.monotonic()
        timings["next change answered"] = within(
            2, lambda: found(library, "Tundrashev"), "a change after the return"
        )
        assert time.monotonic() - committed < 2

        assert run_line(desk, "curate alias add nikolai-nozdrev Quillbrook").status is Status.DONE
        assert found(library, "Quillbrook") and aliases(other, "Quillbrook") == 1
    finally:
        library.close()
        other.close()

    messages = caplog.text
    assert "lost the connection listening for changes" in messages
    assert "listening for changes at" in messages and "again" in messages
    print(f"\ncuration during the outage answered: {notice}")
    print(
        f"{checks} checks during the {timings['outage']:.1f} s outage; curation refused in "
        f"{min(refusals) * 1000:.0f}-{max(refusals) * 1000:.0f} ms; "
        f"{attempts} reconnection attempts logged"
    )
    print("log, in seconds from the cut:")
    for record in caplog.records:
        if record.created >= cut_at and record.name.startswith("bot."):
            print(f"  {record.created - cut_at:6.2f} {record.levelname} {record.getMessage()}")
    print(", ".join(f"{what} {seconds * 1000:.0f} ms" for what, seconds in timings.items()))


def test_another_writer_holding_the_sqlite_store(tmp_path: Path) -> None:
    path = tmp_path / "diplobot.db"
    library = Library.open(Settings.from_mapping({"DATABASE_URL": f"sqlite:///{path}"}))
    other = Store.open(f"sqlite:///{path}", migrate=False)
    desk = Desk(library, ACTOR)
    holder = sqlite3.connect(path, isolation_level=None)
    refusals: list[float] = []
    try:
        assert run_line(desk, "curate alias add nikolai-nozdrev Olliphant").status is Status.DONE
        revisions_before = latest_revision(other)

        # Another writer takes the store's write lock and keeps it.
        holder.execute("BEGIN EXCLUSIVE")
        held = time.monotonic()
        catalog = library.catalog
        checks = 0
        while True:
            answers_from_memory(library)
            assert library.refresh() is False, "readers are not locked out: nothing new"
            assert library.catalog is catalog
            notice, took = refused(desk, "Quillbrook")
            refusals.append(took)
            assert "database is locked" in notice, notice
            assert took < BUSY_TIMEOUT + 3, f"gave up only after {took:.1f} s"
            assert aliases(other, "Quillbrook") == 0, "the failed curation wrote nothing"
            assert latest_revision(other) == revisions_before
            checks += 1
            left = OUTAGE_SECONDS - (time.monotonic() - held)
            if left <= CHECK_EVERY + BUSY_TIMEOUT:  # the next attempt could outlast the lock
                break
            time.sleep(CHECK_EVERY)
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - held)))
        holder.execute("ROLLBACK")
        released = time.monotonic() - held

        # Released: the same command goes through at once.
        started = time.monotonic()
        done = run_line(desk, "curate alias add nikolai-nozdrev Quillbrook")
        took_after = time.monotonic() - started
        assert done.status is Status.DONE, done.notice
        assert took_after < 2
        assert found(library, "Quillbrook") and aliases(other, "Quillbrook") == 1
        assert latest_revision(other) == revisions_before + 1
    finally:
        holder.close()
        library.close()
        other.close()
    print(f"\ncuration while another writer held the store answered: {notice}")
    print(
        f"{checks} attempts during the {released:.1f} s lock, each refused after "
        f"{min(refusals):.2f}-{max(refusals):.2f} s; after the release it took "
        f"{took_after * 1000:.0f} ms"
    )
