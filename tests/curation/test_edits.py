"""Curation operations on single records: what they write, what they refuse, and in whose words.

Every operation checks its record with the file validator, writes one revision per
record it touches, and changes nothing when it refuses. Tests taking ``seeded_on``
run on SQLite and, when DIPLOBOT_TEST_POSTGRES_URL names a server, on PostgreSQL too.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import col, select

from bot.answers.catalog import Catalog
from bot.curation import edits
from bot.curation.transfer import export_document
from bot.errors import (
    CurationError,
    NotInStoreError,
    RecordError,
    StaleEditError,
    StoreError,
)
from bot.records.actor import Actor
from bot.records.shapes import FACT_TEXT_MAX, SUMMARY_MAX
from bot.search.results import Outcome
from bot.store.db import Store
from bot.store.models import Revision

SOURCE = "russia-warns-japan-patriots-2024-03-24"
WARNING = "nozdrev-warns-japan-patriot-transfer"
"""A seed fact: dated 2024-03, about nikolai-nozdrev, japan, patriot, ukraine and russia."""

ALICE = Actor("1001", "alice", guild_id="2002", guild_name="Diplomacy")
BOB = Actor("1003", "bob", guild_id="2002", guild_name="Diplomacy")

Attempt = Callable[[Store], object]


def revisions(store: Store) -> list[Revision]:
    with store.transaction() as session:
        return list(session.exec(select(Revision).order_by(col(Revision.id))))


def state(store: Store) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """Everything the store holds, and how many revisions it has logged."""
    return export_document(store), len(revisions(store))


def logged(store: Store, done: edits.Done) -> list[tuple[str, str, str]]:
    """(action, type, key) of each revision an action wrote, checking they are its own."""
    rows = [row for row in revisions(store) if row.id in done.revisions]
    assert [row.id for row in rows] == list(done.revisions)
    assert len({row.batch for row in rows}) == 1
    return [(row.action, row.target_type, row.target_key) for row in rows]


def record(store: Store, target_type: str, key: str) -> dict[str, Any]:
    return edits.read_record(store, target_type, key)[0]


def fact(key: str, text: str, *about: str | dict[str, str]) -> dict[str, Any]:
    """A fact citing the seed's source."""
    return {"key": key, "text": text, "about": list(about), "source": SOURCE}


# Sources.


def test_add_source(seeded_on: Store) -> None:
    raw = {"key": "tass-2024-03-25", "title": "Nozdrev interview", "outlet": "TASS"}
    done = edits.add_source(seeded_on, ALICE, raw, reason="second article")
    assert done.summary == "Added source 'tass-2024-03-25'."
    assert logged(seeded_on, done) == [("create", "source", "tass-2024-03-25")]
    assert record(seeded_on, "source", "tass-2024-03-25") == raw


def test_edit_source_changes_only_the_given_fields(seeded: Store) -> None:
    done = edits.edit_source(seeded, ALICE, SOURCE, {"outlet": "Associated Press"})
    assert done.summary == f"Edited source '{SOURCE}'."
    assert logged(seeded, done) == [("update", "source", SOURCE)]
    assert record(seeded, "source", SOURCE) == {
        "key": SOURCE,
        "title": "Russia warns Japan on missile transfer to Ukraine, threatens ties",
        "outlet": "Associated Press",
        "published": "2024-03-24T06:21:00-04:00",  # as the source wrote it
    }


def test_clear_removes_a_sources_optional_field(seeded: Store) -> None:
    edits.edit_source(seeded, ALICE, SOURCE, {"outlet": "Associated Press"})
    edits.edit_source(seeded, ALICE, SOURCE, {"outlet": edits.CLEAR, "published": edits.CLEAR})
    assert record(seeded, "source", SOURCE) == {
        "key": SOURCE,
        "title": "Russia warns Japan on missile transfer to Ukraine, threatens ties",
    }


# Entities.


def test_add_entity(seeded_on: Store) -> None:
    raw = {
        "key": "yoko-kamikawa",
        "kind": "person",
        "name": "Yoko Kamikawa",
        "summary": "Japanese Minister for Foreign Affairs.",
        "aliases": ["Kamikawa", {"text": "上川陽子", "lang": "ja"}],
    }
    done = edits.add_entity(seeded_on, ALICE, raw, reason="new person")
    assert done.summary == "Added person 'yoko-kamikawa'."
    assert logged(seeded_on, done) == [("create", "entity", "yoko-kamikawa")]
    assert record(seeded_on, "entity", "yoko-kamikawa") == raw
    found = Catalog.load(seeded_on).resolve("Kamikawa")
    assert found.best is not None and found.best.entity == "yoko-kamikawa"


def test_edit_entity(seeded_on: Store) -> None:
    done = edits.edit_entity(seeded_on, ALICE, "iturup", {"name": "Iturup Island", "summary": "-"})
    assert done.summary == "Edited entity 'iturup'."
    assert logged(seeded_on, done) == [("update", "entity", "iturup")]
    iturup = record(seeded_on, "entity", "iturup")
    assert (iturup["name"], "summary" in iturup) == ("Iturup Island", False)
    assert iturup["aliases"][:2] == ["Etorofu", "Iturup Island"]


def test_an_entity_edit_that_changes_nothing_says_so(seeded: Store) -> None:
    before = state(seeded)
    done = edits.edit_entity(seeded, ALICE, "japan", {"name": "Japan", "wikidata": "Q17"})
    assert done.summary == "Entity 'japan' already says that; nothing was changed."
    assert (done.revisions, done.changes, done.changed) == ((), (), False)
    assert state(seeded) == before


def test_edits_that_change_nothing_write_no_revision(seeded: Store) -> None:
    before = state(seeded)
    source = edits.edit_source(seeded, ALICE, SOURCE, {"outlet": edits.CLEAR})
    same = edits.edit_fact(seeded, ALICE, WARNING, {"date": "2024-03"})
    assert source.summary == f"Source '{SOURCE}' already says that; nothing was changed."
    assert same.summary == f"Fact '{WARNING}' already says that; nothing was changed."
    assert state(seeded) == before


def test_a_disputes_parties_are_replaced_or_cleared(seeded: Store) -> None:
    edits.edit_entity(seeded, ALICE, "kuril-islands-dispute", {"parties": ["japan", "russia"]})
    assert record(seeded, "entity", "kuril-islands-dispute")["parties"] == ["japan", "russia"]
    edits.edit_entity(seeded, ALICE, "kuril-islands-dispute", {"parties": edits.CLEAR})
    dispute = record(seeded, "entity", "kuril-islands-dispute")
    assert dispute["parties"] == []
    assert dispute["areas"][:2] == ["kuril-islands", "southern-kurils"]
    assert "kuril-islands-dispute" not in Catalog.load(seeded).disputes_of("japan")


# Aliases.


def test_add_alias(seeded: Store) -> None:
    done = edits.add_alias(seeded, ALICE, "japan", "  Land of the   Rising Sun ")
    assert done.summary == "Added the alias 'Land of the Rising Sun' to 'japan'."
    edits.add_alias(seeded, ALICE, "japan", "Yamato", "ja")
    assert logged(seeded, done) == [("update", "entity", "japan")]
    aliases = record(seeded, "entity", "japan")["aliases"]
    assert aliases[-2:] == ["Land of the Rising Sun", {"text": "Yamato", "lang": "ja"}]
    found = Catalog.load(seeded).resolve("Land of the Rising Sun")
    assert found.best is not None and found.best.entity == "japan"


def test_remove_alias(seeded: Store) -> None:
    done = edits.remove_alias(seeded, ALICE, "japan", "日本")
    assert done.summary == "Removed the alias '日本' from 'japan'."
    assert logged(seeded, done) == [("update", "entity", "japan")]
    aliases = record(seeded, "entity", "japan")["aliases"]
    assert {"text": "日本", "lang": "ja"} not in aliases
    assert {"text": "日本国", "lang": "ja"} in aliases


# Facts.


def test_add_fact_with_a_key(seeded_on: Store) -> None:
    raw = {
        "key": "kamikawa-replies",
        "text": "Japan's foreign minister replied to the warning.",
        "date": "2024-03-25",
        "type": "statement",
        "about": [{"entity": "japan", "role": "actor"}, "nikolai-nozdrev"],
        "source": SOURCE,
    }
    done = edits.add_fact(seeded_on, ALICE, raw, reason="follow-up")
    assert done.summary == "Added fact 'kamikawa-replies'."
    assert logged(seeded_on, done) == [("create", "fact", "kamikawa-replies")]
    assert record(seeded_on, "fact", "kamikawa-replies") == raw
    about_japan = [f.key for f in Catalog.load(seeded_on).facts_about("japan")]
    assert "kamikawa-replies" in about_japan


def test_add_fact_without_a_key_derives_one(seeded: Store) -> None:
    text = "Japan replied to the warning."
    raw = {"text": text, "date": 2024, "about": ["japan"], "source": SOURCE}
    done = edits.add_fact(seeded, ALICE, raw)
    assert done.summary == "Added fact 'japan-2024-replied-warning'."
    assert record(seeded, "fact", "japan-2024-replied-warning")["date"] == "2024"


def test_add_fact_without_a_key_is_refused_when_the_store_has_its_text_and_date(
    seeded: Store,
) -> None:
    """The same text and date as a stored fact, under any key, is that fact: no duplicate."""
    raw = {"text": "Japan replied to the warning.", "about": ["japan"], "source": SOURCE}
    edits.add_fact(seeded, ALICE, {**raw, "key": "japan-replies"})
    with pytest.raises(CurationError, match="fact 'japan-replies' already exists"):
        edits.add_fact(seeded, ALICE, raw)


def test_edit_fact(seeded_on: Store) -> None:
    changes = {"text": "Nozdrev warned Japan.", "about": ["japan", "nikolai-nozdrev"]}
    done = edits.edit_fact(seeded_on, ALICE, WARNING, changes)
    assert done.summary == f"Edited fact '{WARNING}'."
    assert logged(seeded_on, done) == [("update", "fact", WARNING)]
    assert record(seeded_on, "fact", WARNING) == {
        "key": WARNING,
        "text": "Nozdrev warned Japan.",
        "date": "2024-03",
        "type": "threaten",
        "about": ["japan", "nikolai-nozdrev"],
        "source": SOURCE,
    }
    about_ukraine = [f.key for f in Catalog.load(seeded_on).facts_about("ukraine")]
    assert WARNING not in about_ukraine


def test_clear_removes_a_facts_date_and_type(seeded: Store) -> None:
    edits.edit_fact(seeded, ALICE, WARNING, {"date": edits.CLEAR, "type": edits.CLEAR})
    stored = record(seeded, "fact", WARNING)
    assert "date" not in stored and "type" not in stored
    assert stored["text"].startswith("Nikolai Nozdrev, the Russian Ambassador")


def test_delete_fact(seeded_on: Store) -> None:
    done = edits.delete_fact(seeded_on, ALICE, WARNING, reason="duplicate")
    assert done.summary == f"Deleted fact '{WARNING}'."
    assert logged(seeded_on, done) == [("delete", "fact", WARNING)]
    assert WARNING not in [f["key"] for f in export_document(seeded_on)["facts"]]
    assert revisions(seeded_on)[-1].before == done.changes[0].before


# The log: who, where and why.


def test_each_revision_records_the_actor_and_the_reason(seeded: Store) -> None:
    done = edits.add_alias(seeded, ALICE, "japan", "Yamato", reason="an older name")
    [row] = revisions(seeded)[-1:]
    assert done.revisions == (row.id,)
    assert (row.actor_id, row.actor_name, row.guild_id, row.guild_name, row.reason) == (
        "1001",
        "alice",
        "2002",
        "Diplomacy",
        "an older name",
    )
    assert row.before is not None and row.after is not None
    assert row.after["aliases"] == [*row.before["aliases"], "Yamato"]


def test_a_console_edit_records_no_server(seeded: Store) -> None:
    edits.edit_fact(seeded, Actor.console(), WARNING, {"type": "statement"})
    [row] = revisions(seeded)[-1:]
    assert (row.actor_id, row.actor_name, row.guild_id, row.guild_name, row.reason) == (
        None,
        "console",
        None,
        None,
        None,
    )


# One validator, whatever the door.


TOO_LONG_FACT = "x" * (FACT_TEXT_MAX + 1)
TOO_LONG_SUMMARY = "x" * (SUMMARY_MAX + 1)
NOT_A_DATE = "is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
NOT_A_KEY = "is not a key (lowercase letters, digits and single hyphens, like 'kuril-islands')"
KINDS = "person, organization, country, place, dispute, other"

PROBLEMS = [
    pytest.param(
        lambda s: edits.add_fact(s, ALICE, {**fact("f", "T.", "japan"), "date": "2024-02-30"}),
        "the fact has 1 problem",
        [f"date: '2024-02-30' {NOT_A_DATE}"],
        id="add_fact date",
    ),
    pytest.param(
        lambda s: edits.add_fact(s, ALICE, fact("f", "T.", "japn")),
        "the fact has 1 problem",
        ["about[0]: no entity 'japn' (did you mean 'japan'?)"],
        id="add_fact about",
    ),
    pytest.param(
        lambda s: edits.add_fact(s, ALICE, {**fact("f", "T.", "japan"), "source": "ap-typo"}),
        "the fact has 1 problem",
        ["source: no source 'ap-typo'"],
        id="add_fact source",
    ),
    pytest.param(
        lambda s: edits.add_fact(s, ALICE, fact("Japan Replied", TOO_LONG_FACT, "japan")),
        "the fact has 2 problems",
        [
            f"key: 'Japan Replied' {NOT_A_KEY}",
            f"text: too long: {FACT_TEXT_MAX + 1} characters (at most {FACT_TEXT_MAX})",
        ],
        id="add_fact key and text",
    ),
    pytest.param(
        lambda s: edits.add_fact(
            s, ALICE, {**fact("f", "T.", "jpan", "rusia"), "date": "2024-13", "extra": 1}
        ),
        "the fact has 4 problems",
        [
            "extra: unknown field",
            f"date: '2024-13' {NOT_A_DATE}",
            "about[0]: no entity 'jpan' (did you mean 'japan'?)",
            "about[1]: no entity 'rusia' (did you mean 'russia'?)",
        ],
        id="add_fact all problems at once",
    ),
    pytest.param(
        lambda s: edits.edit_fact(s, ALICE, WARNING, {"date": "2024-02-30"}),
        f"fact '{WARNING}' has 1 problem",
        [f"date: '2024-02-30' {NOT_A_DATE}"],
        id="edit_fact date",
    ),
    pytest.param(
        lambda s: edits.edit_fact(s, ALICE, WARNING, {"about": []}),
        f"fact '{WARNING}' has 1 problem",
        ["about: at least one entity required"],
        id="edit_fact about",
    ),
    pytest.param(
        lambda s: edits.add_entity(
            s, ALICE, {"key": "k", "kind": "persn", "name": "K", "summary": TOO_LONG_SUMMARY}
        ),
        "the entity has 2 problems",
        [
            f"kind: unknown kind 'persn' (expected one of {KINDS})",
            f"summary: too long: {SUMMARY_MAX + 1} characters (at most {SUMMARY_MAX})",
        ],
        id="add_entity kind and summary",
    ),
    pytest.param(
        lambda s: edits.add_entity(s, ALICE, {"key": "Yoko_Kamikawa", "kind": "person"}),
        "the entity has 2 problems",
        ["name: required", f"key: 'Yoko_Kamikawa' {NOT_A_KEY}"],
        id="add_entity key and name",
    ),
    pytest.param(
        lambda s: edits.edit_entity(s, ALICE, "japan", {"summary": TOO_LONG_SUMMARY}),
        "entity 'japan' has 1 problem",
        [f"summary: too long: {SUMMARY_MAX + 1} characters (at most {SUMMARY_MAX})"],
        id="edit_entity summary",
    ),
    pytest.param(
        lambda s: edits.edit_entity(s, ALICE, "kuril-islands-dispute", {"parties": ["japn"]}),
        "entity 'kuril-islands-dispute' has 1 problem",
        ["parties[0]: no entity 'japn' (did you mean 'japan'?)"],
        id="edit_entity parties",
    ),
    pytest.param(
        lambda s: edits.edit_entity(s, ALICE, "japan", {"kind": "contry"}),
        "entity 'japan' has 1 problem",
        [f"kind: unknown kind 'contry' (expected one of {KINDS})"],
        id="edit_entity kind",
    ),
    pytest.param(
        lambda s: edits.add_alias(s, ALICE, "iturup", "Etorofu-to", "Japanese"),
        "entity 'iturup' has 1 problem",
        ["lang: 'Japanese' is not a language code like 'ru'"],
        id="add_alias lang",
    ),
    pytest.param(
        lambda s: edits.add_source(s, ALICE, {"key": "AP 2024", "title": "T", "url": "ftp://x"}),
        "the source has 2 problems",
        [f"key: 'AP 2024' {NOT_A_KEY}", "url: 'ftp://x' is not an http or https URL"],
        id="add_source key and url",
    ),
    pytest.param(
        lambda s: edits.edit_source(s, ALICE, SOURCE, {"published": "yesterday"}),
        f"source '{SOURCE}' has 1 problem",
        [
            "published: 'yesterday' is not an ISO 8601 date and time "
            "(like '2024-03-24T06:21:00-04:00')"
        ],
        id="edit_source published",
    ),
]


@pytest.mark.parametrize(("attempt", "headline", "problems"), PROBLEMS)
def test_problems_come_back_by_field_and_nothing_changes(
    seeded: Store, attempt: Attempt, headline: str, problems: list[str]
) -> None:
    before = state(seeded)
    with pytest.raises(RecordError) as caught:
        attempt(seeded)
    assert caught.value.problems == problems
    assert caught.value.headline == f"{headline}; nothing was changed"
    assert str(caught.value) == caught.value.headline + ":\n" + "\n".join(
        f"  {problem}" for problem in problems
    )
    assert state(seeded) == before


REFUSALS = [
    pytest.param(
        lambda s: edits.add_source(s, ALICE, {"key": SOURCE, "title": "Again"}),
        CurationError,
        f"source '{SOURCE}' already exists; edit it instead",
        id="add_source existing",
    ),
    pytest.param(
        lambda s: edits.add_entity(s, ALICE, {"key": "japan", "kind": "country", "name": "J"}),
        CurationError,
        "entity 'japan' already exists; edit it instead",
        id="add_entity existing",
    ),
    pytest.param(
        lambda s: edits.add_fact(s, ALICE, fact(WARNING, "Again.", "japan")),
        CurationError,
        f"fact '{WARNING}' already exists; edit it instead",
        id="add_fact existing",
    ),
    pytest.param(
        lambda s: edits.add_alias(s, ALICE, "japan", " Nippon "),
        CurationError,
        "entity 'japan' already has the alias 'Nippon'",
        id="add_alias duplicate",
    ),
    pytest.param(
        lambda s: edits.remove_alias(s, ALICE, "japan", "Nipon"),
        CurationError,
        "entity 'japan' has no alias 'Nipon' (did you mean 'Nippon'?)",
        id="remove_alias missing",
    ),
    pytest.param(
        lambda s: edits.edit_source(s, ALICE, SOURCE[:-1] + "5", {"outlet": "AP"}),
        NotInStoreError,
        f"no source '{SOURCE[:-1]}5' (did you mean '{SOURCE}'?)",
        id="edit_source missing",
    ),
    pytest.param(
        lambda s: edits.edit_entity(s, ALICE, "japn", {"name": "Japan"}),
        NotInStoreError,
        "no entity 'japn' (did you mean 'japan'?)",
        id="edit_entity missing",
    ),
    pytest.param(
        lambda s: edits.edit_fact(s, ALICE, WARNING + "s", {"text": "T."}),
        NotInStoreError,
        f"no fact '{WARNING}s' (did you mean '{WARNING}'?)",
        id="edit_fact missing",
    ),
    pytest.param(
        lambda s: edits.delete_fact(s, ALICE, "nozdrev-warns-japan-patriot-transfr"),
        NotInStoreError,
        f"no fact 'nozdrev-warns-japan-patriot-transfr' (did you mean '{WARNING}'?)",
        id="delete_fact missing",
    ),
    pytest.param(
        lambda s: edits.delete_fact(s, ALICE, "atlantis"),
        NotInStoreError,
        "no fact 'atlantis'",
        id="delete_fact nothing close",
    ),
    pytest.param(
        lambda s: edits.delete_entity(s, ALICE, "iturp"),
        NotInStoreError,
        "no entity 'iturp' (did you mean 'iturup'?)",
        id="delete_entity missing",
    ),
    pytest.param(
        lambda s: edits.add_alias(s, ALICE, "rusia", "RF"),
        NotInStoreError,
        "no entity 'rusia' (did you mean 'russia'?)",
        id="add_alias missing entity",
    ),
    pytest.param(
        lambda s: edits.merge_entities(s, ALICE, "japan", "nipon"),
        NotInStoreError,
        "no entity 'nipon'",
        id="merge missing entity",
    ),
    pytest.param(
        lambda s: edits.merge_entities(s, ALICE, "japan", "japan"),
        CurationError,
        "an entity cannot be merged into itself",
        id="merge into itself",
    ),
    pytest.param(
        lambda s: edits.merge_entities(s, ALICE, "japan", "iturup"),
        CurationError,
        "'japan' is a country and 'iturup' a place; give them the same kind before merging them",
        id="merge different kinds",
    ),
]


@pytest.mark.parametrize(("attempt", "error", "message"), REFUSALS)
def test_refusals_say_why_and_change_nothing(
    seeded: Store, attempt: Attempt, error: type[CurationError], message: str
) -> None:
    before = state(seeded)
    with pytest.raises(CurationError) as caught:
        attempt(seeded)
    assert type(caught.value) is error
    assert str(caught.value) == message
    assert state(seeded) == before


def test_reading_a_missing_record_suggests_the_close_one(seeded: Store) -> None:
    with pytest.raises(NotInStoreError) as caught:
        edits.read_record(seeded, "entity", "kuril-island")
    assert str(caught.value) == "no entity 'kuril-island' (did you mean 'kuril-islands'?)"
    with pytest.raises(NotInStoreError) as caught:
        edits.facts_naming(seeded, "habomaii")
    assert str(caught.value) == "no entity 'habomaii' (did you mean 'habomai'?)"


# Stale edits.


def test_an_edit_from_a_stale_version_is_refused(seeded_on: Store) -> None:
    opened = edits.current_version(seeded_on, "fact", WARNING)
    assert opened is not None
    newer = edits.edit_fact(seeded_on, BOB, WARNING, {"type": "statement"})
    before = state(seeded_on)
    with pytest.raises(StaleEditError) as caught:
        edits.edit_fact(seeded_on, ALICE, WARNING, {"text": "Alice's draft."}, version=opened)
    [number] = newer.revisions
    assert str(caught.value) == (
        f"fact '{WARNING}' changed since you opened it (revision {number} by bob)"
    )
    assert (caught.value.revision, caught.value.actor) == (number, "bob")
    assert state(seeded_on) == before

    stored, version = edits.read_record(seeded_on, "fact", WARNING)
    assert version == edits.current_version(seeded_on, "fact", WARNING) == number
    assert stored["type"] == "statement"
    edits.edit_fact(seeded_on, ALICE, WARNING, {"text": "Alice's draft."}, version=version)
    assert record(seeded_on, "fact", WARNING)["text"] == "Alice's draft."


@pytest.mark.parametrize(
    ("target_type", "key", "edit", "changes"),
    [
        ("entity", "japan", edits.edit_entity, {"summary": "An island country."}),
        ("source", SOURCE, edits.edit_source, {"outlet": "AP"}),
    ],
)
def test_stale_entity_and_source_edits_are_refused_too(
    seeded: Store,
    target_type: str,
    key: str,
    edit: Callable[..., edits.Done],
    changes: dict[str, str],
) -> None:
    opened = edits.current_version(seeded, target_type, key)
    if target_type == "entity":
        newer = edits.add_alias(seeded, BOB, key, "Yamato")
    else:
        newer = edits.edit_source(seeded, BOB, key, {"title": "Russia warns Japan"})
    before = state(seeded)
    with pytest.raises(StaleEditError, match=rf"revision {newer.revisions[0]} by bob\)$"):
        edit(seeded, ALICE, key, changes, version=opened)
    assert state(seeded) == before
    done = edit(seeded, ALICE, key, changes, version=newer.revisions[0])
    assert done.changed


# Merging.


def test_merge_moves_names_facts_and_links_to_the_entity_kept(seeded_on: Store) -> None:
    store = seeded_on
    nippon = {"key": "nippon", "kind": "country", "name": "Nippon-koku"}
    edits.add_entity(store, ALICE, {**nippon, "aliases": ["Dai Nippon", "Nihon"]})
    edits.add_fact(store, ALICE, fact("nippon-only", "N.", {"entity": "nippon", "role": "actor"}))
    both = fact("both-named", "B.", {"entity": "japan", "role": "recipient"}, "nippon", "russia")
    edits.add_fact(store, ALICE, both)
    dispute = {"key": "fishing-dispute", "kind": "dispute", "name": "Fishing dispute"}
    edits.add_entity(store, ALICE, {**dispute, "parties": ["nippon", "russia"]})
    edits.edit_entity(
        store, ALICE, "kuril-islands-dispute", {"parties": ["russia", "japan", "nippon"]}
    )
    japan_aliases = record(store, "entity", "japan")["aliases"]

    done = edits.merge_entities(store, ALICE, "japan", "nippon", reason="same country")

    assert done.summary == (
        "Merged 'nippon' into 'japan': 2 facts and 2 disputes now name 'japan', "
        "and 'nippon' leads to it."
    )
    assert sorted(logged(store, done)) == [
        ("delete", "entity", "nippon"),
        ("update", "entity", "fishing-dispute"),
        ("update", "entity", "japan"),
        ("update", "entity", "kuril-islands-dispute"),
        ("update", "fact", "both-named"),
        ("update", "fact", "nippon-only"),
    ]
    japan = record(store, "entity", "japan")
    assert japan["aliases"] == [*japan_aliases, "Nippon-koku", "Dai Nippon"]
    assert japan["former_keys"] == ["nippon"]
    assert record(store, "fact", "nippon-only")["about"] == [{"entity": "japan", "role": "actor"}]
    assert record(store, "fact", "both-named")["about"] == [
        {"entity": "japan", "role": "recipient"},
        "russia",
    ]
    assert record(store, "entity", "fishing-dispute")["parties"] == ["japan", "russia"]
    assert record(store, "entity", "kuril-islands-dispute")["parties"] == ["russia", "japan"]
    with pytest.raises(NotInStoreError):
        edits.read_record(store, "entity", "nippon")

    catalog = Catalog.load(store)
    resolved = catalog.resolve("nippon")
    assert resolved.outcome is Outcome.FOUND
    assert resolved.best is not None and resolved.best.entity == "japan"
    assert {"nippon-only", "both-named"} <= {f.key for f in catalog.facts_about("japan")}
    assert set(catalog.disputes_of("japan")) >= {"fishing-dispute", "kuril-islands-dispute"}


def test_merge_keeps_the_keys_merged_before(seeded: Store) -> None:
    for key, name in (("nippon", "Nippon-koku"), ("nihon-koku", "Nihon-koku")):
        edits.add_entity(seeded, ALICE, {"key": key, "kind": "country", "name": name})
    edits.merge_entities(seeded, ALICE, "nippon", "nihon-koku")
    edits.merge_entities(seeded, ALICE, "japan", "nippon")
    assert record(seeded, "entity", "japan")["former_keys"] == ["nihon-koku", "nippon"]
    catalog = Catalog.load(seeded)
    for former in ("nippon", "nihon-koku"):
        resolved = catalog.resolve(former)
        assert resolved.best is not None and resolved.best.entity == "japan"


# Deleting entities.


@pytest.fixture
def atlantis(seeded_on: Store) -> Store:
    """The seeded store with a place, two facts about it and a dispute over it."""
    edits.add_entity(seeded_on, ALICE, {"key": "atlantis", "kind": "place", "name": "Atlantis"})
    edits.add_fact(seeded_on, ALICE, fact("atlantis-sank", "Atlantis sank.", "atlantis"))
    edits.add_fact(seeded_on, ALICE, fact("atlantis-rose", "It rose.", "atlantis", "japan"))
    dispute = {"key": "atlantis-dispute", "kind": "dispute", "name": "Atlantis dispute"}
    edits.add_entity(
        seeded_on, ALICE, {**dispute, "parties": ["japan"], "areas": ["atlantis", "iturup"]}
    )
    return seeded_on


def test_an_entity_named_by_facts_is_not_deleted(atlantis: Store) -> None:
    before = state(atlantis)
    with pytest.raises(CurationError) as caught:
        edits.delete_entity(atlantis, ALICE, "atlantis")
    assert str(caught.value) == (
        "entity 'atlantis' is still named by 2 facts: 'atlantis-rose', 'atlantis-sank'. "
        "Delete or edit those first, or delete them with it: "
        "`curate entity delete atlantis with_facts:yes`"
    )
    assert state(atlantis) == before
    assert edits.facts_naming(atlantis, "atlantis") == ["atlantis-rose", "atlantis-sank"]


def test_a_long_refusal_lists_ten_facts_and_counts_the_rest(seeded: Store) -> None:
    named = edits.facts_naming(seeded, "japan")
    assert len(named) > edits.LISTED
    listed = ", ".join(f"'{key}'" for key in named[: edits.LISTED])
    message = (
        f"entity 'japan' is still named by {len(named)} facts: {listed} and "
        f"{len(named) - edits.LISTED} more. Delete or edit those first, or delete them with it: "
        "`curate entity delete japan with_facts:yes`"
    )
    with pytest.raises(CurationError) as caught:
        edits.delete_entity(seeded, ALICE, "japan")
    assert str(caught.value) == message


def test_delete_with_facts_deletes_them_and_unlinks_disputes(atlantis: Store) -> None:
    done = edits.delete_entity(atlantis, ALICE, "atlantis", with_facts=True, reason="myth")
    assert done.summary == "Deleted entity 'atlantis' with 2 facts."
    assert logged(atlantis, done) == [
        ("update", "entity", "atlantis-dispute"),
        ("delete", "fact", "atlantis-rose"),
        ("delete", "fact", "atlantis-sank"),
        ("delete", "entity", "atlantis"),
    ]
    exported = export_document(atlantis)
    assert "atlantis" not in [e["key"] for e in exported["entities"]]
    assert not {"atlantis-rose", "atlantis-sank"} & {f["key"] for f in exported["facts"]}
    dispute = record(atlantis, "entity", "atlantis-dispute")
    assert (dispute["parties"], dispute["areas"]) == (["japan"], ["iturup"])


def test_delete_an_entity_nothing_names(seeded: Store) -> None:
    edits.add_entity(seeded, ALICE, {"key": "atlantis", "kind": "place", "name": "Atlantis"})
    done = edits.delete_entity(seeded, ALICE, "atlantis")
    assert done.summary == "Deleted entity 'atlantis'."
    assert logged(seeded, done) == [("delete", "entity", "atlantis")]


# Bugs.


def test_a_party_to_a_dispute_cannot_become_a_dispute(seeded: Store) -> None:
    before = state(seeded)
    with pytest.raises(CurationError):
        edits.edit_entity(seeded, ALICE, "japan", {"kind": "dispute"})
    assert state(seeded) == before


def test_editing_a_facts_key_does_not_copy_the_fact(seeded: Store) -> None:
    keys = [f["key"] for f in export_document(seeded)["facts"]]
    with contextlib.suppress(CurationError):
        edits.edit_fact(seeded, ALICE, WARNING, {"key": "nozdrev-warns-japan", "type": "claim"})
    assert [f["key"] for f in export_document(seeded)["facts"]] == keys


@pytest.mark.parametrize(
    ("attempt", "problem"),
    [
        pytest.param(
            lambda s: edits.edit_fact(s, ALICE, WARNING, {"about": ["japan", "japan"]}),
            "about[1]: 'japan' is listed twice (also about[0])",
            id="edit_fact about twice",
        ),
        pytest.param(
            lambda s: edits.add_entity(
                s, ALICE, {"key": "k", "kind": "place", "name": "K", "aliases": ["K2", "K2"]}
            ),
            "aliases[1]: duplicate alias 'K2' (also aliases[0])",
            id="add_entity alias twice",
        ),
    ],
)
def test_problems_name_no_place_in_a_file(seeded: Store, attempt: Attempt, problem: str) -> None:
    with pytest.raises(RecordError) as caught:
        attempt(seeded)
    assert caught.value.problems == [problem]


# Two curators saving the same record at the same moment.


def race(store: Store, key: str, version: int | None, texts: dict[Actor, str]) -> list[str]:
    """Each actor saves its text over the fact at the same moment; how each save ended."""
    barrier = threading.Barrier(len(texts))
    outcomes: list[str] = []

    def save(actor: Actor, text: str) -> None:
        barrier.wait()
        try:
            edits.edit_fact(store, actor, key, {"text": text}, version=version)
            outcomes.append("saved")
        except StaleEditError:
            outcomes.append("stale")
        except StoreError:
            outcomes.append("busy")

    threads = [threading.Thread(target=save, args=item) for item in texts.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_editors_saving_at_once_never_both_win(seeded_on: Store) -> None:
    """Both opened the fact at the same version; exactly one save lands each time, and the
    other is refused as stale (on SQLite it may instead find the store busy), with nothing
    lost. Without the row lock, PostgreSQL let both saves through."""
    key = "japan-agrees-us-patriot-request"
    for round_ in range(8):
        version = edits.current_version(seeded_on, "fact", key)
        outcomes = race(
            seeded_on,
            key,
            version,
            {ALICE: f"Alice's wording, round {round_}.", BOB: f"Bob's wording, round {round_}."},
        )
        assert outcomes.count("saved") == 1, outcomes
        if seeded_on.engine.dialect.name == "postgresql":
            assert sorted(outcomes) == ["saved", "stale"]


def test_a_store_failure_mid_change_is_one_clear_error_and_writes_nothing(seeded: Store) -> None:
    before = export_document(seeded)
    with seeded.engine.begin() as connection:  # the log cannot be written: the change must not be
        connection.exec_driver_sql("ALTER TABLE revision RENAME TO revision_gone")
    with pytest.raises(StoreError) as caught:
        edits.add_alias(seeded, ALICE, "japan", "Yamato")
    message = str(caught.value)
    assert message.startswith("the store is unavailable or busy (no such table: revision)")
    assert message.endswith("nothing was changed, try again shortly")
    assert "\n" not in message
    assert export_document(seeded) == before
