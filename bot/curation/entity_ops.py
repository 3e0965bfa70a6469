"""The curation operations on entities: add, edit, links, merge and delete."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.core.answer import Answer, Confirmation, Status
from bot.core.arguments import Arg, Param, UsageError
from bot.curation import edits
from bot.curation.alias_edits import split_aliases
from bot.curation.list_edits import whole_lists
from bot.curation.operations import REASON, Desk, group, operation
from bot.curation.outcomes import confirmed, done, fields
from bot.store.models import Kind

_KINDS = tuple(kind.value for kind in Kind)
_LISTED = 25
"""How many of the facts a delete would take with it its confirmation lists."""

group("entity", "Add, correct, link, merge and delete entities")


@operation(
    "entity add",
    "Add a person, organization, country, place, dispute or other entity, with its aliases "
    "(and a dispute's parties and areas).",
    'curate entity add yoko-kamikawa person "Yoko Kamikawa" summary:"Japan\'s foreign minister."',
    Param("key", "The new entity's key, like yoko-kamikawa", type=Arg.KEY),
    Param("kind", "What it is", type=Arg.CHOICE, choices=_KINDS),
    Param("name", "The name cards show", type=Arg.TEXT),
    Param("summary", "One or two sentences from the sources", required=False, type=Arg.TEXT),
    Param("wikidata", "Its Wikidata id, like Q17", required=False, type=Arg.TEXT),
    Param("aliases", "Other names, separated by ` | `", required=False, type=Arg.TEXT),
    Param("parties", "A dispute's parties, separated by commas", required=False, type=Arg.ENTITIES),
    Param("areas", "A dispute's disputed areas", required=False, type=Arg.ENTITIES),
    REASON,
)
def entity_add(desk: Desk, values: Mapping[str, Any]) -> Answer:
    whole_lists(values, "parties", "areas")
    raw = fields(values, "key", "kind", "name", "summary", "wikidata", "parties", "areas")
    notes: list[str] = []
    if "aliases" in values:
        raw["aliases"], notes = split_aliases(values["aliases"])
    finished = edits.add_entity(desk.library.store, desk.actor, raw, reason=values.get("reason"))
    answer = done(entity_add, finished)
    return replace(answer, notice=" ".join([answer.notice, *notes]))


@operation(
    "entity edit",
    "Correct an entity's kind, name, summary or Wikidata id (- clears a field).",
    'curate entity edit japan summary:"Island country in East Asia."',
    Param("entity", "The entity's key", type=Arg.ENTITY),
    Param("kind", "What it is", required=False, type=Arg.CHOICE, choices=_KINDS),
    Param("name", "The name cards show", required=False, type=Arg.TEXT),
    Param("summary", "One or two sentences from the sources", required=False, type=Arg.TEXT),
    Param("wikidata", "Its Wikidata id, like Q17", required=False, type=Arg.TEXT),
    REASON,
)
def entity_edit(desk: Desk, values: Mapping[str, Any]) -> Answer:
    finished = edits.edit_entity(
        desk.library.store,
        desk.actor,
        values["entity"],
        fields(values, "kind", "name", "summary", "wikidata"),
        version=values.get("version"),
        reason=values.get("reason"),
    )
    return done(entity_edit, finished)


@operation(
    "entity links",
    "Set a dispute's parties and disputed areas (each list replaces the one stored).",
    "curate entity links kuril-islands-dispute parties:russia,japan areas:iturup,kunashir",
    Param("dispute", "The dispute's key", type=Arg.ENTITY, kinds=frozenset({"dispute"})),
    Param("parties", "Its parties' keys, separated by commas", required=False, type=Arg.ENTITIES),
    Param(
        "areas", "Its disputed areas' keys, separated by commas", required=False, type=Arg.ENTITIES
    ),
    REASON,
)
def entity_links(desk: Desk, values: Mapping[str, Any]) -> Answer:
    changes = {
        name: [] if values[name] == edits.CLEAR else values[name]
        for name in ("parties", "areas")
        if name in values
    }
    if not changes:
        raise UsageError(f"give parties:, areas: or both. Usage: `{entity_links.usage}`")
    finished = edits.edit_entity(
        desk.library.store, desk.actor, values["dispute"], changes, reason=values.get("reason")
    )
    return done(entity_links, finished)


@operation(
    "entity merge",
    "Merge a duplicate into the entity kept: its names, facts and links move over, "
    "and its key keeps naming the one kept.",
    "curate entity merge yoko-kamikawa kamikawa",
    Param("keep", "The entity that stays", type=Arg.ENTITY),
    Param("other", "The duplicate merged into it", type=Arg.ENTITY),
    REASON,
)
def entity_merge(desk: Desk, values: Mapping[str, Any]) -> Answer:
    finished = edits.merge_entities(
        desk.library.store, desk.actor, values["keep"], values["other"], reason=values.get("reason")
    )
    return done(entity_merge, finished)


@operation(
    "entity delete",
    "Delete an entity no fact names (with_facts:yes deletes its facts too, after a confirmation).",
    "curate entity delete kamikawa",
    Param("entity", "The entity's key", type=Arg.ENTITY),
    Param("with_facts", "Also delete the facts about it", required=False, type=Arg.FLAG),
    REASON,
)
def entity_delete(desk: Desk, values: Mapping[str, Any]) -> Answer:
    key, reason = values["entity"], values.get("reason")
    store = desk.library.store
    facts = edits.facts_naming(store, key) if values.get("with_facts") else []
    if not facts:
        return done(entity_delete, edits.delete_entity(store, desk.actor, key, reason=reason))

    def apply() -> Answer:
        return confirmed(
            desk,
            entity_delete,
            lambda: done(
                entity_delete,
                edits.delete_entity(store, desk.actor, key, with_facts=True, reason=reason),
            ),
        )

    return Answer(
        entity_delete.command,
        "",
        Status.PENDING,
        title=f"Delete '{key}' and {edits.count(len(facts), 'fact')}?",
        notice=(
            f"Deleting entity '{key}' also deletes {edits.count(len(facts), 'fact')} about it. "
            "Confirm to go on."
        ),
        lines=tuple(f"fact '{fact}'" for fact in facts[:_LISTED])
        + ((f"… and {len(facts) - _LISTED} more",) if len(facts) > _LISTED else ()),
        confirm=Confirmation("Delete", apply),
    )
