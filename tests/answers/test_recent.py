"""``!recent [NAME] [DAYS]``: facts added or changed lately, by the revision log."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import update

from bot.answers import recent
from bot.answers.catalog import Catalog
from bot.answers.commands import answer, run
from bot.cli import main
from bot.core.answer import Status
from bot.curation.operations import Desk, run_line
from bot.errors import QueryError
from bot.library import Library
from bot.records.actor import Actor
from bot.store.db import Store
from bot.store.models import Revision, utcnow

FACT = "japan-agrees-us-patriot-request"


def age_the_log(library: Library, days: int) -> None:
    """Make every logged change ``days`` old, as if the store had been seeded then."""
    with library.store.writing() as session:
        session.exec(update(Revision).values(at=utcnow() - timedelta(days=days)))
    library.reload()


def edit(library: Library, line: str) -> None:
    done = run_line(Desk(library, Actor.console()), line)
    assert done.status is Status.DONE, done.notice


def test_recent_lists_what_was_just_seeded_newest_first(own_library: Library) -> None:
    result = own_library.answer("!recent")
    assert result.status is Status.FOUND
    assert result.title == "New in the last 7 days"
    assert len(result.facts) == len(own_library.catalog.facts)
    assert all(fact.sources for fact in result.facts)


def test_an_edit_comes_first_and_old_changes_fall_outside_the_window(
    own_library: Library,
) -> None:
    age_the_log(own_library, 20)
    assert own_library.answer("!recent").status is Status.NOT_FOUND
    assert len(own_library.answer("!recent 30").facts) == len(own_library.catalog.facts)

    edit(own_library, f'curate fact edit {FACT} text:"Japan agreed to the US request."')
    week = own_library.answer("!recent")
    assert [fact.key for fact in week.facts] == [FACT]
    assert week.facts[0].text == "Japan agreed to the US request."
    month = own_library.answer("!recent 30")
    assert month.facts[0].key == FACT and len(month.facts) == len(own_library.catalog.facts)


def test_a_name_keeps_only_facts_about_it(own_library: Library) -> None:
    age_the_log(own_library, 20)
    edit(own_library, f"curate fact edit {FACT} date:2023-11")
    about_japan = own_library.answer("!recent japan")
    assert about_japan.title == "New about Japan in the last 7 days"
    assert [fact.key for fact in about_japan.facts] == [FACT]
    nozdrev = own_library.answer("!recent nozdrev")
    assert nozdrev.status is Status.NOT_FOUND
    assert nozdrev.notice == (
        "No fact about Nikolai Nozdrev was added or changed in the last 7 days."
    )
    by_slash = run(own_library.catalog, "recent", "japan", "1")
    assert by_slash.title == "New about Japan in the last day" and len(by_slash.facts) == 1


def test_a_change_made_by_another_process_shows_after_its_refresh(own_library: Library) -> None:
    age_the_log(own_library, 20)
    other = Library(Store.open(str(own_library.store.engine.url), migrate=False))
    try:
        assert other.answer("!recent").status is Status.NOT_FOUND
        edit(own_library, f"curate fact edit {FACT} date:2023-11")
        assert other.refresh()  # only the changed records are read (`Catalog.changed`)
        assert [fact.key for fact in other.answer("!recent").facts] == [FACT]
    finally:
        other.close()


@pytest.mark.parametrize(
    "line",
    ["!recent x 100000", "!recent 0", "!recent days:91", "!recent japan days:many"],
)
def test_bad_days_get_one_clear_line(catalog: Catalog, line: str) -> None:
    result = answer(catalog, line)
    assert result.status is Status.ERROR
    assert result.notice.startswith("Days must be a whole number from 1 to 90, not “")
    assert "\n" not in result.notice


def test_bad_days_by_slash_raise_the_same_line(catalog: Catalog) -> None:
    with pytest.raises(QueryError, match="from 1 to 90, not “100000”; for example `!recent 30`"):
        run(catalog, "recent", None, "100000")


def test_a_name_that_matches_nothing_says_so(catalog: Catalog) -> None:
    result = answer(catalog, "!recent zzqx")
    assert result.status is Status.NOT_FOUND
    assert result.notice.startswith("No entry in the store matches “zzqx”")


@pytest.mark.slow  # seeds a new store first
def test_recent_works_offline_with_ask_and_ask_json(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "!recent"]) == 0
    assert capsys.readouterr().out.startswith("New in the last 7 days")
    assert main(["ask", "--json", "!recent japan 30"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["command"], shown["query"], shown["status"]) == ("recent", "japan 30", "found")
    assert all("japan" in fact["about"] and fact["sources"] for fact in shown["facts"])
    assert main(["ask", "!recent x 100000"]) == 2
    assert capsys.readouterr().out.startswith("Days must be a whole number from 1 to 90")


def test_a_large_change_shows_the_latest_few_and_says_how_many(
    own_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recent, "SHOWN", 4)
    result = own_library.answer("!recent")
    total = len(own_library.catalog.facts)
    assert len(result.facts) == 4
    assert result.notice == (
        f"{total} facts added or changed in the last 7 days, the most recently changed "
        "first; the latest 4 are shown."
    )
