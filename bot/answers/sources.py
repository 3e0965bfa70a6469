"""``!source NAME``: an article's citation and the facts taken from it."""

from __future__ import annotations

from bot.answers.cards import count_facts, unresolved
from bot.answers.catalog import SOURCE_KIND, Catalog, chronological
from bot.answers.commands import command
from bot.core.answer import Answer, Status
from bot.core.arguments import Param
from bot.search.index import Outcome

NAME = "source"


@command(
    NAME,
    "An article's citation and the facts taken from it.",
    "!source russia warns japan",
    Param("name", "An article's title or key", names_sources=True),
    opens=frozenset({SOURCE_KIND}),
)
def source(catalog: Catalog, name: str) -> Answer:
    resolution = catalog.resolve_source(name)
    if resolution.outcome is not Outcome.FOUND or resolution.best is None:
        return unresolved(catalog, NAME, name, resolution, "source")
    ref = catalog.sources[resolution.best.entity]
    facts = chronological(catalog.facts_from(ref.key))
    return Answer(
        NAME,
        name,
        Status.FOUND,
        notice=f"{count_facts(len(facts))} taken from this article.",
        title=ref.title,
        source=ref,
        facts=tuple(facts),
    )
