"""An answer drawn again after a restart gives its hints as its asker types: the slash
form when it was asked for by slash, the prefix otherwise. The buttons carry it in
their custom ids; ids without it (posted before it was carried) keep working."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.answers.cards import entity_card
from bot.answers.catalog import Catalog
from bot.answers.commands import COMMANDS, Command, command, current_syntax
from bot.chat.bot import DiploBot
from bot.core.answer import Answer
from bot.core.arguments import Param
from tests.chat.helpers import SETTINGS, Shelf, World, buttons


@pytest.fixture
def brief() -> Iterator[Command]:
    """``!brief NAME``: an entity's card pointing to ``!timeline`` in the asker's syntax,
    registered for the length of one test."""

    @command("brief", "An entity's card, with a pointer.", "!brief japan", Param("name", "A name"))
    def _brief(catalog: Catalog, name: str) -> Answer:
        found = catalog.resolve(name)
        assert found.best is not None
        pointer = f"See also `{current_syntax().command('timeline')}`."
        return entity_card(
            catalog, "brief", name, found.best.entity, newest_first=True, notice=pointer
        )

    try:
        yield COMMANDS["brief"]
    finally:
        del COMMANDS["brief"]


@pytest.fixture
def simcord_bot(brief: Command, shelf: Shelf) -> DiploBot:
    return DiploBot(shelf, SETTINGS)


async def restart(world: World, shelf: Shelf) -> None:
    """A new DiploBot over the same store, knowing nothing of the first one's views."""
    world.bot = DiploBot(shelf, SETTINGS)
    await world.env.restart_bot(world.bot)


async def test_a_slash_answer_redrawn_after_a_restart_keeps_slash_hints(
    world: World, shelf: Shelf
) -> None:
    result = await world.alice.slash(world.channel, "brief", name="japan")
    assert result.response is not None
    first = result.response.embeds[0]
    assert "See also `/timeline`." in (first.description or "")
    ids = [button.custom_id or "" for button in buttons(world.last())]
    ids = [custom_id for custom_id in ids if custom_id.startswith("dbp:")]  # page buttons
    assert ids == [f"dbp:{world.alice.id}:0</:brief:japan", f"dbp:{world.alice.id}:1>/:brief:japan"]
    await restart(world, shelf)

    await world.alice.click(world.last(), label="▶")
    page = world.last().embeds[0]
    assert page.footer.text == "country · Page 2/2"
    assert "See also `/timeline`." in (page.description or "")


async def test_a_typed_answer_keeps_ids_without_the_mark_and_prefix_hints(
    world: World, shelf: Shelf
) -> None:
    await world.alice.send(world.channel, "!brief japan")
    ids = [button.custom_id or "" for button in buttons(world.last())]
    ids = [custom_id for custom_id in ids if custom_id.startswith("dbp:")]  # page buttons
    # The id as buttons posted before the syntax was carried: it still works.
    assert ids == [f"dbp:{world.alice.id}:0<:brief:japan", f"dbp:{world.alice.id}:1>:brief:japan"]
    await restart(world, shelf)
    await world.alice.click(world.last(), label="▶")
    assert "See also `!timeline`." in (world.last().embeds[0].description or "")


async def test_a_choice_pressed_after_a_restart_remembers_the_slash(
    world: World, shelf: Shelf
) -> None:
    result = await world.alice.slash(world.channel, "about", name="kuril")
    assert result.response is not None
    ids = [button.custom_id or "" for button in buttons(world.last())]
    assert ids[0] == f"dbc:{world.alice.id}:0e/:about:kuril-islands"
    assert all(len(custom_id) <= 100 for custom_id in ids)
    await restart(world, shelf)
    await world.alice.click(world.last(), label="Kuril Islands")
    assert world.last().embeds[0].title == "Kuril Islands"
