"""The diplobot command line, run in-process as a user or script would run it."""

from __future__ import annotations

import io
import json
import os
import shlex
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import shell

PYTHON_M_BOT = f"{shlex.quote(sys.executable)} -m bot"


def test_ask_prints_a_readable_card(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "!dispute", "kuril"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Kuril Islands dispute  (dispute)")
    assert "Parties: Russia, Japan" in out
    assert "Russia warns Japan on missile transfer to Ukraine, threatens ties" in out
    assert (env / "cli.db").exists()


def test_ask_exit_status_follows_the_outcome(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "who putin"]) == 1
    assert "No person or organisation in the store matches “putin”." in capsys.readouterr().out
    assert main(["ask", "!who"]) == 2


def test_ask_json_has_the_public_fields(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "!who nozdrev"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert {"command", "query", "status", "message", "entity", "suggestions", "facts"} <= set(
        answer
    )
    assert answer["command"] == "who" and answer["query"] == "nozdrev"
    assert answer["status"] == "found"
    assert answer["entity"]["key"] == "nikolai-nozdrev"
    assert set(answer["entity"]) >= {"key", "kind", "name", "summary"}
    fact = answer["facts"][0]
    assert fact["date"] == "2024-03" and fact["text"]
    assert fact["sources"][0]["published"] == "2024-03-24T10:21:00+00:00"
    assert answer["message"].startswith("Nikolai Nozdrev")


def test_ask_json_from_stdin_answers_each_line_in_order(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["who nozdrev", "", "!dispute iturup", "about kuril", "who putin", "!bogus", "who"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["ask", "--json", "-"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a["status"] for a in answers] == [
        "found",
        "found",
        "ambiguous",
        "not_found",
        "error",
        "error",
    ]
    assert answers[2]["suggestions"][0]["score"] >= answers[2]["suggestions"][1]["score"]


def test_import_reports_every_problem_and_writes_nothing(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = env / "bad.yaml"
    bad.write_text(
        "entities:\n"
        "  - {key: tokyo, kind: persn, name: Tokyo}\n"
        "facts:\n"
        "  - {text: Tokyo is large., about: [japn], source: nowhere}\n",
        encoding="utf-8",
    )
    assert main(["import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "entities[0].kind: unknown kind 'persn'" in err
    assert "facts[0].about[0]: no entity 'japn'" in err
    assert "facts[0].source: no source 'nowhere'" in err
    assert "Traceback" not in err
    assert main(["ask", "about tokyo"]) == 1


def test_export_then_import_changes_nothing(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(env / "all.json")]) == 0
    exported = json.loads((env / "all.json").read_text(encoding="utf-8"))
    assert len(exported["entities"]) == 18 and len(exported["facts"]) == 15
    capsys.readouterr()
    assert main(["import", str(env / "all.json")]) == 0
    assert "0 created; 0 updated" in capsys.readouterr().out


def test_import_of_a_missing_file_is_a_clear_error(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(env / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert "nope.yaml" in err and "Traceback" not in err


def test_db_current_and_downgrade(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "schema revision: 0005" in capsys.readouterr().out
    assert main(["db", "downgrade", "base", "--yes"]) == 0
    assert "none (empty database)" in capsys.readouterr().out


def test_a_bad_setting_is_one_clear_line(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "not a url")
    assert main(["ask", "who nozdrev"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("diplobot: DATABASE_URL must be an SQLite or PostgreSQL URL")
    assert len(err.strip().splitlines()) == 1


def test_settings_come_from_a_dotenv_file(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (env / ".env").write_text(f"DATABASE_URL=sqlite:///{env / 'from-dotenv.db'}\n")
    os.environ.pop("DIPLOBOT_DB_PATH")
    assert main(["ask", "who nozdrev"]) == 0
    assert (env / "from-dotenv.db").exists()


@pytest.mark.slow
def test_python_dash_m_bot_is_the_same_command(env: Path) -> None:
    done = shell(env, f"{PYTHON_M_BOT} ask --json 'dispute habomai'")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["entity"]["key"] == "kuril-islands-dispute"


@pytest.mark.slow
def test_console_answers_until_end_of_input(env: Path) -> None:
    done = shell(env, f"{PYTHON_M_BOT} console", stdin="who nozdrev\n!dispute kuril\nwho\n")
    assert done.returncode == 0, done.stderr
    assert "Nikolai Nozdrev  (person)" in done.stdout
    assert "Kuril Islands dispute  (dispute)" in done.stdout
    assert "`!who` needs a name" in done.stdout


def test_a_large_import_shows_progress(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entities = [{"key": f"place-{n}", "kind": "place", "name": f"Place {n}"} for n in range(300)]
    (env / "large.json").write_text(json.dumps({"entities": entities}), encoding="utf-8")
    assert main(["import", str(env / "large.json")]) == 0
    captured = capsys.readouterr()
    assert "importing: 300/300 (100%)" in captured.err
    assert "300 entities created" in captured.out


@pytest.mark.slow
def test_a_reader_that_stops_early_gets_no_traceback(env: Path) -> None:
    done = shell(env, f"yes 'timeline japan' | head -500 | {PYTHON_M_BOT} ask --json - | head -1")
    assert json.loads(done.stdout)["title"] == "Timeline: Japan"
    assert "Traceback" not in done.stderr
