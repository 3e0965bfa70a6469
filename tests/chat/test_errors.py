"""Friendly replies to everything that can go wrong, on the prefix and slash paths."""

from __future__ import annotations

import logging
import re

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.chat.helpers import World

TRACE = re.compile(r"Something went wrong on my side \(trace id `([0-9a-f]{8})`\)")


async def test_an_unknown_command_suggests_the_nearest(world: World) -> None:
    await world.alice.send(world.channel, "!whoo nozdrev")
    assert world.last().content == (
        "There is no command `!whoo`. Did you mean `!who`? `!help` lists the commands."
    )


@pytest.mark.parametrize("typed", ["!play despacito", "!rank", "!remindme 5m tea"])
async def test_other_bots_commands_get_no_reply(world: World, typed: str) -> None:
    await world.alice.send(world.channel, typed)
    assert world.bot_messages() == []


@pytest.mark.parametrize("typed", ["!", "!!!", "! who", "!?"])
async def test_a_lone_prefix_or_punctuation_gets_no_reply(world: World, typed: str) -> None:
    await world.alice.send(world.channel, typed)
    assert world.bot_messages() == []


async def test_an_empty_query_says_what_is_needed(world: World) -> None:
    await world.alice.send(world.channel, "!who")
    assert world.last().content == "`!who` needs a name, for example `!who nozdrev`."
    assert world.env.errors == []  # the core says what is missing; nothing failed

    result = await world.alice.slash(world.channel, "who", name="   ")
    assert result.ephemeral and result.response is not None
    assert result.response.content == "`/who` needs a name, for example `/who name:nozdrev`."


async def test_an_overlong_query_is_refused_with_the_core_message(world: World) -> None:
    message = "That query is 250 characters long; keep it to 200 at most."
    await world.alice.send(world.channel, "!who " + "a" * 250)
    assert world.last().content == message
    result = await world.alice.slash(world.channel, "about", name="a" * 250)
    assert result.ephemeral and result.response is not None
    assert result.response.content == message


async def test_a_bad_argument_gets_a_short_reply(world: World) -> None:
    await world.alice.send(world.channel, "!sync everywhere")
    assert world.last().content.endswith("`!help` lists the commands.")
    assert [type(e) for e in world.env.errors] == [commands.BadLiteralArgument]


async def test_the_cooldown_asks_politely_and_lifts(world: World) -> None:
    for _ in range(5):
        await world.alice.send(world.channel, "!who nozdrev")
        assert world.last().embeds
    await world.alice.send(world.channel, "!who nozdrev")
    assert world.last().content == "Slow down a little — try again in 10 s."

    result = await world.alice.slash(world.channel, "who", name="nozdrev")
    assert result.ephemeral and result.response is not None
    assert result.response.content.startswith("Slow down a little — try again in")

    await world.bob.send(world.channel, "!who nozdrev")
    assert world.last().embeds

    await world.env.advance_time(10)
    await world.alice.send(world.channel, "!who nozdrev")
    assert world.last().embeds
    assert {type(e) for e in world.env.errors} == {commands.CommandOnCooldown}


async def test_an_unexpected_error_is_logged_with_a_trace_id_shown_to_the_user(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    @commands.hybrid_command(name="boom", description="Fails on purpose.")
    async def boom(ctx: commands.Context[commands.Bot]) -> None:
        raise RuntimeError("the store caught fire")

    world.bot.add_command(boom)
    await world.bot.tree.sync()

    await world.alice.send(world.channel, "!boom")
    match = TRACE.match(world.last().content)
    assert match is not None, world.last().content
    assert "fire" not in world.last().content
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert len(logged) == 1 and logged[0].levelno == logging.ERROR
    assert "!boom" in logged[0].getMessage() and logged[0].exc_info is not None

    result = await world.alice.slash(world.channel, "boom")
    assert result.ephemeral and result.response is not None
    assert TRACE.match(result.response.content)
    assert len(world.env.errors) == 2


async def test_an_unexpected_error_in_a_plain_slash_command_gets_a_trace_id(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    @app_commands.command(name="crash", description="Fails on purpose.")
    async def crash(interaction: discord.Interaction) -> None:
        raise RuntimeError("boom")

    world.bot.tree.add_command(crash)
    await world.bot.tree.sync()
    result = await world.alice.slash(world.channel, "crash")
    assert result.ephemeral and result.response is not None
    match = TRACE.match(result.response.content)
    assert match is not None
    assert any(
        match.group(1) in r.getMessage() and "/crash" in r.getMessage() for r in caplog.records
    )
    assert len(world.env.errors) == 1
