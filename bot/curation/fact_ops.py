"""The curation operations on facts: add, edit and delete, and the fact form Discord opens."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.core.answer import Answer
from bot.core.arguments import Arg, Param
from bot.curation import edits
from bot.curation.list_edits import whole_lists
from bot.curation.operations import REASON, Desk, Form, FormField, group, operation
from bot.curation.outcomes import done, fields
from bot.curation.source_ops import current_source
from bot.curation.vocabulary import type_note
from bot.errors import CurationError
from bot.records.shapes import FACT_TEXT_MAX

group("fact", "Add, correct and delete facts")

FACT_FIELDS = (
    FormField("text", "Fact, close to the source's wording", True, FACT_TEXT_MAX, long=True),
    FormField("about", "About: entity keys, optionally =role", True, 1000),
    FormField("source", "Source key(s), separated by commas", True, 500),
    FormField("date", "Date: YYYY, YYYY-MM or YYYY-MM-DD", False, 10),
    FormField("type", "Event type, like threaten (optional)", False, 40),
)
"""The fact form's fields (a Discord form holds 5 at most)."""
ADD_FIELDS = tuple(
    replace(field, label="Source key(s); empty: your current source", required=False)
    if field.name == "source"
    else field
    for field in FACT_FIELDS
)
"""The new-fact form's fields: its source may be left to `curate source use`."""
NO_SOURCE = (
    "a fact needs a source: give source:KEY, or choose one for the facts you add next "
    "with `curate source use SOURCE`"
)


def fact_as_form(record: Mapping[str, Any]) -> dict[str, str]:
    """A stored fact's fields as the fact form shows them."""
    about = ", ".join(
        item if isinstance(item, str) else f"{item['entity']}={item['role']}"
        for item in record.get("about", [])
    )
    source = record.get("source", [])
    return {
        "text": str(record.get("text", "")),
        "about": about,
        "source": source if isinstance(source, str) else ", ".join(source),
        "date": str(record.get("date", "")),
        "type": str(record.get("type", "")),
    }


@operation(
    "fact add",
    "Add a sourced fact about one or more entities.",
    "curate fact add about:nikolai-nozdrev=actor,japan "
    "source:russia-warns-japan-patriots-2024-03-24 "
    "date:2024-03 Nozdrev warned Japan.",
    Param("text", "The statement, close to the source's wording", type=Arg.LONG_TEXT),
    Param(
        "about",
        "Entity keys, each optionally =role: japan,nikolai-nozdrev=actor",
        type=Arg.ENTITIES,
        named=True,
    ),
    Param(
        "source",
        "The source key(s) it cites (default: your current source, see `curate source use`)",
        required=False,
        type=Arg.SOURCES,
        named=True,
    ),
    Param("date", "When it happened: YYYY, YYYY-MM or YYYY-MM-DD", required=False, type=Arg.DATE),
    Param("type", "An event type, like threaten", required=False, type=Arg.TEXT),
    Param("key", "Its key (derived from text and date if left out)", required=False, type=Arg.KEY),
    REASON,
    form=Form("Add a fact", ADD_FIELDS),
)
def fact_add(desk: Desk, values: Mapping[str, Any]) -> Answer:
    whole_lists(values, "about", "source")
    raw = fields(values, "key", "text", "date", "type", "about", "source")
    notes = [type_note(values.get("type"))]
    if "source" not in raw:
        raw["source"] = current_source(desk)
        if raw["source"] is None:
            raise CurationError(NO_SOURCE)
        notes.append(
            f"It cites your current source '{raw['source']}' (`curate source use` changes it)."
        )
    finished = edits.add_fact(desk.library.store, desk.actor, raw, reason=values.get("reason"))
    return noted(done(fact_add, finished), notes)


def noted(answer: Answer, notes: list[str | None]) -> Answer:
    """answer with the notes given (those not None) after its notice."""
    said = " ".join(note for note in notes if note)
    return replace(answer, notice=f"{answer.notice} {said}") if said else answer


@operation(
    "fact edit",
    "Correct a fact's text, date, subjects, sources or type (- clears date or type).",
    "curate fact edit japan-agreed-to-supply-patriots date:2023-12",
    Param("fact", "The fact's key", type=Arg.FACT),
    Param("text", "The statement", required=False, type=Arg.LONG_TEXT),
    Param(
        "about", "Entity keys, each optionally =role", required=False, type=Arg.ENTITIES, named=True
    ),
    Param("source", "The source key(s) it cites", required=False, type=Arg.SOURCES, named=True),
    Param("date", "When it happened: YYYY, YYYY-MM or YYYY-MM-DD", required=False, type=Arg.DATE),
    Param("type", "An event type, like threaten", required=False, type=Arg.TEXT),
    REASON,
    form=Form("Edit a fact", FACT_FIELDS, record="fact", prefill=fact_as_form),
)
def fact_edit(desk: Desk, values: Mapping[str, Any]) -> Answer:
    finished = edits.edit_fact(
        desk.library.store,
        desk.actor,
        values["fact"],
        fields(values, "text", "date", "about", "source", "type"),
        version=values.get("version"),
        reason=values.get("reason"),
    )
    return noted(done(fact_edit, finished), [type_note(values.get("type"))])


@operation(
    "fact delete",
    "Delete a fact.",
    "curate fact delete kamikawa-spoke-ce9876",
    Param("fact", "The fact's key", type=Arg.FACT),
    REASON,
)
def fact_delete(desk: Desk, values: Mapping[str, Any]) -> Answer:
    finished = edits.delete_fact(
        desk.library.store, desk.actor, values["fact"], reason=values.get("reason")
    )
    return done(fact_delete, finished)
