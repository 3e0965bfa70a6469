"""The offline front door: one-shot ``ask`` and the interactive ``console``."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from bot.answers.commands import COMMANDS
from bot.answers.text_json import as_json, as_text
from bot.core.answer import Answer, Status
from bot.core.arguments import Arg, Param, UsageError, bind
from bot.core.curation_line import PREFIX_WORD, Memory, is_curation
from bot.errors import DiplobotError, is_database_error
from bot.records.actor import Actor

if TYPE_CHECKING:
    from bot.curation import operations as curation
    from bot.library import Library

log = logging.getLogger(__name__)


class Lookups(Protocol):
    """What answers typed lines: a `Library`, or a `bot.answers.quick.QuickLibrary`
    answering lookups from a snapshot, which opens a whole library for curation."""

    def answer(self, text: str) -> Answer: ...
    def refresh(self) -> bool: ...
    def whole(self) -> Library: ...


HISTORY_FILE = Path.home() / ".diplobot_history"
PROMPT = "diplobot> "
NOT_CONFIRMED = "Nothing was changed."
"""What the console says when a confirmation is answered with anything but yes."""

EXIT_CODES = {
    Status.FOUND: 0,
    Status.DONE: 0,
    Status.AMBIGUOUS: 1,
    Status.NOT_FOUND: 1,
    Status.PENDING: 1,
    Status.ERROR: 2,
}
"""``ask``'s exit status for one command: 0 found or done, 1 ambiguous, not found or
waiting for a confirmation, 2 bad input."""


def as_printed(answer: Answer, as_json_line: bool) -> str:
    """The answer as readable text, or as one line of JSON."""
    if as_json_line:
        return json.dumps(as_json(answer), ensure_ascii=False)
    return as_text(answer)


def respond(
    library: Lookups,
    line: str,
    *,
    confirmed: bool = False,
    memory: Memory | None = None,
) -> Answer:
    """Answer one line: a lookup, or a curation command run as the console's operator.

    A curation command waiting for confirmation is carried out only when
    ``confirmed``; otherwise its preview comes back with status ``pending``.
    ``memory`` is what the session keeps between lines (its current source).
    """
    _catch_up(library)
    if not is_curation(line):
        return library.answer(line)
    from bot.curation import operations as curation  # only now: a lookup needs none of it

    answer = run_curation(curation.Desk(library.whole(), Actor.console(), memory), line)
    if answer.confirm is not None and confirmed:
        return answer.confirm.apply()
    return answer


def run_curation(desk: curation.Desk, line: str) -> Answer:
    """Run a typed curation line; a file it takes is named by its path here
    (``curate import draft.yaml``, ``curate article story.html``), where Discord attaches
    it. A web address typed for the file goes to the operation's ``url``, when it has one
    (``curate article https://…``)."""
    from bot.curation import operations as curation

    try:
        name, rest = curation.parse(line)
    except UsageError:
        return curation.run_line(desk, line)
    spec = curation.OPERATIONS[name]
    if not any(param.type is Arg.FILE for param in spec.params):
        return curation.run_line(desk, line)
    typed = [replace(p, type=Arg.TEXT) if p.type is Arg.FILE else p for p in spec.params]
    try:
        values: dict[str, Any] = dict(bind(typed, rest, spec.usage))
        for param in spec.params:
            if param.type is Arg.FILE and param.name in values:
                values.update(_typed_file(spec, param, values.pop(param.name), "url" in values))
    except UsageError as error:
        return Answer(spec.command, rest, Status.ERROR, notice=str(error))
    return curation.run(desk, name, values)


def _typed_file(
    spec: curation.Operation, param: Param, typed: str, url_given: bool
) -> dict[str, Any]:
    """The value typed for a file parameter: the named file's name and bytes, or a web
    address for the operation's ``url`` (unless one is given already)."""
    takes_url = not url_given and any(p.name == "url" for p in spec.params)
    if takes_url and typed.casefold().startswith(("http://", "https://")):
        return {"url": typed}
    from bot.curation.files import ATTACHMENT_MAX_BYTES

    path = Path(typed).expanduser()
    try:
        if not path.is_file():
            raise UsageError(f"`{param.name}`: there is no file {typed}")
        size = path.stat().st_size
        if size > ATTACHMENT_MAX_BYTES:
            raise UsageError(
                f"`{param.name}`: {typed} is {size:,} bytes; at most "
                f"{ATTACHMENT_MAX_BYTES:,} are taken"
            )
        return {param.name: (path.name, path.read_bytes())}
    except OSError as error:
        raise UsageError(f"`{param.name}`: cannot read {typed}: {error.strerror}") from None


def _catch_up(library: Lookups) -> None:
    """Pick up changes other processes made since the last line (one cheap query when
    there are none). If the store cannot be reached, answer from the catalog held."""
    try:
        library.refresh()
    except Exception as error:
        if not isinstance(error, DiplobotError) and not is_database_error(error):
            raise
        log.warning("could not check the store for changes: %s", error)


def ask(
    library: Lookups,
    command: str,
    *,
    json_output: bool,
    confirmed: bool = False,
    out: TextIO | None = None,
    chart: Path | None = None,
) -> int:
    """Answer one command and print it (to stdout by default); returns the exit status.
    With chart, also write the answer's chart there as PNG; an answer without one (not a
    timeline of 3 dated facts or more) writes nothing, says why, and exits 1 at least."""
    answer = respond(library, command, confirmed=confirmed)
    print(as_printed(answer, json_output), file=out or sys.stdout)
    if answer.status is Status.PENDING:
        print("Not applied: add --yes to confirm it.", file=sys.stderr)
    _save_attachment(answer)
    status = EXIT_CODES[answer.status]
    if chart is not None and not write_chart(answer, chart):
        return max(status, 1)
    return status


def write_chart(answer: Answer, path: Path) -> bool:
    """Write answer's chart to path as PNG, whole or not at all; False, with one line on
    standard error saying why, when the answer has no chart."""
    from bot.charts.timeline import timeline_chart, why_no_chart

    drawn = timeline_chart(answer)
    if drawn is None:
        print(f"diplobot: no chart written to {path}: {why_no_chart(answer)}", file=sys.stderr)
        return False
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(drawn.png)
        partial.replace(path)
    except OSError as error:
        raise DiplobotError(f"cannot write the chart to {path}: {error.strerror}") from error
    finally:
        partial.unlink(missing_ok=True)
    print(f"wrote {path} ({len(drawn.png):,} bytes)", file=sys.stderr)
    return True


def ask_lines(
    library: Lookups,
    lines: Iterable[str],
    *,
    json_output: bool,
    confirmed: bool = False,
    out: TextIO | None = None,
) -> int:
    """Answer one command per line, printing each answer in order; blank lines are skipped."""
    out = out or sys.stdout
    memory = Memory()
    for line in lines:
        if not line.strip():
            continue
        answer = respond(library, line, confirmed=confirmed, memory=memory)
        print(as_printed(answer, json_output), file=out, flush=True)
        _save_attachment(answer)
        if not json_output:
            print(file=out)
    return 0


def _save_attachment(answer: Answer) -> None:
    """Write a file an answer comes with (``curate export``) to the current directory."""
    if answer.attachment is None:
        return
    path = Path(answer.attachment.filename)
    path.write_bytes(answer.attachment.data)
    print(f"wrote {path}", file=sys.stderr)


def console(library: Library) -> int:
    """Read commands from the terminal until end of input (Ctrl-D) or ``quit``."""
    readline = _enable_line_editing()
    count = len(library.catalog.entities)
    print(f"diplobot console: {count} entities, {len(library.catalog.facts)} facts.")
    print("Type a command such as `who nozdrev` or `help`; Ctrl-D or `quit` to leave.")
    print("Curators: `curate help` lists the commands that change the store.")
    memory = Memory()
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
                answer = respond(library, line, memory=memory)
                print(as_text(answer))
                _save_attachment(answer)
                if answer.confirm is not None:
                    if _yes(f"{answer.confirm.label}? [y/N] "):
                        print(as_text(answer.confirm.apply()))
                    else:
                        print(NOT_CONFIRMED)
                print()
    finally:
        if readline is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(HISTORY_FILE)


def _yes(prompt: str) -> bool:
    try:
        return input(prompt).strip().casefold() in {"y", "yes"}
    except EOFError:
        print()
        return False


def _enable_line_editing() -> ModuleType | None:
    """Turn on readline editing, history and command-name completion, where available."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return None
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY_FILE)
    readline.set_history_length(1000)
    names = [*COMMANDS, PREFIX_WORD]

    def complete(text: str, state: int) -> str | None:
        stem = text.lstrip("!")
        matches = [("!" if text.startswith("!") else "") + n for n in names if n.startswith(stem)]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")
    return readline
