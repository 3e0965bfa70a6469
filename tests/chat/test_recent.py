"""``!recent`` and ``/recent`` through the fake Discord: a paged, cited card, and bad days."""

from __future__ import annotations

from tests.chat.helpers import World, labels


async def test_recent_answers_a_cited_card_with_pages(world: World) -> None:
    await world.bob.send(world.channel, "!recent")
    card = world.last()
    assert card.embeds[0].title == "New in the last 7 days"
    assert "the most recently changed first" in (card.embeds[0].description or "")
    assert [field.name for field in card.embeds[0].fields] == ["Sources"]
    assert "▶" in labels(card)


async def test_too_many_days_get_one_private_line(world: World) -> None:
    result = await world.bob.slash(world.channel, "recent", days="100000")
    assert result.ephemeral and result.response is not None
    assert result.response.content == (
        "Days must be a whole number from 1 to 90, not “100000”; for example `/recent days:30`."
    )
    await world.bob.send(world.channel, "!recent x 100000")
    assert world.last().content.startswith("Days must be a whole number from 1 to 90")
