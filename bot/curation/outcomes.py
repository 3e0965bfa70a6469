"""The answers curation handlers give: a finished change with its diff, or a confirmed one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.core.answer import Answer, Status
from bot.curation import edits, history
from bot.curation.operations import Desk, Operation, hint, sentence
from bot.curation.writer import Change
from bot.errors import DiplobotError, ImportFileError


def done(spec: Operation, finished: edits.Done) -> Answer:
    """The answer for a finished change: what it did, its revisions and its diff."""
    notice = finished.summary
    if len(finished.revisions) == 1:
        first = finished.revisions[0]
        notice += f" Revision #{first}; {hint('undo', first)} reverts it."
    elif finished.revisions:
        first, last = finished.revisions[0], finished.revisions[-1]
        notice += f" Revisions #{first}–#{last}; {hint('undo', first)} reverts them all."
    return Answer(
        spec.command,
        "",
        Status.DONE,
        notice=notice,
        title=_title(finished.changes),
        lines=tuple(change_lines(finished.changes)),
        revisions=finished.revisions,
    )


def confirmed(desk: Desk, spec: Operation, work: Callable[[], Answer]) -> Answer:
    """Carry out a confirmed change: its answer, with lookups refreshed, or the error."""
    try:
        answer = work()
    except ImportFileError as error:
        return Answer(
            spec.command,
            "",
            Status.ERROR,
            notice=sentence(str(error).split("\n")[0]),
            lines=tuple(error.problems),
        )
    except DiplobotError as error:
        return Answer(spec.command, "", Status.ERROR, notice=sentence(str(error)))
    if answer.revisions:
        desk.library.refresh()
    return answer


def change_lines(changes: tuple[Change, ...] | list[Change], limit: int = 60) -> list[str]:
    """Readable lines for changes: the diff of a single one, a line per record for several."""
    if len(changes) == 1:
        return history.diff(changes[0].before, changes[0].after)
    lines = []
    for change in changes[:limit]:
        verb = {"create": "added", "update": "changed", "delete": "deleted"}[change.action]
        detail = history.diff(change.before, change.after) if change.action == "update" else []
        shown = f" ({'; '.join(detail[:3])})" if detail else ""
        lines.append(f"{verb} {change.target_type} '{change.key}'{shown}")
    if len(changes) > limit:
        lines.append(f"… and {len(changes) - limit} more")
    return lines


def fields(values: Mapping[str, Any], *names: str) -> dict[str, Any]:
    """The values of the named parameters that were given."""
    return {name: values[name] for name in names if name in values}


def _title(changes: tuple[Change, ...]) -> str:
    if len(changes) == 1:
        change = changes[0]
        verb = {"create": "Added", "update": "Changed", "delete": "Deleted"}[change.action]
        return f"{verb} {change.target_type} '{change.key}'"
    return f"{len(changes)} records changed" if changes else "Nothing changed"
