"""What a console session and the lines of one `diplobot ask -` keep between commands (the
current source of `curate source use`), and what a refused confirmation says; in process."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import pytest

from bot.console import NOT_CONFIRMED, ask, ask_lines, console
from bot.curation.history import latest_revision
from bot.library import Library

SOURCE = "russia-warns-japan-patriots-2024-03-24"
SECOND = 'curate source add ap-2024-03 "Kamikawa replies" outlet:"Associated Press"'
ADD = "curate fact add about:japan date:2024-03 Japan replied to Russia."


def flat(out: str) -> str:
    """Printed text with its lines joined again (the console wraps long lines)."""
    return re.sub(r"\s+", " ", out.replace("-\n", "-"))


def typed(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    """The console reads lines from the terminal; then the input ends."""
    waiting: Iterator[str] = iter(lines)

    def read(prompt: str = "") -> str:
        print(prompt, end="")
        try:
            return next(waiting)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", read)
    monkeypatch.setattr("bot.console._enable_line_editing", lambda: None)


def test_a_console_session_cites_its_current_source_until_cleared(
    own_library: Library, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, [SECOND, "curate source use ap-2024-03", ADD, "curate source use -", ADD])
    assert console(own_library) == 0
    out = flat(capsys.readouterr().out)
    assert (
        "`curate fact add` without source: now cites 'ap-2024-03', for the rest of this "
        "session. `curate source use -` stops it." in out
    )
    assert "It cites your current source 'ap-2024-03' (`curate source use` changes it)." in out
    assert "You have no current source now" in out
    assert out.endswith(
        "A fact needs a source: give source:KEY, or choose one for the facts you add next "
        "with `curate source use SOURCE`. diplobot> "
    )
    [fact] = own_library.answer("source kamikawa replies").facts
    assert fact.text == "Japan replied to Russia."


def test_an_unknown_source_is_refused_with_a_suggestion(
    own_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    ask(own_library, "curate source use russia-warns-japan-patriot-2024-03-24", json_output=True)
    assert json.loads(capsys.readouterr().out)["notice"] == (
        f"No source 'russia-warns-japan-patriot-2024-03-24' (did you mean '{SOURCE}'?)."
    )


def test_the_lines_of_one_ask_share_a_current_source(own_library: Library) -> None:
    out = io.StringIO()
    ask_lines(own_library, [f"curate source use {SOURCE}", ADD], json_output=True, out=out)
    used, added = (json.loads(line) for line in out.getvalue().splitlines())
    assert used["status"] == "done" and added["status"] == "done"
    assert f"It cites your current source '{SOURCE}'" in added["notice"]


def test_a_one_shot_ask_keeps_no_current_source(
    own_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ask(own_library, f"curate source use {SOURCE}", json_output=False) == 0
    assert "for this command only" in flat(capsys.readouterr().out)
    before = latest_revision(own_library.store)
    assert ask(own_library, ADD, json_output=False) == 2
    assert "`curate source use SOURCE`" in flat(capsys.readouterr().out)
    assert latest_revision(own_library.store) == before


def test_no_at_a_confirmation_says_nothing_was_changed(
    own_library: Library, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = latest_revision(own_library.store)
    typed(monkeypatch, ["curate entity delete patriot with_facts:yes", "n"])
    assert console(own_library) == 0
    assert f"Delete? [y/N] {NOT_CONFIRMED}\n" in capsys.readouterr().out
    assert NOT_CONFIRMED == "Nothing was changed."
    assert latest_revision(own_library.store) == before
