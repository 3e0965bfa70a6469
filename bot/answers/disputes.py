"""``!dispute NAME``: a dispute's card, found by its name, a disputed area or its parties."""

from __future__ import annotations

from bot.answers.cards import entity_card, refs, suggestions, unresolved
from bot.answers.catalog import Catalog
from bot.answers.commands import Translation, command
from bot.answers.splitting import split_names
from bot.core.answer import Answer, Related, Status, Suggestion
from bot.core.arguments import Param
from bot.search.results import Outcome

NAME = "dispute"
KIND = "dispute"
"""The kind of entity a dispute is."""


@command(
    NAME,
    "A dispute's parties, disputed areas and facts in date order. Name it, an area or its parties.",
    "!dispute kuril",
    Param("name", "A dispute, a disputed area, or the parties", kinds=None),
    opens=frozenset({KIND}),
    translations=(
        Translation(
            "ru",
            "спор",
            "Стороны спора, спорные территории и факты по датам.",
            {"name": ("название", "Спор, спорная территория или стороны")},
        ),
        Translation(
            "ja",
            "紛争",
            "紛争の当事者、係争地、事実を日付順に。",
            {"name": ("名前", "紛争、係争地、または当事者")},
        ),
    ),
)
def dispute(catalog: Catalog, name: str) -> Answer:
    resolution = catalog.resolve(name)
    # Candidates that all lead to the same single dispute ("kuril": the islands and
    # the dispute over them) are not really ambiguous.
    if resolution.outcome is not Outcome.NOT_FOUND:
        hits = [resolution.best] if resolution.best else list(resolution.candidates)
        routes = {hit.entity: _disputes_via(catalog, hit.entity) for hit in hits if hit}
        reachable = {d for disputes in routes.values() for d in disputes}
        if len(reachable) == 1:
            return _dispute_card(catalog, name, reachable.pop())
        if resolution.best is not None:
            member = resolution.best.entity
            if not reachable:
                ref = catalog.entity(member).ref
                return Answer(
                    NAME,
                    name,
                    Status.NOT_FOUND,
                    notice=f"No dispute in the store involves {ref.name}.",
                    suggestions=suggestions(catalog, [resolution.best]),
                )
            return _dispute_list(catalog, name, member, routes[member])
    parties = split_names(catalog, name)
    if parties:
        shared = set(catalog.disputes_of(parties[0]))
        for key in parties[1:]:
            shared &= set(catalog.disputes_of(key))
        ordered = [d for d in catalog.disputes_of(parties[0]) if d in shared]
        if len(ordered) == 1:
            return _dispute_card(catalog, name, ordered[0])
        if ordered:
            return _dispute_list(catalog, name, None, tuple(ordered))
        names = " and ".join(catalog.entity(key).ref.name for key in parties)
        return Answer(
            NAME,
            name,
            Status.NOT_FOUND,
            notice=f"No dispute in the store involves both {names}.",
        )
    disputes_only = catalog.resolve(name, {KIND})
    return unresolved(
        catalog,
        NAME,
        name,
        disputes_only if disputes_only.candidates else resolution,
        "dispute",
    )


def _disputes_via(catalog: Catalog, key: str) -> tuple[str, ...]:
    if catalog.entity(key).ref.kind == KIND:
        return (key,)
    return catalog.disputes_of(key)


def _dispute_card(catalog: Catalog, query: str, key: str) -> Answer:
    return entity_card(catalog, NAME, query, key, newest_first=False)


def _dispute_list(
    catalog: Catalog, query: str, member: str | None, keys: tuple[str, ...]
) -> Answer:
    found = refs(catalog, keys)
    who = catalog.entity(member).ref if member else None
    subject = who.name if who else "These parties"
    return Answer(
        NAME,
        query,
        Status.FOUND,
        notice=f"{subject} {'is' if who else 'are'} involved in {len(found)} disputes.",
        title=f"Disputes involving {who.name}" if who else "Disputes",
        entity=who,
        related=(Related("Disputes", found),),
        suggestions=tuple(Suggestion(r.key, r.kind, r.name, 100.0) for r in found),
    )
