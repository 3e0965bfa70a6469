"""The curation operations on sources: ``curate source add`` and ``curate source edit``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.answer import Answer, Status
from bot.core.arguments import Arg, Param
from bot.curation import edits
from bot.curation.operations import REASON, Desk, group, operation
from bot.curation.outcomes import done, fields
from bot.store import current_sources

group("source", "Add and correct sources (articles), and choose the one facts cite")


@operation(
    "source add",
    "Add an article facts can cite.",
    'curate source add ria-2024-03 "Nozdrev interview" outlet:"RIA Novosti" published:2024-03-20',
    Param("key", "The new source's key, like ria-2024-03", type=Arg.KEY),
    Param("title", "The article's headline", type=Arg.TEXT),
    Param("outlet", "The publication", required=False, type=Arg.TEXT),
    Param("url", "Where it can be read (http or https)", required=False, type=Arg.TEXT),
    Param(
        "published", "When: 2024-03-24 or 2024-03-24T06:21:00-04:00", required=False, type=Arg.DATE
    ),
    REASON,
)
def source_add(desk: Desk, values: Mapping[str, Any]) -> Answer:
    raw = fields(values, "key", "title", "outlet", "url", "published")
    finished = edits.add_source(desk.library.store, desk.actor, raw, reason=values.get("reason"))
    return done(source_add, finished)


@operation(
    "source edit",
    "Correct a source's title, outlet, url or publication time (- clears a field).",
    'curate source edit ria-2024-03 outlet:"RIA Novosti"',
    Param("source", "The source's key", type=Arg.SOURCE),
    Param("title", "The article's headline", required=False, type=Arg.TEXT),
    Param("outlet", "The publication", required=False, type=Arg.TEXT),
    Param("url", "Where it can be read", required=False, type=Arg.TEXT),
    Param("published", "When it was published", required=False, type=Arg.DATE),
    REASON,
)
def source_edit(desk: Desk, values: Mapping[str, Any]) -> Answer:
    finished = edits.edit_source(
        desk.library.store,
        desk.actor,
        values["source"],
        fields(values, "title", "outlet", "url", "published"),
        version=values.get("version"),
        reason=values.get("reason"),
    )
    return done(source_edit, finished)


@operation(
    "source use",
    "Cite this source in the facts you add next without source: (- stops).",
    "curate source use ria-2024-03",
    Param("source", "The source's key, or - to stop", type=Arg.SOURCE),
    writes=False,
)
def source_use(desk: Desk, values: Mapping[str, Any]) -> Answer:
    key = values["source"]
    if key == edits.CLEAR:
        forget(desk)
        notice = "You have no current source now; `curate fact add` needs source: again."
        return Answer(source_use.command, "", Status.DONE, notice=notice, title="No current source")
    edits.require_source(desk.library.store, key)
    if desk.memory is not None:
        desk.memory.source = key
        lasting = "for the rest of this session"
    elif desk.actor.id is not None:
        current_sources.remember(desk.library.store, desk.actor.id, key)
        hours = int(current_sources.LIFETIME.total_seconds() // 3600)
        lasting = f"for {hours} hours or until you change it"
    else:
        lasting = "for this command only: use it in `diplobot console` or `diplobot ask -`"
    return Answer(
        source_use.command,
        "",
        Status.DONE,
        title=f"Current source: '{key}'",
        notice=(
            f"`curate fact add` without source: now cites '{key}', {lasting}. "
            "`curate source use -` stops it."
        ),
    )


def current_source(desk: Desk) -> str | None:
    """The source desk's curator set with ``curate source use``, if any (and not lapsed)."""
    if desk.memory is not None:
        return desk.memory.source
    if desk.actor.id is not None:
        return current_sources.recall(desk.library.store, desk.actor.id)
    return None


def forget(desk: Desk) -> None:
    """Clear desk's curator's current source."""
    if desk.memory is not None:
        desk.memory.source = None
    elif desk.actor.id is not None:
        current_sources.forget(desk.library.store, desk.actor.id)
