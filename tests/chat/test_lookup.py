"""The lookup commands generated from the registry, by prefix and by slash."""

from __future__ import annotations

import time

import pytest
import simcord
from discord import app_commands

from bot.answers.catalog import Catalog
from bot.answers.commands import COMMANDS, Command
from bot.chat import limits
from bot.chat.bot import DiploBot
from bot.core.answer import Answer, Status
from bot.core.answer import SourceRef as Source
from bot.core.arguments import Param
from tests.chat.helpers import SETTINGS, Shelf, World, entity

SAME_BOTH_WAYS = [
    ("!who nozdrev", "who", {"name": "nozdrev"}),
    ("!dispute kuril", "dispute", {"name": "kuril"}),
    ("!about iturup", "about", {"name": "iturup"}),
    ("!search patriot missiles", "search", {"words": "patriot missiles"}),
    ("!timeline japan russia", "timeline", {"name": "japan", "other": "russia"}),
    ("!timeline japan", "timeline", {"name": "japan"}),
    ("!source russia warns japan", "source", {"name": "russia warns japan"}),
    ("!names Nozdrev warned Japan", "names", {"text": "Nozdrev warned Japan"}),
    ("!recent japan 30", "recent", {"name": "japan", "days": "30"}),
]
"""Every command but help, whose lines show each path's own syntax (tested below)."""


def test_every_registry_command_is_covered_here() -> None:
    assert {name for _, name, _ in SAME_BOTH_WAYS} | {"help"} == set(COMMANDS)


@pytest.mark.parametrize(("typed", "name", "options"), SAME_BOTH_WAYS)
async def test_prefix_and_slash_give_the_same_answer(
    world: World, typed: str, name: str, options: dict[str, str]
) -> None:
    await world.alice.send(world.channel, typed)
    by_prefix = world.last()
    result = await world.alice.slash(world.channel, name, **options)
    assert result.response is not None and not result.ephemeral
    assert by_prefix.embeds, by_prefix.content
    assert [e.to_dict() for e in result.response.embeds] == [e.to_dict() for e in by_prefix.embeds]
    assert by_prefix.embeds[0].title


async def test_the_prefix_form_takes_the_rest_of_the_message(world: World) -> None:
    await world.alice.send(world.channel, "!who nikolai nozdrev")
    assert world.last().embeds[0].title == "Nikolai Nozdrev"
    await world.alice.send(world.channel, "!WHO Nozdrev")
    assert world.last().embeds[0].title == "Nikolai Nozdrev"


async def test_slash_commands_carry_the_registry_names_and_descriptions(world: World) -> None:
    for spec in COMMANDS.values():
        slash = world.bot.tree.get_command(spec.name)
        assert isinstance(slash, app_commands.Command), spec.name
        assert slash.description == spec.summary[:100]
        assert [(p.display_name, p.description, p.required) for p in slash.parameters] == [
            (p.name, p.description, p.required) for p in spec.params
        ]
        prefix = world.bot.get_command(spec.name)
        assert prefix is not None and spec.summary in (prefix.help or "")


async def test_a_command_added_to_the_registry_appears_on_discord(
    shelf: Shelf, monkeypatch: pytest.MonkeyPatch
) -> None:
    def echo(catalog: Catalog, text: str) -> Answer:
        return Answer("echo", text, Status.FOUND, title=f"Echo: {text}")

    monkeypatch.setitem(
        COMMANDS,
        "echo",
        Command("echo", "Says it back.", "!echo hi", (Param("text", "Words"),), echo),
    )
    bot = DiploBot(shelf, SETTINGS)
    async with simcord.run(bot) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        await bot.tree.sync()
        await alice.send(channel, "!echo hello there")
        assert channel.last_message is not None
        assert channel.last_message.embeds[0].title == "Echo: hello there"
        result = await alice.slash(channel, "echo", text="hi")
        assert result.response is not None and result.response.embeds[0].title == "Echo: hi"


async def test_a_registry_command_with_two_required_names_works_by_prefix_and_slash(
    shelf: Shelf, monkeypatch: pytest.MonkeyPatch
) -> None:
    def relations(catalog: Catalog, first: str, second: str) -> Answer:
        return Answer("relations", first, Status.FOUND, title=f"{first} | {second}")

    monkeypatch.setitem(
        COMMANDS,
        "relations",
        Command(
            "relations",
            "Relations between two entities.",
            "!relations japan russia",
            (Param("first", "One side"), Param("second", "The other side")),
            relations,
        ),
    )
    bot = DiploBot(shelf, SETTINGS)
    async with simcord.run(bot) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        await bot.tree.sync()
        for typed, title in [
            ("!relations japan russia", "japan | russia"),
            ("!relations south korea japan", "south korea | japan"),
            ('!relations "south korea" north korea', "south korea | north korea"),
            ("!relations second:japan first:russia", "russia | japan"),
        ]:
            await alice.send(channel, typed)
            assert channel.last_message is not None
            assert channel.last_message.embeds[0].title == title, typed
        await alice.send(channel, "!relations japan")
        assert channel.last_message is not None
        assert channel.last_message.content.startswith("`!relations` needs a second")
        await env.advance_time(10)  # past the cooldown of 5 lookups
        result = await alice.slash(channel, "relations", first="japan", second="russia")
        assert result.response is not None
        assert result.response.embeds[0].title == "japan | russia"


async def test_autocomplete_offers_matching_names_best_first(world: World) -> None:
    choices = await world.alice.autocomplete(world.channel, "who", "name", "nozdr")
    assert choices[0] == {"name": "Nikolai Nozdrev", "value": "nikolai-nozdrev"}
    choices = await world.alice.autocomplete(world.channel, "about", "name", "Ноздрёв")
    assert choices[0] == {"name": "Nikolai Nozdrev (Ноздрёв)", "value": "nikolai-nozdrev"}


async def test_autocomplete_respects_the_kinds_a_command_takes(world: World) -> None:
    people = await world.alice.autocomplete(world.channel, "who", "name", "")
    names = {choice["name"] for choice in people}
    assert "Nikolai Nozdrev" in names and "Russia" not in names
    countries = await world.alice.autocomplete(world.channel, "about", "name", "russ")
    assert countries[0] == {"name": "Russia", "value": "russia"}


async def test_autocomplete_on_every_name_argument(world: World) -> None:
    other = await world.alice.autocomplete(world.channel, "timeline", "other", "jap", name="russia")
    assert other[0]["value"] == "japan"
    sources = await world.alice.autocomplete(world.channel, "source", "name", "missile")
    assert sources[0]["name"].startswith("Russia warns Japan")
    assert sources[0]["value"] == "russia-warns-japan-patriots-2024-03-24"


async def test_a_chosen_value_opens_that_entity_even_when_names_are_shared(world: World) -> None:
    world.bot.library.catalog = Catalog(
        [
            entity("georgia-country", "country", "Georgia"),
            entity("georgia-state", "place", "Georgia"),
        ],
        [],
        [],
    )
    choices = await world.alice.autocomplete(world.channel, "about", "name", "georg")
    assert sorted(choice["name"] for choice in choices) == ["Georgia · country", "Georgia · place"]
    for choice in choices:
        result = await world.alice.slash(world.channel, "about", name=choice["value"])
        assert result.response is not None
        assert result.response.embeds[0].footer.text == choice["name"].split(" · ")[1]


async def test_free_text_arguments_have_no_autocomplete(world: World) -> None:
    with pytest.raises(simcord.SetupError, match="does not enable autocomplete"):
        await world.alice.autocomplete(world.channel, "search", "words", "pat")


def crowded_catalog() -> Catalog:
    """60 people, some with 500-character names; "Person 7" is an exact match."""
    people = [
        entity(f"p{n}", "person", f"Person {n}" + (" long name" * 50 if n % 2 else ""))
        for n in range(60)
    ]
    return Catalog(people, [], [])


async def test_autocomplete_stays_within_discords_limits(world: World) -> None:
    world.bot.library.catalog = crowded_catalog()
    started = time.perf_counter()
    choices = await world.alice.autocomplete(world.channel, "who", "name", "person")
    assert time.perf_counter() - started < 1.0
    assert 0 < len(choices) <= 25
    for choice in choices:
        assert 0 < len(choice["name"]) <= 100 and 0 < len(choice["value"]) <= 100
    long_ones = await world.alice.autocomplete(world.channel, "who", "name", "long name")
    assert long_ones and all(choice["name"].endswith("…") for choice in long_ones)
    picked = await world.alice.slash(world.channel, "who", name=long_ones[0]["value"])
    assert picked.response is not None
    assert picked.response.embeds[0].title is not None
    assert picked.response.embeds[0].title.startswith("Person ")  # the one chosen, found
    exact = await world.alice.autocomplete(world.channel, "who", "name", "person 8")
    assert exact[0] == {"name": "Person 8", "value": "p8"}


async def test_a_source_with_a_long_title_is_offered_by_a_value_that_finds_it(
    world: World,
) -> None:
    title = "Russia and Japan " + "exchange notes " * 20
    world.bot.library.catalog = Catalog([], [Source("long-headline-2024", title)], [])
    choices = await world.alice.autocomplete(world.channel, "source", "name", "exchange notes")
    assert choices == [{"name": limits.clip(title, 100), "value": "long-headline-2024"}]
    result = await world.alice.slash(world.channel, "source", name=choices[0]["value"])
    assert result.response is not None
    assert result.response.embeds[0].title == limits.clip(title, 256)


async def test_autocomplete_with_nothing_typed_lists_the_first_25_by_name(world: World) -> None:
    world.bot.library.catalog = crowded_catalog()
    choices = await world.alice.autocomplete(world.channel, "about", "name", "")
    expected = sorted((f"Person {n}" for n in range(60)), key=str.casefold)
    assert len(choices) == 25
    assert [c["name"].split(" long")[0] for c in choices] == expected[:25]
