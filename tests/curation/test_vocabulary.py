"""The words curators use: `organisation` for `organization`, and an event type kept to
its documented set, with a few common words taken as the type they mean."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.answer import Answer, Status
from bot.curation.edits import read_record
from bot.curation.history import latest_revision
from bot.curation.operations import Desk, run_line
from bot.curation.transfer import load_file
from bot.curation.vocabulary import COMMON_TYPES, EVENT_TYPES
from bot.errors import ImportFileError
from bot.library import Library
from bot.records.actor import Actor
from bot.store.db import Store

SOURCE = "russia-warns-japan-patriots-2024-03-24"
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def desk(own_library: Library) -> Desk:
    return Desk(own_library, Actor.console())


def run(desk: Desk, line: str, status: Status = Status.DONE) -> Answer:
    answer = run_line(desk, line)
    assert answer.status is status, (answer.notice, answer.lines)
    return answer


def test_organisation_is_taken_as_organization_in_commands(desk: Desk) -> None:
    run(desk, 'curate entity add asean organisation "Association of Southeast Asian Nations"')
    assert read_record(desk.library.store, "entity", "asean")[0]["kind"] == "organization"
    run(desk, "curate entity edit white-house kind:Organisation")
    assert read_record(desk.library.store, "entity", "white-house")[0]["kind"] == "organization"


def test_organisation_is_taken_as_organization_in_files(seeded: Store, tmp_path: Path) -> None:
    path = tmp_path / "asean.yaml"
    entity = {"key": "asean", "kind": "organisation", "name": "ASEAN"}
    path.write_text(yaml.safe_dump({"entities": [entity]}), encoding="utf-8")
    load_file(seeded, path, Actor.console())
    assert read_record(seeded, "entity", "asean")[0]["kind"] == "organization"


def test_a_common_word_becomes_its_type_and_the_receipt_says_so(desk: Desk) -> None:
    for word, meant in sorted(COMMON_TYPES.items()):
        added = run(
            desk,
            f"curate fact add about:japan,russia source:{SOURCE} type:{word} "
            f"Japan and Russia held a {word}.",
        )
        key = added.title.removeprefix("Added fact '").removesuffix("'")
        assert read_record(desk.library.store, "fact", key)[0]["type"] == meant
        assert added.notice.endswith(
            f"type: '{word}' was recorded as '{meant}', the event type it means."
        )


def test_an_edit_to_a_common_word_says_so_too(desk: Desk) -> None:
    fact = "japan-agrees-us-patriot-request"
    edited = run(desk, f"curate fact edit {fact} type:talks")
    assert read_record(desk.library.store, "fact", fact)[0]["type"] == "consult"
    assert "type: 'talks' was recorded as 'consult'" in edited.notice


def test_a_type_outside_the_set_is_refused_with_the_list(desk: Desk) -> None:
    before = latest_revision(desk.library.store)
    answer = run(
        desk,
        f"curate fact add about:japan source:{SOURCE} type:reply Japan replied.",
        Status.ERROR,
    )
    assert answer.lines == (
        f"type: unknown event type 'reply' (use one of: {', '.join(EVENT_TYPES)})",
    )
    assert latest_revision(desk.library.store) == before


def test_a_file_with_a_type_outside_the_set_is_refused_and_common_words_map(
    seeded: Store, tmp_path: Path
) -> None:
    facts = [
        {"key": "a-met", "text": "A met.", "about": ["japan"], "source": SOURCE, "type": "visit"},
        {"key": "a-said", "text": "A said.", "about": ["japan"], "source": SOURCE, "type": "reply"},
    ]
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump({"facts": facts}), encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        load_file(seeded, path, Actor.console())
    assert caught.value.problems == [
        f"facts[1].type: unknown event type 'reply' (use one of: {', '.join(EVENT_TYPES)})"
    ]
    path.write_text(yaml.safe_dump({"facts": facts[:1]}), encoding="utf-8")
    note = "fact 'a-met': type: 'visit' was recorded as 'consult', the event type it means."
    assert note in load_file(seeded, path, Actor.console(), dry_run=True).warnings
    report = load_file(seeded, path, Actor.console())
    assert read_record(seeded, "fact", "a-met")[0]["type"] == "consult"
    assert f"warning: {note}" in str(report).splitlines()


def test_the_docs_list_the_types_and_the_words_taken_for_them() -> None:
    text = (DOCS / "import-format.md").read_text(encoding="utf-8")
    assert all(f"`{word}`" in text for word in (*EVENT_TYPES, *COMMON_TYPES))
    assert "`organisation`" in text
