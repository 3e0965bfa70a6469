"""What an unlucky operator runs into at the command line: each ends in one clear line,
and nothing is lost (issue 10, "operator pitfalls")."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.cli import EXIT_INTERRUPTED, main

PROJECT = Path(__file__).resolve().parent.parent


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_a_missing_settings_file_is_named_and_nothing_is_created(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--env-file", "prod.env", "ask", "who nozdrev"]) == 2
    assert one_line(capsys.readouterr().err) == (
        "diplobot: the settings file prod.env does not exist (--env-file)"
    )
    assert not (env / "cli.db").exists()


def test_no_dotenv_at_all_is_fine(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "who nozdrev"]) == 0


def test_a_settings_file_that_is_not_utf8_is_one_line(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (env / ".env").write_bytes(b"LOG_LEVEL=INFO\nDISCORD_TOKEN=caf\xe9\n")
    assert main(["ask", "who nozdrev"]) == 2
    assert one_line(capsys.readouterr().err) == (
        "diplobot: the settings file .env is not UTF-8 text (byte 33)"
    )


def test_downgrading_to_base_asks_for_yes_and_keeps_the_tables(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "who nozdrev"]) == 0
    capsys.readouterr()
    assert main(["db", "downgrade", "base"]) == 2
    assert "add --yes to confirm" in one_line(capsys.readouterr().err)
    assert main(["db", "current"]) == 0
    assert "schema revision: 0005" in capsys.readouterr().out
    assert main(["ask", "who nozdrev"]) == 0  # the data is still there


def test_a_failed_export_leaves_the_earlier_backup_whole(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = env / "backup.yaml"
    assert main(["export", str(backup)]) == 0
    capsys.readouterr()
    before = backup.read_bytes()
    assert yaml.safe_load(before)["entities"]

    def disk_full(path: str | Path, document: object) -> None:
        Path(path).write_text("entities:\n- key: trunc")  # a truncated file that parses
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.curation.files.write_document", disk_full)
    assert main(["export", str(backup)]) == 2
    assert one_line(capsys.readouterr().err).endswith("No space left on device")
    assert backup.read_bytes() == before
    assert [path.name for path in env.iterdir() if "partial" in path.name] == []


@pytest.mark.slow
def test_an_export_to_a_full_or_closed_stdout_is_one_line(env: Path) -> None:
    assert main(["ask", "who nozdrev"]) == 0  # the store made and seeded beforehand
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "export", "-"],
            cwd=env,
            env={**os.environ, "PYTHONPATH": str(PROJECT)},
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert one_line(done.stderr).startswith("diplobot: cannot write the export to standard output")
    closed = subprocess.run(
        [sys.executable, "-m", "bot", "export", "-"],
        cwd=env,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.close(1),
    )
    assert closed.returncode == 2, closed.stderr
    assert one_line(closed.stderr).startswith("diplobot: cannot write the export")


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3])
def test_ctrl_c_while_starting_is_quiet(env: Path, delay: float) -> None:
    """Ctrl-C at points while diplobot loads its modules and opens the store. The delay
    counts from the moment its own code runs (`-X importtime` reports bot.cli loaded):
    before that, Python itself is starting, which no program can make quiet."""
    process = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "bot", "ask", "who nozdrev"],
        cwd=env,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    started = []
    for line in process.stderr:
        started.append(line)
        if line.rstrip().endswith("| bot.cli"):
            break
    assert started and started[-1].rstrip().endswith("| bot.cli"), "".join(started)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert "Traceback" not in err, err
    # 130 once diplobot handles it; ended by the signal itself (-2) where Python passes
    # it on quietly; 0 when it had already answered.
    assert process.returncode in (EXIT_INTERRUPTED, -signal.SIGINT, 0), (process.returncode, err)


def test_names_refuses_a_link_to_dev_zero_before_reading_it(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (env / "endless.txt").symlink_to("/dev/zero")
    assert main(["names", "endless.txt"]) == 2
    assert "not a regular file (a device)" in one_line(capsys.readouterr().err)


def test_a_full_disk_during_an_import_is_one_sentence_on_its_own_line(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "who nozdrev"]) == 0  # the store made and seeded
    capsys.readouterr()
    store_file = env / "cli.db"
    pages = sqlite3.connect(store_file).execute("PRAGMA page_count").fetchone()[0]

    def small_disk(connection: Any, _record: Any) -> None:
        # SQLite's own "database or disk is full", a few pages past what the store holds.
        connection.execute(f"PRAGMA max_page_count = {pages + 8}")

    people = [
        {"key": f"envoy-{n}", "kind": "person", "name": f"Envoy Number {n}", "summary": "x" * 300}
        for n in range(400)
    ]
    (env / "many.yaml").write_text(yaml.safe_dump({"entities": people}))
    event.listen(Engine, "connect", small_disk)
    try:
        assert main(["import", "many.yaml"]) == 2
    finally:
        event.remove(Engine, "connect", small_disk)
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        "diplobot: the import failed and nothing was written: the disk is full"
    )
    assert "INSERT" not in err and "[SQL" not in err
    assert err.startswith("\rimporting:")  # the bar was drawn,
    assert "%)\ndiplobot: the import failed" in err  # and its line ended before the error
    assert main(["ask", "who envoy number 1"]) == 1  # nothing of it was written
