"""A catalog caught up change by change reads exactly like one loaded afresh.

`Library.refresh` applies only the records changed since it last read the store
(`Catalog.changed`); every curation action below is followed by a comparison
of everything lookups can see with a catalog loaded from the whole store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.answers.catalog import Catalog
from bot.answers.overlay import Overlay
from bot.answers.stored import StoredFacts
from bot.curation import edits, history
from bot.curation.transfer import load_file
from bot.library import Library
from bot.records.actor import Actor
from bot.search.index import SearchIndex
from bot.store.db import Store

SEED = Path(__file__).resolve().parents[2] / "data" / "seed.yaml"
SOURCE = "russia-warns-japan-patriots-2024-03-24"
CURATOR = Actor("1001", "alice", guild_id="2002", guild_name="Diplomacy")


def everything_lookups_see(catalog: Catalog) -> dict[str, Any]:
    """The catalog as lookups read it, in a form two catalogs can be compared by."""
    names = [
        name
        for record in catalog.entities.values()
        for name in (record.ref.name, *record.aliases, *record.former_keys)
    ]
    return {
        "entities": dict(catalog.entities),
        "sources": dict(catalog.sources),
        "facts": dict(catalog.facts),
        "redirects": dict(catalog.redirects),
        "about": {key: sorted(f.key for f in catalog.facts_about(key)) for key in catalog.entities},
        "cited": {key: sorted(f.key for f in catalog.facts_from(key)) for key in catalog.sources},
        "disputes": {key: sorted(catalog.disputes_of(key)) for key in catalog.entities},
        "names": [_answer(catalog.index, name) for name in sorted(names)],
        "sources by title": [
            _answer(catalog.source_index, s.title) for s in catalog.sources.values()
        ],
        "alphabetical": catalog.names_in_order,
        "fact keys": catalog.fact_keys,
    }


def _answer(index: SearchIndex, name: str) -> tuple[str, str, str | None]:
    resolution = index.resolve(name)
    return name, resolution.outcome, resolution.best.entity if resolution.best else None


Action = Callable[[Store], object]

ACTIONS: list[tuple[str, Action]] = [
    (
        "a fact added",
        lambda store: edits.add_fact(
            store,
            CURATOR,
            {
                "key": "test-fact",
                "text": "A test statement about Japan and Russia.",
                "date": "2024-03",
                "about": ["japan", "russia"],
                "sources": [SOURCE],
            },
        ),
    ),
    ("an entity renamed", lambda s: edits.edit_entity(s, CURATOR, "japan", {"name": "Nippon"})),
    ("an alias added", lambda s: edits.add_alias(s, CURATOR, "russia", "Rossiyskaya Federatsiya")),
    (
        "a dispute added",
        lambda s: edits.add_entity(
            s,
            CURATOR,
            {
                "key": "test-dispute",
                "kind": "dispute",
                "name": "Test dispute",
                "parties": ["japan", "ukraine"],
                "areas": ["iturup"],
            },
        ),
    ),
    (
        "a person added",
        lambda s: edits.add_entity(
            s, CURATOR, {"key": "n-nozdrev", "kind": "person", "name": "N. Nozdrev"}
        ),
    ),
    (
        "two people merged",
        lambda s: edits.merge_entities(s, CURATOR, "nikolai-nozdrev", "n-nozdrev"),
    ),
    ("a source retitled", lambda s: edits.edit_source(s, CURATOR, SOURCE, {"title": "Retitled"})),
    (
        "an entity deleted with its facts",
        lambda s: edits.delete_entity(s, CURATOR, "patriot", with_facts=True),
    ),
    ("that deletion undone", lambda s: history.undo(s, CURATOR, history.latest_revision(s))),
    ("a fact deleted", lambda s: edits.delete_fact(s, CURATOR, "test-fact")),
    ("a dispute deleted", lambda s: edits.delete_entity(s, CURATOR, "test-dispute")),
]


@pytest.fixture
def library(store: Store) -> Library:
    load_file(store, SEED, Actor(None, "seed"))
    return Library(store)


@pytest.mark.slow
def test_a_catalog_reading_facts_when_shown_is_caught_up_like_one_holding_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a one-shot `diplobot ask` loads: entities and sources, and each fact only
    when a lookup shows it (so `ask -` with curation lines stays quick). Its facts come
    from the store as it is now; a change updates its entities, sources and indexes."""

    def whole_store_read(*_: object, **__: object) -> None:
        raise AssertionError("refresh read the whole store for a small change")

    load_file(store, SEED, Actor(None, "seed"))
    library = Library(store, facts_in_memory=False)
    assert everything_lookups_see(library.catalog) == everything_lookups_see(Catalog.load(store))
    for what, act in ACTIONS:
        with monkeypatch.context() as patched:
            patched.setattr("bot.records.reader.snapshot", whole_store_read)
            act(store)
            assert library.refresh() is True, what
        assert everything_lookups_see(library.catalog) == everything_lookups_see(
            Catalog.load(store)
        ), what


def test_each_change_is_caught_up_to_what_a_fresh_load_reads(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def whole_store_read(*_: object, **__: object) -> None:
        raise AssertionError("refresh read the whole store for a small change")

    for what, act in ACTIONS:
        before = library.catalog
        with monkeypatch.context() as patched:
            patched.setattr("bot.records.reader.snapshot", whole_store_read)
            act(library.store)
            assert library.refresh() is True, what
        assert library.catalog is not before
        assert everything_lookups_see(library.catalog) == everything_lookups_see(
            Catalog.load(library.store)
        ), what


def test_a_change_leaves_the_catalog_readers_hold_as_it_was(library: Library) -> None:
    held = library.catalog
    seen = everything_lookups_see(held)
    edits.add_alias(library.store, CURATOR, "japan", "Yamato")
    library.refresh()
    assert library.catalog.resolve("yamato").best is not None
    assert held.resolve("yamato").best is None
    assert everything_lookups_see(held) == seen


def test_many_changes_at_once_are_read_whole(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.library.INCREMENTAL_MAX", 1)
    edits.add_alias(library.store, CURATOR, "japan", "Yamato")
    edits.add_alias(library.store, CURATOR, "russia", "Rus")
    assert library.refresh() is True
    assert everything_lookups_see(library.catalog) == everything_lookups_see(
        Catalog.load(library.store)
    )


def test_changes_are_folded_into_a_whole_catalog_once_there_are_many(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    edits.add_alias(library.store, CURATOR, "japan", "Yamato")
    library.refresh()
    assert isinstance(library.catalog.facts, Overlay)
    monkeypatch.setattr("bot.answers.catalog.COMPACT_MIN", 1)
    edits.add_alias(library.store, CURATOR, "russia", "Rus")
    library.refresh()
    assert not isinstance(library.catalog.facts, Overlay)
    assert everything_lookups_see(library.catalog) == everything_lookups_see(
        Catalog.load(library.store)
    )


def test_a_catalog_reading_facts_when_shown_still_reads_them_once_folded_whole(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_file(store, SEED, Actor(None, "seed"))
    library = Library(store, facts_in_memory=False)
    monkeypatch.setattr("bot.answers.catalog.COMPACT_MIN", 1)
    edits.add_alias(store, CURATOR, "japan", "Yamato")
    library.refresh()
    edits.add_alias(store, CURATOR, "russia", "Rus")
    library.refresh()
    assert not isinstance(library.catalog.entities, Overlay)  # folded into a whole catalog
    assert isinstance(library.catalog.facts, StoredFacts)
    assert everything_lookups_see(library.catalog) == everything_lookups_see(Catalog.load(store))
