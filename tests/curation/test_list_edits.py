"""Adding and removing one item of a stored list (`about:+…`, `source:-…`, `parties:+…`),
typed at the console as a curator types it; the whole list still replaces the stored one."""

from __future__ import annotations

import pytest

from bot.core.answer import Answer, Status
from bot.curation.edits import read_record
from bot.curation.history import latest_revision
from bot.curation.operations import Desk, run_line
from bot.library import Library
from bot.records.actor import Actor

FACT = "japan-liberalizes-arms-export-rules"
"""A seed fact about japan (actor) and patriot (mentioned), citing the seed's one source."""
SOURCE = "russia-warns-japan-patriots-2024-03-24"
DISPUTE = "kuril-islands-dispute"
SECOND = 'curate source add ap-2024-03 "Kamikawa replies" outlet:"Associated Press"'


@pytest.fixture
def desk(own_library: Library) -> Desk:
    return Desk(own_library, Actor.console())


def done(desk: Desk, line: str) -> Answer:
    answer = run_line(desk, line)
    assert answer.status is Status.DONE, answer.notice
    return answer


def refused(desk: Desk, line: str) -> Answer:
    """Run line, which must be refused without writing anything."""
    before = latest_revision(desk.library.store)
    answer = run_line(desk, line)
    assert answer.status is Status.ERROR
    assert latest_revision(desk.library.store) == before
    return answer


def about(desk: Desk) -> list[object]:
    return list(read_record(desk.library.store, "fact", FACT)[0]["about"])


def test_a_plus_adds_one_subject_and_keeps_the_others(desk: Desk) -> None:
    added = done(desk, f"curate fact edit {FACT} about:+white-house=mentioned")
    assert about(desk) == [
        {"entity": "japan", "role": "actor"},
        {"entity": "patriot", "role": "mentioned"},
        {"entity": "white-house", "role": "mentioned"},
    ]
    assert len(added.revisions) == 1


def test_a_minus_removes_one_subject(desk: Desk) -> None:
    done(desk, f"curate fact edit {FACT} about:-patriot")
    assert about(desk) == [{"entity": "japan", "role": "actor"}]


def test_plus_and_minus_mix_in_one_list(desk: Desk) -> None:
    done(desk, f"curate fact edit {FACT} about:+white-house,-patriot,+united-states=recipient")
    assert about(desk) == [
        {"entity": "japan", "role": "actor"},
        "white-house",
        {"entity": "united-states", "role": "recipient"},
    ]


def test_a_role_changes_by_removing_and_adding_again(desk: Desk) -> None:
    done(desk, f"curate fact edit {FACT} about:-patriot,+patriot=recipient")
    assert about(desk)[-1] == {"entity": "patriot", "role": "recipient"}


def test_a_whole_list_still_replaces_the_stored_one(desk: Desk) -> None:
    done(desk, f"curate fact edit {FACT} about:japan=actor")
    assert about(desk) == [{"entity": "japan", "role": "actor"}]


def test_a_list_mixing_plain_and_signed_items_is_refused(desk: Desk) -> None:
    answer = refused(desk, f"curate fact edit {FACT} about:white-house,-patriot")
    assert answer.notice.startswith("`about:` mixes items with + or - and items without")
    assert "`about:+a,-b`" in answer.notice


def test_removing_what_is_not_there_is_refused_and_says_what_is(desk: Desk) -> None:
    answer = refused(desk, f"curate fact edit {FACT} about:-china")
    assert answer.notice == (
        "`about:` cannot remove 'china', which is not in the list ('japan', 'patriot')."
    )


def test_adding_what_is_there_is_refused(desk: Desk) -> None:
    answer = refused(desk, f"curate fact edit {FACT} about:+japan=recipient")
    assert answer.notice.startswith("`about:` 'japan' is already in the list;")


def test_removing_the_last_subject_is_refused_as_the_record_needs_one(desk: Desk) -> None:
    answer = refused(desk, f"curate fact edit {FACT} about:-japan,-patriot")
    assert answer.lines == ("about: at least one entity required",)


def test_a_plus_with_an_unknown_entity_is_refused_with_a_suggestion(desk: Desk) -> None:
    answer = refused(desk, f"curate fact edit {FACT} about:+japn")
    assert answer.lines == ("about[2]: no entity 'japn' (did you mean 'japan'?)",)


def test_sources_are_added_and_removed_one_at_a_time(desk: Desk) -> None:
    done(desk, SECOND)
    done(desk, f"curate fact edit {FACT} source:+ap-2024-03")
    assert read_record(desk.library.store, "fact", FACT)[0]["source"] == [SOURCE, "ap-2024-03"]
    done(desk, f"curate fact edit {FACT} source:-{SOURCE}")
    assert read_record(desk.library.store, "fact", FACT)[0]["source"] == "ap-2024-03"


def test_a_fact_keeps_at_least_one_source(desk: Desk) -> None:
    answer = refused(desk, f"curate fact edit {FACT} source:-{SOURCE}")
    assert answer.lines == ("source: at least one source required",)


def test_a_new_fact_takes_whole_lists_only(desk: Desk) -> None:
    answer = refused(desk, f"curate fact add about:+japan source:{SOURCE} Japan spoke.")
    assert answer.notice.startswith("`about:` with + or - changes a stored list;")


def test_a_disputes_parties_and_areas_change_one_at_a_time(desk: Desk) -> None:
    done(desk, f"curate entity links {DISPUTE} parties:+united-states areas:-habomai,-shikotan")
    stored = read_record(desk.library.store, "entity", DISPUTE)[0]
    assert stored["parties"] == ["russia", "japan", "united-states"]
    assert stored["areas"] == ["kuril-islands", "southern-kurils", "iturup", "kunashir"]


def test_removing_an_area_the_dispute_lacks_is_refused(desk: Desk) -> None:
    answer = refused(desk, f"curate entity links {DISPUTE} areas:-sakhalin")
    assert answer.notice.startswith("`areas:` cannot remove 'sakhalin', which is not in the list")
