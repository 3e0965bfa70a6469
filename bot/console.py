"""The offline front door: one-shot ``ask`` and the interactive ``console``."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import TextIO

from bot.answers.commands import COMMANDS
from bot.answers.model import Answer, Status
from bot.answers.render import as_json, as_text
from bot.library import Library

HISTORY_FILE = Path.home() / ".diplobot_history"
PROMPT = "diplobot> "

EXIT_CODES = {Status.FOUND: 0, Status.AMBIGUOUS: 1, Status.NOT_FOUND: 1, Status.ERROR: 2}
"""``ask``'s exit status for one command: 0 found, 1 ambiguous or not found, 2 bad input."""


def render(answer: Answer, as_json_line: bool) -> str:
    """The answer as readable text, or as one line of JSON."""
    if as_json_line:
        return json.dumps(as_json(answer), ensure_ascii=False)
    return as_text(answer)


def ask(library: Library, command: str, *, json_output: bool, out: TextIO | None = None) -> int:
    """Answer one command and print it (to stdout by default); returns the exit status."""
    answer = library.answer(command)
    print(render(answer, json_output), file=out or sys.stdout)
    return EXIT_CODES[answer.status]


def ask_lines(
    library: Library, lines: Iterable[str], *, json_output: bool, out: TextIO | None = None
) -> int:
    """Answer one command per line, printing each answer in order; blank lines are skipped."""
    out = out or sys.stdout
    for line in lines:
        if not line.strip():
            continue
        print(render(library.answer(line), json_output), file=out, flush=True)
        if not json_output:
            print(file=out)
    return 0


def console(library: Library) -> int:
    """Read commands from the terminal until end of input (Ctrl-D) or ``quit``."""
    readline = _enable_line_editing()
    count = len(library.catalog.entities)
    print(f"diplobot console: {count} entities, {len(library.catalog.facts)} facts.")
    print("Type a command such as `who nozdrev` or `help`; Ctrl-D or `quit` to leave.")
    try:
        while True:
            try:
                line = input(PROMPT)
            except EOFError:
                print()
                return 0
            except KeyboardInterrupt:
                print()
                continue
            if line.strip().casefold() in {"quit", "exit", ":q"}:
                return 0
            if line.strip():
                print(as_text(library.answer(line)))
                print()
    finally:
        if readline is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(HISTORY_FILE)


def _enable_line_editing() -> ModuleType | None:
    """Turn on readline editing, history and command-name completion, where available."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return None
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY_FILE)
    readline.set_history_length(1000)
    names = list(COMMANDS)

    def complete(text: str, state: int) -> str | None:
        stem = text.lstrip("!")
        matches = [("!" if text.startswith("!") else "") + n for n in names if n.startswith(stem)]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")
    return readline
