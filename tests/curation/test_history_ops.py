"""`curate history` and `curate revision` as a curator reads them at the console: pages of
the newest revisions, lines that say what changed, undos marked, and facts shown whole."""

from __future__ import annotations

import pytest

from bot.core.answer import Answer, Status
from bot.curation.history import latest_revision
from bot.curation.operations import Desk, run_line
from bot.library import Library
from bot.records.actor import Actor

SOURCE = "russia-warns-japan-patriots-2024-03-24"
WARNING = "nozdrev-warns-japan-patriot-transfer"
SEED_REVISIONS = 34


@pytest.fixture
def desk(own_library: Library) -> Desk:
    """The console's operator at a seeded store of this test's own."""
    return Desk(own_library, Actor.console())


def done(desk: Desk, line: str) -> Answer:
    answer = run_line(desk, line)
    assert answer.status is Status.DONE, answer.notice
    return answer


def numbers(answer: Answer) -> list[int]:
    return [int(line.split(" · ")[0].lstrip("#")) for line in answer.lines]


def test_history_shows_the_newest_twenty_and_pages_back_with_before(desk: Desk) -> None:
    first = run_line(desk, "curate history")
    assert numbers(first) == list(range(34, 14, -1))
    assert list(first.listed) == numbers(first)
    assert first.older
    assert first.notice == (
        "20 revisions, newest first (#34–#15). `curate revision N` shows one; "
        "`curate history before:15` lists older ones."
    )
    rest = run_line(desk, "curate history before:15")
    assert numbers(rest) == list(range(14, 0, -1))
    assert not rest.older
    assert rest.notice == "14 revisions, newest first (#14–#1). `curate revision N` shows one."


def test_limit_sets_the_page_size_and_the_hint_keeps_it(desk: Desk) -> None:
    page = run_line(desk, "curate history limit:5 before:30")
    assert numbers(page) == [29, 28, 27, 26, 25]
    assert "`curate history limit:5 before:25` lists older ones." in page.notice
    done(desk, "curate alias add japan Yamato")
    own = run_line(desk, "curate history japan limit:1")
    assert len(own.lines) == 1 and own.older
    assert own.notice.endswith("`curate history japan limit:1 before:35` lists older ones.")
    assert numbers(run_line(desk, "curate history japan limit:1 before:35")) == [4]
    everything = run_line(desk, "curate history limit:100")
    assert len(everything.lines) == SEED_REVISIONS + 1 and not everything.older


@pytest.mark.parametrize(
    ("line", "notice"),
    [
        ("curate history limit:0", "`limit:` takes a number from 1 to 100, not 0."),
        ("curate history limit:101", "`limit:` takes a number from 1 to 100, not 101."),
        ("curate history limit:ten", "`limit:` takes a number, such as 12, not `ten`."),
        ("curate history before:0", "`before:` takes a revision's number, 1 or more, not 0."),
        ("curate history before:-4", "`before:` takes a number, such as 12, not `-4`."),
        ("curate history limit:5 limit:6", "`limit:` is given twice."),
    ],
)
def test_bad_paging_values_get_one_clear_line(desk: Desk, line: str, notice: str) -> None:
    refused = run_line(desk, line)
    assert refused.status is Status.ERROR
    assert refused.notice.startswith(notice), refused.notice
    assert "\n" not in refused.notice


def test_before_past_the_oldest_revision_says_there_is_nothing_older(desk: Desk) -> None:
    nothing = run_line(desk, "curate history before:1")
    assert nothing.status is Status.NOT_FOUND
    assert nothing.notice == "The store has no revisions before #1."
    own = run_line(desk, "curate history japan before:4")
    assert own.notice == "No revision before #4 touched 'japan'."


def test_each_line_names_what_changed(desk: Desk) -> None:
    done(desk, "curate alias add japan Yamato")
    done(desk, f"curate fact edit {WARNING} date:2024 type:statement")
    done(desk, "curate alias remove japan Yamato")
    lines = run_line(desk, "curate history limit:3").lines
    assert lines[0].endswith(" · console · changed entity 'japan' (aliases - 'Yamato')")
    assert lines[1].endswith(f" · console · changed fact '{WARNING}' (date, type)")
    assert lines[2].endswith(" · console · changed entity 'japan' (aliases + 'Yamato')")


def test_an_undo_is_marked_as_the_undo_of_its_revision(desk: Desk) -> None:
    done(desk, "curate alias add japan Yamato")
    done(desk, "curate undo 35")
    done(desk, 'curate undo 36 reason:"keep Yamato after all"')
    newest, undo, added = run_line(desk, "curate history limit:3").lines
    assert newest.endswith(
        " · changed entity 'japan' (aliases + 'Yamato') · undo of #36 · “keep Yamato after all”"
    )
    # Its default reason ("undo of revision 35") is not repeated after the mark.
    assert undo.endswith(" · console · changed entity 'japan' (aliases - 'Yamato') · undo of #35")
    assert "undo of" not in added
    assert run_line(desk, "curate revision 37").notice.endswith(
        "undo of #36 · “keep Yamato after all”"
    )


def test_every_revision_of_an_undone_action_is_marked(desk: Desk) -> None:
    pending = run_line(desk, "curate entity delete nikolai-nozdrev with_facts:yes")
    assert pending.confirm is not None
    first = pending.confirm.apply().revisions[0]
    undone = done(desk, f"curate undo {first}")
    listing = run_line(desk, f"curate history limit:{len(undone.revisions)}")
    assert len(listing.lines) == len(undone.revisions) == 8  # Nozdrev and his 7 facts
    assert all(line.endswith(f" · undo of #{first}") for line in listing.lines)


LONG_TEXT = (
    "Nozdrev said in the interview that Tokyo would bear full responsibility for any "
    "transfer of Patriot interceptors to Kyiv, that Moscow had already told Japan's "
    "embassy so in writing, and that the consequences for relations would be lasting."
)


def test_receipts_and_revisions_show_a_fact_whole(desk: Desk) -> None:
    assert len(LONG_TEXT) > 200
    receipt = done(desk, f"curate fact add about:nikolai-nozdrev,japan source:{SOURCE} {LONG_TEXT}")
    assert f"+ text: '{LONG_TEXT}'" in receipt.lines
    shown = run_line(desk, f"curate revision {receipt.revisions[0]}")
    assert f"+ text: '{LONG_TEXT}'" in shown.lines
    key = receipt.title.removeprefix("Added fact '").removesuffix("'")
    edited = done(desk, f'curate fact edit {key} text:"{LONG_TEXT} Twice."')
    assert edited.lines == (f"text: '{LONG_TEXT}' → '{LONG_TEXT} Twice.'",)
    assert latest_revision(desk.library.store) == SEED_REVISIONS + 2
