"""The README's curation examples, run in order on a fresh store, all do what they say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.console import respond
from bot.core.answer import Status
from bot.curation.operations import OPERATIONS, Memory
from bot.library import Library
from bot.store import suggestions

README = Path(__file__).resolve().parent.parent / "README.md"


def curation_examples() -> list[str]:
    """Every ``!curate …`` line of the README, without its comment."""
    lines = re.findall(r"^!(curate .*)$", README.read_text(encoding="utf-8"), re.MULTILINE)
    return [re.sub(r"\s+#.*$", "", line).strip() for line in lines]


@pytest.fixture
def fresh(own_library: Library) -> Library:
    """A seeded store as a new user gets it, of this test's own (tests/conftest.py)."""
    return own_library


def test_the_readme_shows_every_curation_command() -> None:
    shown = {" ".join(line.split()[1:3]) for line in curation_examples()}
    for name in OPERATIONS:
        if name != "help":
            assert any(words.startswith(name) for words in shown), name


def test_each_readme_example_runs_on_a_fresh_store(fresh: Library) -> None:
    member = suggestions.Origin("42", "mia", "server")
    for text in ("The date is 2023-11.", "Japan did not agree."):  # what the examples decide
        suggestions.save(
            fresh.store,
            member,
            card=text,
            title="Japan",
            facts=["japan-agrees-us-patriot-request"],
            text=text,
        )
    session = Memory()  # as the lines of one `diplobot ask -`: `curate source use` holds
    for line in curation_examples():
        if line.startswith(("curate import", "curate article")):
            continue  # needs an attached file or a page on the web; tests/chat/curate covers it
        answer = respond(fresh, line, confirmed=True, memory=session)
        assert answer.status in (Status.DONE, Status.FOUND), f"{line}: {answer.notice}"
    assert fresh.answer("who kamikawa").title == "Yoko Kamikawa"
