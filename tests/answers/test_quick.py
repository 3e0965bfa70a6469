"""Lookups answered from a current snapshot without SQLAlchemy (`bot.answers.quick`) give
what the full library gives, and anything but a current snapshot of an SQLite store is
left to the full library."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot import console
from bot.answers.catalog_cache import store_identity
from bot.answers.catalog_snapshot import snapshot_paths
from bot.answers.quick import QuickLibrary, open_quick
from bot.answers.text_json import as_json, as_text
from bot.config import Settings, sqlite_database
from bot.library import Library
from bot.store.db import Store
from bot.store.readonly import ReadOnlyStore
from bot.store.schema_head import revisions_in_files

SEARCHES = [
    "patriot missiles",
    "Patriot",
    "patriott missles",  # typos: the closest stored words
    "ноздрёв",
    "ноздрев japan",
    "kuril islands dispute",
    "xyzzy plugh",
    "2024",
]


def settings_of(path: Path, **more: str) -> Settings:
    return Settings.from_mapping({"DATABASE_URL": f"sqlite:///{path}", **more})


@pytest.fixture
def seeded(tmp_path: Path, seeded_file: Path) -> Path:
    """A seeded store of this test's own with a current snapshot beside it."""
    path = tmp_path / "store.db"
    shutil.copyfile(seeded_file, path)
    Library.open(settings_of(path), facts_in_memory=False).close()
    return path


@pytest.fixture
def quick(seeded: Path) -> Iterator[QuickLibrary[Library]]:
    settings = settings_of(seeded)
    found = open_quick(settings, lambda: Library.open(settings, facts_in_memory=False))
    assert found is not None
    yield found
    found.close()


def every_seed_lookup(library: Library) -> list[str]:
    """A lookup of every kind for every entity and source of the seed, by key and by name,
    and searches of fact text."""
    catalog = library.catalog
    lines = ["!help", "!recent", "!recent 30", "!who", "!who xyzzy", "!timeline japan russia"]
    for key, record in catalog.entities.items():
        for name in (key, record.ref.name):
            lines += [f"!{command} {name}" for command in ("who", "about", "dispute", "timeline")]
            lines += [f"!recent {name}", f"!recent {name} 30"]
    for key, source in catalog.sources.items():
        lines += [f"!source {key}", f"!source {source.title}"]
    lines += [f"!search {words}" for words in SEARCHES]
    return lines


def test_every_seed_lookup_answered_from_the_snapshot_is_the_full_librarys_answer(
    seeded: Path, quick: QuickLibrary[Library]
) -> None:
    full = Library.open(settings_of(seeded), facts_in_memory=False)
    try:
        lines = every_seed_lookup(full)
        assert len(lines) > 200
        for line in lines:
            expected, got = full.answer(line), quick.answer(line)
            assert json.dumps(as_json(got)) == json.dumps(as_json(expected)), line
            assert as_text(got) == as_text(expected), line
    finally:
        full.close()
    assert quick._whole is None  # every one of them from the snapshot


def test_names_are_the_full_librarys_from_the_names_snapshot_or_else_from_it(
    seeded: Path, quick: QuickLibrary[Library]
) -> None:
    line = "!names Nozdrev warned Japan over Patriot missiles for Ukraine"
    full = Library.open(settings_of(seeded), facts_in_memory=False)
    try:
        expected = as_json(full.answer(line))  # builds and saves the names snapshot
        assert as_json(quick.answer(line)) == expected
        assert quick._whole is None  # the names snapshot there, at this revision
    finally:
        full.close()
    settings = settings_of(seeded)
    for automaton in (seeded.parent / ".diplobot-cache").glob("*.aho"):
        automaton.unlink()
    without = open_quick(settings, lambda: Library.open(settings, facts_in_memory=False))
    assert without is not None
    assert as_json(without.answer(line)) == expected
    assert without._whole is not None  # built by the full library
    without.close()


def test_a_store_changed_since_the_snapshot_is_left_to_the_full_library(seeded: Path) -> None:
    settings = settings_of(seeded)
    library = Library.open(settings, facts_in_memory=False)
    console.ask(
        library,
        'curate entity edit nikolai-nozdrev summary:"Ambassador, recalled."',
        json_output=True,
        confirmed=True,
        out=io.StringIO(),
    )
    library.close()
    # That library saved no snapshot at the new revision: the snapshot on disk is older.
    assert open_quick(settings, lambda: Library.open(settings)) is None
    fresh = Library.open(settings, facts_in_memory=False)  # catches up, saves it again
    fresh.close()
    again = open_quick(settings, lambda: Library.open(settings))
    assert again is not None
    assert again.answer("!who nozdrev").entity.summary == "Ambassador, recalled."  # type: ignore[union-attr]
    again.close()


def test_a_curation_line_in_ask_lines_opens_the_whole_library_and_later_lookups_see_it(
    quick: QuickLibrary[Library],
) -> None:
    out = io.StringIO()
    lines = [
        "!who nozdrev",
        'curate entity edit nikolai-nozdrev summary:"Ambassador, recalled."',
        "!who nozdrev",
    ]
    console.ask_lines(quick, lines, json_output=True, confirmed=True, out=out)
    first, _, last = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["entity"]["summary"] == "Russian Ambassador to Japan, based in Tokyo."
    assert last["entity"]["summary"] == "Ambassador, recalled."
    assert quick._whole is not None


def test_a_change_by_another_process_between_lines_is_seen_by_the_next_line(
    seeded: Path, quick: QuickLibrary[Library]
) -> None:
    assert quick.refresh() is False
    other = Library.open(settings_of(seeded), facts_in_memory=False)
    console.ask(
        other,
        'curate entity edit nikolai-nozdrev summary:"Ambassador, recalled."',
        json_output=True,
        confirmed=True,
        out=io.StringIO(),
    )
    other.close()
    assert quick.refresh() is True
    assert quick.answer("!who nozdrev").entity.summary == "Ambassador, recalled."  # type: ignore[union-attr]


def test_no_cache_directory_a_missing_snapshot_or_postgresql_take_the_full_path(
    seeded: Path,
) -> None:
    def never() -> Library:
        raise AssertionError("not opened")

    assert open_quick(settings_of(seeded, CACHE_DIR="none"), never) is None
    assert (
        open_quick(settings_of(seeded, CACHE_DIR=str(seeded.parent / "elsewhere")), never) is None
    )
    postgres = Settings.from_mapping({"DATABASE_URL": "postgresql://u:p@127.0.0.1:1/none"})
    assert open_quick(postgres, never) is None
    shutil.rmtree(seeded.parent / ".diplobot-cache")
    assert open_quick(settings_of(seeded), never) is None


def test_a_damaged_or_foreign_snapshot_is_left_to_the_full_path(seeded: Path) -> None:
    settings = settings_of(seeded)
    (snapshot,) = (seeded.parent / ".diplobot-cache").glob("*.snapshot")
    data = snapshot.read_bytes()
    snapshot.write_bytes(data[: len(data) // 2])
    assert open_quick(settings, lambda: Library.open(settings)) is None
    snapshot.write_bytes(b"not a snapshot at all")
    assert open_quick(settings, lambda: Library.open(settings)) is None


def test_an_empty_store_is_left_to_the_full_path_which_seeds_it(tmp_path: Path) -> None:
    settings = settings_of(tmp_path / "new.db", DIPLOBOT_SEED_FILE="none")
    Library.open(settings).close()
    assert open_quick(settings, lambda: Library.open(settings)) is None


def test_the_snapshot_is_found_by_the_stores_own_identity(seeded: Path) -> None:
    for url in (f"sqlite:///{seeded}", f"sqlite+pysqlite:///{seeded}"):
        store = Store.open(url, migrate=False)
        try:
            identity = store_identity(store)
        finally:
            store.close()
        assert identity == url[: url.index(":///") + 4] + str(seeded.resolve())
        assert snapshot_paths(seeded.parent, identity)[0].name.startswith("catalog-")


def test_the_newest_schema_revision_is_the_one_a_migrated_store_is_at(seeded: Path) -> None:
    store = ReadOnlyStore(seeded)
    try:
        assert store.schema_revision() == revisions_in_files()[1]
    finally:
        store.close()


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///a.db",
        "sqlite:////tmp/x y/a.db",
        "sqlite:///a@b:c.db",
        "sqlite+pysqlite:///q.db",
        "sqlite:///~/d.db",
        "sqlite:///",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:x?mode=ro&uri=true",
        "SQLite:///a.db",
    ],
)
def test_a_plain_sqlite_url_is_read_as_sqlalchemy_reads_it(url: str) -> None:
    parsed = make_url(url)
    database = sqlite_database(url)
    if database is not None:
        assert database == parsed.database
    settings = Settings.from_mapping({"DATABASE_URL": url})
    assert settings.database_url == parsed.render_as_string(hide_password=False)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and parsed.database and parsed.database != ":memory:":
        cache = Path(parsed.database).expanduser().parent / ".diplobot-cache"
        assert settings.snapshot_dir() == cache
    else:
        assert settings.snapshot_dir() is None
