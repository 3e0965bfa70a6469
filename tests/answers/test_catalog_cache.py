"""Catalog snapshots: a process starts from the one in the cache directory, brings it up
to date before answering, and ignores one that is damaged, foreign or unwritable."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answers.catalog_cache import CatalogCache
from bot.answers.overlay import Overlay
from bot.config import Settings
from bot.curation.transfer import load_file
from bot.library import Library
from bot.records.actor import Actor
from bot.search import packing
from bot.search.changed_mentions import ChangedMentions
from tests.conftest import diplobot_environment

ZEMBLA = {
    "entities": [
        {
            "key": "zembla",
            "kind": "country",
            "name": "Zembla",
            "summary": "A distant northern kingdom.",
            "aliases": ["Kingdom of Zembla"],
        }
    ]
}


def store_copy(tmp_path: Path, seeded_file: Path) -> str:
    path = tmp_path / "store.db"
    shutil.copyfile(seeded_file, path)
    return f"sqlite:///{path}"


def opened(url: str, cache: Path | str) -> Library:
    settings = Settings.from_mapping({"DATABASE_URL": url, "CACHE_DIR": str(cache)})
    return Library.open(settings, facts_in_memory=False)


def snapshot_revision(library: Library) -> int:
    """The revision the library's snapshot file was saved at."""
    assert library._cache is not None
    data = library._cache.path.read_bytes()
    (length,) = packing._LENGTH.unpack_from(data, len(packing.MAGIC))
    header = json.loads(data[len(packing.MAGIC) + 4 : len(packing.MAGIC) + 4 + length])
    revision: int = header["meta"]["revision"]
    return revision


def cache_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "bot.answers.catalog_cache" and record.levelno >= logging.WARNING
    ]


def test_a_second_process_starts_from_the_snapshot_the_first_saved(
    tmp_path: Path, seeded_file: Path
) -> None:
    url = store_copy(tmp_path, seeded_file)
    first = opened(url, tmp_path / "cache")
    assert first._cache is not None and first._cache.path.is_file()
    first.close()

    second = opened(url, tmp_path / "cache")
    assert second.answer("!who nozdrev").entity is not None
    assert second.answer("!who nozdrev").entity.key == "nikolai-nozdrev"  # type: ignore[union-attr]
    assert second.answer("!names Nozdrev spoke in Tokyo").status == "found"
    second.close()


@pytest.mark.slow
def test_an_older_snapshot_and_another_process_change_give_the_new_answer(
    tmp_path: Path, seeded_file: Path
) -> None:
    url = store_copy(tmp_path, seeded_file)
    before = opened(url, tmp_path / "cache")
    saved_at = snapshot_revision(before)
    assert before.answer("!about zembla").status == "not_found"
    before.close()

    change = tmp_path / "zembla.json"
    change.write_text(json.dumps(ZEMBLA), encoding="utf-8")
    env = {**diplobot_environment(tmp_path, url), "CACHE_DIR": "none"}
    imported = subprocess.run(
        [sys.executable, "-m", "bot", "import", str(change)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr

    after = opened(url, tmp_path / "cache")
    # Started from the old snapshot and applied the change, not rebuilt from the store.
    assert isinstance(after.catalog.entities, Overlay)
    answer = after.answer("!about kingdom of zembla")
    assert answer.status == "found" and answer.entity is not None
    assert answer.entity.key == "zembla"
    assert snapshot_revision(after) == after.seen > saved_at  # brought up to date on disk
    after.close()


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda data: data[: len(data) // 2], "cut short"),
        (lambda data: data[:-100] + bytes(100), "checksum"),
        (lambda data: b"not a snapshot at all", "not a diplobot snapshot"),
    ],
    ids=["truncated", "damaged", "garbage"],
)
def test_a_damaged_snapshot_is_ignored_with_one_log_line(
    tmp_path: Path,
    seeded_file: Path,
    caplog: pytest.LogCaptureFixture,
    damage: Callable[[bytes], bytes],
    said: str,
) -> None:
    url = store_copy(tmp_path, seeded_file)
    first = opened(url, tmp_path / "cache")
    assert first._cache is not None
    path = first._cache.path
    first.close()
    path.write_bytes(damage(path.read_bytes()))

    with caplog.at_level(logging.INFO):
        library = opened(url, tmp_path / "cache")
    assert library.answer("!who nozdrev").status == "found"
    warnings = cache_warnings(caplog)
    assert len(warnings) == 1 and said in warnings[0], warnings
    library.close()
    caplog.clear()
    opened(url, tmp_path / "cache").close()  # rebuilt and saved whole again
    assert cache_warnings(caplog) == []


def test_a_snapshot_of_another_store_is_foreign(
    tmp_path: Path, seeded_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "other").mkdir()
    one_url = store_copy(tmp_path / "one", seeded_file)
    other_url = store_copy(tmp_path / "other", seeded_file)
    first = opened(one_url, tmp_path / "cache")
    second = opened(other_url, tmp_path / "cache")
    assert first._cache is not None and second._cache is not None
    first.close()
    second.close()
    shutil.copyfile(first._cache.path, second._cache.path)  # one store's snapshot, misplaced

    with caplog.at_level(logging.INFO):
        opened(other_url, tmp_path / "cache").close()
    warnings = cache_warnings(caplog)
    assert len(warnings) == 1 and "another store" in warnings[0], warnings


def test_a_cache_directory_that_cannot_be_made_is_said_once(
    tmp_path: Path, seeded_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with caplog.at_level(logging.INFO):
        library = opened(store_copy(tmp_path, seeded_file), blocker / "cache")
        library.reload()
        library.reload()
    assert library.answer("!who nozdrev").status == "found"
    warnings = cache_warnings(caplog)
    assert len(warnings) == 1 and "cannot write catalog snapshots" in warnings[0], warnings
    library.close()


def test_a_full_disk_is_said_once(
    tmp_path: Path,
    seeded_file: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full(path: Path, *args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("bot.answers.catalog_cache.write_pack", full)
    with caplog.at_level(logging.INFO):
        library = opened(store_copy(tmp_path, seeded_file), tmp_path / "cache")
        library.reload()
    assert library.answer("!who nozdrev").status == "found"
    warnings = cache_warnings(caplog)
    assert len(warnings) == 1 and "No space left" in warnings[0], warnings
    library.close()


@pytest.mark.slow
def test_two_processes_start_at_once_on_a_cold_cache(tmp_path: Path, seeded_file: Path) -> None:
    url = store_copy(tmp_path, seeded_file)
    env = {**diplobot_environment(tmp_path, url), "CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "bot", "ask", "--json", "!who nozdrev"]
    running = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for process in running:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert json.loads(out)["entity"]["key"] == "nikolai-nozdrev"
    files = sorted(path.name for path in (tmp_path / "cache").iterdir())
    assert len(files) == 1 and files[0].endswith(".snapshot")  # whole, no partial left
    library = opened(url, tmp_path / "cache")
    assert CatalogCache(tmp_path / "cache", library.store).load(facts_in_memory=False)
    library.close()


def import_zembla(library: Library, tmp_path: Path) -> None:
    change = tmp_path / "zembla.json"
    change.write_text(json.dumps(ZEMBLA), encoding="utf-8")
    load_file(library.store, change, Actor(None, "test"))


def test_the_names_matcher_is_changed_not_rebuilt_after_a_change(
    tmp_path: Path, seeded_file: Path
) -> None:
    library = opened(store_copy(tmp_path, seeded_file), tmp_path / "cache")
    assert library.answer("!names Zembla and Nozdrev").status == "found"  # built, and saved
    import_zembla(library, tmp_path)
    assert library.refresh()
    answer = library.answer("!names Zembla and Nozdrev")
    assert isinstance(library.catalog.mentions, ChangedMentions)
    assert [ref.key for ref in answer.related[0].entities] == ["zembla", "nikolai-nozdrev"]
    library.close()


def test_a_names_snapshot_from_an_older_revision_is_brought_up_to_date(
    tmp_path: Path, seeded_file: Path
) -> None:
    url = store_copy(tmp_path, seeded_file)
    first = opened(url, tmp_path / "cache")
    first.answer("!names Nozdrev")  # builds the matcher and saves it at this revision
    import_zembla(first, tmp_path)
    first.close()

    second = opened(url, tmp_path / "cache")
    answer = second.answer("!names Zembla and Nozdrev")
    assert isinstance(second.catalog.mentions, ChangedMentions)  # loaded, then changed
    assert [ref.key for ref in answer.related[0].entities] == ["zembla", "nikolai-nozdrev"]
    second.close()


def test_a_library_started_from_a_snapshot_knows_what_changed_lately(
    tmp_path: Path, seeded_file: Path
) -> None:
    url = store_copy(tmp_path, seeded_file)
    first = opened(url, tmp_path / "cache")
    expected = [fact.key for fact in first.answer("!recent").facts]
    first.close()
    again = opened(url, tmp_path / "cache")  # from the snapshot the first one saved
    try:
        assert again._cache is not None and again._cache.path.is_file()
        assert expected and [fact.key for fact in again.answer("!recent").facts] == expected
    finally:
        again.close()
