"""``!timeline NAME [NAME]``: facts about one entity, or about two together, in date order."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.cards import count_facts, refs, unresolved
from bot.answers.catalog import Catalog, chronological
from bot.answers.commands import Translation, command
from bot.answers.splitting import split_names
from bot.core.answer import Answer, FactView, Related, Status
from bot.core.arguments import Param

NAME = "timeline"


@command(
    NAME,
    "Facts about one entity, or about two together, in date order.",
    "!timeline japan russia",
    Param("name", "An entity"),
    Param("other", "A second entity, for facts about both", required=False),
    slash_example="/timeline name:japan other:russia",
    translations=(
        Translation(
            "ru",
            "хронология",
            "Факты об одном объекте или о двух вместе, по датам.",
            {"name": ("название", "Объект"), "other": ("второй", "Второй объект: факты об обоих")},
        ),
        Translation(
            "ja",
            "年表",
            "一つの項目、または二つの項目に共通する事実を日付順に。",
            {"name": ("名前", "項目"), "other": ("相手", "二つ目の項目（両方に関する事実）")},
        ),
    ),
)
def timeline(catalog: Catalog, name: str, other: str | None = None) -> Answer:
    query = f"{name} / {other}" if other else name
    if other is not None:
        first, second = catalog.resolve(name), catalog.resolve(other)
        for side, text in ((first, name), (second, other)):
            if side.best is None:
                return unresolved(catalog, NAME, text, side, "entry", "entries")
        keys = [first.best.entity, second.best.entity]  # type: ignore[union-attr]
    else:
        whole = catalog.resolve(name)
        if whole.best is not None:
            keys = [whole.best.entity]
        else:
            split = split_names(catalog, name, count=2)
            if split is None or len(split) != 2:
                return unresolved(catalog, NAME, name, whole, "entry", "entries")
            keys = split
    about = refs(catalog, dict.fromkeys(keys))
    facts: Sequence[FactView] = catalog.facts_about(about[0].key)
    if len(about) == 2:
        facts = [f for f in facts if any(e.key == about[1].key for e in f.about)]
    title = " and ".join(ref.name for ref in about)
    if not facts:
        return Answer(
            NAME,
            query,
            Status.NOT_FOUND,
            title=f"Timeline: {title}",
            entity=about[0],
            notice=f"The store has no facts about {title}{' together' if len(about) == 2 else ''}.",
        )
    return Answer(
        NAME,
        query,
        Status.FOUND,
        notice=f"{count_facts(len(facts))} about {title}, oldest first.",
        title=f"Timeline: {title}",
        entity=about[0],
        facts=tuple(chronological(facts)),
        related=(Related("About", about),) if len(about) == 2 else (),
    )
