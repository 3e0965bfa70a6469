"""``!about NAME``: anything in the store, whatever its kind; the card any entity opens with."""

from __future__ import annotations

from bot.answers.cards import entity_card, unresolved
from bot.answers.catalog import Catalog
from bot.answers.commands import ANY_ENTITY, Translation, command
from bot.core.answer import Answer
from bot.core.arguments import Param
from bot.search.results import Outcome

NAME = "about"


@command(
    NAME,
    "Anything in the store, whatever its kind: summary, links and facts, newest first.",
    "!about iturup",
    Param("name", "Any person, organisation, country, place or dispute"),
    opens=frozenset({ANY_ENTITY}),
    translations=(
        Translation(
            "ru",
            "сведения",
            "Любая запись в базе: сводка, связи и факты, сначала новые.",
            {"name": ("название", "Человек, организация, страна, место или спор")},
        ),
        Translation(
            "ja",
            "概要",
            "種類を問わず、登録項目の概要・関連項目・事実（新しい順）。",
            {"name": ("名前", "人物・組織・国・場所・紛争のいずれか")},
        ),
    ),
)
def about(catalog: Catalog, name: str) -> Answer:
    resolution = catalog.resolve(name)
    if resolution.outcome is Outcome.FOUND and resolution.best:
        return entity_card(catalog, NAME, name, resolution.best.entity, newest_first=True)
    return unresolved(catalog, NAME, name, resolution, "entry", "entries")
