"""Several aliases in one command (` | ` separates them), and an entity added with its
aliases and, for a dispute, its parties and areas; typed at the console."""

from __future__ import annotations

import pytest

from bot.core.answer import Answer, Status
from bot.curation.edits import read_record
from bot.curation.history import latest_revision
from bot.curation.operations import Desk, run_line
from bot.library import Library
from bot.records.actor import Actor


@pytest.fixture
def desk(own_library: Library) -> Desk:
    return Desk(own_library, Actor.console())


def done(desk: Desk, line: str) -> Answer:
    answer = run_line(desk, line)
    assert answer.status is Status.DONE, (answer.notice, answer.lines)
    return answer


def refused(desk: Desk, line: str) -> Answer:
    before = latest_revision(desk.library.store)
    answer = run_line(desk, line)
    assert answer.status is Status.ERROR
    assert latest_revision(desk.library.store) == before
    return answer


def aliases(desk: Desk, key: str) -> list[object]:
    return list(read_record(desk.library.store, "entity", key)[0].get("aliases", []))


def test_a_bar_separates_aliases_added_in_one_revision(desk: Desk, own_library: Library) -> None:
    held = aliases(desk, "russia")
    added = done(desk, "curate alias add russia RF | Rossiya | Rossiyskaya Federatsiya lang:en")
    assert aliases(desk, "russia") == [
        *held,
        {"text": "RF", "lang": "en"},
        {"text": "Rossiya", "lang": "en"},
        {"text": "Rossiyskaya Federatsiya", "lang": "en"},
    ]
    assert len(added.revisions) == 1
    assert added.notice.startswith(
        "Added the aliases 'RF', 'Rossiya', 'Rossiyskaya Federatsiya' to 'russia'."
    )
    assert own_library.answer("about rossiyskaya federatsiya").title == "Russia"
    # One undo takes both away.
    done(desk, f"curate undo {added.revisions[0]}")
    assert aliases(desk, "russia") == held


def test_an_alias_with_a_comma_is_added_as_typed_with_a_note(desk: Desk) -> None:
    added = done(desk, "curate alias add japan Japan, State of")
    assert aliases(desk, "japan")[-1] == "Japan, State of"
    assert added.notice.endswith(
        "'Japan, State of' was added as one alias; if you meant two, separate them with ' | '."
    )


def test_one_bad_alias_refuses_the_whole_line(desk: Desk) -> None:
    held = aliases(desk, "japan")
    answer = refused(desk, "curate alias add japan Yamato | Nihon")
    assert answer.notice == "Entity 'japan' already has the alias 'Nihon'."
    twice = refused(desk, "curate alias add japan Yamato | Yamato")
    assert twice.notice == "Entity 'japan' already has the alias 'Yamato'."
    assert aliases(desk, "japan") == held


def test_a_bad_language_is_named_by_the_field_typed(desk: Desk) -> None:
    answer = refused(desk, "curate alias add iturup Etorofu-to lang:Japanese")
    assert answer.lines == ("lang: 'Japanese' is not a language code like 'ru'",)


def test_a_problem_with_one_of_several_aliases_names_it(desk: Desk) -> None:
    long = "x" * 300
    answer = refused(desk, f"curate alias add iturup Etorofu-to | {long}")
    assert len(answer.lines) == 1
    assert answer.lines[0].startswith(f"text ('{long}'): too long: 300 characters")


def test_an_entity_is_added_with_several_aliases(desk: Desk, own_library: Library) -> None:
    added = done(
        desk,
        'curate entity add yoko-kamikawa person "Yoko Kamikawa" aliases:"Kamikawa | 上川陽子"',
    )
    assert aliases(desk, "yoko-kamikawa") == ["Kamikawa", "上川陽子"]
    assert len(added.revisions) == 1
    assert own_library.answer("who 上川陽子").title == "Yoko Kamikawa"


def test_a_dispute_is_added_with_its_parties_and_areas(desk: Desk) -> None:
    done(
        desk,
        'curate entity add habomai-dispute dispute "Habomai dispute" '
        "parties:russia,japan areas:habomai",
    )
    stored = read_record(desk.library.store, "entity", "habomai-dispute")[0]
    assert stored["parties"] == ["russia", "japan"]
    assert stored["areas"] == ["habomai"]


def test_a_new_entity_with_an_unknown_party_is_refused_with_a_suggestion(desk: Desk) -> None:
    answer = refused(
        desk, 'curate entity add habomai-dispute dispute "Habomai dispute" parties:rusia,japan'
    )
    assert answer.lines == ("parties[0]: no entity 'rusia' (did you mean 'russia'?)",)
