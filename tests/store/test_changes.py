"""Change notifications: a commit anywhere reaches every listener; a rollback reaches none.

PostgreSQL tests run against DIPLOBOT_TEST_POSTGRES_URL, each in a schema of its own;
the listeners are real connections, dropped for real with ``pg_terminate_backend``.
"""

from __future__ import annotations

import logging
import queue
import secrets
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.curation import edits
from bot.curation.files import read_document
from bot.curation.history import latest_revision
from bot.curation.transfer import check_against_store, load_file
from bot.curation.writer import Writer
from bot.library import Library
from bot.records.actor import Actor
from bot.records.reader import read_entity
from bot.store.changes import ChangeListener
from bot.store.db import Store
from tests.conftest import StoreFactory, postgres_url

SEED = Path(__file__).resolve().parents[2] / "data" / "seed.yaml"
ACTOR = Actor(None, "test")
WITHIN = 2.0
"""How soon a committed change must reach a listener, in seconds."""


class Heard:
    """A listener on its own engine, and what it has heard so far."""

    def __init__(self, url: str) -> None:
        self.name = f"diplobot-test-{secrets.token_hex(4)}"
        self.engine = sa.create_engine(url)
        self.payloads: queue.Queue[str | None] = queue.Queue()
        self.listener = ChangeListener(self.engine, self.payloads.put, application_name=self.name)

    def next(self, timeout: float = WITHIN) -> str | None:
        return self.payloads.get(timeout=timeout)

    def nothing_for(self, seconds: float) -> bool:
        try:
            self.payloads.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def backend_pid(self) -> int | None:
        with self.engine.connect() as connection:
            return connection.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = :name "
                    "AND datname = current_database() AND query ILIKE 'LISTEN%'"
                ),
                {"name": self.name},
            ).scalar()


def _url() -> str:
    return postgres_url()


@pytest.fixture
def heard() -> Iterator[Heard]:
    """A started listener on another engine than the store written to."""
    # A password the server (trust auth) ignores, to show it never reaches a log line.
    url = make_url(_url()).set(password="s3cret-pw").render_as_string(hide_password=False)
    ears = Heard(url)
    ears.listener.start()
    assert ears.listener.wait_listening(5)
    yield ears
    started = time.monotonic()
    ears.listener.stop()
    assert time.monotonic() - started < 2, "stop() must end the listener promptly"
    assert ears.backend_pid() is None, "stop() must close the listening connection"
    ears.engine.dispose()


@pytest.mark.postgres
def test_a_committed_change_notifies_another_process(postgres_store: Store, heard: Heard) -> None:
    load_file(postgres_store, SEED, ACTOR)
    payload = heard.next()
    assert payload == str(latest_revision(postgres_store))

    started = time.monotonic()
    edits.add_alias(postgres_store, ACTOR, "japan", "Yamato")
    assert heard.next() == str(latest_revision(postgres_store))
    assert time.monotonic() - started < WITHIN


@pytest.mark.postgres
def test_a_rolled_back_change_notifies_nobody(postgres_store: Store, heard: Heard) -> None:
    load_file(postgres_store, SEED, ACTOR)
    assert heard.next() is not None
    before = latest_revision(postgres_store)

    raw = read_document(SEED)
    japan = next(entity for entity in raw["entities"] if entity["key"] == "japan")
    japan["summary"] = "Changed, then rolled back."
    with pytest.raises(RuntimeError, match="changed my mind"), postgres_store.writing() as session:
        writer = Writer(session, ACTOR, None)
        writer.upsert(check_against_store(session, raw, "seed"))
        assert writer.finish(), "a change was logged, so a notification was sent"
        raise RuntimeError("changed my mind")

    assert heard.nothing_for(1.0)
    assert latest_revision(postgres_store) == before

    edits.add_alias(postgres_store, ACTOR, "japan", "Yamato")
    assert heard.next() == str(latest_revision(postgres_store))


@pytest.mark.postgres
def test_the_listener_reconnects_after_its_backend_is_killed(
    postgres_store: Store, heard: Heard, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.store.changes")
    load_file(postgres_store, SEED, ACTOR)
    assert heard.next() is not None
    pid = heard.backend_pid()
    assert pid is not None

    with heard.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    started = time.monotonic()
    assert heard.next(timeout=5) is None, "one catch-up call after reconnecting"
    print(f"\nlistener back after {time.monotonic() - started:.2f} s")
    assert heard.backend_pid() not in (None, pid)

    edits.add_alias(postgres_store, ACTOR, "japan", "Yamato")
    assert heard.next() == str(latest_revision(postgres_store))

    messages = [record.getMessage() for record in caplog.records]
    assert any(
        "lost the connection" in m and record.levelno == logging.WARNING
        for m, record in zip(messages, caplog.records, strict=True)
    )
    assert any("listening for changes" in m and "again" in m for m in messages)
    assert not any("s3cret-pw" in m for m in messages), "the password must never be logged"
    assert any("***" in m for m in messages)


@pytest.mark.postgres
def test_a_watching_library_reloads_when_another_store_changes(
    postgres_stores: StoreFactory,
) -> None:
    store = postgres_stores()
    with store.engine.connect() as connection:
        schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
    other = Store(sa.create_engine(_url(), connect_args={"options": f"-csearch_path={schema}"}))
    library = Library(store)
    try:
        library.watch(application_name=f"diplobot-test-{secrets.token_hex(4)}")
        assert library.listener is not None and library.listener.wait_listening(5)
        assert library.answer("who nozdrev").entity is None

        load_file(other, SEED, ACTOR)
        loaded = time.monotonic()
        while library.answer("who nozdrev").entity is None:
            assert time.monotonic() - loaded < WITHIN, "the library did not reload in time"
            time.sleep(0.01)
        print(f"\nseed import seen {time.monotonic() - loaded:.3f} s after its commit")
        assert library.seen == latest_revision(other)
        assert library.refresh() is False, "the fallback check finds nothing left to do"

        delays = []
        for alias in ["Quillbrook", "Marzipanov", "Tundrashev", "Olliphant", "Brixworthy"]:
            edits.add_alias(other, ACTOR, "nikolai-nozdrev", alias)
            committed = time.monotonic()
            while library.answer(f"who {alias}").entity is None:  # no refresh: only the listener
                assert time.monotonic() - committed < WITHIN, f"{alias} did not arrive in time"
                time.sleep(0.002)
            delays.append(time.monotonic() - committed)
        print(
            f"notified reloads: median {statistics.median(delays) * 1000:.0f} ms, "
            f"worst {max(delays) * 1000:.0f} ms after the commit"
        )
    finally:
        library.close()
        other.close()
    assert library.listener is None


def test_on_sqlite_nothing_listens_and_refresh_is_the_fallback(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    mine, theirs = Store.open(url), Store.open(url)
    library = Library(mine).watch()
    try:
        assert library.listener is not None and not library.listener.enabled
        assert not library.listener.wait_listening(0.1)
        load_file(theirs, SEED, ACTOR)
        assert library.answer("who nozdrev").entity is None, "nothing reloads by itself"
        assert library.refresh() is True
        assert library.answer("who nozdrev").entity is not None
        assert library.refresh() is False
    finally:
        library.close()
        theirs.close()


def _blocked_or_done(writer: threading.Thread, store: Store) -> None:
    """Wait until writer has committed, or is waiting for a lock (PostgreSQL shows it in
    ``pg_locks``; SQLite's waiting cannot be seen, so it gets half a second)."""
    deadline = time.monotonic() + (5.0 if store.engine.dialect.name == "postgresql" else 0.5)
    while writer.is_alive() and time.monotonic() < deadline:
        if store.engine.dialect.name == "postgresql":
            with store.engine.connect() as connection:
                if connection.execute(
                    sa.text("SELECT count(*) FROM pg_locks WHERE NOT granted")
                ).scalar_one():
                    return
        time.sleep(0.01)


def test_a_reader_misses_no_revision_committed_out_of_order(seeded_on: Store) -> None:
    """Revision 10 drawn first but committed after revision 11 is still read: a reader
    that has seen the newest number has seen every change below it."""
    store = seeded_on
    library = Library(store)
    late = threading.Thread(
        target=edits.add_alias, args=(store, ACTOR, "nikolai-nozdrev", "Quillbrook")
    )
    with store.writing() as session:  # the first writer draws its number, and waits
        house = read_entity(session, "white-house")
        assert house is not None
        raw = house.to_dict()
        raw["aliases"] = [*raw.get("aliases", []), "Executive Mansion"]
        writer = Writer(session, ACTOR, None)
        writer.upsert(check_against_store(session, {"entities": [raw]}, "test"))
        first = writer.finish()
        late.start()  # a second writer, on another connection, tries to commit meanwhile
        _blocked_or_done(late, store)
        library.refresh()  # a reader catches up while the first is not committed
    late.join(10)
    assert not late.is_alive()

    library.refresh()
    assert library.seen == latest_revision(store) > first[-1]
    assert library.answer("who Quillbrook").entity is not None
    assert library.answer("who Executive Mansion").entity is not None, (
        "the earlier number was skipped"
    )
    assert library.refresh() is False
    library.close()
