"""Curation files written to hurt: each is refused quickly, with one clear line."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.curation.files import ATTACHMENT_MAX_BYTES, FILE_MAX_BYTES, read_bytes, read_document
from bot.curation.problems import PROBLEMS_SHOWN, FileProblems
from bot.curation.safe_yaml import ALIAS_VALUES_MAX
from bot.curation.transfer import load_file
from bot.curation.validate import validate
from bot.errors import ImportFileError
from bot.records.actor import Actor
from bot.store.db import Store

QUICK = 5.0
"""Seconds a hostile file may take to be refused: generous, so a slow CI passes,
yet far below the minutes these files took before they were bounded."""


def refused(path: Path) -> tuple[ImportFileError, float]:
    """The error reading path raises, and how long it took."""
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as caught:
        read_document(path)
    return caught.value, time.perf_counter() - started


def load_error(store: Store, path: Path) -> ImportFileError:
    """The error importing path into store raises."""
    with pytest.raises(ImportFileError) as caught:
        load_file(store, path, Actor.console())
    return caught.value


# Aliases.


def alias_bomb(aliases: int, uses: int) -> str:
    """One entity with many aliases, then the same entity again through an alias, many times."""
    names = ", ".join(f"name{index}" for index in range(aliases))
    first = f"  - &entity {{key: a, kind: person, name: A, aliases: [{names}]}}"
    return "\n".join(["entities:", first, *["  - *entity"] * uses]) + "\n"


def laughs(levels: int) -> str:
    """Each anchor a list of ten aliases to the one before: ten to the power levels values."""
    lines = ["sources:", "  - &l0 [lol]"]
    for level in range(1, levels + 1):
        lines.append(f"  - &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def merges(levels: int) -> str:
    """Each mapping merges the one before twice (``<<``), doubling what it holds."""
    lines = ["x0: &m0 {a: 1}"]
    for level in range(1, levels + 1):
        lines.append(f"x{level}: &m{level} {{<<: [*m{level - 1}, *m{level - 1}]}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "least_bytes"),
    [
        pytest.param(alias_bomb(2000, 2000), 25_000, id="25-kb"),
        pytest.param(alias_bomb(5000, 9000), 95_000, id="100-kb"),
        pytest.param(laughs(30), 0, id="billion-laughs"),
        pytest.param(merges(200), 0, id="merge-keys"),
    ],
)
def test_an_alias_bomb_is_refused_quickly_in_one_line(
    tmp_path: Path, text: str, least_bytes: int
) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(text)
    assert path.stat().st_size >= least_bytes
    error, seconds = refused(path)
    assert seconds < QUICK
    assert len(error.problems) == 1
    assert f"more than {ALIAS_VALUES_MAX:,} values" in error.problems[0]
    assert "\n" not in error.problems[0]


def test_an_alias_bomb_names_the_anchor_repeated_most_and_its_line(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(laughs(8))
    error, _ = refused(path)
    assert "the most repeated is &l7 (line 9)" in error.problems[0]
    path.write_text(alias_bomb(2000, 2000))
    error, _ = refused(path)
    assert "the most repeated is &entity (line 2)" in error.problems[0]


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("sources: &loop [*loop]\n")
    error, _ = refused(path)
    assert error.problems == ["line 1: an alias (*name) is used inside its own anchor (&name)"]


def test_a_file_sharing_a_few_records_through_anchors_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "shared.yaml"
    path.write_text(
        "sources:\n"
        "  - {key: report, title: A report}\n"
        "entities:\n"
        "  - {key: japan, kind: country, name: Japan, aliases: &names [Nippon, Nihon]}\n"
        "  - {key: japan-state, kind: organization, name: State of Japan, aliases: *names}\n"
        "facts:\n"
        "  - {key: one, text: One., about: &about [japan, japan-state], source: report}\n"
        "  - {key: two, text: Two., about: *about, source: report}\n"
    )
    document, problems = validate(read_document(path), {}, set())
    assert problems == []
    assert [fact.key for fact in document.facts] == ["one", "two"]
    assert document.entities[1].aliases == document.entities[0].aliases


def test_aliases_up_to_the_limit_still_load(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    aliases = ", ".join(f"n{index}" for index in range(1000))
    uses = ALIAS_VALUES_MAX // 1001 - 1  # each use repeats the list and its 1,000 values
    path.write_text(f"sources: [&names [{aliases}], {', '.join(['*names'] * uses)}]\n")
    assert len(read_document(path)["sources"]) == uses + 1


# Reports.

HUGE = "x" * 1_000_000
"""A megabyte of one value, which a report must not echo."""


@pytest.mark.parametrize(
    ("entity", "field"),
    [
        pytest.param({"key": "a", "kind": HUGE, "name": "A"}, "entities[0].kind", id="kind"),
        pytest.param(
            {"key": "a", "kind": "person", "name": "A", HUGE: 1}, "entities[0].x", id="field"
        ),
    ],
)
def test_a_report_quotes_at_most_a_little_of_a_huge_value(
    store: Store, tmp_path: Path, entity: dict[str, object], field: str
) -> None:
    path = tmp_path / "huge.json"
    path.write_text(json.dumps({"entities": [entity]}))
    error = load_error(store, path)
    assert len(str(error)) < 1_000
    assert field in str(error)


def test_a_huge_date_is_not_echoed(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    fact = {"key": "f", "text": "T.", "date": HUGE, "about": ["a"], "source": "s"}
    source = {"key": "s", "title": "S", "published": HUGE}
    entity = {"key": "a", "kind": "person", "name": "A"}
    path.write_text(json.dumps({"sources": [source], "entities": [entity], "facts": [fact]}))
    error = load_error(store, path)
    assert len(str(error)) < 1_000
    quoted = f"'{'x' * 79}…'"
    assert error.problems == [
        f"sources[0].published: {quoted} is not an ISO 8601 date and time "
        "(like '2024-03-24T06:21:00-04:00')",
        f"facts[0].date: {quoted} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)",
    ]


def test_a_huge_top_level_key_is_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_text(json.dumps({HUGE: []}))
    error, _ = refused(path)
    assert error.problems == [f"{'x' * 79}…: unknown top-level key"]


@pytest.mark.slow  # seconds of CPU each: the full run has them
def test_a_report_of_a_hundred_thousand_problems_lists_fifty_and_counts_the_rest(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "bad-facts.json"
    bad = [{"text": "T.", "date": "no"} for _ in range(100_000)]
    path.write_text(json.dumps({"facts": bad}, separators=(",", ":")))
    assert path.stat().st_size <= FILE_MAX_BYTES
    started = time.perf_counter()
    error = load_error(store, path)
    assert time.perf_counter() - started < 60
    report = str(error)
    assert len(report.encode()) < 20_000
    assert isinstance(error, FileProblems)
    assert error.total == 300_000  # each fact: a bad date, no about, no source
    assert report.startswith(f"{path}: 300,000 problems, nothing was imported:\n")
    assert len(error.problems) == PROBLEMS_SHOWN + 1
    assert error.problems[-1] == f"… and {300_000 - PROBLEMS_SHOWN:,} more problems"


def test_a_report_of_few_problems_lists_them_all(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text(json.dumps({"entities": [{"key": "a", "kind": "persn", "name": "A"}, {}]}))
    error = load_error(store, path)
    assert str(error).startswith(f"{path}: 4 problems, nothing was imported:\n")
    assert error.problems == [
        "entities[0].kind: unknown kind 'persn' (expected one of person, organization, "
        "country, place, dispute, other)",
        "entities[1].key: required",
        "entities[1].kind: required",
        "entities[1].name: required",
    ]


# Reading.


def test_a_link_to_dev_zero_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "zero.yaml"
    path.symlink_to("/dev/zero")
    error, seconds = refused(path)
    assert seconds < QUICK
    assert error.problems == ["not a regular file (a device); only a file is read"]


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    error, seconds = refused(path)
    assert seconds < QUICK
    assert error.problems == ["not a regular file (a pipe); only a file is read"]


def test_a_directory_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "folder.yaml"
    path.mkdir()
    error, _ = refused(path)
    assert error.problems == ["not a regular file (a directory); only a file is read"]


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sparse.yaml"
    with path.open("wb") as file:
        file.truncate(4 * 1024**3)  # sparse: 4 GiB long, nothing written
    error, seconds = refused(path)
    assert seconds < QUICK
    assert error.problems == [f"the file is {4 * 1024**3:,} bytes; at most 67,108,864 are taken"]


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "padded.yaml"
    head = b"sources: []\n"
    path.write_bytes(head + b"#" * (FILE_MAX_BYTES - len(head) - 1) + b"\n")
    assert path.stat().st_size == FILE_MAX_BYTES
    assert read_document(path) == {"sources": []}


def test_an_attachment_has_a_lower_limit_than_a_file_on_disk() -> None:
    assert ATTACHMENT_MAX_BYTES == 8 * 1024 * 1024 < FILE_MAX_BYTES
    with pytest.raises(ImportFileError) as caught:
        read_bytes("big.yaml", b" " * (ATTACHMENT_MAX_BYTES + 1))
    assert caught.value.problems == ["the file is 8,388,609 bytes; at most 8,388,608 are taken"]


def test_the_import_command_refuses_a_link_to_dev_zero_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for variable in ("DATABASE_URL", "DISCORD_TOKEN", "LOG_LEVEL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("DIPLOBOT_SEED_FILE", "none")
    monkeypatch.setenv("DIPLOBOT_DB_PATH", str(tmp_path / "cli.db"))
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    status = main(["import", "zero.yaml"])
    err = capsys.readouterr().err
    assert status == 2
    assert "not a regular file (a device)" in err
    assert "Traceback" not in err
