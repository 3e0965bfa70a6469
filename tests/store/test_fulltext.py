"""Full-text search over fact text (bot/store/fulltext.py, migration 0003).

Tests taking ``opened`` run on SQLite and, when DIPLOBOT_TEST_POSTGRES_URL names a
server, on PostgreSQL too, each against a store migrated by the real migrations and
written to by the real curation code.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.answers.catalog import Catalog
from bot.curation import edits, history
from bot.curation.transfer import load_data, load_file
from bot.errors import StoreError
from bot.records.actor import Actor
from bot.store import fulltext, fulltext_folding
from bot.store.db import Store, downgrade, upgrade
from bot.store.fulltext import FactMatch, FactSearch, for_store, in_memory

SEED = Path(__file__).resolve().parents[2] / "data" / "seed.yaml"
SOURCE = "test-source"
CURATOR = Actor("1001", "alice", guild_id="2002", guild_name="Diplomacy")

Row = tuple[str, str, str | None]
"""A fact as (key, text, date)."""


@pytest.fixture
def opened(database_url: str) -> Iterator[Store]:
    """An empty store migrated to the head, on the backend the test runs against."""
    store = Store.open(database_url)
    yield store
    store.close()


def document(*facts: Row) -> dict[str, Any]:
    """A curation file's data: one source, one entity, and the facts given, about it."""
    return {
        "sources": [{"key": SOURCE, "title": "A test source"}],
        "entities": [{"key": "testland", "kind": "country", "name": "Testland"}],
        "facts": [
            {
                "key": key,
                "text": text,
                **({"date": date} if date else {}),
                "about": ["testland"],
                "source": SOURCE,
            }
            for key, text, date in facts
        ],
    }


def imported(store: Store, *facts: Row) -> Store:
    load_data(store, document(*facts), "test", CURATOR)
    return store


def found(search: FactSearch | Store, query: str, limit: int = 50) -> list[FactMatch]:
    if isinstance(search, Store):
        search = for_store(search.engine)
    return search.search(query, limit)


def keys(search: FactSearch | Store, query: str, limit: int = 50) -> list[str]:
    return [match.key for match in found(search, query, limit)]


def fulltext_objects(store: Store) -> set[str]:
    """The names of the full-text tables, columns and indexes the store has."""
    inspector = sa.inspect(store.engine)
    names = {name for name in inspector.get_table_names() if name.startswith("fact_fts")}
    names |= {c["name"] for c in inspector.get_columns("fact") if c["name"] == "fts_document"}
    names |= {i["name"] or "" for i in inspector.get_indexes("fact")} & {
        "ix_fact_fts_document",
        "ix_fact_fts_recency",
    }
    return names


# The migration.


def test_0003_goes_down_and_up_and_indexes_the_facts_already_stored(opened: Store) -> None:
    load_file(opened, SEED, Actor(None, "seed"))
    expected = keys(opened, "retaliatory steps")
    assert expected and fulltext_objects(opened)

    downgrade(opened.engine, "0002")
    assert fulltext_objects(opened) == set()
    with pytest.raises(StoreError, match="could not search the facts"):
        found(opened, "retaliatory steps")
    # Writes without the index's triggers still work.
    edits.delete_fact(opened, CURATOR, "nozdrev-warns-japan-patriot-transfer")

    upgrade(opened.engine)
    assert fulltext_objects(opened)
    after = keys(opened, "retaliatory steps")
    assert after == [key for key in expected if key != "nozdrev-warns-japan-patriot-transfer"]
    # The word table was filled from the facts already stored: typos are corrected.
    assert keys(opened, "retaliatry") == keys(opened, "retaliatory")


def test_the_in_memory_index_has_the_store_schema(store: Store) -> None:
    """One SQLite code path: a catalog made without a store searches tables, triggers and
    all, exactly like those migration 0003 makes."""

    def schema(connection: sa.Connection) -> dict[str, str]:
        rows = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE name LIKE 'fact_fts%' AND sql IS NOT NULL"
        )
        return {name: sql for name, sql in rows}

    memory = in_memory([("a", "Some text.", "2024")])
    with store.engine.connect() as migrated, memory.engine.connect() as built:
        made = schema(migrated)
        assert schema(built) == made
    assert {
        "fact_fts",
        "fact_fts_term",
        "fact_fts_scratch",
        "fact_fts_scratch_terms",
        "fact_fts_insert",
        "fact_fts_update",
        "fact_fts_delete",
    } <= made.keys()


def test_the_fold_table_is_what_sqlites_tokenizer_does() -> None:
    """Query words are folded in Python by the table SQLite's tokenizer follows (ё → е
    aside, which the triggers do before the tokenizer sees the text)."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(text, "
        """tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'")"""
    )
    connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    letters = [c for c in fulltext_folding.FOLD_FROM if c not in "ёЁ"]
    connection.executemany(
        "INSERT INTO t (rowid, text) VALUES (?, ?)",
        [(number, f"x{c}x") for number, c in enumerate(letters, 1)],
    )
    folded = {
        letters[doc - 1]: term[1:-1] for term, doc in connection.execute("SELECT term, doc FROM v")
    }
    expected = dict(zip(fulltext_folding.FOLD_FROM, fulltext_folding.FOLD_TO, strict=True))
    assert folded == {c: expected[c] for c in letters}
    assert fulltext_folding.fold_word("ЁЛКА Été") == "елка ete"


@pytest.mark.postgres
def test_postgres_folds_with_the_same_table(postgres_store: Store) -> None:
    with postgres_store.engine.connect() as connection:
        folded = connection.execute(
            sa.text("SELECT fact_fts_fold(:letters)"), {"letters": fulltext_folding.FOLD_FROM}
        ).scalar_one()
    assert folded == fulltext_folding.FOLD_TO


# Kept in step with the facts, through the real curation code.


def test_the_index_follows_imports_edits_deletes_and_undos(opened: Store) -> None:
    imported(opened, ("harbour", "Envoys met at the harbour of Valletta.", "2024-01-02"))
    assert keys(opened, "valletta") == ["harbour"]

    edits.add_fact(
        opened,
        CURATOR,
        {
            "key": "summit",
            "text": "A summit in Reykjavík.",
            "about": ["testland"],
            "source": SOURCE,
        },
    )
    assert keys(opened, "reykjavik") == ["summit"]

    edited = edits.edit_fact(opened, CURATOR, "harbour", {"text": "Envoys met in Marrakesh."})
    assert keys(opened, "valletta") == []
    assert keys(opened, "marrakesh") == ["harbour"]
    assert keys(opened, "marakesh") == ["harbour"]  # a word added by an edit is a typo target

    deleted = edits.delete_fact(opened, CURATOR, "summit")
    assert keys(opened, "reykjavik") == []

    history.undo(opened, CURATOR, deleted.revisions[0])
    assert keys(opened, "reykjavik") == ["summit"]
    history.undo(opened, CURATOR, edited.revisions[0])
    assert keys(opened, "valletta") == ["harbour"]
    assert keys(opened, "marrakesh") == []

    # A date change moves the fact in "most recent first".
    imported(opened, ("later", "Envoys met again.", "2024-06"))
    assert keys(opened, "envoys met") == ["later", "harbour"]
    edits.edit_fact(opened, CURATOR, "harbour", {"date": "2025"})
    assert keys(opened, "envoys met") == ["harbour", "later"]


# Ranking.

RANKED: list[Row] = [
    ("old-both", "Alpha talks and beta talks.", "2020-05-06"),
    ("new-both", "Beta and alpha, again.", "2024-03"),
    ("undated-both", "ALPHA meets BETA.", None),
    ("newest-alpha", "Alpha alone.", "2025"),
    ("mid-alpha", "Alpha again, alone.", "2024-02-01"),
    ("undated-beta", "Beta alone.", None),
    ("neither", "Gamma.", "2026-01-01"),
]


def ranked(matches: list[FactMatch]) -> list[tuple[str, bool]]:
    return [(match.key, match.every_word) for match in matches]


EXPECTED_RANKING = [
    ("new-both", True),
    ("old-both", True),
    ("undated-both", True),
    ("newest-alpha", False),
    ("mid-alpha", False),
    ("undated-beta", False),
]
"""Every word before some; then most recent first, undated last."""


def test_every_word_comes_first_then_the_most_recent(opened: Store) -> None:
    imported(opened, *RANKED)
    assert ranked(found(opened, "alpha beta")) == EXPECTED_RANKING
    assert ranked(found(opened, "beta, alpha!")) == EXPECTED_RANKING
    assert ranked(found(opened, "alpha beta", limit=2)) == EXPECTED_RANKING[:2]
    assert ranked(found(opened, "alpha beta", limit=4)) == EXPECTED_RANKING[:4]
    assert found(opened, "alpha beta", limit=0) == []


def test_an_in_memory_index_ranks_the_same() -> None:
    assert ranked(found(in_memory(RANKED), "alpha beta")) == EXPECTED_RANKING


def test_a_word_no_fact_holds_leaves_the_others_to_match_some(opened: Store) -> None:
    imported(opened, *RANKED)
    assert ranked(found(opened, "alpha zzyzx")) == [
        ("newest-alpha", False),
        ("new-both", False),
        ("mid-alpha", False),
        ("old-both", False),
        ("undated-both", False),
    ]
    assert found(opened, "zzyzx qwxvb") == []


def test_a_very_common_word_gives_the_most_recent_facts(opened: Store) -> None:
    facts: list[Row] = [
        (
            f"common-{n:03}",
            f"The minister spoke on day {n}.",
            f"2023-{1 + n % 12:02}-{1 + n % 28:02}",
        )
        for n in range(300)
    ]
    facts.append(("undated-common", "The minister spoke.", None))
    imported(opened, *facts)
    by_date = sorted(facts[:-1], key=lambda row: (row[2] or "", row[0]), reverse=True)

    newest = found(opened, "the", limit=10)
    assert [match.key for match in newest] == [row[0] for row in by_date[:10]]
    assert all(match.every_word for match in newest)
    assert len(found(opened, "minister")) == 50
    assert keys(opened, "the minister", limit=400)[-1] == "undated-common"


# Typos.


def test_a_mistyped_word_finds_the_closest_stored_words(opened: Store) -> None:
    imported(
        opened,
        ("steps", "Russia will take retaliatory steps.", "2024-03"),
        ("sanctions", "New sanctions were announced.", "2024-02"),
        ("both", "Retaliatory sanctions followed.", "2024-01"),
    )
    assert ranked(found(opened, "retaliatry")) == [("steps", True), ("both", True)]
    assert ranked(found(opened, "retaliatry sanctons")) == [
        ("both", True),
        ("steps", False),
        ("sanctions", False),
    ]
    assert keys(opened, "RETALIATRY") == ["steps", "both"]
    # Too far from any stored word, or too short to guess: nothing.
    assert found(opened, "quantum chromodynamics") == []
    assert found(opened, "stp") == []


def test_a_mistyped_word_is_matched_against_words_still_stored(opened: Store) -> None:
    imported(opened, ("gone", "Plenipotentiary talks.", "2024"), ("kept", "Other talks.", "2024"))
    edits.delete_fact(opened, CURATOR, "gone")
    assert found(opened, "plenipotentiry") == []
    assert keys(opened, "plenipotentiry talks") == ["kept"]


# Other scripts and accents.


def test_cyrillic_and_accented_words_are_found_however_they_are_typed(opened: Store) -> None:
    imported(
        opened,
        ("cyrillic", "Посол Ноздрёв предупредил Японию.", "2024-03"),
        ("accented", "Talks in Zürich and Reykjavík, été 2023.", "2023-07"),
        ("plain", "Talks in Zurich again.", "2023-08"),
        ("latin", "Nozdrev warned Japan.", "2024-03"),
    )
    assert keys(opened, "посол") == ["cyrillic"]
    assert keys(opened, "ПОСОЛ японию") == ["cyrillic"]
    assert keys(opened, "Zürich") == ["plain", "accented"]
    assert keys(opened, "zurich reykjavik ETE") == ["accented", "plain"]
    assert keys(opened, "ноздрвв") == ["cyrillic"]  # a typo in Cyrillic
    # A word in another script also finds its Latin transliteration.
    for typed in ("ноздрев", "Ноздрёв", "НОЗДРЁВ"):
        assert sorted(keys(opened, typed)) == ["cyrillic", "latin"], typed
    assert ranked(found(opened, "ноздрёв японию")) == [("cyrillic", True), ("latin", False)]


# Queries that are not plain words.


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!! ... ???",
        "—–-",
        "\u0301\u0308",
        "x" * 10_000,
        "🙂",
        '"',
        "'",
        "\\",
        "*",
        "^",
        "(",
        ")",
        ":",
        "-",
        "NEAR",
        "щ" * 1000,  # kept by PostgreSQL, but its transliteration is too long for a tsquery
    ],
)
def test_a_query_without_stored_words_finds_nothing_cleanly(opened: Store, query: str) -> None:
    imported(opened, *RANKED)
    assert found(opened, query) == []


@pytest.mark.parametrize(
    "query",
    [
        '"alpha"',
        'alpha"',
        "alpha*",
        "*alpha",
        "-alpha",
        "alpha:",
        "text:alpha",
        "fact_fts:alpha",
        "NEAR(alpha)",
        "^alpha",
        "alpha & | ! <-> :* '",
        "alpha\\",
        "(alpha",
        "alpha AND OR NOT",
        "alpha " * 2000,
        "alpha " + "x" * 10_000,
    ],
)
def test_search_syntax_is_read_as_words(opened: Store, query: str) -> None:
    imported(opened, *RANKED)
    assert keys(opened, query)[:3] == ["newest-alpha", "new-both", "mid-alpha"]


def test_only_the_first_words_of_a_long_query_count(opened: Store) -> None:
    imported(opened, *RANKED)
    filler = " ".join(f"w{n}" for n in range(fulltext.MAX_WORDS))
    assert keys(opened, f"alpha {filler}")[:1] == ["newest-alpha"]
    assert keys(opened, f"{filler} alpha") == []


# A store that cannot be reached.


@pytest.mark.parametrize(
    "url",
    ["sqlite:////nonexistent/directory/diplobot.db", "postgresql+psycopg://nobody@127.0.0.1:1/x"],
)
def test_a_store_that_cannot_be_reached_raises_a_one_line_store_error(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with pytest.raises(StoreError) as raised:
            for_store(engine).search("alpha", 10)
    finally:
        engine.dispose()
    message = str(raised.value)
    assert message.startswith("could not search the facts: ")
    assert "\n" not in message


# The catalog's side.


def test_facts_the_catalog_has_not_loaded_are_left_out(opened: Store) -> None:
    imported(opened, ("first", "Alpha one.", "2024"))
    catalog = Catalog.load(opened)
    imported(opened, ("second", "Alpha two.", "2025"))
    assert keys(catalog.fact_search, "alpha") == ["second", "first"]
    assert [hit.fact.key for hit in catalog.search_facts("alpha")] == ["first"]
