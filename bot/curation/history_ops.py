"""The curation operations on revisions: ``curate history``, ``revision`` and ``undo``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.answer import Answer, Status
from bot.core.arguments import Arg, Param, UsageError
from bot.curation import history
from bot.curation.operations import REASON, Desk, View, hint, operation
from bot.curation.outcomes import done

LISTED = 20
"""How many revisions a history listing shows unless told ``limit:N``."""
LISTED_MAX = 100
"""The most a listing shows at once; older ones are paged to with ``before:N``."""


@operation(
    "history",
    "The latest changes, newest first, 20 at a time (limit:, before: page); or one record's.",
    "curate history japan",
    Param("record", "An entity's, source's or fact's key", required=False, type=Arg.RECORD),
    Param(
        "limit",
        f"How many revisions to list (default {LISTED}, at most {LISTED_MAX})",
        required=False,
        type=Arg.NUMBER,
        named=True,
    ),
    Param(
        "before",
        "List only revisions older than this number (the next page)",
        required=False,
        type=Arg.NUMBER,
        named=True,
    ),
    writes=False,
    view=View.HISTORY,
    follow="revision",
)
def history_(desk: Desk, values: Mapping[str, Any]) -> Answer:
    key, limit, before = values.get("record"), values.get("limit", LISTED), values.get("before")
    if not 1 <= limit <= LISTED_MAX:
        raise UsageError(f"`limit:` takes a number from 1 to {LISTED_MAX}, not {limit}")
    if before is not None and before < 1:
        raise UsageError(f"`before:` takes a revision's number, 1 or more, not {before}")
    found = history.history(desk.library.store, key, limit=limit + 1, before=before)
    entries, more = found[:limit], len(found) > limit
    title = f"History of '{key}'" if key else "History"
    if not entries:
        return Answer(
            history_.command,
            key or "",
            Status.NOT_FOUND,
            title=title,
            notice=_nothing(key, before),
        )
    return Answer(
        history_.command,
        key or "",
        Status.FOUND,
        title=title,
        notice=_listed(entries, key, limit, more),
        lines=tuple(entry.line() for entry in entries),
        listed=tuple(entry.number for entry in entries),
        older=more,
    )


def _nothing(key: str | None, before: int | None) -> str:
    older = f" before #{before}" if before is not None else ""
    if key:
        return f"No revision{older} touched '{key}'."
    return f"The store has no revisions{older}." if older else "The store has no revisions yet."


def _listed(entries: list[history.Entry], key: str | None, limit: int, more: bool) -> str:
    """``20 revisions, newest first (#35–#16). `curate revision N` shows one; `curate
    history before:16` lists older ones.``"""
    newest, oldest = entries[0].number, entries[-1].number
    span = f"#{newest}" if newest == oldest else f"#{newest}–#{oldest}"
    many = "s" if len(entries) != 1 else ""
    notice = f"{len(entries)} revision{many}, newest first ({span}). "
    notice += f"{hint('revision', 'N')} shows one"
    if not more:
        return notice + "."
    paging: dict[str, object] = {} if limit == LISTED else {"limit": limit}
    older = hint("history", *([key] if key else []), **paging, before=oldest)
    return notice + f"; {older} lists older ones."


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
            f"{hint('undo', entry.number)} reverts them all)"
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
