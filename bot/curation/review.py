"""Reviewing an article draft saved by ``curate article``: editing one of its facts in the
fact form, and the import file of the facts its curator kept.

Keeping and dropping are `bot.store.drafts.keep`; everything here reads the draft
from the store again, so a review survives a restart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.arguments import split_list, subjects
from bot.curation.article_ops import draft_filename
from bot.curation.fact_ops import FACT_FIELDS, fact_as_form
from bot.curation.operations import Form, Library
from bot.curation.safe_yaml import dump_yaml
from bot.curation.validate import validate
from bot.errors import RecordError
from bot.store import drafts
from bot.store.drafts import StoredDraft

FACT_FORM = Form("Edit a drafted fact", FACT_FIELDS, prefill=fact_as_form)
"""The fact form, opened on one fact of a draft."""


def edit_fact(library: Library, number: int, index: int, typed: Mapping[str, str]) -> StoredDraft:
    """Put the fact typed in the form in place of fact ``index`` of draft ``number`` and
    keep it; raises `RecordError` listing its problems (checked against the draft's own
    source and entities, and the store), saving nothing."""
    draft = drafts.load(library.store, number)
    fact = fact_from_form(typed)
    known = library.known_names()
    document = {
        "sources": draft.document.get("sources", []),
        "entities": draft.document.get("entities", []),
        "facts": [fact],
    }
    _, problems = validate(document, known.kinds, known.source_keys)
    place = "facts[0]."
    mine = [problem.removeprefix(place) for problem in problems if problem.startswith(place)]
    if mine:
        raise RecordError("The fact", mine)
    return drafts.replace_fact(library.store, number, index, fact)


def fact_from_form(typed: Mapping[str, str]) -> dict[str, Any]:
    """The fact record the fact form's fields describe, empty optional fields left out."""
    fact: dict[str, Any] = {"text": typed.get("text", "").strip()}
    fact["about"] = subjects(typed.get("about", ""))
    sources = split_list(typed.get("source", ""))
    fact["source"] = sources[0] if len(sources) == 1 else sources
    for name in ("date", "type"):
        value = typed.get(name, "").strip()
        if value:
            fact[name] = value
    return fact


def selected_file(draft: StoredDraft) -> tuple[str, bytes]:
    """The import file of the facts kept, with the source and the new entities they name:
    its name (``draft-<source key>.yaml``) and YAML bytes."""
    document = draft.selected()
    sources = draft.document.get("sources") or [{}]
    return draft_filename(sources[0]), dump_yaml(document).encode("utf-8")
