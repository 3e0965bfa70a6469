"""``!search WORDS``: facts whose text or subjects match the words, best first."""

from __future__ import annotations

from bot.answers.cards import count_facts
from bot.answers.catalog import Catalog
from bot.answers.commands import Translation, command
from bot.core.answer import Answer, Status
from bot.core.arguments import Param
from bot.errors import StoreError

NAME = "search"


@command(
    NAME,
    "Facts whose text or subjects match the words, best first.",
    "!search patriot missiles",
    Param("words", "Words to look for in the facts", free_text=True),
    translations=(
        Translation(
            "ru",
            "поиск",
            "Факты, текст или участники которых совпадают со словами, сначала лучшие.",
            {"words": ("слова", "Слова для поиска в фактах")},
        ),
        Translation(
            "ja",
            "検索",
            "本文や対象が語句に一致する事実（関連度順）。",
            {"words": ("語句", "事実から探す語句")},
        ),
    ),
)
def search(catalog: Catalog, words: str) -> Answer:
    try:
        hits = catalog.search_facts(words)
    except StoreError as error:
        notice = f"Search is unavailable right now ({error}); try again shortly."
        return Answer(NAME, words, Status.ERROR, notice=notice)
    if not hits:
        return Answer(NAME, words, Status.NOT_FOUND, notice=f"No fact matches “{words}”.")
    count = len(hits)
    return Answer(
        NAME,
        words,
        Status.FOUND,
        notice=f"Found {count_facts(count)} matching “{words}”.",
        title=f"Facts matching “{words}”",
        facts=tuple(hit.fact for hit in hits),
    )
