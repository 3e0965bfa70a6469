"""The curation operations on sources: ``curate source add`` and ``curate source edit``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.answer import Answer
from bot.core.arguments import Arg, Param
from bot.curation import edits
from bot.curation.operations import REASON, Desk, group, operation
from bot.curation.outcomes import done, fields

group("source", "Add and correct sources (articles)")


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
