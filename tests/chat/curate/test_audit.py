"""The audit channel, and what curation messages may not do: ping, overflow, or render markup."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from bot.chat.access import REFUSAL
from bot.chat.bot import STORE_CHECK
from bot.chat.errors import REFUSAL_SHOWN_FOR
from bot.curation.transfer import load_file
from bot.records.actor import Actor
from bot.store.db import Store
from tests.chat.curate.conftest import Desk
from tests.chat.helpers import assert_within_limits


def audit_posts(desk: Desk) -> list[dict[str, Any]]:
    """What the bot sent to the audit channel, as Discord received it."""
    path = f"/channels/{desk.audit.id}/messages"
    posts = [r.json for r in desk.env.http_requests if r.method == "POST" and r.path == path]
    assert all(post is not None for post in posts)
    return cast(list[dict[str, Any]], posts)


async def test_every_change_is_posted_to_the_audit_channel_pinging_nobody(desk: Desk) -> None:
    await desk.by_role.send(desk.channel, '!curate alias add japan Yamato reason:"old name"')
    [card] = desk.audit.history()
    embed = card.embeds[0]
    assert embed.title == "Revision #35: Changed entity 'japan'"
    assert f"rei ({desk.by_role.mention}) in Diplomacy" in (embed.description or "")
    assert "aliases: + 'Yamato'" in (embed.description or "")
    assert embed.footer.text == "Undo: /curate undo number:35"
    [posted] = audit_posts(desk)
    assert posted["allowed_mentions"] == {"parse": []}


async def test_confirmed_and_undone_changes_are_posted_and_lookups_are_not(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate entity delete patriot with_facts:yes")
    assert desk.audit.history() == []  # waiting for the confirm button: nothing written yet
    await desk.owner.click(desk.last(), label="Delete")
    await desk.owner.send(desk.channel, "!curate undo 35")
    await desk.owner.send(desk.channel, "!who nozdrev")
    await desk.owner.send(desk.channel, "!curate history")
    titles = [message.embeds[0].title for message in desk.audit.history()]
    assert len(titles) == 2
    assert titles[1] is not None and titles[1].startswith("Revision #")
    assert all(post["allowed_mentions"] == {"parse": []} for post in audit_posts(desk))


async def test_no_audit_channel_means_no_posts(desk: Desk) -> None:
    desk.bot.settings = desk.bot.settings.model_copy(update={"audit_channel_id": None})
    await desk.owner.send(desk.channel, "!curate alias add japan Yamato")
    assert desk.audit.history() == []


async def test_what_curators_type_is_never_markup_and_never_pings(desk: Desk) -> None:
    hostile = "**Nippon** [free](https://example.org) @everyone <@&1>"
    await desk.owner.send(desk.channel, f'!curate alias add japan "{hostile}"')
    receipt = desk.last()
    text = receipt.embeds[0].description or ""
    assert "\\*\\*Nippon\\*\\*" in text and "**Nippon**" not in text.replace("\\*", "")
    assert "`!curate undo 35`" in text  # the bot's own hint keeps its code span
    posts = [r.json for r in desk.env.http_requests if r.method == "POST"]
    assert all(post.get("allowed_mentions") == {"parse": []} for post in posts if post)


async def test_a_long_history_and_a_long_diff_stay_within_discords_limits(desk: Desk) -> None:
    long_text = "A statement. " * 140
    fact = "japan-agrees-us-patriot-request"
    await desk.owner.send(desk.channel, f'!curate fact edit {fact} text:"{long_text.strip()}"')
    assert_within_limits(desk.last().embeds[0])
    for number in range(3):
        await desk.owner.send(desk.channel, f"!curate alias add japan Name-{number}")
    await desk.owner.send(desk.channel, "!curate history")
    assert_within_limits(desk.last().embeds[0])


async def test_a_refusal_by_prefix_is_one_sentence_that_does_not_stay(desk: Desk) -> None:
    await desk.member.send(desk.channel, "!curate entity delete no-such-thing")
    assert desk.last().content == REFUSAL
    assert [type(error).__name__ for error in desk.env.errors] == ["NotCurator"]
    await desk.env.advance_time(REFUSAL_SHOWN_FOR)
    assert desk.last().content != REFUSAL


async def test_a_running_bot_picks_up_an_import_made_on_the_host(
    desk: Desk, tmp_path: Path
) -> None:
    await desk.member.send(desk.channel, "!who kamikawa")
    assert "No person or organisation" in (desk.last().embeds[0].description or "")
    other_process = Store.open(str(desk.library.store.engine.url))
    path = tmp_path / "kamikawa.yaml"
    path.write_text("entities:\n  - {key: yoko-kamikawa, kind: person, name: Yoko Kamikawa}\n")
    load_file(other_process, path, Actor.console())
    other_process.close()
    await desk.env.advance_time(STORE_CHECK + 1)
    await desk.member.send(desk.channel, "!who kamikawa")
    assert desk.last().embeds[0].title == "Yoko Kamikawa"
