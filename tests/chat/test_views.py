"""Buttons under answers: "did you mean" choices and page turning."""

from __future__ import annotations

import simcord

from bot.answers.catalog import Catalog
from bot.chat.bot import DiploBot
from tests.chat.helpers import SETTINGS, Shelf, World, buttons, enabled, entity, labels


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
    assert labels(card) == ["Suggest a correction"]
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
    assert labels(message) == ["◀", "▶", "Suggest a correction"]
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
    assert labels(message) == ["◀", "▶", "Suggest a correction"]
    assert not enabled(message, "◀") and not enabled(message, "▶")
    assert enabled(message, "Suggest a correction")  # anyone may suggest, at any time


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


# Buttons that survive a restart: the bot is rebuilt over the same catalog, with
# nothing of the first bot's memory, and the old message's buttons are pressed.


async def restart(world: World, shelf: Shelf) -> None:
    """Replace the running bot with a new DiploBot over the same catalog, as after a restart."""
    world.bot = DiploBot(shelf, SETTINGS)
    await world.env.restart_bot(world.bot)


async def test_a_choice_pressed_after_a_restart_opens_its_card(world: World, shelf: Shelf) -> None:
    await world.alice.send(world.channel, "!about kuril")
    await restart(world, shelf)
    pressed = await world.alice.click(world.last(), label="Kuril Islands dispute")
    assert not pressed.ephemeral
    assert world.last().embeds[0].title == "Kuril Islands dispute"
    assert len(world.bot_messages()) == 1


async def test_a_page_turned_after_a_restart_shows_the_next_page(
    world: World, shelf: Shelf
) -> None:
    await world.alice.send(world.channel, "!who japan")
    await world.alice.click(world.last(), label="Japan")  # the card's key is known from here
    first = world.last().embeds[0]
    assert first.title == "Japan" and first.footer.text == "country · Page 1/2"
    await restart(world, shelf)

    await world.alice.click(world.last(), label="▶")
    message = world.last()
    assert message.embeds[0].footer.text == "country · Page 2/2"
    assert enabled(message, "◀") and not enabled(message, "▶")
    await world.alice.click(message, label="◀")
    assert world.last().embeds[0].description == first.description
    # The new bot's view took over the message: its timeout disables the buttons.
    await world.env.advance_time(180)
    assert not enabled(world.last(), "▶")


async def test_a_page_of_a_direct_answer_turns_after_a_restart(world: World, shelf: Shelf) -> None:
    await world.alice.send(world.channel, "!timeline japan")
    await restart(world, shelf)
    await world.alice.click(world.last(), label="▶")
    assert world.last().embeds[0].footer.text == "Page 2/2"


async def test_after_a_restart_only_the_asker_can_press_the_buttons(
    world: World, shelf: Shelf
) -> None:
    await world.alice.send(world.channel, "!about kuril")
    await restart(world, shelf)
    refused = await world.bob.click(world.last(), label="Kuril Islands")
    assert refused.response is not None and refused.ephemeral
    # Without the members intent the new bot does not know alice's name: a mention shows it.
    assert refused.response.content == f"Only <@{world.alice.id}> can use these buttons."
    assert world.last().embeds[0].title is None
    await world.alice.click(world.last(), label="Kuril Islands")
    assert world.last().embeds[0].title == "Kuril Islands"


async def test_an_answer_that_cannot_be_drawn_again_says_so_privately(
    world: World, shelf: Shelf
) -> None:
    await world.alice.send(world.channel, "!search japan")
    await world.alice.click(world.last(), label="▶")  # before the restart, from memory
    assert world.last().embeds[0].footer.text == "Page 2/2"
    await restart(world, shelf)

    told = await world.alice.click(world.last(), label="◀")
    assert told.response is not None and told.ephemeral
    assert told.response.content == (
        "This answer can no longer be paged; ask again with `!search`."
    )
    assert world.last().embeds[0].footer.text == "Page 2/2"


async def test_a_page_whose_entity_changed_after_a_restart_says_so_privately(
    world: World, shelf: Shelf
) -> None:
    await world.alice.send(world.channel, "!who japan")
    await world.alice.click(world.last(), label="Japan")
    shelf.catalog = Catalog([entity("japan", "country", "Nippon")], [], [])
    await restart(world, shelf)
    told = await world.alice.click(world.last(), label="▶")
    assert told.ephemeral
    assert world.last().embeds[0].footer.text == "country · Page 1/2"


def long_keys() -> Catalog:
    """Two entities named alike whose keys are too long to fit in a button's custom id."""
    return Catalog(
        [
            entity("a" * 90, "country", "Georgia", "The country."),
            entity("b" * 90, "place", "Georgia", "The US state."),
        ],
        [],
        [],
    )


async def test_a_key_too_long_for_the_custom_id_works_until_a_restart(
    world: World, shelf: Shelf
) -> None:
    shelf.catalog = long_keys()
    await world.alice.send(world.channel, "!about georgia")
    ids = [button.custom_id or "" for button in buttons(world.last())]
    assert ids and all(len(custom_id) <= 100 for custom_id in ids)
    await restart(world, shelf)
    told = await world.alice.click(world.last(), label="Georgia · place")
    assert told.ephemeral
    assert told.response is not None
    assert told.response.content == "These buttons no longer work; ask again with `!about`."

    await world.alice.send(world.channel, "!about georgia")
    await world.alice.click(world.last(), label="Georgia · place")
    assert world.last().embeds[0].description == "The US state."


async def test_the_custom_ids_carry_the_asker_command_page_and_key(world: World) -> None:
    await world.alice.send(world.channel, "!about kuril")
    ids = [button.custom_id for button in buttons(world.last())]
    assert ids[1] == f"dbc:{world.alice.id}:1e:about:kuril-islands-dispute"
    await world.alice.click(world.last(), label="Kuril Islands dispute")

    await world.alice.send(world.channel, "!who japan")
    await world.alice.click(world.last(), label="Japan")
    ids = [button.custom_id for button in buttons(world.last())]
    assert ids == [
        f"dbp:{world.alice.id}:0<:about:japan",
        f"dbp:{world.alice.id}:1>:about:japan",
        "dbs:0k:about:japan",
    ]
