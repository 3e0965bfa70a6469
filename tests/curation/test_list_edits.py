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


def test_plus_adds_one_subject_minus_removes_one_and_the_two_mix(desk: Desk) -> None:
    added = done(desk, f"curate fact edit {FACT} about:+white-house=mentioned")
    assert about(desk) == [
        {"entity": "japan", "role": "actor"},
        {"entity": "patriot", "role": "mentioned"},
        {"entity": "white-house", "role": "mentioned"},
    ]
    assert len(added.revisions) == 1
    done(desk, f"curate fact edit {FACT} about:-white-house")
    done(desk, f"curate fact edit {FACT} about:+white-house,-patriot,+united-states=recipient")
    assert about(desk) == [
        {"entity": "japan", "role": "actor"},
        "white-house",
        {"entity": "united-states", "role": "recipient"},
    ]
    # Removals come first, so a role changes by removing and adding again.
    done(desk, f"curate fact edit {FACT} about:-japan,+japan=recipient")
    assert about(desk)[-1] == {"entity": "japan", "role": "recipient"}


def test_a_whole_list_still_replaces_the_stored_one(desk: Desk) -> None:
    done(desk, f"curate fact edit {FACT} about:japan=actor")
    assert about(desk) == [{"entity": "japan", "role": "actor"}]


def test_each_bad_list_edit_is_refused_with_what_to_do_and_nothing_changes(desk: Desk) -> None:
    mixed = refused(desk, f"curate fact edit {FACT} about:white-house,-patriot")
    assert mixed.notice.startswith("`about:` mixes items with + or - and items without")
    assert "`about:+a,-b`" in mixed.notice
    absent = refused(desk, f"curate fact edit {FACT} about:-china")
    assert absent.notice == (
        "`about:` cannot remove 'china', which is not in the list ('japan', 'patriot')."
    )
    present = refused(desk, f"curate fact edit {FACT} about:+japan=recipient")
    assert present.notice.startswith("`about:` 'japan' is already in the list;")
    emptied = refused(desk, f"curate fact edit {FACT} about:-japan,-patriot")
    assert emptied.lines == ("about: at least one entity required",)
    unknown = refused(desk, f"curate fact edit {FACT} about:+japn")
    assert unknown.lines == ("about[2]: no entity 'japn' (did you mean 'japan'?)",)
    sourceless = refused(desk, f"curate fact edit {FACT} source:-{SOURCE}")
    assert sourceless.lines == ("source: at least one source required",)
    new = refused(desk, f"curate fact add about:+japan source:{SOURCE} Japan spoke.")
    assert new.notice.startswith("`about:` with + or - changes a stored list;")


def test_sources_are_added_and_removed_one_at_a_time(desk: Desk) -> None:
    done(desk, SECOND)
    done(desk, f"curate fact edit {FACT} source:+ap-2024-03")
    assert read_record(desk.library.store, "fact", FACT)[0]["source"] == [SOURCE, "ap-2024-03"]
    done(desk, f"curate fact edit {FACT} source:-{SOURCE}")
    assert read_record(desk.library.store, "fact", FACT)[0]["source"] == "ap-2024-03"


def test_a_disputes_parties_and_areas_change_one_at_a_time(desk: Desk) -> None:
    done(desk, f"curate entity links {DISPUTE} parties:+united-states areas:-habomai,-shikotan")
    stored = read_record(desk.library.store, "entity", DISPUTE)[0]
    assert stored["parties"] == ["russia", "japan", "united-states"]
    assert stored["areas"] == ["kuril-islands", "southern-kurils", "iturup", "kunashir"]
    answer = refused(desk, f"curate entity links {DISPUTE} areas:-sakhalin")
    assert answer.notice.startswith("`areas:` cannot remove 'sakhalin', which is not in the list")
