"""What members run into: hints in the syntax they can type, replies only to our own typos,
one cooldown notice per burst, real autocomplete candidates, and pointers to the right command."""

from __future__ import annotations

import pytest
from discord.ext import commands

from bot.answers.catalog import Catalog
from bot.chat.bot import DiploBot
from tests.chat.helpers import SETTINGS, Shelf, World

SOUTHERN_KURILS = "Southern Kurils / Northern Territories"


@pytest.fixture
def simcord_bot(shelf: Shelf) -> DiploBot:
    """The bot with the prefix an admin set in .env: COMMAND_PREFIX=?"""
    return DiploBot(shelf, SETTINGS.model_copy(update={"command_prefix": "?"}))


def text(world: World) -> str:
    message = world.last()
    return message.content or (message.embeds[0].description or "")


async def test_prefix_hints_use_the_configured_prefix(world: World) -> None:
    await world.alice.send(world.channel, "?who")
    assert world.last().content == "`?who` needs a name, for example `?who nozdrev`."
    await world.alice.send(world.channel, "?whoo nozdrev")
    assert world.last().content == (
        "There is no command `?whoo`. Did you mean `?who`? `?help` lists the commands."
    )
    await world.alice.send(world.channel, "?help")
    listing = world.last().embeds[0].description or ""
    assert "?who NAME: " in listing and "Example: ?who nozdrev" in listing
    assert "!who" not in listing
    await world.alice.send(world.channel, "?who kuril")
    assert "try `?dispute kuril` or `?about kuril`." in text(world)


async def test_slash_hints_use_the_slash_form(world: World) -> None:
    result = await world.alice.slash(world.channel, "who", name="   ")
    assert result.response is not None
    assert result.response.content == "`/who` needs a name, for example `/who name:nozdrev`."
    shown = await world.alice.slash(world.channel, "help")
    assert shown.response is not None
    listing = shown.response.embeds[0].description or ""
    assert "/who name:… : " not in listing and "/who name:…: " in listing
    assert "Example: /timeline name:japan other:russia" in listing
    assert "?who" not in listing and "!who" not in listing
    pointed = await world.alice.slash(world.channel, "who", name="kuril")
    assert pointed.response is not None
    assert "try `/dispute name:kuril` or `/about name:kuril`." in (
        pointed.response.embeds[0].description or ""
    )


@pytest.mark.parametrize("typed", ["?mute bob", "?timer 5m", "?whois bob", "?play song"])
async def test_other_bots_commands_get_no_reply(world: World, typed: str) -> None:
    before = len(world.bot_messages())
    await world.alice.send(world.channel, typed)
    assert len(world.bot_messages()) == before
    assert all(isinstance(e, commands.CommandNotFound) for e in world.env.errors)


@pytest.mark.parametrize(("typed", "meant"), [("?whoo x", "?who"), ("?dispte x", "?dispute")])
async def test_a_typo_of_ours_gets_a_pointer(world: World, typed: str, meant: str) -> None:
    await world.alice.send(world.channel, typed)
    assert f"Did you mean `{meant}`?" in world.last().content
    assert all(isinstance(e, commands.CommandNotFound) for e in world.env.errors)


async def test_a_burst_gets_one_slow_down_notice_then_reactions(world: World) -> None:
    for _ in range(8):
        await world.alice.send(world.channel, "?who nozdrev")
    notices = [m for m in world.bot_messages() if m.content.startswith("Slow down")]
    assert len(notices) == 1
    last = world.channel.history()[-1]
    assert last.author.id == world.alice.id
    assert [str(r.emoji) for r in last.reactions] == ["⏳"]
    await world.env.advance_time(10)
    await world.alice.send(world.channel, "?who nozdrev")
    assert world.last().embeds  # the cooldown lifted
    assert {type(e) for e in world.env.errors} == {commands.CommandOnCooldown}


async def test_grammar_of_the_pointers(world: World) -> None:
    await world.alice.send(world.channel, "?who patriot")
    assert text(world).startswith("Patriot air defense system is not a person or organisation")
    await world.alice.send(world.channel, "?who russia")
    assert text(world).startswith("Russia is a country, not a person or organisation")
    await world.alice.send(world.channel, "?search")
    assert world.last().content.startswith("`?search` needs words, for example")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("who", []),
        ("dispute", ["Kuril Islands", "Kuril Islands dispute", SOUTHERN_KURILS]),
        ("about", ["Kuril Islands", "Kuril Islands dispute", SOUTHERN_KURILS]),
    ],
)
async def test_autocomplete_offers_only_real_candidates(
    world: World, catalog: Catalog, command: str, expected: list[str]
) -> None:
    choices = await world.alice.autocomplete(world.channel, command, "name", "kur")
    names = sorted(choice["name"].split(" (")[0] for choice in choices)
    assert names == expected
    typo = await world.alice.autocomplete(world.channel, "who", "name", "nozdrv")
    assert [choice["value"] for choice in typo] == ["nikolai-nozdrev"]
    cyrillic = await world.alice.autocomplete(world.channel, "about", "name", "Итур")
    assert [choice["value"] for choice in cyrillic] == ["iturup"]
