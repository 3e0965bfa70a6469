"""Slash commands are synced on purpose, by the owner, never at start-up."""

from __future__ import annotations

import pytest
import simcord
from discord.ext import commands

from bot.answers.commands import COMMANDS
from bot.chat.bot import DiploBot
from bot.follows import FOLLOW_COMMANDS
from tests.chat.helpers import SETTINGS

SYNCED = len(COMMANDS) + len(FOLLOW_COMMANDS) + 2
"""The lookups, the follow commands, the /curate group and the "Names in this message" menu."""

DEV_GUILD = 1_100_000_000_000_000_077


def command_puts(env: simcord.Env) -> list[str]:
    return [r.path for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]


async def test_start_up_does_not_sync(simcord_env: simcord.Env) -> None:
    channel = simcord_env.create_guild().create_text_channel("general")
    alice = simcord_env.guild.add_member(simcord_env.create_user("alice"))
    assert command_puts(simcord_env) == []
    with pytest.raises(simcord.SetupError, match="never synced"):
        await alice.slash(channel, "who", name="nozdrev")


async def test_only_the_owner_can_sync(simcord_env: simcord.Env) -> None:
    channel = simcord_env.create_guild().create_text_channel("general")
    bob = simcord_env.guild.add_member(simcord_env.create_user("bob"))
    await bob.send(channel, "!sync global")
    assert channel.last_message is not None
    assert channel.last_message.content == "Only the bot's owner can use `!sync`."
    assert command_puts(simcord_env) == []
    assert [type(e) for e in simcord_env.errors] == [commands.NotOwner]


async def test_the_owner_syncs_globally(simcord_env: simcord.Env) -> None:
    channel = simcord_env.create_guild().create_text_channel("general")
    alice = simcord_env.guild.add_member(simcord_env.create_user("alice"))
    simcord_env.bot.owner_id = alice.id  # type: ignore[attr-defined]
    await alice.send(channel, "!sync")
    assert channel.last_message is not None
    assert channel.last_message.content == f"Synced {SYNCED} slash commands globally."
    assert command_puts(simcord_env) == [f"/applications/{simcord_env.bot.application_id}/commands"]
    result = await alice.slash(channel, "who", name="nozdrev")
    assert result.response is not None and result.response.embeds[0].title == "Nikolai Nozdrev"


async def test_the_owner_syncs_to_the_development_server(simcord_env: simcord.Env) -> None:
    bot = simcord_env.bot
    assert isinstance(bot, DiploBot)
    bot.settings = SETTINGS.model_copy(update={"dev_guild_id": DEV_GUILD})
    guild = simcord_env.create_guild(id=DEV_GUILD)
    channel = guild.create_text_channel("testing")
    alice = guild.add_member(simcord_env.create_user("alice"))
    bot.owner_id = alice.id

    await alice.send(channel, "!sync")
    assert channel.last_message is not None
    assert channel.last_message.content == (
        f"Synced {SYNCED} slash commands to the development server ({DEV_GUILD})."
    )
    assert command_puts(simcord_env) == [
        f"/applications/{bot.application_id}/guilds/{DEV_GUILD}/commands"
    ]
    result = await alice.slash(channel, "dispute", name="kuril")
    assert result.response is not None
    assert result.response.embeds[0].title == "Kuril Islands dispute"

    await alice.send(channel, "!sync global")
    assert channel.last_message.content == f"Synced {SYNCED} slash commands globally."
