"""``!who NAME``: a person or organisation, with their key facts, newest first."""

from __future__ import annotations

from bot.answers.cards import entity_card, suggestions, unresolved
from bot.answers.catalog import Catalog
from bot.answers.commands import ANY_ENTITY, Translation, command, current_syntax, opener
from bot.core.answer import Answer, Status
from bot.core.arguments import Param
from bot.search.results import Outcome

NAME = "who"
PEOPLE = frozenset({"person", "organization"})

_KIND_NAMES = {
    "person": "a person",
    "organization": "an organisation",
    "country": "a country",
    "place": "a place",
    "dispute": "a dispute",
}


@command(
    NAME,
    "Who a person or organisation is, and their key facts, newest first.",
    "!who nozdrev",
    Param("name", "A person or organisation", kinds=PEOPLE),
    translations=(
        Translation(
            "ru",
            "кто",
            "Кто этот человек или организация и главные факты о них, сначала новые.",
            {"name": ("имя", "Человек или организация")},
        ),
        Translation(
            "ja",
            "人物",
            "人物や組織の概要と主な事実（新しい順）。",
            {"name": ("名前", "人物または組織")},
        ),
    ),
)
def who(catalog: Catalog, name: str) -> Answer:
    resolution = catalog.resolve(name, PEOPLE)
    if resolution.outcome is Outcome.FOUND and resolution.best:
        return entity_card(catalog, NAME, name, resolution.best.entity, newest_first=True)
    if resolution.outcome is Outcome.NOT_FOUND:
        pointer = _elsewhere(catalog, name, "a person or organisation")
        if pointer is not None:
            return pointer
    return unresolved(
        catalog, NAME, name, resolution, "person or organisation", "people or organisations"
    )


def _elsewhere(catalog: Catalog, query: str, wanted: str) -> Answer | None:
    """When query names entities of other kinds than ``!who`` shows, say so and give
    the lookups that answer them (``!dispute kuril``, ``!about kuril``); None otherwise."""
    found = catalog.resolve(query)
    hits = [found.best] if found.best else [hit for hit in found.candidates if hit.sure]
    if found.outcome is Outcome.NOT_FOUND or not hits:
        return None
    syntax = current_syntax()
    kinds = list(dict.fromkeys(hit.kind for hit in hits))
    tries = [f"`{syntax.example(opener(ANY_ENTITY).asking(query))}`"]
    if "dispute" in kinds or any(catalog.disputes_of(hit.entity) for hit in hits):
        tries.insert(0, f"`{syntax.example(opener('dispute').asking(query))}`")
    if found.best is not None:
        ref = catalog.entity(found.best.entity).ref
        what = _KIND_NAMES.get(ref.kind)
        head = f"{ref.name} is {what}, not {wanted}" if what else f"{ref.name} is not {wanted}"
    else:
        named = " and ".join(_KIND_NAMES.get(kind, "something else") for kind in kinds)
        head = f"“{query}” names {named}, not {wanted}"
    return Answer(
        NAME,
        query,
        Status.NOT_FOUND,
        notice=f"{head}: try {' or '.join(tries)}.",
        suggestions=suggestions(catalog, hits),
    )
