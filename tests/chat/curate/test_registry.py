"""A curation operation is added in one place: its registration.

The fixture registers a throwaway operation (in a group of its own) for one test
and removes it afterwards; the tests reach it by prefix and slash through
SimCord, through the console's line runner, and through ``diplobot ask --json``,
with nothing but the registration written for it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from bot.chat.access import REFUSAL
from bot.chat.bot import DiploBot
from bot.cli import main
from bot.config import Settings
from bot.console import ask, respond
from bot.core.answer import Answer, Status
from bot.core.arguments import Arg, Param
from bot.curation.history import latest_revision
from bot.curation.operations import GROUPS, OPERATIONS, Desk, Operation, group, operation
from bot.library import Library
from tests.chat.curate.conftest import Desk as World

SEED_REVISIONS = 34


@pytest.fixture
def echo() -> Iterator[Operation]:
    """``curate echo say WORD``: says the word back, with who asked and the store's last
    revision; registered for one test only."""
    assert "echo say" not in OPERATIONS

    @operation(
        "echo say",
        "Say a word back.",
        "curate echo say hello",
        Param("word", "The word to say back", type=Arg.TEXT),
        writes=False,
    )
    def echo_say(desk: Desk, values: Mapping[str, Any]) -> Answer:
        word = values["word"]
        latest = latest_revision(desk.library.store)
        return Answer(
            echo_say.command,
            word,
            Status.FOUND,
            title=f"Echo: {word}",
            notice=f"{desk.actor.name} said {word} at revision {latest}.",
        )

    group("echo", "Say things back")
    try:
        yield echo_say
    finally:
        del OPERATIONS["echo say"]
        del GROUPS["echo"]


@pytest.fixture
def simcord_bot(echo: Operation, own_library: Library) -> DiploBot:
    """The bot, built once the throwaway operation is registered (the groups are built
    from the registry when the bot is made)."""
    return DiploBot(own_library, Settings.from_mapping({"DATABASE_URL": "sqlite://"}))


async def test_the_operation_works_by_prefix(desk: World) -> None:
    await desk.owner.send(desk.channel, "!curate echo say hello")
    card = desk.last().embeds[0]
    assert card.title == "Echo: hello"
    assert card.description == f"olga said hello at revision {SEED_REVISIONS}."
    await desk.owner.send(desk.channel, "!curate echo")
    assert "!curate echo say WORD: Say a word back." in (desk.last().embeds[0].description or "")


async def test_the_operation_works_by_slash(desk: World) -> None:
    shown = await desk.owner.slash(desk.channel, "curate echo say", word="hi")
    assert shown.ephemeral and shown.response is not None
    assert shown.response.embeds[0].title == "Echo: hi"
    assert shown.response.embeds[0].description == f"olga said hi at revision {SEED_REVISIONS}."


async def test_the_operation_is_for_curators_only(desk: World) -> None:
    await desk.member.send(desk.channel, "!curate echo say hello")
    assert desk.last().content == REFUSAL
    refused = await desk.member.slash(desk.channel, "curate echo say", word="hi")
    assert refused.response is not None and refused.response.content == REFUSAL
    assert [type(error).__name__ for error in desk.env.errors] == ["NotCurator", "NotCurator"]


def test_the_operation_runs_at_the_console(echo: Operation, own_library: Library) -> None:
    answer = respond(own_library, "curate echo say hello")
    assert answer.status is Status.FOUND
    assert answer.notice == f"console said hello at revision {SEED_REVISIONS}."
    out = io.StringIO()
    assert ask(own_library, "!curate echo say hej", json_output=True, out=out) == 0
    shown = json.loads(out.getvalue())
    assert (shown["command"], shown["query"], shown["title"]) == (
        "curate echo say",
        "hej",
        "Echo: hej",
    )


def test_the_operation_runs_from_the_command_line(
    echo: Operation, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--json", "curate echo say hello"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "found"
    assert shown["notice"] == f"console said hello at revision {SEED_REVISIONS}."
