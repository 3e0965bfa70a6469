"""The curation operations on an entity's other names: ``curate alias add`` and ``remove``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.core.answer import Answer
from bot.core.arguments import Arg, Param
from bot.curation import alias_edits
from bot.curation.operations import REASON, Desk, group, operation
from bot.curation.outcomes import done

group("alias", "Add and remove an entity's other names")


@operation(
    "alias add",
    "Give an entity other names people look it up by (separated by ` | `), in a language "
    "when known.",
    "curate alias add china PRC | People's Republic of China",
    Param("entity", "The entity's key", type=Arg.ENTITY),
    Param("text", "The other name, or several separated by ` | `", type=Arg.TEXT),
    Param("lang", "Its language code, like ru or ja", required=False, type=Arg.TEXT),
    REASON,
)
def alias_add(desk: Desk, values: Mapping[str, Any]) -> Answer:
    texts, notes = alias_edits.split_aliases(values["text"])
    finished = alias_edits.add_aliases(
        desk.library.store,
        desk.actor,
        values["entity"],
        texts,
        values.get("lang"),
        reason=values.get("reason"),
    )
    answer = done(alias_add, finished)
    return replace(answer, notice=" ".join([answer.notice, *notes]))


@operation(
    "alias remove",
    "Take one of an entity's other names away.",
    "curate alias remove japan Nihon",
    Param("entity", "The entity's key", type=Arg.ENTITY),
    Param("text", "The name to remove", type=Arg.TEXT),
    REASON,
)
def alias_remove(desk: Desk, values: Mapping[str, Any]) -> Answer:
    finished = alias_edits.remove_alias(
        desk.library.store,
        desk.actor,
        values["entity"],
        values["text"],
        reason=values.get("reason"),
    )
    return done(alias_remove, finished)
