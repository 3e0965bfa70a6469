"""SIGKILL in the middle of a write: a real ``diplobot`` process is killed, at several
points, while it imports a large file and while it runs a curation command that
rewrites thousands of records in one transaction (``curate entity merge``).

After every kill the store must be exactly as it was before the command or exactly as
an uninterrupted run leaves it (the whole export compared, and the number of
revisions); it must open again and answer ``who nozdrev``; and a later run of the
same command on the killed store must succeed. On SQLite (one file) and on
PostgreSQL (databases of their own, copied from a template database).

Kill points, in the order each test makes them:

- import: at the progress bar's 50 % and 100 % (half or all of the records handed to
  the open transaction; both on the same store, which is then imported into for good,
  timed),
  at 50 % and 90 % of the way from 100 % to the end of that timed run (the final
  inserts, the revisions, the commit), and as soon as it prints its report (the
  commit done);
- merge: as soon as its first write is seen (then merged for good on that store,
  timed), at 80 % and 95 % of that timed run, and as soon as it prints its answer.

The points inside the transaction must leave the store as before, those after the
commit as after; the timed ones may fall either side. Each kill records whether the
process had a write transaction open at that moment: on SQLite its write lock as
/proc/locks lists it, on PostgreSQL a transaction id in ``pg_stat_activity``. Run
with ``-s`` to see every kill and its outcome.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import func, select

from bot.config import Settings
from bot.core.answer import Status
from bot.curation.transfer import export_document, load_file
from bot.library import Library
from bot.records.actor import Actor
from bot.store.db import Store
from bot.store.models import Revision
from tests.conftest import diplobot_environment, postgres_url

IMPORTED_FACTS = 10_000
"""Facts in the imported file: a few seconds of writing in one transaction."""
MERGED_FACTS = 3_000
"""Facts the merged duplicate is named by: the merge rewrites each and logs it."""
SOURCES = 20
RUN_TIMEOUT = 120.0
"""The longest any one diplobot run may take, in seconds."""


# ---------------------------------------------------------------------------
# Where the stores live


class Place(Protocol):
    """Named stores of one kind (SQLite files, or PostgreSQL databases), copyable."""

    backend: str

    def url(self, name: str, application_name: str | None = None) -> str: ...

    def create(self, name: str) -> None:
        """Make an empty store called name (replacing any)."""

    def copy(self, source: str, target: str) -> None:
        """Make target an exact copy of source (which nothing has open), replacing it."""

    def writing(self, name: str, run: Diplobot) -> bool:
        """Whether run has a write transaction open on the store right now."""


class SqlitePlace:
    backend = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.db"

    def url(self, name: str, application_name: str | None = None) -> str:
        return f"sqlite:///{self.path(name)}"

    def create(self, name: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path(name)}{suffix}").unlink(missing_ok=True)

    def copy(self, source: str, target: str) -> None:
        self.create(target)
        with (
            closing(sqlite3.connect(self.path(source))) as origin,
            closing(sqlite3.connect(self.path(target))) as copy,
        ):
            origin.backup(copy)

    def writing(self, name: str, run: Diplobot) -> bool:
        """Whether the process holds the store's write lock, as Linux lists it in
        /proc/locks: a POSIX write lock on byte 120 of the ``-shm`` file (SQLite's WAL
        writer lock). Looked at, not taken: taking it would get in the writer's way."""
        try:
            inode = os.stat(f"{self.path(name)}-shm").st_ino
        except FileNotFoundError:
            return False
        wanted = ["POSIX", "ADVISORY", "WRITE", str(run.pid)]
        return any(
            fields[1:5] == wanted and fields[5].endswith(f":{inode}") and fields[6:8] == ["120"] * 2
            for fields in (line.split() for line in Path("/proc/locks").read_text().splitlines())
        )


class PostgresPlace:
    """Databases of their own on the test server, dropped afterwards (a template can only
    be copied as a whole database)."""

    backend = "postgresql"

    def __init__(self, base: str) -> None:
        self.base = make_url(base)
        self.prefix = f"diplobot_kill_{secrets.token_hex(4)}"
        self.admin = sa.create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.made: set[str] = set()

    def database(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def url(self, name: str, application_name: str | None = None) -> str:
        url = self.base.set(database=self.database(name))
        if application_name is not None:
            url = url.update_query_dict({"application_name": application_name})
        return url.render_as_string(hide_password=False)

    def create(self, name: str) -> None:
        self._drop(name)
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{self.database(name)}"'))
        self.made.add(name)

    def copy(self, source: str, target: str) -> None:
        self._drop(target)
        with self.admin.connect() as connection:
            connection.execute(
                sa.text(
                    f'CREATE DATABASE "{self.database(target)}" TEMPLATE "{self.database(source)}"'
                )
            )
        self.made.add(target)

    def writing(self, name: str, run: Diplobot) -> bool:
        """Whether the process's connection is in a transaction that has written: one
        with a transaction id (PostgreSQL assigns it at the first write)."""
        with self.admin.connect() as connection:
            return bool(
                connection.execute(
                    sa.text(
                        "SELECT bool_or(backend_xid IS NOT NULL) FROM pg_stat_activity "
                        "WHERE application_name = :name"
                    ),
                    {"name": run.application_name},
                ).scalar()
            )

    def _drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(
                sa.text(f'DROP DATABASE IF EXISTS "{self.database(name)}" WITH (FORCE)')
            )

    def close(self) -> None:
        for name in self.made:
            self._drop(name)
        self.admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    if request.param == "sqlite":
        yield SqlitePlace(tmp_path)
        return
    postgres = PostgresPlace(postgres_url())
    try:
        yield postgres
    finally:
        postgres.close()


# ---------------------------------------------------------------------------
# Running diplobot and killing it


class Diplobot:
    """One ``diplobot`` process on a named store, what it prints read as it comes."""

    def __init__(self, place: Place, store: str, folder: Path, *args: str) -> None:
        self.application_name = f"diplobot-kill-{secrets.token_hex(4)}"
        env = diplobot_environment(folder, place.url(store, self.application_name))
        settings = folder / "empty.env"
        settings.touch()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "--env-file", str(settings), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=folder,
            env=env,
            bufsize=0,
        )
        self.printed = {"stdout": "", "stderr": ""}
        self.open = 2
        self.changed = threading.Condition()
        self.readers = [
            threading.Thread(target=self._read, args=(stream, name), daemon=True)
            for stream, name in ((self.process.stdout, "stdout"), (self.process.stderr, "stderr"))
        ]
        for reader in self.readers:
            reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read(self, stream: IO[bytes], name: str) -> None:
        while chunk := stream.read(4096):
            with self.changed:
                self.printed[name] += chunk.decode("utf-8", errors="replace")
                self.changed.notify_all()
        with self.changed:
            self.open -= 1
            self.changed.notify_all()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def wait_for(self, text: str, on: str = "stderr", timeout: float = RUN_TIMEOUT) -> float:
        """Wait until it prints text on stderr (or stdout); seconds since the start."""
        with self.changed:
            self.changed.wait_for(lambda: text in self.printed[on] or not self.open, timeout)
            if text not in self.printed[on]:
                shown = self.printed["stderr"][-2000:]
                raise AssertionError(f"diplobot never printed {text!r} on {on}:\n{shown}")
        return self.elapsed()

    def finish(self) -> tuple[int, str, str]:
        """Its exit status, standard output and standard error, once it has ended."""
        try:
            code = self.process.wait(RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"diplobot did not end within {RUN_TIMEOUT} s") from None
        for reader in self.readers:
            reader.join(10)
        return code, self.printed["stdout"], self.printed["stderr"]


@dataclass(frozen=True)
class State:
    """A store as the test compares it: the whole export and the number of revisions."""

    document: dict[str, list[dict[str, Any]]]
    revisions: int

    def summary(self) -> str:
        counts = ", ".join(f"{len(records)} {name}" for name, records in self.document.items())
        return f"{counts}, {self.revisions} revisions"


def opened(place: Place, store: str) -> State:
    """Open the store as diplobot does (migrations checked, the catalog loaded), ask it
    ``who nozdrev``, and read its state."""
    library = Library.open(Settings.from_mapping({"DATABASE_URL": place.url(store)}))
    try:
        answer = library.answer("who nozdrev")
        assert answer.status is Status.FOUND and answer.title == "Nikolai Nozdrev", answer
        with library.store.transaction() as session:
            revisions = session.exec(select(func.count()).select_from(Revision)).one()
        return State(export_document(library.store), revisions)
    finally:
        library.close()


@dataclass(frozen=True)
class Kill:
    """One kill and what it left."""

    point: str
    at: float
    """Seconds after the process started."""
    writing: bool
    """Whether a write transaction was open at the kill."""
    ran_to_the_end: bool
    """Whether the process had already exited by itself when the kill came."""
    left: str
    """``before`` or ``after``."""

    def line(self) -> str:
        how = "had already exited" if self.ran_to_the_end else "killed"
        during = ", in its write transaction" if self.writing else ""
        return f"  {self.point:<40} {self.at:6.2f} s  {how}{during} → store as {self.left}"


@dataclass
class Scenario:
    """A command killed again and again on one store, each kill checked."""

    place: Place
    folder: Path
    args: tuple[str, ...]
    before: State
    after: State | None = None
    kills: list[Kill] = field(default_factory=list)

    def start(self, store: str) -> Diplobot:
        return Diplobot(self.place, store, self.folder, *self.args)

    def kill(self, store: str, point: str, when: Callable[[Diplobot], None]) -> Kill:
        """Start the command on store, wait until when() returns, SIGKILL it, and check
        what it left: exactly before or exactly after, and a store that opens."""
        run = self.start(store)
        try:
            when(run)
            writing = self.place.writing(store, run)
            at = run.elapsed()
        finally:
            if run.process.poll() is None:
                run.process.send_signal(signal.SIGKILL)
            code, _, stderr = run.finish()
        # The process may end on its own between the last look and the signal.
        ran_to_the_end = code != -signal.SIGKILL
        if ran_to_the_end:
            assert code == 0, (code, stderr[-2000:])
        state = opened(self.place, store)
        left = self.which(state)
        assert left is not None, (
            f"killed {point}, the store is neither as before ({self.before.summary()}) "
            f"nor as after ({self.after.summary() if self.after else '?'}): {state.summary()}"
        )
        kill = Kill(point, at, writing, ran_to_the_end, left)
        self.kills.append(kill)
        return kill

    def which(self, state: State) -> str | None:
        if state == self.before:
            return "before"
        if state == self.after:
            return "after"
        return None

    def report(self, title: str) -> None:
        print(f"\n{title} on {self.place.backend}: {len(self.kills)} kills")
        for kill in self.kills:
            print(kill.line())


def after_a_while(seconds: float, since: Callable[[Diplobot], float]) -> Callable[[Diplobot], None]:
    """when(): seconds after the moment since(run) returns (seconds since the start)."""

    def when(run: Diplobot) -> None:
        mark = since(run)
        time.sleep(max(0.0, mark + seconds - run.elapsed()))

    return when


def first_write(place: Place, store: str) -> Callable[[Diplobot], None]:
    """when(): as soon as the process's write transaction is seen open."""

    def when(run: Diplobot) -> None:
        deadline = time.monotonic() + RUN_TIMEOUT
        while not place.writing(store, run):
            assert run.process.poll() is None, "it ended before its first write was seen"
            assert time.monotonic() < deadline, "no write transaction seen"
            time.sleep(0.005)

    return when


def generated(path: Path, facts: int, about: str) -> Path:
    """A curation file with made-up sources, two envoys and facts about one of them."""
    document = {
        "sources": [
            {"key": f"dispatch-{n}", "title": f"Dispatch number {n}", "published": "2024-03-24"}
            for n in range(SOURCES)
        ],
        "entities": [
            {"key": "zebulon-quillbrook", "kind": "person", "name": "Zebulon Quillbrook"},
            {"key": "z-quillbrook", "kind": "person", "name": "Z. Quillbrook"},
        ],
        "facts": [
            {
                "key": f"quillbrook-meeting-{n}",
                "text": f"Envoy Quillbrook met delegation number {n} in Tokyo.",
                "date": "2024-03",
                "about": [{"entity": about, "role": "actor"}, {"entity": "japan"}],
                "source": f"dispatch-{n % SOURCES}",
            }
            for n in range(facts)
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def seeded(place: Place, store: str) -> None:
    """A new store, seeded from data/seed.yaml as diplobot's first run does."""
    place.create(store)
    Library.open(Settings.from_mapping({"DATABASE_URL": place.url(store)})).close()


def ask_who_nozdrev(place: Place, store: str, folder: Path) -> None:
    code, output, stderr = Diplobot(place, store, folder, "ask", "!who nozdrev").finish()
    assert code == 0 and output.startswith("Nikolai Nozdrev  (person)"), output + stderr


# ---------------------------------------------------------------------------
# The tests


def test_an_import_killed_anywhere_leaves_the_store_before_or_after(
    place: Place, tmp_path: Path
) -> None:
    big = generated(tmp_path / "envoys.json", IMPORTED_FACTS, "z-quillbrook")
    seeded(place, "before")
    scenario = Scenario(place, tmp_path, ("import", str(big)), opened(place, "before"))
    total = SOURCES + 2 + IMPORTED_FACTS
    everything = f"{total}/{total} (100%)"

    # Killed inside its transaction, where the progress bar shows half or all of the
    # records handed to it: the store is as before. The same store, twice.
    place.copy("before", "killed")
    for shown in ("(50%)", everything):
        kill = scenario.kill(
            "killed", f"at the progress bar's {shown[-6:]}", lambda run, s=shown: run.wait_for(s)
        )
        assert not kill.ran_to_the_end and kill.writing and kill.left == "before", kill

    # A later run on the killed store imports it all: how long that takes, uninterrupted,
    # and the store it leaves (every record and revision, nothing else).
    run = scenario.start("killed")
    all_written = run.wait_for(everything)
    code, output, stderr = run.finish()
    took = run.elapsed()
    assert code == 0 and f"{IMPORTED_FACTS} facts created" in output, output[:500] + stderr
    scenario.after = opened(place, "killed")
    assert scenario.after.revisions == scenario.before.revisions + total
    for section, added in (("sources", SOURCES), ("entities", 2), ("facts", IMPORTED_FACTS)):
        assert (
            len(scenario.after.document[section]) == len(scenario.before.document[section]) + added
        )
    ask_who_nozdrev(place, "killed", tmp_path)

    # Killed between the last record written and the end of the process (the final
    # inserts, the revisions, the commit, closing): halfway through that stretch and at
    # 90% of it, and as soon as it prints its report, the commit done. Each from a
    # store as before.
    committing = took - all_written
    for fraction in (0.5, 0.9):
        place.copy("before", "killed")
        scenario.kill(
            "killed",
            f"{fraction:.0%} of the way from 100% to the end",
            after_a_while(fraction * committing, lambda run: run.wait_for(everything)),
        )
    place.copy("before", "killed")
    kill = scenario.kill(
        "killed", "as soon as it prints its report", lambda run: run.wait_for("imported", "stdout")
    )
    assert kill.left == "after", kill

    scenario.report(
        f"import of {total:,} records (uninterrupted {took:.2f} s, "
        f"100% written at {all_written:.2f} s)"
    )


def test_a_merge_killed_anywhere_leaves_the_store_before_or_after(
    place: Place, tmp_path: Path
) -> None:
    seeded(place, "before")
    store = Store.open(place.url("before"), migrate=False)
    try:
        path = generated(tmp_path / "duplicate.json", MERGED_FACTS, "z-quillbrook")
        load_file(store, path, Actor.console())
    finally:
        store.close()
    merge = ("ask", "--yes", "!curate entity merge zebulon-quillbrook z-quillbrook")
    merged = f"Merged 'z-quillbrook' into 'zebulon-quillbrook': {MERGED_FACTS} facts"
    scenario = Scenario(place, tmp_path, merge, opened(place, "before"))

    # Killed as soon as its first write is seen: the store is as before.
    place.copy("before", "killed")
    kill = scenario.kill(
        "killed", "as soon as its first write is seen", first_write(place, "killed")
    )
    assert not kill.ran_to_the_end and kill.writing and kill.left == "before", kill

    # A later run on the killed store merges: how long that takes, uninterrupted, and
    # the store it leaves (every fact rewritten, one revision each).
    run = scenario.start("killed")
    code, output, stderr = run.finish()
    took = run.elapsed()
    assert code == 0 and merged in output, output[:500] + stderr
    scenario.after = opened(place, "killed")
    assert scenario.after.revisions == scenario.before.revisions + MERGED_FACTS + 2
    actors = {
        fact["about"][0]["entity"]
        for fact in scenario.after.document["facts"]
        if fact["key"].startswith("quillbrook-meeting-")
    }
    assert actors == {"zebulon-quillbrook"}
    ask_who_nozdrev(place, "killed", tmp_path)

    # Killed at 80% and 95% of that run (most of it is starting up and reading), and
    # as soon as it prints its answer, the commit done. Each from a store as before.
    for fraction in (0.8, 0.95):
        place.copy("before", "killed")
        scenario.kill(
            "killed",
            f"at {fraction:.0%} of the uninterrupted run",
            after_a_while(fraction * took, lambda run: 0.0),
        )
    place.copy("before", "killed")
    kill = scenario.kill(
        "killed", "as soon as it prints its answer", lambda run: run.wait_for("Merged", "stdout")
    )
    assert kill.left == "after", kill

    scenario.report(f"merge rewriting {MERGED_FACTS:,} facts (uninterrupted {took:.2f} s)")
