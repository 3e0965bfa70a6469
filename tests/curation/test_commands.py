"""Every curation command, typed as a curator types it at the console, on a fresh seeded store."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.config import Settings
from bot.core.answer import Answer, Status
from bot.core.arguments import Arg, bind
from bot.curation.edits import current_version
from bot.curation.history import latest_revision
from bot.curation.operations import (
    OPERATIONS,
    Desk,
    help_lines,
    is_curation,
    is_stale,
    parse,
    run,
    run_line,
)
from bot.library import Library
from bot.records.actor import Actor

SOURCE = "russia-warns-japan-patriots-2024-03-24"
SEED_REVISIONS = 34
"""The seed import writes one revision per record: 1 source, 18 entities, 15 facts."""
NOZDREV_FACTS = 7
KAMIKAWA = (
    'curate entity add yoko-kamikawa person "Yoko Kamikawa" summary:"Japan\'s foreign minister."'
)


@pytest.fixture
def library(own_library: Library) -> Library:
    """A seeded store of this test's own (tests/conftest.py): curation writes to it."""
    return own_library


@pytest.fixture
def desk(library: Library) -> Desk:
    """The console's operator at the library."""
    return Desk(library, Actor.console())


def revisions(library: Library) -> int:
    return latest_revision(library.store)


def done(desk: Desk, line: str) -> Answer:
    """Run line, which must succeed."""
    answer = run_line(desk, line)
    assert answer.status is Status.DONE, answer.notice
    return answer


# --- sources -------------------------------------------------------------------


def test_source_add_then_edit(desk: Desk, library: Library) -> None:
    added = done(
        desk,
        'curate source add ap-2024-03-25 "Kamikawa replies to Russian envoy" '
        'outlet:"Associated Press" url:https://apnews.com/article/x published:2024-03-25',
    )
    assert added.title == "Added source 'ap-2024-03-25'"
    assert added.revisions == (SEED_REVISIONS + 1,)
    assert added.notice == (
        "Added source 'ap-2024-03-25'. Revision #35; `curate undo 35` reverts it."
    )
    assert "+ outlet: 'Associated Press'" in added.lines
    found = library.answer("source kamikawa replies")
    assert found.status is Status.FOUND and found.source is not None
    assert found.source.key == "ap-2024-03-25"
    assert found.source.outlet == "Associated Press"

    edited = done(
        desk, 'curate source edit ap-2024-03-25 title:"Kamikawa rejects Russian warning" url:-'
    )
    assert edited.title == "Changed source 'ap-2024-03-25'"
    assert edited.lines == (
        "title: 'Kamikawa replies to Russian envoy' → 'Kamikawa rejects Russian warning'",
        "url: cleared (was 'https://apnews.com/article/x')",
    )
    source = library.answer("source kamikawa rejects").source
    assert source is not None
    assert source.title == "Kamikawa rejects Russian warning" and source.url is None


# --- entities ------------------------------------------------------------------


def test_an_added_entity_is_found_by_lookups_at_once(desk: Desk, library: Library) -> None:
    assert library.answer("who kamikawa").status is Status.NOT_FOUND
    added = done(desk, KAMIKAWA)
    assert added.command == "curate entity add"
    assert added.title == "Added entity 'yoko-kamikawa'"
    assert added.lines == (
        "+ key: 'yoko-kamikawa'",
        "+ kind: 'person'",
        "+ name: 'Yoko Kamikawa'",
        "+ summary: 'Japan's foreign minister.'",
    )
    found = library.answer("who kamikawa")  # the catalog was reloaded: no restart needed
    assert found.status is Status.FOUND and found.entity is not None
    assert found.entity.key == "yoko-kamikawa"
    assert found.entity.summary == "Japan's foreign minister."


def test_entity_edit_changes_what_lookups_show(desk: Desk, library: Library) -> None:
    edited = done(desk, 'curate entity edit japan summary:"Island country in East Asia."')
    assert edited.title == "Changed entity 'japan'"
    assert edited.lines == (
        "summary: 'Island country in East Asia; party to the Kuril Islands dispute with Russia.'"
        " → 'Island country in East Asia.'",
    )
    entity = library.answer("about japan").entity
    assert entity is not None and entity.summary == "Island country in East Asia."


def test_an_edit_that_changes_nothing_writes_no_revision(desk: Desk, library: Library) -> None:
    same = done(desk, "curate entity edit japan name:Japan")
    assert same.title == "Nothing changed"
    assert same.notice == "Entity 'japan' already says that; nothing was changed."
    assert same.revisions == ()
    assert revisions(library) == SEED_REVISIONS


def test_entity_links_replace_a_disputes_areas(desk: Desk, library: Library) -> None:
    linked = done(desk, "curate entity links kuril-islands-dispute areas:iturup,kunashir")
    assert linked.lines == (
        "areas: - 'kuril-islands', - 'southern-kurils', - 'shikotan', - 'habomai'",
    )
    card = library.answer("dispute kuril")
    related = {group.label: [entity.key for entity in group.entities] for group in card.related}
    assert related == {"Parties": ["russia", "japan"], "Disputed areas": ["iturup", "kunashir"]}


def test_entity_links_needs_a_list_to_set(desk: Desk, library: Library) -> None:
    refused = run_line(desk, "curate entity links kuril-islands-dispute")
    assert refused.status is Status.ERROR
    assert refused.notice.startswith("Give parties:, areas: or both. Usage: `curate entity links")
    assert revisions(library) == SEED_REVISIONS


def test_entity_merge_folds_a_duplicate_into_the_one_kept(desk: Desk, library: Library) -> None:
    done(desk, KAMIKAWA)
    done(desk, "curate entity add kamikawa person Kamikawa")
    done(
        desk,
        f"curate fact add key:kamikawa-spoke about:kamikawa source:{SOURCE} Kamikawa spoke.",
    )
    merged = done(desk, "curate entity merge yoko-kamikawa kamikawa")
    assert merged.notice.startswith(
        "Merged 'kamikawa' into 'yoko-kamikawa': 1 fact and 0 disputes now name 'yoko-kamikawa',"
    )
    assert "deleted entity 'kamikawa'" in merged.lines
    assert len(merged.revisions) == 3  # the kept entity, the fact, the deleted duplicate
    found = library.answer("who kamikawa")
    assert found.entity is not None and found.entity.key == "yoko-kamikawa"
    assert [fact.key for fact in found.facts] == ["kamikawa-spoke"]


def test_entity_delete_of_an_entity_no_fact_names(desk: Desk, library: Library) -> None:
    done(desk, KAMIKAWA)
    deleted = done(desk, "curate entity delete yoko-kamikawa")
    assert deleted.title == "Deleted entity 'yoko-kamikawa'"
    assert library.answer("who kamikawa").status is Status.NOT_FOUND
    # with_facts:yes on an entity no fact names needs no confirmation either.
    done(desk, KAMIKAWA)
    assert done(desk, "curate entity delete yoko-kamikawa with_facts:yes").confirm is None
    assert library.answer("who kamikawa").status is Status.NOT_FOUND


def test_entity_delete_is_refused_while_facts_name_it(desk: Desk, library: Library) -> None:
    refused = run_line(desk, "curate entity delete nikolai-nozdrev")
    assert refused.status is Status.ERROR
    assert refused.notice.startswith(
        f"Entity 'nikolai-nozdrev' is still named by {NOZDREV_FACTS} facts: "
    )
    assert refused.notice.endswith(
        "or delete them with it: `curate entity delete nikolai-nozdrev with_facts:yes`."
    )
    assert revisions(library) == SEED_REVISIONS
    assert library.answer("who nozdrev").status is Status.FOUND


def test_entity_delete_with_facts_waits_for_a_confirmation(desk: Desk, library: Library) -> None:
    pending = run_line(desk, "curate entity delete nikolai-nozdrev with_facts:yes")
    assert pending.status is Status.PENDING
    assert pending.title == f"Delete 'nikolai-nozdrev' and {NOZDREV_FACTS} facts?"
    assert pending.notice == (
        f"Deleting entity 'nikolai-nozdrev' also deletes {NOZDREV_FACTS} facts about it. "
        "Confirm to go on."
    )
    assert "fact 'nozdrev-warns-japan-patriot-transfer'" in pending.lines
    assert pending.revisions == ()
    assert pending.confirm is not None and pending.confirm.label == "Delete"
    # Nothing happens until it is confirmed.
    assert revisions(library) == SEED_REVISIONS
    assert library.answer("who nozdrev").status is Status.FOUND

    applied = pending.confirm.apply()
    assert applied.status is Status.DONE
    assert applied.notice == (
        "Deleted entity 'nikolai-nozdrev' with 7 facts. "
        "Revisions #35–#42; `curate undo 35` reverts them all."
    )
    assert applied.revisions == tuple(range(35, 43))
    assert applied.lines[-1] == "deleted entity 'nikolai-nozdrev'"
    assert library.answer("who nozdrev").status is Status.NOT_FOUND
    assert len(library.catalog.facts) == 15 - NOZDREV_FACTS


def test_a_confirmation_applied_twice_is_an_error_the_second_time(desk: Desk) -> None:
    pending = run_line(desk, "curate entity delete nikolai-nozdrev with_facts:yes")
    assert pending.confirm is not None
    assert pending.confirm.apply().status is Status.DONE
    again = pending.confirm.apply()
    assert again.status is Status.ERROR
    assert again.notice == "No entity 'nikolai-nozdrev'."


# --- aliases -------------------------------------------------------------------


def test_alias_add_then_remove(desk: Desk, library: Library) -> None:
    added = done(desk, 'curate alias add japan "Land of the Rising Sun" lang:en')
    assert added.notice.startswith("Added the alias 'Land of the Rising Sun' to 'japan'.")
    assert added.lines == ("aliases: + 'Land of the Rising Sun' (en)",)
    found = library.answer("about land of the rising sun")
    assert found.entity is not None and found.entity.key == "japan"

    removed = done(desk, 'curate alias remove japan "Land of the Rising Sun"')
    assert removed.lines == ("aliases: - 'Land of the Rising Sun' (en)",)
    assert library.answer("about land of the rising sun").status is Status.NOT_FOUND


def test_an_alias_the_entity_has_is_refused(desk: Desk, library: Library) -> None:
    refused = run_line(desk, "curate alias add japan Nippon")
    assert refused.status is Status.ERROR
    assert refused.notice == "Entity 'japan' already has the alias 'Nippon'."
    assert revisions(library) == SEED_REVISIONS


# --- facts ---------------------------------------------------------------------


def test_fact_add_edit_delete(desk: Desk, library: Library) -> None:
    done(desk, KAMIKAWA)
    added = done(
        desk,
        "curate fact add about:yoko-kamikawa=actor,japan "
        f"source:{SOURCE} date:2024-03 type:statement Kamikawa replied to Nozdrev's warning.",
    )
    key = added.title.removeprefix("Added fact '").removesuffix("'")
    assert key == "yoko-kamikawa-2024-03-replied-nozdrev"  # first subject, date, two words
    assert "+ about: ['yoko-kamikawa' (actor), 'japan']" in added.lines
    facts = library.answer("who kamikawa").facts
    assert [(fact.key, fact.text, fact.date) for fact in facts] == [
        (key, "Kamikawa replied to Nozdrev's warning.", "2024-03")
    ]

    edited = done(desk, f'curate fact edit {key} date:2024-03-25 text:"Kamikawa replied."')
    assert edited.lines == (
        "text: 'Kamikawa replied to Nozdrev's warning.' → 'Kamikawa replied.'",
        "date: '2024-03' → '2024-03-25'",
    )
    facts = library.answer("who kamikawa").facts
    assert [(fact.text, fact.date) for fact in facts] == [("Kamikawa replied.", "2024-03-25")]

    deleted = done(desk, f"curate fact delete {key} reason:duplicate")
    assert deleted.title == f"Deleted fact '{key}'"
    assert library.answer("who kamikawa").facts == ()
    assert library.answer("search Kamikawa replied").status is Status.NOT_FOUND


def test_a_fact_with_problems_lists_them_by_field(desk: Desk, library: Library) -> None:
    refused = run_line(
        desk, "curate fact add about:japn source:nowhere date:2024-13 Japan said something."
    )
    assert refused.status is Status.ERROR
    assert refused.notice == "The fact has 3 problems; nothing was changed."
    assert "about[0]: no entity 'japn' (did you mean 'japan'?)" in refused.lines
    assert any(line.startswith("date: ") for line in refused.lines)
    assert any(line.startswith("source: no source 'nowhere'") for line in refused.lines)
    assert revisions(library) == SEED_REVISIONS


# --- import and export ---------------------------------------------------------

GOOD_FILE = f"""\
sources:
  - key: ap-2024-03-25
    title: Kamikawa replies to Russian envoy
entities:
  - {{key: yoko-kamikawa, kind: person, name: Yoko Kamikawa, aliases: [Kamikawa]}}
facts:
  - text: Kamikawa replied to Nozdrev.
    date: 2024-03
    about: [yoko-kamikawa, {{entity: nikolai-nozdrev, role: target}}]
    source: ap-2024-03-25
  - text: Nozdrev's remarks were reported by the Associated Press.
    about: [nikolai-nozdrev]
    source: {SOURCE}
""".encode()


def test_an_import_with_errors_lists_them_by_place_and_writes_nothing(
    desk: Desk, library: Library
) -> None:
    bad = (
        b"entities:\n"
        b"  - {key: tokyo, kind: persn, name: Tokyo}\n"
        b"facts:\n"
        b"  - {text: Tokyo is large., about: [japn], source: nowhere}\n"
    )
    refused = run(desk, "import", {"file": ("x.yaml", bad)})
    assert refused.status is Status.ERROR
    assert refused.notice == "x.yaml: 3 problems, nothing was imported."
    assert refused.lines == (
        "entities[0].kind: unknown kind 'persn' "
        "(expected one of person, organization, country, place, dispute, other)",
        "facts[0].about[0]: no entity 'japn' (did you mean 'japan'?)",
        "facts[0].source: no source 'nowhere'",
    )
    assert refused.confirm is None
    assert revisions(library) == SEED_REVISIONS
    assert library.answer("about tokyo").status is Status.NOT_FOUND


@pytest.mark.parametrize(
    ("filename", "data", "problem"),
    [
        ("notes.txt", b"hello", "unknown file type '.txt' (use .yaml, .yml or .json)"),
        ("x.yaml", b"- [unclosed", "line 2: did not find expected ',' or ']'"),
    ],
)
def test_an_unreadable_import_is_an_error(
    desk: Desk, library: Library, filename: str, data: bytes, problem: str
) -> None:
    refused = run(desk, "import", {"file": (filename, data)})
    assert refused.status is Status.ERROR
    assert refused.notice == f"{filename}: 1 problem, nothing was imported."
    assert refused.lines == (problem,)
    assert revisions(library) == SEED_REVISIONS


def test_an_import_is_previewed_then_applied_once_confirmed(desk: Desk, library: Library) -> None:
    preview = run(desk, "import", {"file": ("more.yaml", GOOD_FILE)})
    assert preview.status is Status.PENDING
    assert preview.title == "Import more.yaml?"
    assert preview.notice == (
        "Importing more.yaml would make these changes: 1 source, 1 entity, 2 facts created; "
        "0 updated; 0 unchanged. Confirm to apply it."
    )
    assert preview.lines[:2] == ("added source 'ap-2024-03-25'", "added entity 'yoko-kamikawa'")
    assert len(preview.lines) == 4
    assert preview.confirm is not None and preview.confirm.label == "Import"
    assert revisions(library) == SEED_REVISIONS
    assert library.answer("who kamikawa").status is Status.NOT_FOUND

    imported = preview.confirm.apply()
    assert imported.status is Status.DONE
    assert imported.title == "Imported more.yaml"
    assert imported.notice == (
        "Imported more.yaml: 1 source, 1 entity, 2 facts created; 0 updated; 0 unchanged. "
        "`curate undo 35` reverts it."
    )
    assert imported.revisions == (35, 36, 37, 38)
    found = library.answer("who kamikawa")
    assert found.entity is not None and found.entity.key == "yoko-kamikawa"
    assert [fact.text for fact in found.facts] == ["Kamikawa replied to Nozdrev."]

    # The same file again matches the store: nothing to confirm, nothing written.
    again = run(desk, "import", {"file": ("more.yaml", GOOD_FILE)})
    assert again.status is Status.DONE and again.confirm is None
    assert again.title == "Nothing to import from more.yaml"
    assert again.notice == (
        "more.yaml matches the store already "
        "(0 created; 0 updated; 1 source, 1 entity, 2 facts unchanged); nothing was changed."
    )
    assert revisions(library) == 38


def test_an_import_preview_lists_only_the_first_changes(desk: Desk) -> None:
    places = "".join(f"  - {{key: place-{n}, kind: place, name: Place {n}}}\n" for n in range(25))
    preview = run(desk, "import", {"file": ("places.yaml", f"entities:\n{places}".encode())})
    assert preview.status is Status.PENDING
    assert "25 entities created" in preview.notice
    assert preview.lines[0] == "added entity 'place-0'"
    assert preview.lines[-1] == "… and 5 more"
    assert len(preview.lines) == 21


REPEATING_FILE = f"""\
entities:
  - {{key: nozdrev, kind: person, name: Nikolai Nozdrev}}
facts:
  - text: Nozdrev said Japan would regret the Patriot transfer.
    date: 2024-04
    about: [nozdrev]
    source: {SOURCE}
""".encode()


def test_an_import_warns_of_records_the_store_has_under_other_keys(
    desk: Desk, library: Library
) -> None:
    done(
        desk,
        f"curate fact add about:japan source:{SOURCE} Nozdrev said Japan would regret "
        "the Patriot transfers.",
    )
    preview = run(desk, "import", {"file": ("repeat.yaml", REPEATING_FILE)})
    warnings = (
        "⚠ entity 'nozdrev': the store already answers to 'Nikolai Nozdrev' as 'nikolai-nozdrev'",
        "⚠ fact 'nozdrev-2024-04-japan-regret': nearly the same text as stored fact "
        "'japan-nozdrev-regret' (ratio 99)",
    )
    assert preview.lines[:2] == warnings
    assert preview.confirm is not None
    imported = preview.confirm.apply()
    assert imported.status is Status.DONE
    assert imported.lines[:2] == warnings
    assert imported.lines[2:] == (
        "added entity 'nozdrev'",
        "added fact 'nozdrev-2024-04-japan-regret'",
    )


def test_export_is_the_store_in_the_import_format(desk: Desk, library: Library) -> None:
    done(desk, KAMIKAWA)
    exported = run_line(desk, "curate export")
    assert exported.status is Status.DONE
    assert exported.revisions == ()
    assert exported.attachment is not None
    assert exported.attachment.filename.startswith("diplobot-")
    assert exported.attachment.filename.endswith(".yaml")
    document = yaml.safe_load(exported.attachment.data.decode())
    assert list(document) == ["sources", "entities", "facts"]
    assert [len(document[section]) for section in document] == [1, 19, 15]
    assert {
        "key": "yoko-kamikawa",
        "kind": "person",
        "name": "Yoko Kamikawa",
        "summary": "Japan's foreign minister.",
        "aliases": [],
    } in document["entities"]
    assert exported.notice.endswith(", 19 entities, 15 facts.")

    # Importing the export back changes nothing.
    again = run(desk, "import", {"file": (exported.attachment.filename, exported.attachment.data)})
    assert again.status is Status.DONE
    assert again.notice.endswith(
        "(0 created; 0 updated; 1 source, 19 entities, 15 facts unchanged); nothing was changed."
    )
    assert revisions(library) == SEED_REVISIONS + 1


def test_an_export_imports_into_an_empty_store(desk: Desk, tmp_path: Path) -> None:
    exported = run_line(desk, "curate export")
    assert exported.attachment is not None
    settings = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "DIPLOBOT_SEED_FILE": "none"}
    empty = Library.open(Settings.from_mapping(settings))
    try:
        assert len(empty.catalog.entities) == 0
        other = Desk(empty, Actor.console())
        preview = run(other, "import", {"file": ("all.yaml", exported.attachment.data)})
        assert preview.confirm is not None
        assert "1 source, 18 entities, 15 facts created" in preview.notice
        assert preview.confirm.apply().status is Status.DONE
        assert empty.answer("who nozdrev").status is Status.FOUND
    finally:
        empty.close()


def test_export_counts_read_as_english(desk: Desk) -> None:
    assert run_line(desk, "curate export").notice == (
        "The whole store: 1 source, 18 entities, 15 facts."
    )


def test_a_file_typed_by_name_is_an_error_not_a_crash(desk: Desk, library: Library) -> None:
    refused = run_line(desk, "curate import file:x.yaml")
    assert refused.status is Status.ERROR
    assert revisions(library) == SEED_REVISIONS


def test_a_file_cannot_be_named_by_position(desk: Desk) -> None:
    refused = run_line(desk, "curate import more.yaml")
    assert refused.status is Status.ERROR
    assert refused.notice == (
        "`file` is missing. Usage: `curate import (attach a FILE) [reason:REASON]`."
    )


# --- history, revision, undo ---------------------------------------------------


def test_history_lists_revisions_newest_first(desk: Desk) -> None:
    done(desk, 'curate entity edit japan summary:"Island country." reason:"shorter"')
    listing = run_line(desk, "curate history")
    assert listing.status is Status.FOUND
    assert listing.title == "History"
    assert listing.notice == (
        "20 revisions, newest first (#35–#16). `curate revision N` shows one; "
        "`curate history before:16` lists older ones."
    )
    assert len(listing.lines) == 20
    assert listing.lines[0].startswith("#35 · ")
    assert listing.lines[0].endswith(" · console · changed entity 'japan' (summary) · “shorter”")
    oldest = run_line(desk, "curate history before:16")
    assert oldest.lines[0].startswith("#15 · ")
    assert oldest.lines[-1].startswith("#1 · ")
    assert " · seed (file) · created source " in oldest.lines[-1]


def test_history_of_one_record(desk: Desk) -> None:
    done(desk, 'curate entity edit japan summary:"Island country."')
    own = run_line(desk, "curate history japan")
    assert own.status is Status.FOUND
    assert own.title == "History of 'japan'"
    assert [line.split(" · ")[-1] for line in own.lines] == [
        "changed entity 'japan' (summary)",
        "created entity 'japan'",
    ]
    assert run_line(desk, "curate history record:japan").lines == own.lines
    nothing = run_line(desk, "curate history nothing-here")
    assert nothing.status is Status.NOT_FOUND
    assert nothing.notice == "No revision touched 'nothing-here'."


def test_revision_shows_who_what_and_the_diff(desk: Desk) -> None:
    done(desk, 'curate entity edit japan summary:"Island country." reason:"shorter"')
    shown = run_line(desk, "curate revision 35")
    assert shown.status is Status.FOUND
    assert shown.title == "Revision 35: changed entity 'japan'"
    assert shown.notice.endswith("console · changed entity 'japan' (summary) · “shorter”")
    assert shown.lines == (
        "summary: 'Island country in East Asia; party to the Kuril Islands dispute with Russia.'"
        " → 'Island country.'",
    )
    seed = run_line(desk, "curate revision #2")
    assert seed.title == "Revision 2: created entity 'nikolai-nozdrev'"
    assert "(one of 34 revisions made together; `curate undo 2` reverts them all)" in seed.notice


def test_undo_reverts_a_revision_as_a_new_one(desk: Desk, library: Library) -> None:
    done(desk, 'curate entity edit japan summary:"Island country."')
    undone = done(desk, 'curate undo 35 reason:"changed my mind"')
    assert undone.notice == "Undid revision 35. Revision #36; `curate undo 36` reverts it."
    assert undone.lines == (
        "summary: 'Island country.' → "
        "'Island country in East Asia; party to the Kuril Islands dispute with Russia.'",
    )
    entity = library.answer("about japan").entity
    assert entity is not None and entity.summary.startswith("Island country in East Asia;")
    assert run_line(desk, "curate revision 36").notice.endswith("“changed my mind”")


def test_undo_of_a_confirmed_delete_brings_every_record_back(desk: Desk, library: Library) -> None:
    pending = run_line(desk, "curate entity delete nikolai-nozdrev with_facts:yes")
    assert pending.confirm is not None
    first = pending.confirm.apply().revisions[0]
    undone = done(desk, f"curate undo {first}")
    assert len(undone.revisions) == NOZDREV_FACTS + 1
    found = library.answer("who nozdrev")
    assert found.status is Status.FOUND and len(found.facts) == NOZDREV_FACTS


def test_undo_is_refused_when_a_later_revision_touched_the_record(
    desk: Desk, library: Library
) -> None:
    done(desk, 'curate entity edit japan summary:"Island country."')
    done(desk, 'curate entity edit japan summary:"Island nation."')
    refused = run_line(desk, "curate undo 35")
    assert refused.status is Status.ERROR
    assert refused.notice == (
        "Revision 36 by console changed entity 'japan' afterwards; undo revision 36 first. "
        "Nothing was changed."
    )
    assert revisions(library) == 36


def test_help_lists_every_operations_usage(desk: Desk) -> None:
    listing = run_line(desk, "curate help")
    assert listing.status is Status.FOUND
    assert listing.title == "Curation commands"
    assert listing.lines == help_lines()
    assert len(listing.lines) == len(OPERATIONS)
    for spec, line in zip(OPERATIONS.values(), listing.lines, strict=True):
        assert line == f"{spec.usage}: {spec.summary}"
    assert "curate entity add KEY KIND NAME [summary:SUMMARY] [wikidata:WIKIDATA] " in (
        "\n".join(listing.lines)
    )


# --- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "notice"),
    [
        ("curate", "Say what to curate, for example `curate history`."),
        ("curate bogus", "There is no curation command `curate bogus`. `curate help` lists them."),
        ("curate entity frobnicate japan", "There is no curation command `curate entity frob"),
        ("curate undo", "`number` is missing. Usage: `curate undo NUMBER [reason:REASON]`"),
        ("curate alias add japan", "`text` is missing. Usage: `curate alias add ENTITY TEXT"),
        ("curate fact add Nozdrev warned Japan.", "`about` is missing. Usage: `curate fact add"),
        ("curate revision abc", "`number:` takes a number, such as 12, not `abc`."),
        ("curate undo -3", "`number:` takes a number, such as 12, not `-3`."),
        ("curate revision 9999", "No revision 9999 (the newest is 34)."),
        ("curate entity delete japan with_facts:maybe", "`with_facts:` takes yes or no"),
        ("curate entity edit japn summary:x", "No entity 'japn' (did you mean 'japan'?)."),
        ("curate alias add japn Nippon", "No entity 'japn' (did you mean 'japan'?)."),
        ("curate entity delete japn", "No entity 'japn' (did you mean 'japan'?)."),
        (
            f"curate source edit {SOURCE[:-2]}42 title:X",
            f"No source '{SOURCE[:-2]}42' (did you mean '{SOURCE}'?).",
        ),
        (
            "curate fact delete nozdrev-warns-severe-repercusions",
            "No fact 'nozdrev-warns-severe-repercusions' (did you mean "
            "'nozdrev-warns-severe-repercussions'?).",
        ),
        ("curate fact edit kuril-1 date:2024", "No fact 'kuril-1'."),
        ("curate entity merge japan japan", "An entity cannot be merged into itself."),
        ("curate entity merge japan russia extra", "No entity 'russia extra'"),
        ("curate entity add japan country Japan", "Entity 'japan' already exists; edit it"),
        ('curate entity edit japan summary:"unclosed', "A quotation mark is not closed"),
        ("curate help me", "`me` is more than the command takes. Usage: `curate help`"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    desk: Desk, library: Library, line: str, notice: str
) -> None:
    refused = run_line(desk, line)
    assert refused.status is Status.ERROR
    assert refused.notice.casefold().startswith(notice.casefold()), refused.notice
    assert refused.revisions == () and refused.confirm is None
    assert revisions(library) == SEED_REVISIONS


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('curate entity add tokyo persn "Tokyo"', "kind: unknown kind 'persn' (expected one of"),
        ('curate entity add Tokyo place "Tokyo"', "key: 'Tokyo' is not a key"),
        ('curate source add ap-x "A title" url:ftp://x', "url: "),
    ],
)
def test_a_record_with_problems_names_each_field(
    desk: Desk, library: Library, line: str, problem: str
) -> None:
    refused = run_line(desk, line)
    assert refused.status is Status.ERROR
    assert refused.notice.endswith("has 1 problem; nothing was changed.")
    assert refused.lines[0].startswith(problem)
    assert revisions(library) == SEED_REVISIONS


# --- stale edits ---------------------------------------------------------------


def test_an_edit_of_a_record_changed_since_it_was_opened_is_refused(
    desk: Desk, library: Library
) -> None:
    opened_at = current_version(library.store, "entity", "japan")
    assert opened_at is not None
    done(desk, 'curate entity edit japan summary:"Somebody else was quicker."')
    late = run(desk, "entity edit", {"entity": "japan", "summary": "Mine."}, version=opened_at)
    assert is_stale(late)
    assert late.status is Status.ERROR
    assert late.notice == (
        "Entity 'japan' changed since you opened it (revision 35 by console). "
        "Your draft was not saved; nothing was changed."
    )
    assert revisions(library) == 35
    entity = library.answer("about japan").entity
    assert entity is not None and entity.summary == "Somebody else was quicker."

    fresh = current_version(library.store, "entity", "japan")
    current = run(desk, "entity edit", {"entity": "japan", "summary": "Mine."}, version=fresh)
    assert current.status is Status.DONE and not is_stale(current)
    assert not is_stale(run_line(desk, "curate entity edit japn summary:x"))


# --- the registry itself -------------------------------------------------------


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_every_operations_example_parses(name: str) -> None:
    spec = OPERATIONS[name]
    assert spec.example.startswith(f"curate {name}")
    parsed, rest = parse(spec.example)
    assert parsed == name
    values = bind(spec.params, rest, spec.usage)
    for param in spec.params:
        if param.required and param.type is not Arg.FILE:
            assert values.get(param.name), (name, param.name)


def test_every_operation_has_a_summary_and_usage() -> None:
    for name, spec in OPERATIONS.items():
        assert spec.name == name
        assert spec.usage.startswith(f"curate {name}")
        assert spec.summary.endswith(".")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("!curate help", ("help", "")),
        ("curate Entity ADD yoko-kamikawa person X", ("entity add", "yoko-kamikawa person X")),
        ("entity add x", ("entity add", "x")),
        ("! curate   history   japan", ("history", "japan")),
    ],
)
def test_parse_finds_the_operation_and_its_arguments(line: str, expected: tuple[str, str]) -> None:
    assert parse(line) == expected


def test_is_curation_looks_at_the_first_word() -> None:
    assert is_curation("curate help")
    assert is_curation("!Curate history")
    assert not is_curation("curated facts")
    assert not is_curation("who nozdrev")
    assert not is_curation("")
    assert not is_curation("!")
