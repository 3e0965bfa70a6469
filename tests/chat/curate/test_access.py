"""Who may curate, tried on every path by six actors: only the three sorts of curator succeed.

The actors: the application's owner, a curator by user id, a curator by role,
a member whose role has Administrator (but no curator role), a curator by role
writing in a DM (where the role does not count), and another bot or a webhook.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord
import pytest
import simcord

from bot.chat.access import REFUSAL, NotCurator
from tests.chat.curate.conftest import SOURCE, Desk
from tests.chat.helpers import SETTINGS

CURATORS = ("owner", "by_id", "by_role")
OTHERS = ("admin", "member")
FILE = b"entities:\n  - {key: taro-kono, kind: person, name: Taro Kono}\n"


def actor(desk: Desk, who: str) -> simcord.MemberActor:
    found = getattr(desk, who)
    assert isinstance(found, simcord.MemberActor)
    return found


def changed(desk: Desk, before: tuple[object, int]) -> bool:
    return desk.snapshot() != before


def refused(result: simcord.InteractionResult) -> bool:
    return result.ephemeral and result.response is not None and result.response.content == REFUSAL


# Each path, as the actor takes it; returns the result of the last interaction (None for
# prefix messages, whose reply is read from the channel).
Path = Callable[[Desk, simcord.MemberActor], Awaitable[simcord.InteractionResult | None]]


async def by_prefix(desk: Desk, who: simcord.MemberActor) -> None:
    await who.send(desk.channel, "!curate alias add japan Nippon-koku")


async def by_slash(desk: Desk, who: simcord.MemberActor) -> simcord.InteractionResult:
    return await who.slash(desk.channel, "curate alias add", entity="japan", text="Nippon-koku")


async def by_attachment(desk: Desk, who: simcord.MemberActor) -> simcord.InteractionResult | None:
    await who.send(desk.channel, "!curate import", attachments=[("kono.yaml", FILE)])
    preview = desk.last()
    if preview.content == REFUSAL:
        return None
    return await who.click(preview, label="Import")


async def by_slash_attachment(
    desk: Desk, who: simcord.MemberActor
) -> simcord.InteractionResult | None:
    shown = await who.slash(desk.channel, "curate import", file=("kono.yaml", FILE))
    if refused(shown):
        return shown
    assert shown.response is not None
    return await who.click(shown.response.message, label="Import")


async def by_modal(desk: Desk, who: simcord.MemberActor) -> simcord.InteractionResult:
    shown = await who.slash(desk.channel, "curate fact add", about="japan", source=SOURCE)
    if refused(shown):
        return shown
    assert shown.modal is not None
    return await who.submit_modal(
        shown, {"text": "A statement.", "about": "japan", "source": SOURCE}
    )


async def by_button(desk: Desk, who: simcord.MemberActor) -> simcord.InteractionResult | None:
    await who.send(desk.channel, "!curate entity delete patriot with_facts:yes")
    asking = desk.last()
    if asking.content == REFUSAL:
        return None
    return await who.click(asking, label="Delete")


async def by_select(desk: Desk, who: simcord.MemberActor) -> simcord.InteractionResult | None:
    """Pick revision 1 (the seed's source) from the history and press its Undo button."""
    await who.send(desk.channel, "!curate history russia-warns-japan-patriots-2024-03-24")
    listing = desk.last()
    if listing.content == REFUSAL:
        return None
    shown = await who.select(listing, ["1"])
    assert shown.response is not None
    return await who.click(shown.response.message, label="Undo #1")


PATHS: dict[str, Path] = {
    "prefix": by_prefix,
    "slash": by_slash,
    "attachment (prefix)": by_attachment,
    "attachment (slash)": by_slash_attachment,
    "modal": by_modal,
    "button": by_button,
    "select": by_select,
}


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("who", CURATORS + OTHERS)
async def test_only_curators_change_the_store_on_every_path(
    desk: Desk, who: str, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    member = actor(desk, who)
    before = desk.snapshot()
    result = await PATHS[path](desk, member)
    if who in CURATORS:
        assert changed(desk, before), f"{who} could not curate by {path}"
        if result is not None:
            assert not refused(result)
        return
    assert not changed(desk, before), f"{who} curated by {path}"
    if result is None:
        assert desk.last().content == REFUSAL
    else:
        assert refused(result)
    assert f"to user {member.id}" in caplog.text
    assert all(isinstance(error, NotCurator) for error in desk.env.errors)


async def test_a_curator_in_a_dm_is_refused_and_slash_is_not_offered_there(desk: Desk) -> None:
    before = desk.snapshot()
    await desk.dm_user.send_dm("!curate alias add japan Nippon-koku")
    assert desk.dm_user.dm_channel.last_message is not None
    assert desk.dm_user.dm_channel.last_message.content == REFUSAL
    assert [type(error) for error in desk.env.errors] == [NotCurator]
    with pytest.raises(simcord.SetupError):
        await desk.dm_user.slash("curate alias add", entity="japan", text="Nippon-koku")
    assert desk.snapshot() == before


async def test_other_bots_and_webhooks_get_no_reply_and_change_nothing(desk: Desk) -> None:
    before = desk.snapshot()
    count = len(desk.channel.history())
    await desk.other_bot.send(desk.channel, "!curate alias add japan Nippon-koku")
    hook = desk.guild.create_webhook(desk.channel, "news-feed")
    await hook.send("!curate alias add japan Nippon-koku", username="Feed")
    assert len(desk.channel.history()) == count + 2  # their own messages, no replies
    assert desk.snapshot() == before


@pytest.mark.parametrize("who", ("by_id", "by_role", "admin", "member"))
@pytest.mark.parametrize("kind", ("button", "select"))
async def test_a_button_or_select_a_curator_opened_is_refused_to_everyone_else(
    desk: Desk, who: str, kind: str
) -> None:
    if kind == "button":
        await desk.owner.send(desk.channel, "!curate entity delete patriot with_facts:yes")
        before = desk.snapshot()
        result = await actor(desk, who).click(desk.last(), label="Delete")
    else:
        await desk.owner.send(desk.channel, "!curate history")
        before = desk.snapshot()
        result = await actor(desk, who).select(desk.last(), ["34"])
    assert refused(result)
    assert desk.snapshot() == before


async def test_a_curator_who_loses_the_role_cannot_submit_the_form_they_opened(
    desk: Desk,
) -> None:
    shown = await desk.by_id.slash(desk.channel, "curate fact add", about="japan", source=SOURCE)
    assert shown.modal is not None
    desk.bot.settings = SETTINGS  # CURATOR_USER_IDS no longer lists them
    before = desk.snapshot()
    result = await desk.by_id.submit_modal(
        shown, {"text": "A statement.", "about": "japan", "source": SOURCE}
    )
    assert refused(result)
    assert desk.snapshot() == before


async def test_the_slash_group_is_hidden_from_members_without_manage_server(
    simcord_env: simcord.Env,
) -> None:
    env = simcord_env
    guild = env.create_guild("Elsewhere")
    channel = guild.create_text_channel("general")
    managers = guild.create_role("Managers", permissions=discord.Permissions(manage_guild=True))
    manager = guild.add_member(env.create_user("manager"), roles=[managers])
    member = guild.add_member(env.create_user("member"))
    await env.bot.tree.sync()
    curate = next(c for c in await env.bot.tree.fetch_commands() if c.name == "curate")
    assert curate.default_member_permissions == discord.Permissions(manage_guild=True)
    # Servers only, never a DM: the synced contexts are checked in tests/chat/test_reach.py.
    assert "curate alias add" in manager.available_commands(channel)
    assert not any(name.startswith("curate") for name in member.available_commands(channel))
    assert "who" in member.available_commands(channel)
