"""``!source NAME``: an article's citation and the facts taken from it."""

from __future__ import annotations

from bot.answers.cards import count_facts, unresolved
from bot.answers.catalog import SOURCE_KIND, Catalog, chronological
from bot.answers.commands import Translation, command
from bot.core.answer import Answer, Status
from bot.core.arguments import Param
from bot.search.results import Outcome

NAME = "source"


@command(
    NAME,
    "An article's citation and the facts taken from it.",
    "!source russia warns japan",
    Param("name", "An article's title or key", names_sources=True),
    opens=frozenset({SOURCE_KIND}),
    translations=(
        Translation(
            "ru",
            "источник",
            "Ссылка на статью и факты, взятые из неё.",
            {"name": ("название", "Заголовок или ключ статьи")},
        ),
        Translation(
            "ja",
            "出典",
            "記事の出典情報と、そこから得た事実。",
            {"name": ("名前", "記事の見出しまたはキー")},
        ),
    ),
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
