"""Answer cards on Discord a reader can trust at a glance: every footnote named, in order,
facts about everyone searched for first, and candidates with one name told apart."""

from __future__ import annotations

from bot.answers.catalog import Catalog
from tests.answers.test_two_people import COACH, made_catalog
from tests.chat.helpers import World, labels


def fields(world: World) -> dict[str, str]:
    return {field.name or "": field.value or "" for field in world.last().embeds[0].fields}


def text(world: World) -> str:
    return world.last().embeds[0].description or ""


async def test_a_source_card_names_every_source_its_footnotes_number(world: World) -> None:
    world.bot.library.catalog = made_catalog()
    await world.alice.send(world.channel, "!source sullivan and wang meet in vienna")
    assert world.last().embeds[0].title == "Sullivan and Wang meet in Vienna"
    assert "The two met for eight hours of talks. [1][2]" in text(world)
    sources = fields(world)["Sources"]
    assert sources.splitlines() == [
        "[1] Sullivan and Wang meet in Vienna — TASS, 2024-05-11",
        "[2] [US and China hold talks](https://example.org/r) — Reuters",
    ]


async def test_footnotes_appear_in_ascending_order(world: World) -> None:
    world.bot.library.catalog = made_catalog()
    result = await world.alice.slash(world.channel, "about", name="jake sullivan")
    assert result.response is not None
    description = result.response.embeds[0].description or ""
    assert "eight hours of talks. [1][2]" in description and "[2][1]" not in description


async def test_search_puts_facts_about_everyone_named_first(world: World) -> None:
    world.bot.library.catalog = made_catalog()
    await world.alice.send(world.channel, "!search sullivan wang")
    lines = [line for line in text(world).splitlines() if line.startswith("**")]
    assert lines[0].startswith("**2024-05** — The two met for eight hours of talks.")
    assert len(lines) == 3


async def test_candidates_with_one_name_show_their_keys(world: World) -> None:
    catalog: Catalog = made_catalog(COACH)
    world.bot.library.catalog = catalog
    await world.alice.send(world.channel, "!who jake sullivan")
    listed = [line for line in text(world).splitlines() if line[:1].isdigit()]
    assert listed == [
        "1. **Jake Sullivan** · person · `jake-sullivan`",
        "2. **Jake Sullivan** · person · `jake-sullivan-coach`",
    ]
    assert labels(world.last()) == [
        "Jake Sullivan · jake-sullivan",
        "Jake Sullivan · jake-sullivan-coach",
    ]
    await world.alice.click(world.last(), label="Jake Sullivan · jake-sullivan-coach")
    assert text(world).startswith("A basketball coach.")
