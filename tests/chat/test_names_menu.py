""" "Names in this message": the message context menu, run in SimCord."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot.answers.catalog import Catalog
from bot.chat.bot import DiploBot
from bot.chat.names_menu import LONG_MESSAGE, NAME, message_text, names_context_menu
from tests.answers.test_names import SEED_ARTICLE
from tests.chat.helpers import SETTINGS, Shelf, World, assert_within_limits, entity, labels


class NamesBot(DiploBot):
    """The bot with the context menu registered, whether or not setup_hook does it yet."""

    async def setup_hook(self) -> None:
        await super().setup_hook()
        if self.tree.get_command(NAME, type=discord.AppCommandType.message) is None:
            self.tree.add_command(names_context_menu())


@pytest.fixture
def simcord_bot(shelf: Shelf) -> DiploBot:
    return NamesBot(shelf, SETTINGS)


@pytest.fixture
def deferrals(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records each interaction deferred (SimCord reports only the final state)."""
    seen: list[bool] = []
    defer = discord.InteractionResponse.defer

    async def spy(self: Any, **kwargs: Any) -> Any:
        seen.append(bool(kwargs.get("ephemeral")))
        return await defer(self, **kwargs)

    monkeypatch.setattr(discord.InteractionResponse, "defer", spy)
    return seen


def select_options(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The options of the first select menu in a message's raw components."""
    for row in components:
        for child in row.get("components", []):
            if child.get("type") == 3:
                options: list[dict[str, Any]] = child["options"]
                return options
    return []


def described(result: Any) -> str:
    assert result.response is not None
    return "\n".join(embed.description or "" for embed in result.response.embeds)


async def test_the_menu_on_the_seed_article_lists_its_names_privately(
    world: World, deferrals: list[bool]
) -> None:
    world.bot.library.catalog.mentions  # noqa: B018  (built: only the length defers)
    quoted = await world.bob.send(world.channel, SEED_ARTICLE)
    assert len(SEED_ARTICLE) > LONG_MESSAGE
    result = await world.alice.context_menu(world.channel, NAME, quoted)
    assert result.ephemeral and deferrals == [True]  # a long message is deferred first
    response = result.response
    assert response is not None and response.ephemeral
    embed = response.embeds[0]
    assert embed.title == NAME
    assert_within_limits(embed)
    values = [option["value"] for option in select_options(response.components)]
    for key in ("nikolai-nozdrev", "japan", "russia", "ukraine", "kuril-islands"):
        assert key in values
    assert values[:3] == ["japan", "russia", "ukraine"]
    description = embed.description or ""
    assert "names the store knows, most mentioned first" in description
    assert "• Japan (country) — Island country in East Asia" in description
    assert embed.footer.text == "Page 1/3"  # 17 names, 8 to a page
    assert labels(response.message) == ["◀", "▶"]
    [first] = [o for o in select_options(response.components) if o["value"] == "japan"]
    assert first["label"] == "Japan" and first["description"].startswith("country — Island")
    # Nothing was posted in the channel: only the person who asked sees the answer.
    assert world.bot_messages() == []


async def test_choosing_a_name_opens_its_full_card_privately(world: World) -> None:
    quoted = await world.bob.send(world.channel, "Nozdrev said the Kuril Islands are Russian.")
    result = await world.alice.context_menu(world.channel, NAME, quoted)
    assert result.response is not None
    assert [o["label"] for o in select_options(result.response.components)] == [
        "Nikolai Nozdrev",
        "Kuril Islands",
    ]
    opened = await world.alice.select(result.response, ["kuril-islands"])
    assert opened.ephemeral and opened.response is not None
    card = opened.response.embeds[0]
    assert card.title == "Kuril Islands"
    assert (card.description or "").startswith(
        "Archipelago at the centre of a territorial dispute between Russia and Japan."
    )
    # The list stays, so another name can be opened from it.
    again = await world.alice.select(result.response, ["nikolai-nozdrev"])
    assert again.response is not None and again.response.embeds[0].title == "Nikolai Nozdrev"
    assert world.bot_messages() == []


async def test_a_dispute_opens_as_its_dispute_card(world: World) -> None:
    quoted = await world.bob.send(world.channel, "The Kuril Islands dispute again.")
    result = await world.alice.context_menu(world.channel, NAME, quoted)
    assert result.response is not None
    opened = await world.alice.select(result.response, ["kuril-islands-dispute"])
    assert opened.response is not None
    card = opened.response.embeds[0]
    assert card.title == "Kuril Islands dispute"
    assert any(field.name == "Parties" for field in card.fields)


async def test_pages_turn_with_the_menu_in_place(world: World) -> None:
    quoted = await world.bob.send(world.channel, SEED_ARTICLE)
    result = await world.alice.context_menu(world.channel, NAME, quoted)
    assert result.response is not None
    turned = await world.alice.click(result.response, label="▶")
    assert turned.response is not None
    assert turned.response.embeds[0].footer.text == "Page 2/3"
    assert select_options(turned.response.components)


async def test_any_script_and_a_short_message_answers_at_once(
    world: World, deferrals: list[bool]
) -> None:
    world.bot.library.catalog.mentions  # noqa: B018  (built: no reason to defer)
    quoted = await world.bob.send(world.channel, "Ноздрёв: ロシアと日本、択捉島。")
    result = await world.alice.context_menu(world.channel, NAME, quoted)
    assert result.ephemeral and deferrals == []
    values = [o["value"] for o in select_options(result.response.components)]  # type: ignore[union-attr]
    assert values == ["nikolai-nozdrev", "russia", "japan", "iturup"]


async def test_the_first_use_on_a_new_catalog_is_deferred(
    world: World, deferrals: list[bool]
) -> None:
    catalog = Catalog([entity("iran", "country", "Iran", "A country.")], [], [])
    world.bot.library.catalog = catalog
    quoted = await world.bob.send(world.channel, "Tirana is not Iran.")
    result = await world.alice.context_menu(world.channel, NAME, quoted)
    assert deferrals == [True] and catalog.mentions_ready and result.ephemeral
    assert "• Iran (country) — A country." in described(result)


async def test_a_message_naming_nothing_known_says_so(world: World) -> None:
    quoted = await world.bob.send(world.channel, "Putin met Xi in Beijing; they told us.")
    result = await world.alice.context_menu(world.channel, NAME, quoted)
    assert result.ephemeral
    assert described(result) == "The message names nothing the store knows."
    assert result.response is not None and result.response.components == []


@pytest.mark.parametrize("text", ["🙂 👍", "🙂 " * 600])
async def test_a_message_without_text_is_answered_privately(world: World, text: str) -> None:
    world.bot.library.catalog.mentions  # noqa: B018  (the long one is deferred for its length)
    quoted = await world.bob.send(world.channel, text)
    result = await world.alice.context_menu(world.channel, NAME, quoted)
    assert result.ephemeral and result.response is not None
    assert result.response.content == "That text has no letters or digits to find names in."
    assert result.response.embeds == []


async def test_the_bots_own_cards_can_be_read_too(world: World) -> None:
    await world.alice.send(world.channel, "!who nozdrev")
    card = world.last()
    result = await world.alice.context_menu(world.channel, NAME, card)
    values = [o["value"] for o in select_options(result.response.components)]  # type: ignore[union-attr]
    assert {"nikolai-nozdrev", "japan", "patriot", "ukraine"} <= set(values)


def test_message_text_reads_content_and_embeds_within_the_limit() -> None:
    embed = discord.Embed(title="Japan", description="Russia\x07warns")
    embed.add_field(name="Parties", value="Ukraine")
    fake: Any = type("M", (), {"content": "x" * 10 + "\u202e", "embeds": [embed]})()
    assert message_text(fake) == "xxxxxxxxxx \nJapan\nRussia warns\nParties\nUkraine"
    fake.content = "Japan " * 1000
    assert len(message_text(fake)) == 4000
    assert LONG_MESSAGE < 4000
