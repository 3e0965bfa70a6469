"""``!search WORDS``: facts whose text or subjects match the words, best first."""

from __future__ import annotations

from bot.answers.cards import count_facts
from bot.answers.catalog import Catalog, chronological
from bot.answers.commands import Translation, command
from bot.core.answer import Answer, FactView, Status
from bot.core.arguments import Param
from bot.errors import StoreError
from bot.search.results import Outcome

NAME = "search"
LISTED = 50
"""At most this many facts are listed (as many as `Catalog.search_facts` gives)."""
NAMING_WORD = 3
"""A word of the query shorter than this is not looked up as a name on its own."""


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
    facts = list(dict.fromkeys([*about_all_named(catalog, words), *(h.fact for h in hits)]))
    if not facts:
        return Answer(NAME, words, Status.NOT_FOUND, notice=f"No fact matches “{words}”.")
    facts = facts[:LISTED]
    return Answer(
        NAME,
        words,
        Status.FOUND,
        notice=f"Found {count_facts(len(facts))} matching “{words}”.",
        title=f"Facts matching “{words}”",
        facts=tuple(facts),
    )


def named_entities(catalog: Catalog, words: str) -> set[str]:
    """The entities the words name: the whole query, and each word of it (``sullivan
    wang`` names Jake Sullivan and Wang Yi), when it names one entity surely."""
    parts = [words, *(word for word in words.split() if len(word) >= NAMING_WORD)]
    named = set()
    for part in dict.fromkeys(parts):
        resolution = catalog.resolve(part)
        if resolution.outcome is Outcome.FOUND and resolution.best is not None:
            named.add(resolution.best.entity)
    return named


def about_all_named(catalog: Catalog, words: str) -> list[FactView]:
    """The facts about every one of the entities the words name, when they name two or
    more, most recent first: they come before facts naming only some of them, whether
    or not their text repeats the names."""
    named = named_entities(catalog, words)
    if len(named) < 2:
        return []
    first, *others = sorted(named, key=lambda key: len(catalog.facts_about(key)))
    found = [
        fact
        for fact in catalog.facts_about(first)
        if all(any(ref.key == key for ref in fact.about) for key in others)
    ]
    return chronological(found, newest_first=True)[:LISTED]
