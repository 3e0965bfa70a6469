"""Fixtures for the Discord layer: a DiploBot over the seeded catalog, run in SimCord.

``simcord_env`` (SimCord's pytest plugin) starts the bot built by ``simcord_bot``;
``world`` adds a guild with a channel, the bot's owner (alice) and another
member (bob), and syncs the slash commands the way the owner would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import simcord

from bot.chat.bot import DiploBot
from bot.library import Library
from tests.chat.helpers import SETTINGS, Shelf, World


@pytest.fixture
def shelf(library: Library, tmp_path: Path) -> Iterator[Shelf]:
    """The seeded store (``library`` from tests/conftest.py), copied and opened as a
    library of its own; closed after the test if the test did not close it."""
    opened = Shelf.copy_of(library, tmp_path / "shelf.db")
    yield opened
    if not opened.closed:
        opened.close()


@pytest.fixture
def simcord_bot(shelf: Shelf) -> DiploBot:
    return DiploBot(shelf, SETTINGS)


@pytest.fixture
async def world(simcord_env: simcord.Env) -> World:
    env = simcord_env
    bot = env.bot
    assert isinstance(bot, DiploBot)
    guild = env.create_guild("Diplomacy")
    channel = guild.create_text_channel("news")
    alice = guild.add_member(env.create_user("alice"))
    bob = guild.add_member(env.create_user("bob"))
    bot.owner_id = alice.id
    await bot.tree.sync()
    return World(env, bot, guild, channel, alice, bob)
