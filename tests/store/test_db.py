"""The store: migrations build the schema the models describe, and every write is one transaction.

Tests taking ``new_store`` run on SQLite and, when DIPLOBOT_TEST_POSTGRES_URL names
a server, on PostgreSQL too, each PostgreSQL test in a schema of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, func, select

from bot.answers.catalog import Catalog
from bot.answers.commands import answer
from bot.core.answer import Status
from bot.curation.files import write_document
from bot.curation.transfer import export_document, load_file
from bot.errors import StoreError
from bot.records.actor import Actor
from bot.store import fulltext_schema
from bot.store.db import Store, current_revision, downgrade, head_revision, upgrade
from bot.store.models import Entity, Revision, Source

SEED = Path(__file__).resolve().parents[2] / "data" / "seed.yaml"

MODEL_TABLES = {
    "entity",
    "alias",
    "entity_link",
    "source",
    "fact",
    "fact_entity",
    "citation",
    "revision",
    "draft",
    "follow",
    "redirect",
    "current_source",
    "suggestion",
}
"""Every table the models declare; the migrations add ``alembic_version``."""

NewStore = Callable[[], Store]


@pytest.fixture
def sqlite_stores(tmp_path: Path) -> Iterator[NewStore]:
    """Empty, migrated SQLite stores, each in a new file."""
    made: list[Store] = []

    def make() -> Store:
        store = Store.open(f"sqlite:///{tmp_path / f'store-{len(made)}.db'}")
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_store(request: pytest.FixtureRequest) -> NewStore:
    """Makes empty, migrated stores on the backend the test is running against."""
    factory: NewStore = request.getfixturevalue(f"{request.param}_stores")
    return factory


def table_names(store: Store) -> set[str]:
    """The store's tables, but for the full-text ones (tests/store/test_fulltext.py)."""
    names = sa.inspect(store.engine).get_table_names()
    return {name for name in names if fulltext_schema.include_name(name, "table", {})}


def entity_count(store: Store) -> int:
    with store.transaction() as session:
        return session.exec(select(func.count()).select_from(Entity)).one()


def japan() -> Entity:
    return Entity(key="japan", kind="country", name="Japan")


# Migrations.


def test_a_new_sqlite_file_gets_every_table_at_the_head_revision(tmp_path: Path) -> None:
    path = tmp_path / "not-yet" / "diplobot.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        assert path.is_file()
        assert table_names(store) == MODEL_TABLES | {"alembic_version"}
        assert current_revision(store.engine) == head_revision() == "0007"
    finally:
        store.close()


def test_every_sqlite_connection_has_wal_and_foreign_keys(store: Store) -> None:
    with store.engine.connect() as first, store.engine.connect() as second:
        for connection in (first, second):
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_sqlite_refuses_a_row_pointing_nowhere(store: Store) -> None:
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO alias (entity_id, text) VALUES (999, 'x')"))


def test_opening_a_store_twice_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'diplobot.db'}"
    first = Store.open(url)
    with first.transaction() as session:
        session.add(japan())
    first.close()

    again = Store.open(url)
    try:
        assert current_revision(again.engine) == head_revision()
        assert table_names(again) == MODEL_TABLES | {"alembic_version"}
        assert entity_count(again) == 1
    finally:
        again.close()


def test_opening_without_migrating_leaves_an_empty_file_empty(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'diplobot.db'}", migrate=False)
    try:
        assert current_revision(store.engine) is None
        assert table_names(store) == set()
    finally:
        store.close()


def test_migrations_go_down_to_nothing_and_back_up(new_store: NewStore) -> None:
    store = new_store()
    assert table_names(store) == MODEL_TABLES | {"alembic_version"}
    assert current_revision(store.engine) == head_revision() == "0007"

    downgrade(store.engine, "base")
    assert table_names(store) == {"alembic_version"}
    assert current_revision(store.engine) is None

    upgrade(store.engine)
    assert table_names(store) == MODEL_TABLES | {"alembic_version"}
    assert current_revision(store.engine) == "0007"
    with store.transaction() as session:
        session.add(japan())
    assert entity_count(store) == 1


def test_upgrading_a_store_at_the_head_changes_nothing(new_store: NewStore) -> None:
    store = new_store()
    with store.transaction() as session:
        session.add(japan())
    upgrade(store.engine)
    assert current_revision(store.engine) == head_revision()
    assert entity_count(store) == 1


# The migrations build what the models describe.


def schema_diff(store: Store, metadata: sa.MetaData = SQLModel.metadata) -> list[Any]:
    """What Alembic's autogenerate would change to make the store's schema match metadata."""
    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": fulltext_schema.include_name}
        )
        return list(compare_metadata(context, metadata))


def test_the_migrated_schema_matches_the_models(new_store: NewStore) -> None:
    """A model changed without a migration to match fails here."""
    assert schema_diff(new_store()) == []


def column_changes(diff: list[Any]) -> set[tuple[str, str, str]]:
    """Autogenerate's column changes as (operation, table, column)."""
    found = set()
    for item in diff:
        for change in item if isinstance(item, list) else [item]:
            if change[0] == "add_column":
                found.add((change[0], change[2], change[3].name))
            elif change[0] == "modify_type":
                found.add((change[0], change[2], change[3]))
    return found


def test_the_schema_check_notices_a_model_change(new_store: NewStore) -> None:
    changed = sa.MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["entity"].append_column(sa.Column("nickname", sa.String(50)))
    changed.tables["fact"].c.text.type = sa.String(50)

    diff = schema_diff(new_store(), changed)

    assert column_changes(diff) == {
        ("add_column", "entity", "nickname"),
        ("modify_type", "fact", "text"),
    }


# Transactions.


def test_an_error_inside_a_transaction_writes_nothing(new_store: NewStore) -> None:
    store = new_store()
    with pytest.raises(RuntimeError, match="changed my mind"), store.transaction() as session:
        session.add(japan())
        session.add(Source(key="ap-2024-03-24", title="Russia warns Japan"))
        session.flush()
        assert session.exec(select(func.count()).select_from(Entity)).one() == 1
        raise RuntimeError("changed my mind")

    with store.transaction() as session:
        assert session.exec(select(Entity)).all() == []
        assert session.exec(select(Source)).all() == []


def test_a_transaction_that_ends_well_writes_everything(new_store: NewStore) -> None:
    store = new_store()
    with store.transaction() as session:
        session.add(japan())
        session.add(Source(key="ap-2024-03-24", title="Russia warns Japan"))

    with store.transaction() as session:
        assert session.exec(select(Entity.key)).all() == ["japan"]
        assert session.exec(select(Source.key)).all() == ["ap-2024-03-24"]


# The seed file, end to end.


def test_the_seeded_store_answers_a_dispute(new_store: NewStore) -> None:
    store = new_store()
    load_file(store, SEED, Actor.console())

    reply = answer(Catalog.load(store), "!dispute kuril")

    assert reply.status is Status.FOUND
    assert reply.entity is not None
    assert reply.entity.name == "Kuril Islands dispute"
    parties = {ref.key for related in reply.related for ref in related.entities}
    assert {"russia", "japan"} <= parties
    assert reply.facts
    assert all(fact.sources for fact in reply.facts)


def test_timestamps_come_back_timezone_aware(new_store: NewStore) -> None:
    store = new_store()
    before = datetime.now(UTC)
    load_file(store, SEED, Actor.console())

    with store.transaction() as session:
        source = session.exec(select(Source)).one()
        entity = session.exec(select(Entity).where(Entity.key == "japan")).one()
        revision = session.exec(select(Revision).limit(1)).one()
    # The seed gives "2024-03-24T06:21:00-04:00": the same instant comes back, in UTC.
    assert source.published == datetime(2024, 3, 24, 10, 21, tzinfo=UTC)
    for stamp in (source.published, entity.created_at, entity.updated_at, revision.at):
        assert stamp is not None
        assert stamp.utcoffset() is not None
        assert stamp.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert before <= revision.at <= datetime.now(UTC)


@pytest.mark.postgres
def test_postgres_stores_timestamps_with_their_time_zone(postgres_store: Store) -> None:
    load_file(postgres_store, SEED, Actor.console())
    with postgres_store.engine.connect() as connection:
        column_types = set(
            connection.execute(
                sa.text(
                    "SELECT data_type FROM information_schema.columns"
                    " WHERE table_schema = current_schema()"
                    " AND column_name IN ('published', 'created_at', 'updated_at', 'at')"
                )
            ).scalars()
        )
        # Read past the models' UTCDateTime: the driver itself returns aware datetimes.
        published = connection.execute(sa.text("SELECT published FROM source")).scalar_one()
    assert column_types == {"timestamp with time zone"}
    assert published == datetime(2024, 3, 24, 10, 21, tzinfo=UTC)
    assert published.tzinfo is not None


def test_export_import_export_is_equal(new_store: NewStore, tmp_path: Path) -> None:
    first, second = new_store(), new_store()
    load_file(first, SEED, Actor.console())
    exported = export_document(first)
    path = tmp_path / "export.yaml"
    write_document(path, exported)

    load_file(second, path, Actor.console())

    assert export_document(second) == exported
    assert len(exported["facts"]) > 0


# Opening a store that cannot be opened says why, in one sentence.


def test_a_path_that_cannot_hold_a_database_is_explained(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(StoreError, match=r"could not open the database at sqlite:///.*a-file"):
        Store.open(f"sqlite:///{tmp_path / 'a-file' / 'x.db'}")


def test_a_server_that_refuses_is_explained_without_the_password() -> None:
    with pytest.raises(StoreError) as raised:
        Store.open("postgresql+psycopg://someone:hunter2@127.0.0.1:1/nowhere")
    message = str(raised.value)
    assert message.startswith("could not connect to the database at ")
    assert "someone:***@127.0.0.1:1/nowhere" in message
    assert "Connection refused" in message
    assert "hunter2" not in message


def test_0002_keeps_every_alias_down_and_up_and_refills_the_folded_copy(
    new_store: NewStore,
) -> None:
    store = new_store()
    load_file(store, SEED, Actor.console())
    before = export_document(store)

    downgrade(store.engine, "0001")
    with store.engine.connect() as connection:
        folded = dict(
            connection.execute(sa.text("SELECT text, normalized FROM alias")).tuples().all()
        )
    assert folded["Ноздрёв"] == "ноздрев"
    assert "redirect" not in table_names(store)

    upgrade(store.engine)
    after = export_document(store)
    # Below 0004 a source's time as written is gone; the instant stays.
    for source in (*before["sources"], *after["sources"]):
        source["published"] = datetime.fromisoformat(source["published"]).astimezone(UTC)
    assert after == before


@pytest.mark.parametrize("change", ["curation", "import"])
def test_on_sqlite_a_writer_waits_for_another_to_finish_instead_of_failing(
    tmp_path: Path, change: str
) -> None:
    import sqlite3
    import threading
    import time

    from bot.curation import edits

    path = tmp_path / "shared.db"
    store = Store.open(f"sqlite:///{path}")
    load_file(store, SEED, Actor(None, "seed"))
    other = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing, for a second
    other.execute("UPDATE entity SET summary = summary || '.' WHERE key = 'russia'")
    threading.Timer(1.0, other.execute, ["COMMIT"]).start()
    started = time.monotonic()
    try:
        if change == "curation":
            edits.add_alias(store, Actor("1", "alice"), "japan", "Yamato")
        else:
            extra = tmp_path / "extra.yaml"
            extra.write_text("entities:\n  - {key: taro-kono, kind: person, name: Taro Kono}\n")
            load_file(store, extra, Actor(None, "console"))
        waited = time.monotonic() - started
    finally:
        store.close()
        other.close()
    assert 0.8 < waited < 5, f"waited {waited:.2f} s"
    with sqlite3.connect(path) as check:
        summary = check.execute("SELECT summary FROM entity WHERE key = 'russia'").fetchone()[0]
        assert summary.endswith(".")  # the other writer's change is kept too


def test_a_new_sqlite_file_is_in_wal_mode_before_any_connection(tmp_path: Path) -> None:
    """The switch to WAL is made once, by whoever makes the first engine, so connections
    opening the file together never race to make it (issue 19, 'database is locked')."""
    import sqlite3

    from bot.store.engine import make_engine

    def mode_in_header(path: Path) -> bytes:
        return path.read_bytes()[18:20]  # 1, 1: the old journal; 2, 2: WAL

    new = tmp_path / "new.db"
    engine = make_engine(f"sqlite:///{new}")
    assert mode_in_header(new) == b"\x02\x02"
    engine.dispose()

    copied = tmp_path / "copied.db"  # a backup or a copy arrives in the old journal mode
    with sqlite3.connect(copied) as connection:
        connection.execute("CREATE TABLE kept (x)")
    connection.close()
    assert mode_in_header(copied) == b"\x01\x01"
    engine = make_engine(f"sqlite:///{copied}")
    assert mode_in_header(copied) == b"\x02\x02"
    with engine.connect() as connected:
        assert connected.exec_driver_sql("SELECT count(*) FROM kept").scalar_one() == 0
    engine.dispose()


def test_connections_opening_a_new_sqlite_file_at_once_all_get_wal(tmp_path: Path) -> None:
    """The first connections to a new file each switch it to WAL; SQLite refuses all but
    one at once (to avoid a deadlock), and the others must wait and find it done."""
    import threading

    from bot.store.engine import make_engine

    failures: list[BaseException] = []
    modes: list[str] = []
    for attempt in range(20):
        engines = [make_engine(f"sqlite:///{tmp_path / f'new-{attempt}.db'}") for _ in range(6)]
        barrier = threading.Barrier(len(engines))

        def connect(engine: sa.Engine, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                with engine.connect() as connection:
                    modes.append(connection.exec_driver_sql("PRAGMA journal_mode").scalar_one())
            except BaseException as error:  # reported below
                failures.append(error)

        threads = [threading.Thread(target=connect, args=(engine,)) for engine in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        for engine in engines:
            engine.dispose()
    assert failures == []
    assert modes == ["wal"] * 120


def test_the_newest_migration_is_read_from_the_files_as_alembic_reads_it() -> None:
    from bot.store.db import _known_revisions, head_revision
    from bot.store.schema_head import revisions_in_files

    revisions, head = revisions_in_files()
    assert head == head_revision()
    assert revisions == _known_revisions()
