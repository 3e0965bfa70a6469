"""A curator's history and receipts on Discord: the listing pages back to older revisions,
its select offers the revisions of the page shown, hints are written as the curator
typed, and a refusal is logged with the command refused."""

from __future__ import annotations

import logging

import discord
import pytest
import simcord

from tests.chat.curate.conftest import Desk
from tests.chat.helpers import assert_within_limits, enabled, labels


def select_values(message: discord.Message) -> list[str]:
    """The values its (one) select offers."""
    return [
        option.value
        for row in message.components
        if isinstance(row, discord.ActionRow)
        for child in row.children
        if isinstance(child, discord.SelectMenu)
        for option in child.options
    ]


def numbers(message: discord.Message) -> list[int]:
    """The revisions a listing's page shows, in order."""
    text = (message.embeds[0].description or "").replace("\\#", "#")
    return [int(line[3:].split(" · ")[0]) for line in text.splitlines() if line.startswith("• #")]


def description(result: simcord.InteractionResult) -> str:
    assert result.response is not None
    return result.response.embeds[0].description or ""


async def test_history_shows_the_newest_twenty_in_pages_and_lists_older_ones(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate history")
    listing = desk.last()
    text = listing.embeds[0].description or ""
    assert text.startswith(
        "20 revisions, newest first (#34–#15). `!curate revision N` shows one; "
        "`!curate history before:15` lists older ones."
    )
    first_page = numbers(listing)
    assert first_page == list(range(34, 26, -1))
    # The select offers the revisions of the page shown, and follows its pages.
    assert select_values(listing) == [str(n) for n in first_page]
    await desk.owner.click(listing, label="▶")
    assert numbers(desk.last()) == list(range(26, 18, -1))
    assert select_values(desk.last()) == [str(n) for n in range(26, 18, -1)]

    await desk.owner.click(desk.last(), label="Older revisions")
    older = desk.last()
    assert older.id == listing.id  # listed in its place
    assert (older.embeds[0].description or "").startswith(
        "14 revisions, newest first (#14–#1). `!curate revision N` shows one."
    )
    assert numbers(older)[0] == 14
    assert "Older revisions" not in labels(older)
    shown = await desk.owner.select(older, ["14"])
    assert shown.response is not None
    assert shown.response.embeds[0].title is not None
    assert shown.response.embeds[0].title.startswith("Revision 14: ")


async def test_more_revisions_than_a_select_holds_all_stay_pickable(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate history limit:34")  # a select holds 25
    listing = desk.last()
    assert "34 revisions, newest first (#34–#1)." in (listing.embeds[0].description or "")
    picked = set(select_values(listing))
    while enabled(desk.last(), "▶"):
        await desk.owner.click(desk.last(), label="▶")
        assert_within_limits(desk.last().embeds[0])
        assert len(select_values(desk.last())) <= 25
        picked |= set(select_values(desk.last()))
    assert picked == {str(n) for n in range(1, 35)}


async def test_history_pages_by_slash_with_limit_and_before(desk: Desk) -> None:
    result = await desk.owner.slash(desk.channel, "curate history", limit=3, before=10)
    assert result.ephemeral
    text = description(result)
    assert text.startswith(
        "3 revisions, newest first (#9–#7). `/curate revision number:N` shows one; "
        "`/curate history limit:3 before:7` lists older ones."
    )
    own = await desk.owner.slash(desk.channel, "curate history", record="japan", before=4)
    assert "No revision before #4 touched 'japan'." in description(own)


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        ("!curate history limit:500", "`limit:` takes a number from 1 to 100, not 500."),
        ("!curate history before:soon", "`before:` takes a number, such as 12, not `soon`."),
    ],
)
async def test_bad_paging_values_get_one_clear_line(desk: Desk, typed: str, told: str) -> None:
    before = desk.snapshot()
    await desk.owner.send(desk.channel, typed)
    assert (desk.last().embeds[0].description or "") == told
    assert desk.snapshot() == before


async def test_hints_follow_how_the_curator_asked(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate alias add japan Yamato")
    assert "Revision #35; `!curate undo 35` reverts it." in (
        desk.last().embeds[0].description or ""
    )
    by_slash = await desk.owner.slash(desk.channel, "curate alias add", entity="japan", text="Wa")
    assert "Revision #36; `/curate undo number:36` reverts it." in description(by_slash)
    seed = await desk.owner.slash(desk.channel, "curate revision", number=2)
    assert "`/curate undo number:2` reverts them all" in description(seed)
    await desk.owner.send(desk.channel, "!curate revision 2")
    assert "`!curate undo 2` reverts them all" in (desk.last().embeds[0].description or "")


async def test_a_confirmed_change_answers_in_the_syntax_it_was_asked_in(desk: Desk) -> None:
    asked = await desk.owner.slash(
        desk.channel, "curate entity delete", entity="nikolai-nozdrev", with_facts=True
    )
    assert asked.response is not None
    confirmed = await desk.owner.click(asked.response, label="Delete")
    assert confirmed.response is not None
    text = confirmed.response.embeds[0].description or ""
    assert "`/curate undo number:35` reverts them all." in text


async def test_a_revision_picked_under_a_typed_listing_gives_typed_hints(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate history limit:3 before:4")
    shown = await desk.owner.select(desk.last(), ["2"])
    assert "`!curate undo 2` reverts them all" in description(shown)


async def test_an_undo_pressed_under_a_typed_listing_gives_typed_hints(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate alias add japan Yamato")
    await desk.owner.send(desk.channel, "!curate history japan")
    shown = await desk.owner.select(desk.last(), ["35"])  # a private reply to the select
    assert shown.response is not None
    undone = await desk.owner.click(shown.response.message, label="Undo #35")
    assert undone.response is not None
    receipt = undone.response.embeds[0].description or ""
    assert "Undid revision 35. Revision #36; `!curate undo 36` reverts it." in receipt


async def test_a_refused_typed_command_is_logged_with_its_name(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.chat.access"):
        await desk.member.send(desk.channel, "!curate fact delete some-fact")
        await desk.member.send(desk.channel, "!curate nonsense here")
    assert f"refused !curate fact delete to user {desk.member.id} in guild" in caplog.text
    assert f"refused !curate to user {desk.member.id} in guild" in caplog.text
    assert [type(error).__name__ for error in desk.env.errors] == ["NotCurator", "NotCurator"]
