"""The revision log read back: history listings, one revision as a diff, and undo.

Tests taking ``seeded_on`` run on SQLite and, when DIPLOBOT_TEST_POSTGRES_URL names a
server, on PostgreSQL too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from bot.curation import edits, history
from bot.curation.files import write_document
from bot.curation.transfer import export_document, load_file
from bot.errors import NotInStoreError, UndoConflictError
from bot.records.actor import Actor
from bot.store.db import Store
from bot.store.models import Revision

SEED = Path(__file__).resolve().parents[2] / "data" / "seed.yaml"
SOURCE = "russia-warns-japan-patriots-2024-03-24"
WARNING = "nozdrev-warns-japan-patriot-transfer"
"""A seed fact: dated 2024-03, about nikolai-nozdrev, japan, patriot, ukraine and russia."""

SEEDER = Actor(None, "seed")
ALICE = Actor("1001", "alice", guild_id="2002", guild_name="Diplomacy")
BOB = Actor("1003", "bob", guild_id="2002", guild_name="Diplomacy")

Step = Callable[[Store], object]
Change = Callable[[Store], edits.Done]


def revision_count(store: Store) -> int:
    with store.transaction() as session:
        return session.exec(select(func.count()).select_from(Revision)).one()


def state(store: Store) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """Everything the store holds, and how many revisions it has logged."""
    return export_document(store), revision_count(store)


def exported(store: Store, path: Path) -> bytes:
    """The store exported to a file, as the file's bytes."""
    write_document(path, export_document(store))
    return path.read_bytes()


def record(store: Store, target_type: str, key: str) -> dict[str, Any]:
    return edits.read_record(store, target_type, key)[0]


def fact(key: str, text: str, *about: str | dict[str, str]) -> dict[str, Any]:
    """A fact citing the seed's source."""
    return {"key": key, "text": text, "about": list(about), "source": SOURCE}


# History.


def test_history_lists_the_newest_first(seeded: Store) -> None:
    seeded_revisions = revision_count(seeded)
    alias = edits.add_alias(seeded, ALICE, "japan", "Yamato")
    edit = edits.edit_fact(seeded, BOB, WARNING, {"type": "statement"})
    entries = history.history(seeded)
    numbers = [entry.number for entry in entries]
    assert numbers[:2] == [*edit.revisions, *alias.revisions]
    assert numbers == sorted(numbers, reverse=True)
    assert len(entries) == seeded_revisions + 2
    assert [entry.number for entry in history.history(seeded, limit=3)] == numbers[:3]


def test_history_of_one_key(seeded: Store) -> None:
    alias = edits.add_alias(seeded, ALICE, "japan", "Yamato")
    edits.edit_fact(seeded, BOB, WARNING, {"type": "statement"})
    entries = history.history(seeded, "japan")
    assert [(e.number, e.action, e.target_type, e.target_key) for e in entries] == [
        (alias.revisions[0], "update", "entity", "japan"),
        (entries[1].number, "create", "entity", "japan"),
    ]
    assert entries[1].actor_name == "seed"
    assert history.history(seeded, "atlantis") == []


@pytest.mark.parametrize(
    ("actor", "who"),
    [
        (ALICE, "alice in Diplomacy"),
        (Actor("1005", "carol", guild_id="2003"), "carol in server 2003"),
        (Actor("1006", "dave"), "dave on Discord"),
        (Actor.console(), "console"),
        (SEEDER, "seed (file)"),
    ],
)
def test_a_history_line_says_who_where_what_and_why(seeded: Store, actor: Actor, who: str) -> None:
    raw = fact("japan-replied", "Japan replied.", "japan")
    done = edits.add_fact(seeded, actor, raw, reason="from the follow-up article")
    [entry] = history.history(seeded, "japan-replied")
    assert entry.number == done.revisions[0]
    assert (entry.who, entry.what) == (who, "created fact 'japan-replied'")
    assert entry.line() == (
        f"#{entry.number} · {entry.at:%Y-%m-%d %H:%M} UTC · {who} · "
        "created fact 'japan-replied' · “from the follow-up article”"
    )


def test_a_line_without_a_reason_ends_with_what_was_done(seeded: Store) -> None:
    oldest = history.history(seeded)[-1]
    assert oldest.number == 1
    assert oldest.line() == (
        f"#1 · {oldest.at:%Y-%m-%d %H:%M} UTC · seed (file) · created source '{SOURCE}'"
    )
    edits.delete_fact(seeded, ALICE, WARNING)
    assert (
        history.history(seeded, limit=1)[0]
        .line()
        .endswith(f" · alice in Diplomacy · deleted fact '{WARNING}'")
    )


# One revision as a diff.


def test_revision_shows_an_entity_edit_field_by_field(seeded: Store) -> None:
    summary = record(seeded, "entity", "japan")["summary"]
    done = edits.edit_entity(seeded, ALICE, "japan", {"name": "Nippon-koku", "summary": "-"})
    detail = history.revision(seeded, done.revisions[0])
    assert detail.diff == ("name: 'Japan' → 'Nippon-koku'", f"summary: cleared (was '{summary}')")
    assert (detail.entry.action, detail.entry.target_key, detail.batch_size) == (
        "update",
        "japan",
        1,
    )


def test_revision_shows_list_changes_item_by_item(seeded: Store) -> None:
    added = edits.add_alias(seeded, ALICE, "japan", "Yamato")
    with_lang = edits.add_alias(seeded, ALICE, "japan", "Wa", "ja")
    removed = edits.remove_alias(seeded, ALICE, "japan", "Nippon")
    about = edits.edit_fact(seeded, ALICE, WARNING, {"about": ["japan", "nikolai-nozdrev"]})
    dated = edits.edit_fact(seeded, ALICE, WARNING, {"date": "2024-03-22", "type": "-"})
    diffs = [history.revision(seeded, d.revisions[0]).diff for d in (added, with_lang, removed)]
    assert diffs == [("aliases: + 'Yamato'",), ("aliases: + 'Wa' (ja)",), ("aliases: - 'Nippon'",)]
    assert history.revision(seeded, about.revisions[0]).diff == (
        "about: + 'japan', + 'nikolai-nozdrev', - 'nikolai-nozdrev' (actor), "
        "- 'japan' (recipient), - 'patriot', - 'ukraine' (mentioned), - 'russia' (mentioned)",
    )
    assert history.revision(seeded, dated.revisions[0]).diff == (
        "date: '2024-03' → '2024-03-22'",
        "type: cleared (was 'threaten')",
    )


def test_revision_of_a_creation_and_a_deletion_lists_every_field(seeded: Store) -> None:
    atlantis = {"key": "atlantis", "kind": "place", "name": "Atlantis", "aliases": ["Atlantida"]}
    created = edits.add_entity(seeded, ALICE, atlantis)
    deleted = edits.delete_entity(seeded, ALICE, "atlantis")
    assert history.revision(seeded, created.revisions[0]).diff == (
        "+ key: 'atlantis'",
        "+ kind: 'place'",
        "+ name: 'Atlantis'",
        "+ aliases: ['Atlantida']",
    )
    assert history.revision(seeded, deleted.revisions[0]).diff == (
        "- key: 'atlantis'",
        "- kind: 'place'",
        "- name: 'Atlantis'",
        "- aliases: ['Atlantida']",
    )


def test_every_revision_of_a_merge_knows_the_size_of_its_batch(seeded: Store) -> None:
    edits.add_entity(seeded, ALICE, {"key": "nippon", "kind": "country", "name": "Nippon-koku"})
    edits.add_fact(seeded, ALICE, fact("nippon-fact", "N.", "nippon"))
    done = edits.merge_entities(seeded, ALICE, "japan", "nippon", reason="duplicate")
    details = [history.revision(seeded, number) for number in done.revisions]
    assert {detail.batch_size for detail in details} == {len(done.revisions)} == {3}
    assert {(d.entry.batch, d.entry.reason, d.entry.who) for d in details} == {
        (details[0].entry.batch, "duplicate", "alice in Diplomacy")
    }
    assert details[0].diff == ("aliases: + 'Nippon-koku'", "former_keys: + 'nippon'")
    assert details[1].diff == ("about: + 'japan', - 'nippon'",)
    assert details[2].entry.what == "deleted entity 'nippon'"


def test_an_unknown_revision_is_not_in_the_store(seeded: Store) -> None:
    newest = revision_count(seeded)
    with pytest.raises(NotInStoreError) as caught:
        history.revision(seeded, newest + 100)
    assert str(caught.value) == f"no revision {newest + 100} (the newest is {newest})"


# Undo: what each kind of change looks like undone.


def nothing(store: Store) -> None:
    """No preparation."""


def edit_a_fact(store: Store) -> edits.Done:
    changes = {"text": "Nozdrev warned Japan.", "date": "2024-03-22", "type": edits.CLEAR}
    return edits.edit_fact(store, ALICE, WARNING, {**changes, "about": ["japan"]})


def add_a_duplicate(store: Store) -> None:
    nippon = {"key": "nippon", "kind": "country", "name": "Nippon-koku"}
    edits.add_entity(store, ALICE, {**nippon, "aliases": ["Nihon", "Dai Nippon"]})
    edits.add_fact(store, ALICE, fact("nippon-fact", "N.", {"entity": "nippon", "role": "actor"}))
    edits.add_fact(store, ALICE, fact("both-fact", "B.", "japan", "nippon"))
    parties = ["russia", "nippon", "japan"]
    edits.edit_entity(store, ALICE, "kuril-islands-dispute", {"parties": parties})


def merge_the_duplicate(store: Store) -> edits.Done:
    return edits.merge_entities(store, ALICE, "japan", "nippon")


def add_an_alias(store: Store) -> edits.Done:
    return edits.add_alias(store, ALICE, "japan", "Yamato", "ja")


def delete_with_facts(store: Store) -> edits.Done:
    return edits.delete_entity(store, ALICE, "iturup", with_facts=True)


def edit_the_source(store: Store) -> edits.Done:
    changes = {"title": "Russia warns Japan", "outlet": "AP", "published": edits.CLEAR}
    return edits.edit_source(store, ALICE, SOURCE, changes)


ACTIONS_OF_SEVERAL_RECORDS = [
    pytest.param(add_a_duplicate, merge_the_duplicate, id="entity merge"),
    pytest.param(nothing, delete_with_facts, id="delete with facts"),
]
CHANGES = [
    pytest.param(nothing, edit_a_fact, id="fact edit"),
    pytest.param(nothing, add_an_alias, id="alias add"),
    pytest.param(nothing, edit_the_source, id="source edit"),
    *ACTIONS_OF_SEVERAL_RECORDS,
]


@pytest.mark.parametrize(("prepare", "change"), CHANGES)
def test_undo_gives_back_the_same_export_byte_for_byte(
    seeded_on: Store, tmp_path: Path, prepare: Step, change: Change
) -> None:
    prepare(seeded_on)
    before = exported(seeded_on, tmp_path / "before.yaml")
    done = change(seeded_on)
    assert exported(seeded_on, tmp_path / "changed.yaml") != before

    undone = history.undo(seeded_on, BOB, done.revisions[0])

    assert exported(seeded_on, tmp_path / "after.yaml") == before
    assert len(undone.revisions) == len(done.revisions)
    first, last = done.revisions[0], done.revisions[-1]
    many = len(done.revisions) > 1
    assert undone.summary == (
        f"Undid revisions {first}–{last}." if many else f"Undid revision {first}."
    )


@pytest.mark.parametrize(("prepare", "change"), CHANGES)
def test_undoing_an_undo_redoes_the_change(
    seeded: Store, tmp_path: Path, prepare: Step, change: Change
) -> None:
    prepare(seeded)
    done = change(seeded)
    changed = exported(seeded, tmp_path / "changed.yaml")
    undone = history.undo(seeded, BOB, done.revisions[0])
    redone = history.undo(seeded, ALICE, undone.revisions[-1], reason="it was right")
    assert exported(seeded, tmp_path / "redone.yaml") == changed
    assert len(redone.revisions) == len(done.revisions)
    assert {e.reason for e in history.history(seeded, limit=len(redone.revisions))} == {
        "it was right"
    }


def test_an_undo_is_a_revision_of_its_own(seeded: Store) -> None:
    done = edits.edit_fact(seeded, ALICE, WARNING, {"type": "statement"})
    undone = history.undo(seeded, BOB, done.revisions[0])
    assert undone.summary == f"Undid revision {done.revisions[0]}."
    assert undone.revisions == (done.revisions[0] + 1,)
    [change] = undone.changes
    assert (change.action, change.before, change.after) == (
        "update",
        done.changes[0].after,
        done.changes[0].before,
    )
    [entry] = history.history(seeded, limit=1)
    assert (entry.number, entry.who, entry.what, entry.reason) == (
        undone.revisions[0],
        "bob in Diplomacy",
        f"changed fact '{WARNING}'",
        f"undo of revision {done.revisions[0]}",
    )
    assert history.revision(seeded, entry.number).diff == ("type: 'statement' → 'threaten'",)


@pytest.mark.parametrize(("prepare", "change"), ACTIONS_OF_SEVERAL_RECORDS)
def test_any_revision_of_an_action_undoes_all_of_it(
    seeded: Store, prepare: Step, change: Change
) -> None:
    prepare(seeded)
    before = export_document(seeded)
    done = change(seeded)
    assert len(done.revisions) > 1
    undone = history.undo(seeded, BOB, done.revisions[-1])
    assert export_document(seeded) == before
    assert undone.summary == f"Undid revisions {done.revisions[0]}–{done.revisions[-1]}."
    assert {(c.target_type, c.key) for c in undone.changes} == {
        (c.target_type, c.key) for c in done.changes
    }


def test_undo_of_an_import_reverts_every_record_it_wrote(seeded_on: Store, tmp_path: Path) -> None:
    before = export_document(seeded_on)
    path = tmp_path / "kamikawa.yaml"
    write_document(
        path,
        {
            "sources": [{"key": "tass-2024-03-25", "title": "Tokyo replies", "outlet": "TASS"}],
            "entities": [
                {"key": "yoko-kamikawa", "kind": "person", "name": "Yoko Kamikawa"},
                {"key": "japan", "kind": "country", "name": "Japan", "summary": "A country."},
            ],
            "facts": [
                {
                    "key": "kamikawa-replies",
                    "text": "Kamikawa replied to Nozdrev.",
                    "about": ["yoko-kamikawa", "nikolai-nozdrev"],
                    "source": "tass-2024-03-25",
                }
            ],
        },
    )
    report = load_file(seeded_on, path, ALICE, reason="second article")
    assert len(report.revisions) == 4
    assert record(seeded_on, "entity", "japan")["summary"] == "A country."

    undone = history.undo(seeded_on, BOB, report.revisions[0])

    assert undone.summary == f"Undid revisions {report.revisions[0]}–{report.revisions[-1]}."
    # Records are rewritten first, then deleted: facts, then entities, then sources.
    assert [(c.action, c.key) for c in undone.changes] == [
        ("update", "japan"),
        ("delete", "kamikawa-replies"),
        ("delete", "yoko-kamikawa"),
        ("delete", "tass-2024-03-25"),
    ]
    assert export_document(seeded_on) == before


# Undo refused.


def test_undo_is_refused_when_a_later_revision_touched_the_record(seeded_on: Store) -> None:
    first = edits.edit_fact(seeded_on, ALICE, WARNING, {"type": "statement"})
    edits.add_alias(seeded_on, BOB, "japan", "Yamato")
    later = edits.edit_fact(seeded_on, BOB, WARNING, {"date": "2024-03-23"})
    before = state(seeded_on)
    with pytest.raises(UndoConflictError) as caught:
        history.undo(seeded_on, ALICE, first.revisions[0])
    [number] = later.revisions
    assert str(caught.value) == (
        f"revision {number} by bob changed fact '{WARNING}' afterwards; "
        f"undo revision {number} first. Nothing was changed"
    )
    assert state(seeded_on) == before


def test_undo_names_every_later_revision_in_its_way_newest_first(seeded: Store) -> None:
    first = edits.edit_fact(seeded, ALICE, WARNING, {"type": "statement"})
    dated = edits.edit_fact(seeded, BOB, WARNING, {"date": "2024-03-23"})
    alias = edits.add_alias(seeded, ALICE, "japan", "Yamato")
    retyped = edits.edit_fact(seeded, BOB, WARNING, {"type": "claim"})
    before = state(seeded)
    with pytest.raises(UndoConflictError) as caught:
        history.undo(seeded, ALICE, first.revisions[0])
    [second], [fourth] = dated.revisions, retyped.revisions
    assert str(caught.value) == (
        f"revision {fourth} by bob changed fact '{WARNING}' afterwards; "
        f"revision {second} by bob changed fact '{WARNING}' afterwards; "
        f"undo them first, newest first: `curate undo {fourth}`, then `curate undo {second}`. "
        "Nothing was changed"
    )
    assert alias.revisions[0] not in (second, fourth)
    assert state(seeded) == before
    # Done as it says, the undo goes through.
    history.undo(seeded, ALICE, fourth)
    history.undo(seeded, ALICE, second)
    history.undo(seeded, ALICE, first.revisions[0])
    assert record(seeded, "fact", WARNING)["type"] == "threaten"


def test_a_change_undone_since_is_not_named_as_in_the_way(seeded: Store) -> None:
    first = edits.edit_fact(seeded, ALICE, WARNING, {"type": "statement"})
    dated = edits.edit_fact(seeded, BOB, WARNING, {"date": "2024-03-23"})
    history.undo(seeded, BOB, dated.revisions[0])
    later = edits.edit_fact(seeded, BOB, WARNING, {"text": "Nozdrev warned Japan."})
    with pytest.raises(UndoConflictError) as caught:
        history.undo(seeded, ALICE, first.revisions[0])
    [number] = later.revisions
    assert str(caught.value) == (
        f"revision {number} by bob changed fact '{WARNING}' afterwards; "
        f"undo revision {number} first. Nothing was changed"
    )


def test_undo_of_a_merge_is_refused_after_the_kept_entity_changed(seeded: Store) -> None:
    add_a_duplicate(seeded)
    merged = merge_the_duplicate(seeded)
    alias = edits.add_alias(seeded, BOB, "japan", "Yamato")
    before = state(seeded)
    with pytest.raises(UndoConflictError) as caught:
        history.undo(seeded, ALICE, merged.revisions[-1])
    assert str(caught.value).startswith(
        f"revision {alias.revisions[0]} by bob changed entity 'japan' afterwards;"
    )
    assert state(seeded) == before


def test_undo_of_an_unknown_revision(seeded: Store) -> None:
    newest = revision_count(seeded)
    before = state(seeded)
    with pytest.raises(NotInStoreError) as caught:
        history.undo(seeded, ALICE, 9999)
    assert str(caught.value) == f"no revision 9999 (the newest is {newest})"
    assert state(seeded) == before


def test_undo_of_a_creation_is_refused_while_facts_or_disputes_name_it(seeded: Store) -> None:
    created = edits.add_entity(seeded, ALICE, {"key": "atlantis", "kind": "place", "name": "A"})
    edits.add_fact(seeded, ALICE, fact("atlantis-sank", "Atlantis sank.", "atlantis"))
    dispute = {"key": "atlantis-dispute", "kind": "dispute", "name": "Atlantis dispute"}
    edits.add_entity(seeded, ALICE, {**dispute, "areas": ["atlantis"]})
    before = state(seeded)
    [number] = created.revisions
    with pytest.raises(UndoConflictError) as caught:
        history.undo(seeded, BOB, number)
    assert str(caught.value) == (
        "entity 'atlantis' cannot be removed: fact 'atlantis-sank', "
        "dispute 'atlantis-dispute' name it. Nothing was changed"
    )
    assert state(seeded) == before


def test_undo_of_a_deletion_is_refused_once_what_it_named_is_gone(seeded: Store) -> None:
    edits.add_entity(seeded, ALICE, {"key": "atlantis", "kind": "place", "name": "A"})
    edits.add_fact(seeded, ALICE, fact("atlantis-sank", "Atlantis sank.", "atlantis"))
    deleted = edits.delete_fact(seeded, ALICE, "atlantis-sank")
    edits.delete_entity(seeded, ALICE, "atlantis")
    before = state(seeded)
    with pytest.raises(UndoConflictError) as caught:
        history.undo(seeded, BOB, deleted.revisions[0])
    message = str(caught.value)
    assert message == (
        "fact 'atlantis-sank' cannot be put back: about[0]: no entity 'atlantis'. "
        "Nothing was changed"
    )
    assert "no entity 'atlantis'" in message and message.endswith("Nothing was changed")
    assert state(seeded) == before


# Bugs.


def test_undoing_the_later_revision_first_lets_the_earlier_one_be_undone(seeded: Store) -> None:
    original = export_document(seeded)
    first = edits.edit_fact(seeded, ALICE, WARNING, {"type": "statement"})
    later = edits.edit_fact(seeded, BOB, WARNING, {"date": "2024-03-23"})
    with pytest.raises(UndoConflictError, match=f"undo revision {later.revisions[0]} first"):
        history.undo(seeded, ALICE, first.revisions[0])
    history.undo(seeded, ALICE, later.revisions[0])
    history.undo(seeded, ALICE, first.revisions[0])
    assert export_document(seeded) == original


def test_undo_of_an_import_listing_a_dispute_before_its_members(
    seeded: Store, tmp_path: Path
) -> None:
    before = export_document(seeded)
    path = tmp_path / "sea.yaml"
    write_document(
        path,
        {
            "entities": [
                {
                    "key": "sea-dispute",
                    "kind": "dispute",
                    "name": "Sea dispute",
                    "parties": ["atlantis", "japan"],
                    "areas": ["inner-sea"],
                },
                {"key": "atlantis", "kind": "country", "name": "Atlantis"},
                {"key": "inner-sea", "kind": "place", "name": "Inner Sea"},
            ]
        },
    )
    report = load_file(seeded, path, ALICE)
    history.undo(seeded, BOB, report.revisions[0])
    assert export_document(seeded) == before


def test_undo_of_a_source_creation_is_refused_while_facts_cite_it(seeded: Store) -> None:
    created = edits.add_source(seeded, ALICE, {"key": "tass-2024-03-25", "title": "Tokyo"})
    cited = {**fact("tokyo-replies", "Tokyo replied.", "japan"), "source": "tass-2024-03-25"}
    edits.add_fact(seeded, ALICE, cited)
    before = state(seeded)
    with pytest.raises(UndoConflictError, match="fact 'tokyo-replies'"):
        history.undo(seeded, BOB, created.revisions[0])
    assert state(seeded) == before
