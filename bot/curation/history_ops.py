"""The curation operations on revisions: ``curate history``, ``revision`` and ``undo``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.answer import Answer, Status
from bot.core.arguments import Arg, Param
from bot.curation import history
from bot.curation.operations import REASON, Desk, View, operation
from bot.curation.outcomes import done

HISTORY_LIMIT = 500
"""How many revisions a history listing reaches back."""


@operation(
    "history",
    "The latest changes, newest first; name a record to see only its own.",
    "curate history japan",
    Param("record", "An entity's, source's or fact's key", required=False, type=Arg.RECORD),
    writes=False,
    view=View.HISTORY,
    follow="revision",
)
def history_(desk: Desk, values: Mapping[str, Any]) -> Answer:
    key = values.get("record")
    entries = history.history(desk.library.store, key, limit=HISTORY_LIMIT)
    title = f"History of '{key}'" if key else "History"
    if not entries:
        notice = f"No revision touched '{key}'." if key else "The store has no revisions yet."
        return Answer(history_.command, key or "", Status.NOT_FOUND, title=title, notice=notice)
    many = "s" if len(entries) != 1 else ""
    return Answer(
        history_.command,
        key or "",
        Status.FOUND,
        title=title,
        notice=f"{len(entries)} revision{many}, newest first. `curate revision N` shows one.",
        lines=tuple(entry.line() for entry in entries),
        listed=tuple(entry.number for entry in entries),
    )


@operation(
    "revision",
    "One revision: who, where, when, why, and what it changed.",
    "curate revision 12",
    Param("number", "The revision's number", type=Arg.NUMBER),
    writes=False,
    view=View.REVISION,
    follow="undo",
)
def revision(desk: Desk, values: Mapping[str, Any]) -> Answer:
    detail = history.revision(desk.library.store, values["number"])
    entry = detail.entry
    notice = entry.line()
    if detail.batch_size > 1:
        notice += (
            f" (one of {detail.batch_size} revisions made together; "
            f"`curate undo {entry.number}` reverts them all)"
        )
    return Answer(
        revision.command,
        str(entry.number),
        Status.FOUND,
        title=f"Revision {entry.number}: {entry.what}",
        notice=notice,
        lines=detail.diff,
        listed=(entry.number,),
    )


@operation(
    "undo",
    "Revert a revision exactly (with the others made together with it), as a new revision.",
    'curate undo 12 reason:"wrong date"',
    Param("number", "The revision's number", type=Arg.NUMBER),
    REASON,
)
def undo(desk: Desk, values: Mapping[str, Any]) -> Answer:
    finished = history.undo(
        desk.library.store, desk.actor, values["number"], reason=values.get("reason")
    )
    return done(undo, finished)
