"""Snapshot files: the name index and the names matcher saved, mapped back and answering
exactly as built; a file cut short, damaged or of another kind is refused."""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path

import numpy as np
import pytest

from bench.synthetic import entries, world
from bot.search.index import SearchIndex
from bot.search.mentions import MentionMatcher
from bot.search.packing import PackError, pack_strings, read_pack, write_pack
from bot.search.results import Entry

META = {"format": 1, "store": "sqlite:///here.db"}
QUERIES = [
    "Nozdrev", "nozdrv", "Ноздрёв", "kuril", "kurilislands", "frenc hguiana",
    "ambassador nozdrev", "xylo", "Republic", "Jap",
]  # fmt: skip


@pytest.fixture(scope="module")
def built() -> SearchIndex:
    named = [
        Entry("nikolai-nozdrev", "person", "Nikolai Nozdrev"),
        Entry("nikolai-nozdrev", "person", "Николай Ноздрёв"),
        Entry("kuril-islands", "place", "Kuril Islands"),
        Entry("kuril-dispute", "dispute", "Kuril Islands dispute"),
        Entry("french-guiana", "place", "French Guiana"),
        Entry("japan", "country", "Japan"),
        Entry("japan", "country", "日本"),
    ]
    return SearchIndex([*named, *entries(world(3000, seed=5))])


def saved_and_read(index: SearchIndex, tmp_path: Path) -> SearchIndex:
    write_pack(tmp_path / "index.snapshot", META, index.to_arrays("index"))
    _, arrays = read_pack(tmp_path / "index.snapshot", META)
    return SearchIndex.from_arrays(arrays, "index")


def test_a_loaded_index_answers_as_the_built_one(built: SearchIndex, tmp_path: Path) -> None:
    loaded = saved_and_read(built, tmp_path)
    probes = [*QUERIES, *(key[:7] for key in built.keys[::97])]
    for query in probes:
        assert loaded.resolve(query) == built.resolve(query), query
        assert loaded.search(query, limit=25) == built.search(query, limit=25), query


def test_a_changed_index_is_saved_with_its_changes(built: SearchIndex, tmp_path: Path) -> None:
    changed = built.updated({"japan"}, [Entry("zembla", "country", "Zembla")])
    loaded = saved_and_read(changed, tmp_path)
    assert loaded.resolve("zembla").best == changed.resolve("zembla").best
    assert loaded.resolve("zembla").best is not None
    assert loaded.resolve("japan").outcome == changed.resolve("japan").outcome


def test_a_loaded_matcher_finds_the_same_names(tmp_path: Path) -> None:
    names = [("nikolai-nozdrev", "Nikolai Nozdrev"), ("nikolai-nozdrev", "Ноздрёв"),
             ("united-states", "US"), ("japan", "Japan"), ("japan", "日本")]  # fmt: skip
    matcher = MentionMatcher(names)
    arrays = matcher.save(tmp_path / "names.aho", "names")
    write_pack(tmp_path / "names.snapshot", META, arrays)
    _, read = read_pack(tmp_path / "names.snapshot", META)
    loaded = MentionMatcher.load(tmp_path / "names.aho", read, "names")
    text = "Ноздрёв told us in Japan (日本は) that the US would answer. Nozdrev left."
    assert loaded.find(text) == matcher.find(text)
    assert [m.entity for m in loaded.find(text)] == ["nikolai-nozdrev", "japan", "united-states"]

    (tmp_path / "names.aho").write_bytes((tmp_path / "names.aho").read_bytes()[:-10])
    with pytest.raises(PackError, match="automaton"):
        MentionMatcher.load(tmp_path / "names.aho", read, "names")


class _Planted:
    """What a file planted in the cache directory would unpickle into: a call of mkdir."""

    def __init__(self, where: Path) -> None:
        self.where = where

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.where),)


def test_a_names_automaton_file_runs_nothing_but_the_automaton(tmp_path: Path) -> None:
    arrays = MentionMatcher([("japan", "Japan")]).save(tmp_path / "names.aho", "names")
    planted = pickle.dumps(_Planted(tmp_path / "ran"))
    (tmp_path / "names.aho").write_bytes(planted)  # its size and CRC-32 forged to fit
    forged = {**arrays, "names.check": np.array([1, len(planted), zlib.crc32(planted)])}
    with pytest.raises(PackError, match="automaton is not readable"):
        MentionMatcher.load(tmp_path / "names.aho", forged, "names")
    assert not (tmp_path / "ran").exists()


def test_a_pack_cut_short_damaged_or_foreign_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.snapshot"
    write_pack(path, META, {"numbers": np.arange(1000, dtype=np.int64)})
    whole = path.read_bytes()
    _, arrays = read_pack(path, META)
    assert arrays["numbers"].tolist() == list(range(1000))
    with pytest.raises(PackError, match="another store"):
        read_pack(path, {**META, "store": "postgresql://elsewhere/db"})
    path.write_bytes(whole[:-8])
    with pytest.raises(PackError, match="cut short"):
        read_pack(path, META)
    path.write_bytes(whole[:-8] + b"\x01" * 8)
    with pytest.raises(PackError, match="checksum"):
        read_pack(path, META)
    path.write_bytes(b"PK\x03\x04" + whole[4:])
    with pytest.raises(PackError, match="not a diplobot snapshot"):
        read_pack(path, META)


def test_only_plain_numbers_are_read(tmp_path: Path) -> None:
    path = tmp_path / "objects.snapshot"
    write_pack(path, META, {"floats": np.zeros(4, dtype=np.float64)})
    with pytest.raises(PackError, match="not allowed"):
        read_pack(path, META)


def test_a_string_with_a_nul_cannot_be_packed() -> None:
    assert pack_strings(["a", "b"]).tobytes() == b"a\x00b"
    with pytest.raises(ValueError, match="NUL"):
        pack_strings(["a\x00b"])


def test_a_second_write_replaces_the_first_whole(tmp_path: Path) -> None:
    path = tmp_path / "x.snapshot"
    write_pack(path, {**META, "writer": 1}, {"n": np.arange(10, dtype=np.int64)})
    write_pack(path, {**META, "writer": 2}, {"n": np.arange(20, dtype=np.int64)})
    meta, arrays = read_pack(path, META)
    assert meta["writer"] == 2 and len(arrays["n"]) == 20
    assert [p.name for p in tmp_path.iterdir()] == ["x.snapshot"]  # no partial file left
