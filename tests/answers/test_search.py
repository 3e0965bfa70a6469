"""`!search`: facts by the words of their text (the store's full-text index) and by the
entities the query names, ranked as `Catalog.search_facts` promises.

Tests taking ``database_url`` run on SQLite and, when DIPLOBOT_TEST_POSTGRES_URL names
a server, on PostgreSQL too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from bot.answers.catalog import ABOUT_NAMED, EVERY_WORD, SOME_WORDS, Catalog, EntityRecord
from bot.answers.commands import answer
from bot.core.answer import EntityRef, FactView, SourceRef, Status
from bot.curation import edits
from bot.curation.transfer import load_data
from bot.library import Library
from bot.records.actor import Actor
from bot.records.reader import changes_since, snapshot
from bot.store.db import Store
from bot.store.fulltext import for_store

CURATOR = Actor("1001", "alice")
SOURCE = SourceRef("src", "A test source")
LOST = EntityRef("lost-city", "place", "Lost City")
ELSEWHERE = EntityRef("elsewhere", "place", "Elsewhere")

FACTS = [
    # key, text, date, about
    ("found-old", "The lost city was found in 1990.", "1990", LOST),
    ("found-new", "Divers say the city was lost at sea.", "2024-05", LOST),
    ("rose", "It rose from the waves.", "2025", LOST),
    ("undated-about", "Nobody lives there.", None, LOST),
    ("other-city", "Another city flooded.", "2026", ELSEWHERE),
]
"""Two facts hold "lost" and "city"; two more are about the Lost City without saying
so; one holds "city" only."""

EXPECTED = [
    ("found-new", EVERY_WORD),
    ("found-old", EVERY_WORD),
    ("rose", ABOUT_NAMED),
    ("undated-about", ABOUT_NAMED),
    ("other-city", SOME_WORDS),
]
"""Every word, then about the entity named, then some words; most recent first in each."""


def made_catalog() -> Catalog:
    facts = [FactView(key, text, date, (SOURCE,), (about,)) for key, text, date, about in FACTS]
    return Catalog([EntityRecord(LOST), EntityRecord(ELSEWHERE)], [SOURCE], facts)


def document() -> dict[str, Any]:
    return {
        "sources": [{"key": SOURCE.key, "title": SOURCE.title}],
        "entities": [
            {"key": ref.key, "kind": ref.kind, "name": ref.name} for ref in (LOST, ELSEWHERE)
        ],
        "facts": [
            {
                "key": key,
                "text": text,
                **({"date": date} if date else {}),
                "about": [about.key],
                "source": SOURCE.key,
            }
            for key, text, date, about in FACTS
        ],
    }


@pytest.fixture
def stored(database_url: str) -> Iterator[Store]:
    """A store holding FACTS, on the backend the test runs against."""
    store = Store.open(database_url)
    load_data(store, document(), "test", CURATOR)
    yield store
    store.close()


def ranking(catalog: Catalog, query: str) -> list[tuple[str, float]]:
    return [(hit.fact.key, hit.score) for hit in catalog.search_facts(query)]


def test_words_then_the_entity_named_then_some_words_in_memory() -> None:
    catalog = made_catalog()
    assert ranking(catalog, "lost city") == EXPECTED
    reply = answer(catalog, "!search lost city")
    assert reply.status is Status.FOUND
    assert [fact.key for fact in reply.facts] == [key for key, _ in EXPECTED]


def test_words_then_the_entity_named_then_some_words_in_a_store(stored: Store) -> None:
    catalog = Catalog.load(stored)
    assert ranking(catalog, "lost city") == EXPECTED
    assert ranking(catalog, "lost citty") == EXPECTED  # a typo
    assert [hit.fact.key for hit in catalog.search_facts("lost city", limit=3)] == [
        "found-new",
        "found-old",
        "rose",
    ]
    assert catalog.search_facts("lost city", limit=0) == []


def test_facts_holding_every_word_are_enough_when_there_are_limit_of_them() -> None:
    catalog = made_catalog()
    assert [hit.fact.key for hit in catalog.search_facts("lost city", limit=2)] == [
        "found-new",
        "found-old",
    ]


def test_a_changed_catalog_keeps_searching_the_store(stored: Store) -> None:
    library = Library(stored)
    searched = library.catalog.fact_search
    edits.add_fact(
        stored,
        CURATOR,
        {
            "key": "found-newest",
            "text": "The lost city was found once more.",
            "date": "2027",
            "about": ["elsewhere"],
            "source": SOURCE.key,
        },
    )
    edits.delete_fact(stored, CURATOR, "found-old")
    assert library.refresh()
    assert library.catalog.fact_search is searched  # the store's index, current already
    assert [hit.fact.key for hit in library.catalog.search_facts("lost city")][:2] == [
        "found-newest",
        "found-new",
    ]
    assert "found-old" not in [hit.fact.key for hit in library.catalog.search_facts("found")]


def test_a_changed_catalog_made_without_a_store_indexes_its_facts_anew(store: Store) -> None:
    load_data(store, document(), "test", CURATOR)
    with store.transaction() as session:
        catalog = Catalog.from_records(snapshot(session))
    assert [hit.fact.key for hit in catalog.search_facts("waves")] == ["rose"]
    done = edits.edit_fact(store, CURATOR, "rose", {"text": "It rose from the foam."})
    with store.transaction() as session:
        delta = changes_since(session, done.revisions[0] - 1, 100)
    assert delta is not None
    changed = catalog.changed(delta)
    assert changed.search_facts("waves") == []
    assert [hit.fact.key for hit in changed.search_facts("foam")] == ["rose"]
    # The catalog held before the change still reads as it was.
    assert [hit.fact.key for hit in catalog.search_facts("waves")] == ["rose"]


@pytest.mark.parametrize(
    "url",
    ["sqlite:////nonexistent/directory/diplobot.db", "postgresql+psycopg://nobody@127.0.0.1:1/x"],
)
def test_search_says_in_one_line_when_the_store_cannot_be_reached(url: str) -> None:
    engine = sa.create_engine(url)
    made = made_catalog()
    catalog = Catalog(
        made.entities.values(),
        made.sources.values(),
        made.facts.values(),
        fact_search=for_store(engine),
    )
    try:
        reply = answer(catalog, "!search lost city")
    finally:
        engine.dispose()
    assert reply.status is Status.ERROR
    assert reply.facts == ()
    assert reply.notice.startswith("Search is unavailable right now (could not search the facts:")
    assert reply.notice.endswith("try again shortly.")
    assert "\n" not in reply.notice and "Traceback" not in reply.notice
    # Other lookups do not need the store.
    assert answer(catalog, "!about lost city").status is Status.FOUND
