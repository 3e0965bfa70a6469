"""Pieces of answers that several lookups share: an entity's card, and the answer for a
query that did not name exactly one thing."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.answers.catalog import Catalog, chronological
from bot.core.answer import Answer, EntityRef, Related, Status, Suggestion
from bot.search.results import Hit, Outcome, Resolution


def suggestions(catalog: Catalog, hits: Sequence[Hit]) -> tuple[Suggestion, ...]:
    """The hits as "did you mean" choices: entities, and sources."""
    found = []
    for hit in hits:
        if hit.entity in catalog.entities:
            ref = catalog.entity(hit.entity).ref
            found.append(Suggestion(ref.key, ref.kind, ref.name, hit.score))
        elif hit.entity in catalog.sources:
            source = catalog.sources[hit.entity]
            found.append(Suggestion(source.key, "source", source.title, hit.score))
    return tuple(found)


def unresolved(
    catalog: Catalog, name: str, query: str, resolution: Resolution, what: str, whats: str = ""
) -> Answer:
    """The answer for a query that did not name exactly one thing (``whats``: plural of what)."""
    choices = suggestions(catalog, resolution.candidates)
    if resolution.outcome is Outcome.AMBIGUOUS:
        notice = f"“{query}” could mean several {whats or what + 's'}. Did you mean one of these?"
        return Answer(name, query, Status.AMBIGUOUS, notice=notice, suggestions=choices)
    notice = f"No {what} in the store matches “{query}”."
    if choices:
        notice += " The nearest are listed below."
    return Answer(name, query, Status.NOT_FOUND, notice=notice, suggestions=choices)


def count_facts(count: int) -> str:
    """``1 fact``, ``2 facts``."""
    return f"{count} fact" if count == 1 else f"{count} facts"


def refs(catalog: Catalog, keys: Collection[str]) -> tuple[EntityRef, ...]:
    """The entities with these keys, in order."""
    return tuple(catalog.entity(key).ref for key in keys)


def entity_card(
    catalog: Catalog, name: str, query: str, key: str, *, newest_first: bool, notice: str = ""
) -> Answer:
    """A card for one entity: summary, related entities, and its facts."""
    record = catalog.entity(key)
    related = []
    if record.parties:
        related.append(Related("Parties", refs(catalog, record.parties)))
    if record.areas:
        related.append(Related("Disputed areas", refs(catalog, record.areas)))
    disputes = catalog.disputes_of(key)
    if disputes:
        related.append(Related("Disputes", refs(catalog, disputes)))
    facts = chronological(catalog.facts_about(key), newest_first=newest_first)
    return Answer(
        name,
        query,
        Status.FOUND,
        notice=notice,
        title=record.ref.name,
        entity=record.ref,
        facts=tuple(facts),
        related=tuple(related),
    )
