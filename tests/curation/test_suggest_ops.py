"""``curate suggestions``, ``suggestion accept`` and ``suggestion dismiss`` at the console."""

from __future__ import annotations

import pytest

from bot.core.answer import Status
from bot.curation.operations import Desk, run_line
from bot.library import Library
from bot.records.actor import Actor
from bot.store import suggestions

FACT = "japan-agrees-us-patriot-request"


@pytest.fixture
def writable(own_library: Library) -> Library:
    """This test's seeded library, typed as `Library` (a desk sees only the protocol)."""
    return own_library


@pytest.fixture
def desk(writable: Library) -> Desk:
    by = suggestions.Origin("42", "mia", "user install", "9")
    suggestions.save(
        writable.store, by, card="who:japan", title="Japan", facts=[FACT], text="2023-11."
    )
    return Desk(writable, Actor.console())


def test_the_open_suggestions_are_listed_with_who_where_and_what(desk: Desk) -> None:
    listed = run_line(desk, "curate suggestions")
    assert listed.status is Status.FOUND
    assert listed.lines == ("#1 · mia (user install) · on “Japan” · 1 fact · 2023-11.",)


def test_accepting_at_the_console_gives_the_line_that_corrects_the_fact(
    desk: Desk, writable: Library
) -> None:
    accepted = run_line(desk, "curate suggestion accept 1")
    assert accepted.status is Status.DONE and accepted.title == "Accepted suggestion 1"
    line = accepted.lines[1]
    assert line.startswith(f'curate fact edit {FACT} text:"By the end of 2023')
    assert 'date:"2023-12"' in line
    corrected = run_line(desk, line.replace('date:"2023-12"', 'date:"2023-11"'))
    assert corrected.status is Status.DONE, corrected.notice
    assert writable.catalog.facts[FACT].date == "2023-11"
    assert run_line(desk, "curate suggestions").status is Status.NOT_FOUND


def test_dismissing_records_the_reason_and_deciding_twice_is_refused(desk: Desk) -> None:
    dismissed = run_line(desk, 'curate suggestion dismiss 1 reason:"the source says 2023-12"')
    assert dismissed.notice == "Dismissed (the source says 2023-12)."
    stored = suggestions.load(desk.library.store, 1)
    assert (stored.state, stored.curator_name) == ("dismissed", "console")
    again = run_line(desk, "curate suggestion accept 1")
    assert again.status is Status.ERROR
    assert again.notice.startswith("Suggestion 1 was already dismissed by console")
    assert run_line(desk, "curate suggestion dismiss 7").notice == (
        "There is no suggestion 7; `curate suggestions` lists them."
    )
