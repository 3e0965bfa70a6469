"""`diplobot ask` imports only what its command needs: a lookup loads neither Discord,
curation, the plotting stack nor the migration tool; and answered from a current
snapshot of an SQLite store, not SQLAlchemy, SQLModel or the table classes either."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.library import Library
from tests.answers.test_quick import every_seed_lookup
from tests.conftest import diplobot_environment

CHILD = """
import json, sys
from bot.cli import main
status = main(["ask", "--json", *sys.argv[1:]])
heavy = ("discord", "bot.chat", "bot.curation", "bot.drafting", "matplotlib", "alembic")
loaded = sorted(name for name in sys.modules if name.split(".")[0] in heavy or
                name.startswith(("bot.chat", "bot.curation", "bot.drafting")))
store = sorted(name for name in sys.modules if name.split(".")[0] in ("sqlalchemy", "sqlmodel")
               or name == "bot.store.models")
print(json.dumps({"status": status, "loaded": loaded, "store": store}), file=sys.stderr)
"""


def imported_by(
    tmp_path: Path,
    seeded_file: Path | None,
    *line: str,
    stdin: str | None = None,
    **env: str,
) -> dict[str, object]:
    """What `ask --json line` loaded (of `CHILD`'s lists), its status and its output, in a
    process of its own on a copy of seeded_file (None: the copy made before)."""
    if seeded_file is not None:
        shutil.copyfile(seeded_file, tmp_path / "store.db")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *line],
        env={**diplobot_environment(tmp_path, f"sqlite:///{tmp_path / 'store.db'}"), **env},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    report: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    store = report.pop("store")
    return {**report, "store_loaded": bool(store), "out": done.stdout, "err": done.stderr}


@pytest.mark.slow
def test_a_lookup_loads_no_discord_curation_plotting_or_migrations(
    tmp_path: Path, seeded_file: Path
) -> None:
    report = imported_by(tmp_path, seeded_file, "!who nozdrev")
    assert (report["status"], report["loaded"]) == (0, [])


@pytest.mark.slow
def test_a_curation_line_loads_curation_when_it_needs_it(tmp_path: Path, seeded_file: Path) -> None:
    report = imported_by(tmp_path, seeded_file, "curate history")
    loaded = report["loaded"]
    assert isinstance(loaded, list) and "bot.curation.operations" in loaded
    assert not any(name.startswith(("discord", "matplotlib")) for name in loaded)


def test_importing_the_command_line_loads_almost_nothing() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys, bot.cli; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    loaded = done.stdout.split()
    assert not [name for name in loaded if name.split(".")[0] in ("sqlalchemy", "numpy", "discord")]


NOZDREV = "Russian Ambassador to Japan, based in Tokyo."


def summary(report: dict[str, object]) -> str:
    out = report["out"]
    assert isinstance(out, str)
    said: str = json.loads(out.splitlines()[-1])["entity"]["summary"]
    return said


def test_a_lookup_from_a_current_snapshot_loads_no_sqlalchemy_sqlmodel_or_tables(
    tmp_path: Path, seeded_file: Path
) -> None:
    first = imported_by(tmp_path, seeded_file, "!who nozdrev")  # makes the snapshot
    assert first["store_loaded"] is True and summary(first) == NOZDREV
    second = imported_by(tmp_path, None, "!who nozdrev")
    assert (second["status"], second["loaded"], second["store_loaded"]) == (0, [], False)
    assert second["out"] == first["out"]
    lines = "!who nozdrev\n!search patriot\n!recent\n!names Nozdrev spoke in Tokyo\n"
    first_names = imported_by(tmp_path, None, "-", stdin=lines)
    assert first_names["status"] == 0 and len(str(first_names["out"]).splitlines()) == 4
    assert first_names["store_loaded"] is True  # the full library built the names matcher
    many = imported_by(tmp_path, None, "-", stdin=lines)  # and saved it
    assert (many["status"], many["loaded"], many["store_loaded"]) == (0, [], False)
    assert many["out"] == first_names["out"]


@pytest.mark.slow
def test_a_change_by_another_process_since_the_snapshot_gives_the_new_answer(
    tmp_path: Path, seeded_file: Path
) -> None:
    imported_by(tmp_path, seeded_file, "!who nozdrev")  # makes the snapshot
    edit = 'curate entity edit nikolai-nozdrev summary:"Ambassador, recalled."'
    changed = imported_by(tmp_path, None, "--yes", edit, CACHE_DIR="none")
    assert changed["status"] == 0, changed["err"]
    after = imported_by(tmp_path, None, "!who nozdrev")  # the full path, catching up
    assert after["store_loaded"] is True and summary(after) == "Ambassador, recalled."
    again = imported_by(tmp_path, None, "!who nozdrev")  # from the snapshot it saved
    assert again["store_loaded"] is False and summary(again) == "Ambassador, recalled."


@pytest.mark.slow
def test_a_truncated_snapshot_is_ignored_with_one_log_line(
    tmp_path: Path, seeded_file: Path
) -> None:
    imported_by(tmp_path, seeded_file, "!who nozdrev")
    (snapshot,) = (tmp_path / ".diplobot-cache").glob("*.snapshot")
    snapshot.write_bytes(snapshot.read_bytes()[:1000])
    report = imported_by(tmp_path, None, "!who nozdrev")
    assert report["status"] == 0 and summary(report) == NOZDREV
    said = [line for line in str(report["err"]).splitlines() if "snapshot" in line]
    assert len(said) == 1 and "ignored the catalog snapshot" in said[0], said


@pytest.mark.slow
def test_without_a_cache_directory_a_lookup_takes_the_full_path(
    tmp_path: Path, seeded_file: Path
) -> None:
    imported_by(tmp_path, seeded_file, "!who nozdrev")
    report = imported_by(tmp_path, None, "!who nozdrev", CACHE_DIR="none")
    assert report["status"] == 0 and report["store_loaded"] is True
    assert summary(report) == NOZDREV


@pytest.mark.slow
def test_ask_json_of_every_seed_lookup_prints_the_same_bytes_from_the_snapshot(
    tmp_path: Path, seeded_file: Path, library: Library
) -> None:
    lines = "".join(f"{line}\n" for line in every_seed_lookup(library))
    lines += "!names Nozdrev warned Japan over Patriot missiles for Ukraine\n"
    full = imported_by(tmp_path, seeded_file, "-", stdin=lines, CACHE_DIR="none")
    imported_by(tmp_path, None, "-", stdin=lines)  # makes both snapshots
    quick = imported_by(tmp_path, None, "-", stdin=lines)
    assert (quick["status"], quick["loaded"], quick["store_loaded"]) == (0, [], False)
    assert full["store_loaded"] is True
    assert quick["out"] == full["out"]
    assert len(str(quick["out"]).splitlines()) == lines.count("\n")
