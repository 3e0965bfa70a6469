"""The client itself: no pings whatever the text, intents, and the mention prefix."""

from __future__ import annotations

import re

import discord

from bot.answers.catalog import Catalog
from bot.chat.bot import DiploBot, default_intents
from bot.core.answer import SourceRef
from tests.chat.helpers import SETTINGS, Shelf, World, entity, fact, labels

CREATES = re.compile(r"^(/channels/\d+/messages|/interactions/\d+/[^/]+/callback|/webhooks/.+)$")


def hostile_catalog(member: int, role: int) -> Catalog:
    """Entries whose stored text tries to ping everyone, a member and a role."""
    pings = f"@everyone @here <@{member}> <@!{member}> <@&{role}>"
    source = SourceRef("s", f"Leak {pings}", f"Outlet {pings}", "https://example.org/x")
    everyone = entity("leak-one", "person", f"Everyone {pings}", f"Summary {pings}")
    other = entity("leak-two", "person", f"Everyone else {pings}", pings)
    return Catalog(
        [everyone, other], [source], [fact("f", f"Said {pings}", [everyone, other], [source])]
    )


async def test_nothing_the_bot_sends_pings_anyone(world: World) -> None:
    role = world.guild.create_role("Mods", mentionable=True)
    world.bot.library.catalog = hostile_catalog(world.bob.id, role.id)
    me = world.bot.get_guild(world.guild.id).me  # type: ignore[union-attr]
    assert me.guild_permissions.mention_everyone

    await world.alice.send(world.channel, "!who @everyone")
    await world.alice.send(world.channel, "!about everyone")
    await world.alice.click(world.last(), label=labels(world.last())[0])
    # Echoed back in a usage error (an unknown command is answered only when one typo
    # from ours, so it no longer echoes "!whoo@everyone").
    await world.alice.send(
        world.channel, f"!curate export @everyone <@{world.bob.id}> <@&{role.id}>"
    )
    await world.alice.slash(world.channel, "about", name=f"@everyone <@{world.bob.id}>")
    await world.alice.slash(world.channel, "source", name="leak")

    sent = world.bot_messages()
    assert any("@everyone" in m.content for m in sent)
    assert any("@everyone" in (m.embeds[0].description or "") for m in sent if m.embeds)
    assert not any(m.mention_everyone for m in sent)
    creates = [
        r.json
        for r in world.env.http_requests
        if r.method == "POST" and CREATES.match(r.path) and r.json is not None
    ]
    assert len(creates) >= 5
    for body in creates:
        data = body.get("data", body)
        assert data["allowed_mentions"] == {"parse": []}, body
    configured = world.bot.allowed_mentions
    assert configured is not None
    assert not (configured.everyone or configured.users or configured.roles)
    assert not configured.replied_user


async def test_a_mention_works_as_the_prefix(world: World) -> None:
    await world.alice.send(world.channel, f"<@{world.bot.user.id}> who nozdrev")  # type: ignore[union-attr]
    assert world.last().embeds[0].title == "Nikolai Nozdrev"


def test_the_bot_asks_for_message_content_unless_told_not_to(shelf: Shelf) -> None:
    assert DiploBot(shelf, SETTINGS).intents.message_content
    assert not default_intents(message_content=False).message_content
    assert default_intents().guilds and default_intents().guild_messages
    lean = DiploBot(shelf, SETTINGS, intents=default_intents(message_content=False))
    assert not lean.intents.message_content
    assert isinstance(lean.allowed_mentions, discord.AllowedMentions)


async def test_a_query_is_never_posted_as_markup(world: World) -> None:
    await world.alice.send(world.channel, "!who [Free Nitro](https://evil.example/login)")
    description = world.last().embeds[0].description or ""
    assert "“\\[Free Nitro](https://evil.example/login)”" in description  # [ escaped: no link
