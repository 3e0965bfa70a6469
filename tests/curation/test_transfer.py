"""Importing curation documents into the store and exporting the store back out."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from sqlmodel import Session, func, select

from bot.curation.files import write_document
from bot.curation.transfer import (
    ImportReport,
    export_document,
    import_document,
    load_data,
    load_file,
)
from bot.curation.validate import validate
from bot.errors import ImportFileError, StoreError
from bot.records.actor import Actor
from bot.records.shapes import AliasSpec, Document, EntitySpec, Subject
from bot.store.db import Store
from bot.store.models import (
    Alias,
    Citation,
    Entity,
    EntityLink,
    Fact,
    FactEntity,
    Kind,
    Revision,
    Source,
)

TABLES = (Source, Entity, Alias, EntityLink, Fact, FactEntity, Citation, Revision)
SEED = Path(__file__).resolve().parents[2] / "data" / "seed.yaml"
CURATOR = Actor("123456789", "curator#1", guild_id="987654321")

DOC: dict[str, Any] = {
    "sources": [
        {
            "key": "ap-2024-03-24",
            "title": "Russia warns Japan on missile transfer to Ukraine",
            "outlet": "Associated Press",
            "url": "https://apnews.com/article/russia-japan",
            "published": "2024-03-24T06:21:00-04:00",
        },
        {"key": "ria-2024-03-23", "title": "Ноздрёв: поставки Patriot"},
    ],
    "entities": [
        {
            "key": "nikolai-nozdrev",
            "kind": "person",
            "name": "Nikolai Nozdrev",
            "summary": "Russian Ambassador to Japan.",
            "aliases": ["Nozdryov", {"text": "Николай Ноздрёв", "lang": "ru"}],
        },
        {
            "key": "japan",
            "kind": "country",
            "name": "Japan",
            "wikidata": "Q17",
            "aliases": [{"text": "日本", "lang": "ja"}, "Nippon"],
        },
        {"key": "russia", "kind": "country", "name": "Russia", "wikidata": "Q159"},
        {"key": "kuril-islands", "kind": "place", "name": "Kuril Islands"},
        {
            "key": "kuril-islands-dispute",
            "kind": "dispute",
            "name": "Kuril Islands dispute",
            "parties": ["russia", "japan"],
            "areas": ["kuril-islands"],
            "aliases": ["Northern Territories dispute"],
        },
    ],
    "facts": [
        {
            "key": "nozdrev-warns-japan",
            "text": "Nozdrev warned Japan over the transfer of Patriot missiles.",
            "date": "2024-03",
            "type": "threaten",
            "about": [
                {"entity": "nikolai-nozdrev", "role": "actor"},
                {"entity": "japan", "role": "recipient"},
            ],
            "source": ["ap-2024-03-24", "ria-2024-03-23"],
        },
        {
            "text": "Relations between Russia and Japan have been strained for years.",
            "about": ["kuril-islands-dispute", {"entity": "russia", "role": "claimant"}],
            "source": "ap-2024-03-24",
        },
        {
            "key": "japan-agreed-in-2023",
            "text": "Japan agreed to supply Patriot systems.",
            "date": 2023,
            "about": ["japan"],
            "sources": ["ap-2024-03-24"],
        },
        {
            "key": "day-precision",
            "text": "Something happened on a day.",
            "date": "2023-12-31",
            "about": ["russia"],
            "source": "ria-2024-03-23",
        },
    ],
}


def write(path: Path, document: dict[str, Any]) -> Path:
    if path.suffix == ".json":
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def counts(store: Store) -> dict[str, int]:
    with Session(store.engine) as session:
        return {
            table.__name__: session.exec(select(func.count()).select_from(table)).one()
            for table in TABLES
        }


def revisions(store: Store) -> list[Revision]:
    with Session(store.engine) as session:
        return list(session.exec(select(Revision).order_by(Revision.id)))  # type: ignore[arg-type]


def updated_at(store: Store) -> dict[str, datetime]:
    with Session(store.engine) as session:
        rows: list[Source | Entity | Fact] = [
            *session.exec(select(Source)),
            *session.exec(select(Entity)),
            *session.exec(select(Fact)),
        ]
        return {f"{type(row).__name__}:{row.key}": row.updated_at for row in rows}


def checked(document: dict[str, Any], store: Store | None = None) -> Document:
    known_entities: dict[str, str] = {}
    known_sources: set[str] = set()
    if store is not None:
        with Session(store.engine) as session:
            known_entities = {e.key: e.kind for e in session.exec(select(Entity))}
            known_sources = {s.key for s in session.exec(select(Source))}
    result, problems = validate(document, known_entities, known_sources)
    assert problems == []
    return result


def entity(key: str, **changes: Any) -> dict[str, Any]:
    """A copy of DOC's entity with key, changed."""
    [found] = [item for item in DOC["entities"] if item["key"] == key]
    return {**found, **changes}


# Importing.


def test_load_file_creates_everything(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "seed.yaml", DOC)
    report = load_file(store, path, CURATOR)
    assert str(report).splitlines() == [
        f"imported {path}: 2 sources, 5 entities, 4 facts created; 0 updated; 0 unchanged",
        "created: source 'ap-2024-03-24', source 'ria-2024-03-23', entity 'nikolai-nozdrev', "
        "entity 'japan', entity 'russia', entity 'kuril-islands', "
        "entity 'kuril-islands-dispute', fact 'nozdrev-warns-japan', "
        "fact 'kuril-islands-dispute-relations-russia', fact 'japan-agreed-in-2023', "
        "fact 'day-precision'",
    ]
    assert counts(store) == {
        "Source": 2,
        "Entity": 5,
        "Alias": 5,
        "EntityLink": 3,
        "Fact": 4,
        "FactEntity": 6,
        "Citation": 5,
        "Revision": 11,
    }


def test_rows_hold_what_the_file_says(store: Store) -> None:
    import_document(store, checked(DOC), actor=CURATOR)
    with Session(store.engine) as session:
        source = session.exec(select(Source).where(Source.key == "ap-2024-03-24")).one()
        assert source.published == datetime(2024, 3, 24, 10, 21, tzinfo=UTC)
        assert source.outlet == "Associated Press"
        fact = session.exec(select(Fact).where(Fact.key == "japan-agreed-in-2023")).one()
        assert (fact.happened, fact.precision, fact.type) == (date(2023, 1, 1), "year", None)
        nozdrev = session.exec(select(Entity).where(Entity.key == "nikolai-nozdrev")).one()
        aliases = session.exec(
            select(Alias).where(Alias.entity_id == nozdrev.id).order_by(Alias.id)  # type: ignore[arg-type]
        ).all()
        assert [(a.text, a.lang) for a in aliases] == [
            ("Nozdryov", None),
            ("Николай Ноздрёв", "ru"),
        ]


def test_keyless_fact_gets_its_derived_key(store: Store) -> None:
    import_document(store, checked(DOC), actor=CURATOR)
    keys = [fact["key"] for fact in export_document(store)["facts"]]
    assert "kuril-islands-dispute-relations-russia" in keys  # first entity, no date, two words


def test_importing_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "seed.yaml", DOC)
    load_file(store, path, CURATOR)
    before = (counts(store), updated_at(store), export_document(store))
    report = load_file(store, path, Actor.console())
    assert str(report) == (
        f"imported {path}: 0 created; 0 updated; 2 sources, 5 entities, 4 facts unchanged"
    )
    assert report.changed == 0
    assert (counts(store), updated_at(store), export_document(store)) == before


def test_only_changed_records_are_updated(store: Store) -> None:
    import_document(store, checked(DOC), actor=CURATOR)
    stamps = updated_at(store)
    changed = {
        **DOC,
        "entities": [entity("japan", name="Japan (Nippon-koku)"), *DOC["entities"][2:]],
        "facts": [{**DOC["facts"][0], "date": "2024-03-20"}],
    }
    report = import_document(store, checked(changed, store), actor=CURATOR, reason="typo")
    assert (report.entities.updated, report.entities.unchanged) == (1, 3)
    assert (report.facts.updated, report.facts.unchanged) == (1, 0)
    assert (report.sources.created, report.sources.updated, report.sources.unchanged) == (0, 0, 2)
    new_stamps = updated_at(store)
    touched = {key for key in stamps if stamps[key] != new_stamps[key]}
    assert touched == {"Entity:japan", "Fact:nozdrev-warns-japan"}
    latest = revisions(store)[-2:]
    assert [(r.action, r.target_type, r.target_key, r.reason) for r in latest] == [
        ("update", "entity", "japan", "typo"),
        ("update", "fact", "nozdrev-warns-japan", "typo"),
    ]
    assert latest[0].before is not None and latest[0].after is not None
    assert (latest[0].before["name"], latest[0].after["name"]) == ("Japan", "Japan (Nippon-koku)")
    assert latest[1].before is not None and latest[1].after is not None
    assert (latest[1].before["date"], latest[1].after["date"]) == ("2024-03", "2024-03-20")


def test_omitted_fields_are_cleared_but_omitted_lists_are_kept(store: Store) -> None:
    import_document(store, checked(DOC), actor=CURATOR)
    bare = {"entities": [{"key": "japan", "kind": "country", "name": "Japan"}]}
    report = import_document(store, checked(bare, store), actor=CURATOR)
    assert report.entities.updated == 1
    [japan] = [e for e in export_document(store)["entities"] if e["key"] == "japan"]
    assert "wikidata" not in japan
    assert japan["aliases"] == [{"text": "日本", "lang": "ja"}, "Nippon"]


def test_given_aliases_replace_the_stored_ones(store: Store) -> None:
    import_document(store, checked(DOC), actor=CURATOR)
    renamed = {"entities": [entity("japan", aliases=["Nihon", {"text": "日本", "lang": "ja"}])]}
    import_document(store, checked(renamed, store), actor=CURATOR)
    cleared = {"entities": [entity("nikolai-nozdrev", aliases=[])]}
    import_document(store, checked(cleared, store), actor=CURATOR)
    exported = {e["key"]: e for e in export_document(store)["entities"]}
    assert exported["japan"]["aliases"] == ["Nihon", {"text": "日本", "lang": "ja"}]
    assert exported["nikolai-nozdrev"]["aliases"] == []


def test_links_are_kept_replaced_or_dropped(store: Store) -> None:
    import_document(store, checked(DOC), actor=CURATOR)
    dispute = entity("kuril-islands-dispute")
    del dispute["parties"], dispute["areas"]
    assert (
        import_document(store, checked({"entities": [dispute]}, store), actor=CURATOR).changed == 0
    )

    swapped = {"entities": [entity("kuril-islands-dispute", parties=["japan", "russia"])]}
    import_document(store, checked(swapped, store), actor=CURATOR)
    [exported] = [e for e in export_document(store)["entities"] if e["kind"] == "dispute"]
    assert (exported["parties"], exported["areas"]) == (["japan", "russia"], ["kuril-islands"])

    demoted = {"entities": [{"key": "kuril-islands-dispute", "kind": "other", "name": "Kurils"}]}
    import_document(store, checked(demoted, store), actor=CURATOR)
    assert counts(store)["EntityLink"] == 0
    [exported] = [e for e in export_document(store)["entities"] if e["name"] == "Kurils"]
    assert "parties" not in exported


def test_about_and_citations_are_replaced(store: Store) -> None:
    import_document(store, checked(DOC), actor=CURATOR)
    fact = {**DOC["facts"][0], "about": ["japan", "russia"], "source": "ria-2024-03-23"}
    import_document(store, checked({"facts": [fact]}, store), actor=CURATOR)
    [exported] = [f for f in export_document(store)["facts"] if f["key"] == fact["key"]]
    assert (exported["about"], exported["source"]) == (["japan", "russia"], "ria-2024-03-23")


def test_revisions_record_actor_batch_and_file_shapes(store: Store) -> None:
    report = import_document(store, checked(DOC), actor=CURATOR, reason="first seed")
    logged = revisions(store)
    assert len(logged) == 11
    assert {(r.actor_id, r.actor_name, r.guild_id, r.batch, r.reason) for r in logged} == {
        ("123456789", "curator#1", "987654321", report.batch, "first seed")
    }
    assert len(report.batch) == 32
    assert all(r.action == "create" and r.before is None for r in logged)
    assert [r.target_type for r in logged] == ["source"] * 2 + ["entity"] * 5 + ["fact"] * 4
    by_key = {r.target_key: r.after for r in logged}
    assert by_key["japan"] == {
        "key": "japan",
        "kind": "country",
        "name": "Japan",
        "wikidata": "Q17",
        "aliases": [{"text": "日本", "lang": "ja"}, "Nippon"],
    }
    assert by_key["nozdrev-warns-japan"] == {
        "key": "nozdrev-warns-japan",
        "text": "Nozdrev warned Japan over the transfer of Patriot missiles.",
        "date": "2024-03",
        "type": "threaten",
        "about": [
            {"entity": "nikolai-nozdrev", "role": "actor"},
            {"entity": "japan", "role": "recipient"},
        ],
        "source": ["ap-2024-03-24", "ria-2024-03-23"],
    }

    second = import_document(store, checked(DOC), actor=Actor.console())
    assert second.batch != report.batch
    assert len(revisions(store)) == 11


def test_revision_before_restores_the_record(store: Store) -> None:
    import_document(store, checked(DOC), actor=CURATOR)
    original = export_document(store)
    changed = {
        "entities": [
            entity("kuril-islands-dispute", name="Southern Kurils dispute", parties=["japan"]),
            entity("japan", aliases=[], summary="An island country."),
        ],
        "facts": [{**DOC["facts"][0], "about": ["japan"], "date": "2024"}],
    }
    batch = import_document(store, checked(changed, store), actor=CURATOR).batch
    assert export_document(store) != original
    undone: dict[str, list[dict[str, Any]]] = {"sources": [], "entities": [], "facts": []}
    sections = {"source": "sources", "entity": "entities", "fact": "facts"}
    for revision in revisions(store):
        if revision.batch == batch:
            assert revision.before is not None
            undone[sections[revision.target_type]].append(revision.before)
    import_document(store, checked(undone, store), actor=CURATOR)
    assert export_document(store) == original


def test_progress_is_reported_per_record(store: Store) -> None:
    calls: list[tuple[int, int]] = []
    import_document(store, checked(DOC), actor=CURATOR, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(done, 11) for done in range(1, 12)]


def test_references_may_point_at_keys_already_in_the_store(store: Store, tmp_path: Path) -> None:
    load_file(store, write(tmp_path / "first.yaml", DOC), CURATOR)
    later = {
        "facts": [
            {
                "key": "later",
                "text": "Japan replied.",
                "about": ["japan"],
                "source": "ria-2024-03-23",
            }
        ]
    }
    report = load_file(store, write(tmp_path / "later.json", later), CURATOR)
    assert (report.facts.created, report.entities.unchanged) == (1, 0)


# All or nothing.


def test_a_bad_last_fact_writes_nothing(store: Store, tmp_path: Path) -> None:
    load_file(store, write(tmp_path / "first.yaml", DOC), CURATOR)
    before = (counts(store), export_document(store))
    bad = {
        "sources": [{"key": "new-source", "title": "New"}],
        "entities": [
            entity("japan", name="Changed"),
            {"key": "china", "kind": "country", "name": "China"},
        ],
        "facts": [*DOC["facts"], {**DOC["facts"][0], "key": "last", "about": ["japn"]}],
    }
    path = write(tmp_path / "bad.yaml", bad)
    with pytest.raises(ImportFileError) as caught:
        load_file(store, path, CURATOR)
    assert caught.value.problems == ["facts[4].about[0]: no entity 'japn' (did you mean 'japan'?)"]
    assert str(caught.value).startswith(f"{path}: 1 problem, nothing was imported:\n  facts[4]")
    assert (counts(store), export_document(store)) == before


def test_a_bad_file_writes_nothing_into_an_empty_store(store: Store, tmp_path: Path) -> None:
    bad = {**DOC, "facts": [*DOC["facts"], {**DOC["facts"][0], "key": "last", "date": "2024-13"}]}
    with pytest.raises(ImportFileError):
        load_file(store, write(tmp_path / "bad.json", bad), CURATOR)
    assert set(counts(store).values()) == {0}


def test_a_store_failure_midway_rolls_everything_back(store: Store) -> None:
    import_document(store, checked(DOC), actor=CURATOR)
    before = (counts(store), export_document(store))
    document = checked({**DOC, "facts": [{**DOC["facts"][0], "text": "Changed."}]})
    same_alias_twice = (AliasSpec("Same"), AliasSpec("Same", "en"))
    broken = EntitySpec("broken", Kind.OTHER, "Broken", aliases=same_alias_twice)
    document = replace(document, entities=(*document.entities, broken))
    with pytest.raises(StoreError, match="nothing was written"):
        import_document(store, document, actor=CURATOR)
    assert (counts(store), export_document(store)) == before


def test_an_unknown_reference_in_an_unchecked_document_rolls_back(store: Store) -> None:
    document = checked(DOC)
    ghostly = replace(document.facts[-1], about=(Subject("ghost"),))
    document = replace(document, facts=(*document.facts[:-1], ghostly))
    with pytest.raises(StoreError, match="no entity 'ghost'"):
        import_document(store, document, actor=CURATOR)
    assert set(counts(store).values()) == {0}


def test_an_exception_during_import_rolls_everything_back(store: Store) -> None:
    def fail_at_the_end(done: int, total: int) -> None:
        if done == total:
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        import_document(store, checked(DOC), actor=CURATOR, progress=fail_at_the_end)
    assert set(counts(store).values()) == {0}


# Exporting.


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_export_import_export_is_equal(store: Store, tmp_path: Path, suffix: str) -> None:
    load_file(store, write(tmp_path / f"in{suffix}", DOC), CURATOR)
    exported = export_document(store)
    path = tmp_path / f"export{suffix}"
    write_document(path, exported)
    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        report = load_file(fresh, path, CURATOR)
        assert report.changed == 11
        assert export_document(fresh) == exported
        assert load_file(store, path, CURATOR).changed == 0
    finally:
        fresh.close()


def test_export_shape(store: Store) -> None:
    import_document(store, checked(DOC), actor=CURATOR)
    exported = export_document(store)
    assert list(exported) == ["sources", "entities", "facts"]
    for records in exported.values():
        keys = [record["key"] for record in records]
        assert keys == sorted(keys)
    assert exported["sources"][0] == {
        "key": "ap-2024-03-24",
        "title": "Russia warns Japan on missile transfer to Ukraine",
        "outlet": "Associated Press",
        "url": "https://apnews.com/article/russia-japan",
        "published": "2024-03-24T06:21:00-04:00",  # as the source wrote it
    }
    disputes = [e for e in exported["entities"] if e["kind"] == "dispute"]
    assert disputes == [
        {
            "key": "kuril-islands-dispute",
            "kind": "dispute",
            "name": "Kuril Islands dispute",
            "parties": ["russia", "japan"],
            "areas": ["kuril-islands"],
            "aliases": ["Northern Territories dispute"],
        }
    ]
    facts = {f["key"]: f for f in exported["facts"]}
    assert facts["japan-agreed-in-2023"]["date"] == "2023"
    assert facts["day-precision"]["date"] == "2023-12-31"
    assert facts["japan-agreed-in-2023"]["source"] == "ap-2024-03-24"


def test_export_of_an_empty_store(store: Store) -> None:
    assert export_document(store) == {"sources": [], "entities": [], "facts": []}


def test_seed_file_round_trips(store: Store, tmp_path: Path) -> None:
    if not SEED.is_file():
        pytest.skip("no data/seed.yaml")
    first = load_file(store, SEED, Actor(None, "seed"))
    assert first.changed > 0
    assert load_file(store, SEED, Actor(None, "seed")).changed == 0
    exported = export_document(store)
    path = tmp_path / "seed-export.yaml"
    write_document(path, exported)
    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        load_file(fresh, path, CURATOR)
        assert export_document(fresh) == exported
    finally:
        fresh.close()


def test_report_text() -> None:
    report = ImportReport(batch="b", origin="data/seed.yaml")
    report.sources.created = 1
    report.entities.created = 17
    report.facts.created = 15
    assert str(report) == (
        "imported data/seed.yaml: 1 source, 17 entities, 15 facts created; 0 updated; 0 unchanged"
    )
    report = ImportReport(batch="b")
    report.entities.updated = 1
    report.facts.unchanged = 2
    assert str(report) == "imported: 0 created; 1 entity updated; 2 facts unchanged"


def test_two_curators_importing_at_once_both_succeed_one_after_the_other(
    database_url: str, tmp_path: Path
) -> None:
    import threading

    store = Store.open(database_url)
    files = []
    for curator in range(2):
        path = tmp_path / f"curator-{curator}.yaml"
        people = [
            {"key": f"person-{curator}-{n}", "kind": "person", "name": f"Person {curator} {n}"}
            for n in range(300)
        ]
        path.write_text(yaml.safe_dump({"entities": people}))
        files.append(path)
    barrier = threading.Barrier(2)
    reports: list[object] = []
    failures: list[BaseException] = []

    def import_one(path: Path) -> None:
        barrier.wait()
        try:
            reports.append(load_file(store, path, Actor(None, path.stem)))
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=import_one, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert failures == []
        assert len(reports) == 2
        with store.transaction() as session:
            assert session.exec(select(func.count()).select_from(Entity)).one() == 600
            batches = session.exec(select(func.count(func.distinct(Revision.batch)))).one()
            assert batches == 2
    finally:
        store.close()


def test_a_date_alone_and_an_offset_survive_import_export_and_reimport(store: Store) -> None:
    document = {
        "sources": [
            {"key": "dated", "title": "A date alone", "published": "2009-10-01"},
            {"key": "timed", "title": "Late in Delhi", "published": "2023-09-18T03:32:00+05:30"},
        ]
    }
    load_data(store, document, "first.yaml", Actor.console())
    exported = export_document(store)
    assert [source["published"] for source in exported["sources"]] == [
        "2009-10-01",
        "2023-09-18T03:32:00+05:30",
    ]
    again = load_data(store, exported, "export.yaml", Actor.console())
    assert not again.changed


def test_a_source_stored_before_published_as_reimports_its_export_unchanged(store: Store) -> None:
    load_data(
        store,
        {"sources": [{"key": "old", "title": "Old", "published": "2024-03-24T06:21:00-04:00"}]},
        "a.yaml",
        Actor.console(),
    )
    with store.transaction(write=True) as session:  # as a store from before migration 0004 holds it
        session.execute(sa.text("UPDATE source SET published_as = NULL"))
    exported = export_document(store)
    assert exported["sources"][0]["published"] == "2024-03-24T10:21:00+00:00"
    assert not load_data(store, exported, "export.yaml", Actor.console()).changed


# Dry runs, summaries and warnings.

PATRIOTS = "japan-agrees-us-patriot-request"
PATRIOTS_TEXT = (
    "By the end of 2023, the White House announced that Japan had agreed to a United States "
    "request to supply Patriot air defense systems."
)
OLDER_FILE: dict[str, Any] = {
    "facts": [
        {  # as a file written before a curator added the White House by command
            "key": PATRIOTS,
            "text": PATRIOTS_TEXT,
            "date": "2023-12",
            "type": "agree",
            "about": [
                {"entity": "japan", "role": "actor"},
                {"entity": "united-states", "role": "recipient"},
                {"entity": "patriot", "role": "subject"},
            ],
            "source": "russia-warns-japan-patriots-2024-03-24",
        },
        {  # nearly the same text, another date: a new fact, warned of
            "text": PATRIOTS_TEXT.replace("air defense", "air-defence"),
            "date": "2024-01",
            "about": ["japan"],
            "source": "russia-warns-japan-patriots-2024-03-24",
        },
    ]
}


def test_a_dry_run_says_what_an_import_would_do_writes_nothing_and_import_does_just_that(
    seeded: Store,
) -> None:
    before, written = export_document(seeded), len(revisions(seeded))
    dry = load_data(seeded, OLDER_FILE, "older.yaml", Actor.console(), dry_run=True)
    assert (export_document(seeded), len(revisions(seeded))) == (before, written)
    new_key = "japan-2024-01-white-house"
    assert dry.dry_run().splitlines() == [
        "dry run of older.yaml, nothing was written: 1 fact created; 1 fact updated; 0 unchanged",
        f"update fact '{PATRIOTS}': about",
        "    about: - 'white-house' (mentioned)",
        f"create fact '{new_key}'",
        f"warning: fact '{new_key}': nearly the same text as stored fact '{PATRIOTS}' (ratio 99)",
    ]

    done = load_data(seeded, OLDER_FILE, "older.yaml", Actor.console())
    assert done.changes == dry.changes and done.warnings == dry.warnings
    assert str(done).splitlines()[1:] == [
        f"created: fact '{new_key}'",
        f"updated: fact '{PATRIOTS}'",
        dry.dry_run().splitlines()[-1],
    ]


def test_a_keyless_fact_with_a_stored_facts_text_and_date_is_that_fact(seeded: Store) -> None:
    """The duplicate of the issue: the same text under a derived key beside the named one."""
    again = {**OLDER_FILE["facts"][0], "key": None}
    report = load_data(seeded, {"facts": [again]}, "again.yaml", Actor.console())
    assert [(change.action, change.key) for change in report.changes] == [("update", PATRIOTS)]
    facts = [fact for fact in export_document(seeded)["facts"] if fact["text"] == PATRIOTS_TEXT]
    assert [fact["key"] for fact in facts] == [PATRIOTS]


def test_an_import_summary_names_the_first_twenty_keys_then_counts(store: Store) -> None:
    places = [{"key": f"place-{n:02}", "kind": "place", "name": f"Place {n}"} for n in range(23)]
    report = load_data(store, {"entities": places}, "places.yaml", Actor.console())
    created = str(report).splitlines()[1]
    assert created.startswith("created: entity 'place-00', entity 'place-01', ")
    assert created.endswith("entity 'place-19' and 3 more")
