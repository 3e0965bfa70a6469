"""Curation from the command line: `diplobot ask 'curate …'` and the `diplobot console` prompt."""

from __future__ import annotations

import io
import json
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.config import Settings
from bot.console import ask, ask_lines, respond
from bot.core.answer import Status
from bot.library import Library
from tests.conftest import PROJECT, shell

DIPLOBOT = f"{shlex.quote(sys.executable)} -m bot"
KAMIKAWA = 'curate entity add yoko-kamikawa person "Yoko Kamikawa" summary:"Japan\'s minister."'


def diplobot(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`diplobot ARGS…` typed at a shell prompt, each argument quoted as a user would."""
    return shell(cwd, " ".join([DIPLOBOT, *(shlex.quote(arg) for arg in args)]), stdin)


@pytest.fixture
def library(env: Path) -> Iterator[Library]:
    """The store the env's commands use, opened in this process."""
    opened = Library.open(Settings.from_mapping({"DATABASE_URL": f"sqlite:///{env / 'cli.db'}"}))
    yield opened
    opened.close()


# --- diplobot ask ---------------------------------------------------------------


@pytest.mark.slow
def test_a_change_made_with_ask_is_seen_by_the_next_process(env: Path) -> None:
    added = diplobot(env, "ask", KAMIKAWA)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Added entity 'yoko-kamikawa'")
    assert "Revision #35; `curate undo 35` reverts it." in added.stdout

    found = diplobot(env, "ask", "who kamikawa")
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith("Yoko Kamikawa  (person)")
    assert "Japan's minister." in found.stdout


@pytest.mark.slow
def test_a_change_that_needs_confirming_is_applied_only_with_yes(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = "curate entity delete nikolai-nozdrev with_facts:yes"
    pending = diplobot(env, "ask", line)
    assert pending.returncode == 1
    assert pending.stdout.startswith("Delete 'nikolai-nozdrev' and 7 facts?")
    assert "Not applied: add --yes to confirm it." in pending.stderr
    assert main(["ask", "who nozdrev"]) == 0  # still there

    applied = diplobot(env, "ask", "--yes", line)
    assert applied.returncode == 0, applied.stderr
    assert "Deleted entity 'nikolai-nozdrev' with 7 facts." in applied.stdout
    assert "Not applied" not in applied.stderr
    capsys.readouterr()
    assert main(["ask", "who nozdrev"]) == 1
    assert "No person or organisation in the store matches “nozdrev”." in capsys.readouterr().out


@pytest.mark.slow
def test_ask_json_prints_one_object_per_curation_answer(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = diplobot(env, "ask", "--json", "curate history")
    assert listing.returncode == 0, listing.stderr
    [line] = listing.stdout.splitlines()
    answer = json.loads(line)
    assert answer["command"] == "curate history"
    assert answer["status"] == "found"
    assert len(answer["lines"]) == 20  # the newest 20 of the seed's 34
    assert answer["lines"][0].startswith("#34 · ")
    assert answer["revisions"] == []

    assert main(["ask", "--json", "curate alias add japan Nipponkoku"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "done"
    assert answer["revisions"] == [35]
    assert answer["lines"] == ["aliases: + 'Nipponkoku'"]


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("curate help", 0),
        ("curate history nothing-here", 1),
        ("curate entity delete nikolai-nozdrev with_facts:yes", 1),
        ("curate bogus", 2),
        ("curate undo abc", 2),
        ("curate entity edit japn summary:x", 2),
    ],
)
def test_ask_exit_status_follows_a_curation_answer(
    env: Path, capsys: pytest.CaptureFixture[str], line: str, status: int
) -> None:
    assert main(["ask", "--json", line]) == status
    assert json.loads(capsys.readouterr().out)["command"].startswith("curate")


def test_ask_tells_what_a_curation_error_is(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "curate entity edit japn summary:x"]) == 2
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "error"
    assert answer["notice"] == "No entity 'japn' (did you mean 'japan'?)."


def test_a_file_typed_by_name_is_a_clear_error(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "curate import file:more-facts.yaml"]) == 2
    assert "`file`" in capsys.readouterr().out


@pytest.mark.slow
def test_ask_curate_export_writes_the_file_to_the_working_directory(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    done = diplobot(env, "ask", "curate export")
    assert done.returncode == 0, done.stderr
    [written] = env.glob("diplobot-*.yaml")
    assert f"wrote {written.name}" in done.stderr
    document = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert [len(document[name]) for name in ("sources", "entities", "facts")] == [1, 18, 15]

    assert main(["import", written.name]) == 0
    assert "0 created; 0 updated" in capsys.readouterr().out


@pytest.mark.slow
def test_ask_reads_curation_lines_from_stdin(env: Path) -> None:
    lines = f"{KAMIKAWA}\n\nwho kamikawa\ncurate entity delete yoko-kamikawa\nwho kamikawa\n"
    done = diplobot(env, "ask", "--json", "-", stdin=lines)
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["status"] for a in answers] == ["done", "found", "done", "not_found"]


# --- diplobot console ----------------------------------------------------------


@pytest.mark.slow
def test_console_curates_and_asks_before_a_change_that_needs_confirming(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = [
        "curate alias add japan Nipponkoku",
        "curate entity delete nikolai-nozdrev with_facts:yes",
        "y",
        "who nozdrev",
        "curate export",
        "quit",
        "curate alias remove japan Nipponkoku",  # after quit: never read
    ]
    done = diplobot(env, "console", stdin="\n".join(typed) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Added the alias 'Nipponkoku' to 'japan'. Revision #35" in out
    assert "Deleting entity 'nikolai-nozdrev' also deletes 7 facts about it." in out
    assert "Delete? [y/N] " in out
    assert "Deleted entity 'nikolai-nozdrev' with 7 facts. Revisions #36–#43" in out
    assert "No person or organisation in the store matches “nozdrev”." in out
    assert out.index("Delete? [y/N]") < out.index("Deleted entity") < out.index("No person")

    # The export went to the working directory, and holds the store as changed.
    [written] = env.glob("diplobot-*.yaml")
    assert f"wrote {written.name}" in done.stderr
    document = yaml.safe_load(written.read_text(encoding="utf-8"))
    keys = {entity["key"] for entity in document["entities"]}
    assert "japan" in keys and "nikolai-nozdrev" not in keys

    assert main(["ask", "--json", "curate history limit:100"]) == 0
    assert len(json.loads(capsys.readouterr().out)["lines"]) == 43
    assert main(["ask", "about nipponkoku"]) == 0  # quit came before the removal


@pytest.mark.slow
def test_console_leaves_the_store_alone_unless_told_yes(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    delete = "curate entity delete nikolai-nozdrev with_facts:yes"
    replies = ["n", "", "no thanks"]
    typed = [line for reply in replies for line in (delete, reply)]
    # The last one meets the end of input at its prompt: that is a no too.
    done = diplobot(env, "console", stdin="\n".join([*typed, "who nozdrev", delete]) + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Delete? [y/N] ") == 4
    assert done.stdout.count("Delete? [y/N] Nothing was changed.\n") == 3
    assert "Nikolai Nozdrev  (person)" in done.stdout
    assert "Deleted entity" not in done.stdout
    assert done.stdout.endswith("Delete? [y/N] \nNothing was changed.\n\ndiplobot> \n")
    assert main(["ask", "who nozdrev"]) == 0
    assert main(["ask", "--json", "curate history limit:100"]) == 0
    assert len(json.loads(capsys.readouterr().out.splitlines()[-1])["lines"]) == 34


# --- the same, in process ------------------------------------------------------


def test_respond_runs_curation_lines_and_lookups(library: Library) -> None:
    assert respond(library, "who kamikawa").status is Status.NOT_FOUND
    assert respond(library, KAMIKAWA).status is Status.DONE
    assert respond(library, "!who kamikawa").status is Status.FOUND
    pending = respond(library, "!curate entity delete nikolai-nozdrev with_facts:yes")
    assert pending.status is Status.PENDING
    assert respond(library, "who nozdrev").status is Status.FOUND
    applied = respond(
        library, "curate entity delete nikolai-nozdrev with_facts:yes", confirmed=True
    )
    assert applied.status is Status.DONE
    assert respond(library, "who nozdrev").status is Status.NOT_FOUND


def test_ask_returns_the_exit_status_and_prints_the_answer(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    status = ask(library, "curate alias add japan Nipponkoku", json_output=True, out=out)
    assert status == 0
    assert json.loads(out.getvalue())["revisions"] == [35]
    line = "curate entity delete nikolai-nozdrev with_facts:yes"
    assert ask(library, line, json_output=False, out=io.StringIO()) == 1
    assert capsys.readouterr().err == "Not applied: add --yes to confirm it.\n"
    assert ask(library, line, json_output=False, confirmed=True, out=io.StringIO()) == 0
    assert capsys.readouterr().err == ""


def test_ask_lines_saves_an_export_next_to_the_user(
    env: Path, library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    assert ask_lines(library, ["curate export", "", "curate help"], json_output=True, out=out) == 0
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [a["command"] for a in answers] == ["curate export", "curate help"]
    [written] = env.glob("diplobot-*.yaml")
    assert answers[0]["attachment"] == {"filename": written.name, "size": written.stat().st_size}
    assert capsys.readouterr().err == f"wrote {written.name}\n"


# --- article drafts ------------------------------------------------------------

ARTICLE = PROJECT / "tests" / "chat" / "curate" / "article.html"
DRAFT = "draft-japan-and-russia-reopen-talks-on-the-kuril-2024-05-16.yaml"


@pytest.mark.slow
def test_console_drafts_an_article_from_a_path_and_imports_the_draft(env: Path) -> None:
    (env / "story.html").write_bytes(ARTICLE.read_bytes())
    typed = ["curate article story.html", f"curate import {DRAFT}", "y", "who ishikawa", "quit"]
    done = diplobot(env, "console", stdin="\n".join(typed) + "\n")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())  # the summary is wrapped to the terminal's width
    flat = "".join(out.split())  # and a long file name is wrapped at its hyphens
    assert "Draft: Japan and Russia reopen talks on the Kuril Islands" in out
    assert (
        "Drafted 1 new entity and 7 facts from “Japan and Russia reopen talks on the Kuril "
        "Islands” (Harbour Wire, 2024-05-16T09:30:00+09:00)." in out
    )
    said = f"The draft is {DRAFT}: review it, then `diplobot import {DRAFT}`."
    assert "".join(said.split()) in flat
    assert "new person: Haruto Ishikawa (haruto-ishikawa)" in out
    assert f"wrote {DRAFT}" in done.stderr
    document = yaml.safe_load((env / DRAFT).read_text(encoding="utf-8"))
    assert len(document["facts"]) == 7
    assert "".join(f"Imported {DRAFT}: 1 source, 1 entity, 7 facts created".split()) in flat
    assert "Haruto Ishikawa (person)" in out


def test_a_draft_is_an_answer_of_ask_json_with_no_number_at_the_console(
    library: Library, env: Path
) -> None:
    out = io.StringIO()
    status = ask(library, f"curate article {ARTICLE}", json_output=True, out=out)
    assert status == 0
    shown = json.loads(out.getvalue())
    assert (shown["status"], shown["draft"]) == ("found", None)  # saved for review on Discord
    assert shown["attachment"]["filename"] == DRAFT
    assert (env / DRAFT).is_file()


def test_a_missing_path_or_two_inputs_are_one_line_at_the_console(library: Library) -> None:
    missing = respond(library, "curate article nowhere.html")
    assert (missing.status, missing.notice) == (
        Status.ERROR,
        "`file`: there is no file nowhere.html",
    )
    both = respond(library, f"curate article {ARTICLE} url:https://example.com/a.html")
    assert both.status is Status.ERROR and both.notice.startswith("Give the article one way")
