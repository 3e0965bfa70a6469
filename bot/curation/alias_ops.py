"""The curation operations on an entity's other names: ``curate alias add`` and ``remove``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.answer import Answer
from bot.core.arguments import Arg, Param
from bot.curation import edits
from bot.curation.operations import REASON, Desk, group, operation
from bot.curation.outcomes import done

group("alias", "Add and remove an entity's other names")


@operation(
    "alias add",
    "Give an entity another name people look it up by, in a language when known.",
    "curate alias add japan 日本国 lang:ja",
    Param("entity", "The entity's key", type=Arg.ENTITY),
    Param("text", "The other name", type=Arg.TEXT),
    Param("lang", "Its language code, like ru or ja", required=False, type=Arg.TEXT),
    REASON,
)
def alias_add(desk: Desk, values: Mapping[str, Any]) -> Answer:
    finished = edits.add_alias(
        desk.library.store,
        desk.actor,
        values["entity"],
        values["text"],
        values.get("lang"),
        reason=values.get("reason"),
    )
    return done(alias_add, finished)


@operation(
    "alias remove",
    "Take one of an entity's other names away.",
    "curate alias remove japan Nihon",
    Param("entity", "The entity's key", type=Arg.ENTITY),
    Param("text", "The name to remove", type=Arg.TEXT),
    REASON,
)
def alias_remove(desk: Desk, values: Mapping[str, Any]) -> Answer:
    finished = edits.remove_alias(
        desk.library.store,
        desk.actor,
        values["entity"],
        values["text"],
        reason=values.get("reason"),
    )
    return done(alias_remove, finished)
