"""Buttons under answers: "did you mean" choices and page turning."""

from __future__ import annotations

import simcord

from bot.answers.catalog import Catalog
from bot.chat.bot import DiploBot
from tests.chat.helpers import SETTINGS, Shelf, World, enabled, entity, labels


async def test_an_ambiguous_answer_offers_its_candidates_as_buttons(world: World) -> None:
    await world.alice.send(world.channel, "!about kuril")
    message = world.last()
    assert labels(message) == [
        "Kuril Islands",
        "Kuril Islands dispute",
        "Southern Kurils / Northern Territories",
    ]
    description = message.embeds[0].description or ""
    assert description.startswith("“kuril” could mean several")
    assert "1. **Kuril Islands** · place" in description


async def test_pressing_a_candidate_shows_its_card(world: World) -> None:
    await world.alice.send(world.channel, "!about kuril")
    await world.alice.click(world.last(), label="Kuril Islands dispute")
    card = world.last()
    assert card.embeds[0].title == "Kuril Islands dispute"
    assert labels(card) == []
    assert len(world.bot_messages()) == 1


async def test_candidates_with_one_name_are_told_apart_and_open_their_own_card(
    world: World,
) -> None:
    world.bot.library.catalog = Catalog(
        [
            entity("georgia-country", "country", "Georgia", "The country."),
            entity("georgia-state", "place", "Georgia", "The US state."),
        ],
        [],
        [],
    )
    await world.alice.send(world.channel, "!about georgia")
    assert sorted(labels(world.last())) == ["Georgia · country", "Georgia · place"]
    await world.alice.click(world.last(), label="Georgia · place")
    assert world.last().embeds[0].description == "The US state."


async def test_a_candidate_the_command_cannot_show_opens_with_about(world: World) -> None:
    await world.alice.send(world.channel, "!who kuril islands dispute")
    message = world.last()
    assert "is a dispute, not a person" in (message.embeds[0].description or "")
    await world.alice.click(message, label="Kuril Islands dispute")
    assert world.last().embeds[0].title == "Kuril Islands dispute"


async def test_candidates_work_on_the_slash_path_too(world: World) -> None:
    result = await world.alice.slash(world.channel, "about", name="kuril")
    assert result.response is not None
    await world.alice.click(result.response, label="Kuril Islands")
    assert world.last().embeds[0].title == "Kuril Islands"


async def test_long_answers_turn_pages_both_ways(world: World) -> None:
    await world.alice.send(world.channel, "!timeline japan")
    message = world.last()
    assert message.embeds[0].footer.text == "Page 1/2"
    assert labels(message) == ["◀", "▶"]
    assert not enabled(message, "◀") and enabled(message, "▶")
    first = message.embeds[0].description

    await world.alice.click(message, label="▶")
    message = world.last()
    assert message.embeds[0].footer.text == "Page 2/2"
    assert message.embeds[0].description != first
    assert enabled(message, "◀") and not enabled(message, "▶")

    await world.alice.click(message, label="◀")
    message = world.last()
    assert message.embeds[0].footer.text == "Page 1/2"
    assert message.embeds[0].description == first


async def test_only_the_asker_can_press_the_buttons(world: World) -> None:
    await world.alice.send(world.channel, "!timeline japan")
    message = world.last()
    refused = await world.bob.click(message, label="▶")
    assert refused.response is not None and refused.ephemeral
    assert refused.response.content == "Only alice can use these buttons."
    assert world.last().embeds[0].footer.text == "Page 1/2"

    await world.alice.send(world.channel, "!about kuril")
    refused = await world.bob.click(world.last(), label="Kuril Islands")
    assert refused.ephemeral
    assert world.last().embeds[0].title is None


async def test_buttons_are_disabled_after_the_timeout(world: World) -> None:
    await world.alice.send(world.channel, "!timeline japan")
    await world.env.advance_time(179)
    assert enabled(world.last(), "▶")
    await world.env.advance_time(1)
    message = world.last()
    assert labels(message) == ["◀", "▶"]
    assert not enabled(message, "◀") and not enabled(message, "▶")


async def test_slash_answers_paginate_and_time_out_too(world: World) -> None:
    result = await world.alice.slash(world.channel, "timeline", name="japan")
    assert result.response is not None
    await world.alice.click(result.response, label="▶")
    assert world.last().embeds[0].footer.text == "Page 2/2"
    await world.env.advance_time(180)
    assert not enabled(world.last(), "◀")


async def test_the_timeout_is_configurable(shelf: Shelf) -> None:

    async with simcord.run(DiploBot(shelf, SETTINGS, view_timeout=30)) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        await alice.send(channel, "!timeline japan")
        await env.advance_time(30)
        assert channel.last_message is not None
        assert not enabled(channel.last_message, "▶")


def many_disputes() -> Catalog:
    """Russia as a party to 12 disputes, so `!dispute russia` lists them all."""
    russia = entity("russia", "country", "Russia")
    others = [entity(f"c{n}", "country", f"Country {n}") for n in range(12)]
    disputes = [
        entity(f"d{n}", "dispute", f"Dispute number {n}", parties=("russia", f"c{n}"))
        for n in range(12)
    ]
    return Catalog([russia, *others, *disputes], [], [])


async def test_a_long_dispute_list_paginates_and_opens_a_dispute(world: World) -> None:
    world.bot.library.catalog = many_disputes()
    await world.alice.send(world.channel, "!dispute russia")
    message = world.last()
    assert message.embeds[0].title == "Disputes involving Russia"
    assert message.embeds[0].footer.text == "Page 1/2"
    assert labels(message) == [*(f"Dispute number {n}" for n in range(5)), "◀", "▶"]
    await world.alice.click(message, label="▶")
    assert "12. **Dispute number 11**" in (world.last().embeds[0].description or "")
    await world.alice.click(world.last(), label="Dispute number 3")
    card = world.last()
    assert card.embeds[0].title == "Dispute number 3"
    assert {f.name: f.value for f in card.embeds[0].fields}["Parties"] == "Russia, Country 3"
