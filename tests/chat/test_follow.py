"""Following an entity in a channel, through the fake Discord: who may, what is stored,
and what is posted when facts are added, corrected or deleted elsewhere.

Changes are made as another process makes them: through a store of its own on the
same database, never through the bot. The bot's follow loop (`FollowPoster.tick`) is
run by hand, and its clock is injected, so a daily digest fires without waiting.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.chat.access import FOLLOW_REFUSAL, NotFollowManager
from bot.chat.bot import DiploBot
from bot.chat.errors import unwrap
from bot.curation.transfer import load_data
from bot.curation.writer import Writer
from bot.records.actor import Actor
from bot.store import follows as stored
from bot.store.db import Store
from tests.chat.helpers import SETTINGS, Shelf, World

SOURCE = "russia-warns-japan-patriots-2024-03-24"
CONSOLE = Actor(None, "console")


class Clock:
    """A clock the test sets: the bot reads it to know whether a digest is due."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def simcord_bot(shelf: Shelf, clock: Clock) -> DiploBot:
    return DiploBot(shelf, SETTINGS, clock=clock, follow_check=None)


def fact(key: str, text: str, *about: str) -> dict[str, object]:
    return {"key": key, "text": text, "date": "2024-03", "about": list(about), "source": SOURCE}


def elsewhere(world: World) -> Store:
    """The bot's database, opened as another process (the console) opens it."""
    url = world.bot.library.store.engine.url.render_as_string(hide_password=False)
    return Store.open(url, migrate=False)


def add_facts(world: World, *facts: dict[str, object]) -> None:
    """Facts imported by another process."""
    store = elsewhere(world)
    try:
        load_data(store, {"facts": list(facts)}, "test", CONSOLE)
    finally:
        store.close()


def delete_fact(world: World, key: str) -> None:
    store = elsewhere(world)
    try:
        with store.writing() as session:
            writer = Writer(session, CONSOLE)
            writer.delete("fact", key)
            writer.finish()
    finally:
        store.close()


async def new_posts(world: World, ticks: int = 2) -> list[discord.Message]:
    """What the bot posts in the channel over the next few runs of its follow loop."""
    before = len(world.bot_messages())
    for _ in range(ticks):
        await world.bot.follow_poster.tick()
    return world.bot_messages()[before:]


def titles(messages: list[discord.Message]) -> list[str]:
    return [message.embeds[0].title or "" for message in messages]


def follows(world: World) -> list[tuple[int, str, str, str | None]]:
    rows = stored.of_guild(world.bot.library.store, world.guild.id)
    return [(row.channel_id, row.entity_key, row.mode, row.paused) for row in rows]


# --- each fact as it comes -----------------------------------------------------------


async def test_a_followed_entity_gets_each_new_fact_as_its_card(world: World) -> None:
    await world.alice.send(world.channel, "!follow japan")
    assert world.last().embeds[0].title == "Following Japan"
    assert follows(world) == [(world.channel.id, "japan", "each", None)]

    add_facts(world, fact("japan-test-1", "Japan *said* [this](https://x.example).", "japan"))
    posts = await new_posts(world)
    assert titles(posts) == ["New fact about Japan"]
    body = posts[0].embeds[0].description or ""
    assert "Japan \\*said\\* \\[this](https://x.example)." in body  # escaped, no markup
    assert not posts[0].mention_everyone
    assert await new_posts(world) == [], "posted once"


async def test_a_correction_says_so_and_a_deletion_is_not_posted(world: World) -> None:
    add_facts(world, fact("japan-test-2", "Japan agreed.", "japan"))
    await world.alice.send(world.channel, "!follow japan")

    add_facts(world, fact("japan-test-2", "Japan agreed on Tuesday.", "japan"))
    posts = await new_posts(world)
    assert titles(posts) == ["Corrected fact about Japan"]
    assert "This is a correction" in (posts[0].embeds[0].description or "")
    assert "Japan agreed on Tuesday." in (posts[0].embeds[0].description or "")

    delete_fact(world, "japan-test-2")
    assert await new_posts(world) == []


async def test_facts_about_anything_else_are_not_posted(world: World) -> None:
    await world.alice.send(world.channel, "!follow japan")
    add_facts(world, fact("ukraine-test", "Ukraine asked again.", "ukraine"))
    assert await new_posts(world) == []


async def test_a_dispute_follow_covers_its_disputed_areas(world: World) -> None:
    await world.alice.slash(world.channel, "follow", name="kuril-islands-dispute")
    add_facts(world, fact("iturup-test", "A new pier opened on Iturup.", "iturup"))
    assert titles(await new_posts(world)) == ["New fact about Kuril Islands dispute"]


@pytest.mark.slow
async def test_an_import_of_500_facts_is_one_collapsed_message(world: World) -> None:
    await world.alice.send(world.channel, "!follow japan")
    add_facts(
        world, *(fact(f"japan-bulk-{n:03d}", f"Japan bulk fact {n}.", "japan") for n in range(500))
    )
    posts = await new_posts(world)
    assert titles(posts) == ["500 new facts about Japan"]
    description = posts[0].embeds[0].description or ""
    assert "`/recent name:japan` lists them all" in description
    assert description.count("Japan bulk fact") == 3


@pytest.mark.slow
async def test_a_sixth_fact_within_a_minute_collapses_with_the_rest(world: World) -> None:
    await world.alice.send(world.channel, "!follow japan")
    for n in range(5):
        add_facts(world, fact(f"japan-one-{n}", f"Japan single {n}.", "japan"))
        assert titles(await new_posts(world)) == ["New fact about Japan"]
    add_facts(world, fact("japan-one-5", "Japan single 5.", "japan"))
    # Five cards went out this minute: the sixth is held to a summary, not a sixth card.
    assert titles(await new_posts(world)) == ["1 new fact about Japan"]


# --- unfollow and following ----------------------------------------------------------


async def test_unfollow_stops_the_posts(world: World) -> None:
    await world.alice.send(world.channel, "!follow japan")
    await world.alice.slash(world.channel, "unfollow", name="japan")
    assert follows(world) == []
    add_facts(world, fact("japan-after", "Japan spoke after the unfollow.", "japan"))
    assert await new_posts(world) == []

    await world.alice.send(world.channel, "!unfollow japan")
    assert "does not follow Japan" in (world.last().embeds[0].description or "")


async def test_following_lists_the_servers_follows(world: World) -> None:
    other = world.guild.create_text_channel("digests")
    await world.alice.send(world.channel, "!follow japan")
    await world.alice.send(other, "!follow kuril islands dispute daily")
    result = await world.alice.slash(world.channel, "following")
    assert result.response is not None
    shown = result.response.embeds[0].description or ""
    assert "#news: Japan (each)" in shown
    assert "#digests: Kuril Islands dispute (daily)" in shown


# --- who may -------------------------------------------------------------------------


async def test_a_member_without_manage_channels_is_refused_on_every_path(world: World) -> None:
    for line in ("!follow japan", "!unfollow japan", "!following"):
        await world.bob.send(world.channel, line)
        assert world.last().content == FOLLOW_REFUSAL
    for name, options in (
        ("follow", {"name": "japan"}),
        ("unfollow", {"name": "japan"}),
        ("following", {}),
    ):
        result = await world.bob.slash(world.channel, name, **options)
        assert result.ephemeral and result.response is not None
        assert result.response.content == FOLLOW_REFUSAL
    assert follows(world) == []
    refused = [unwrap(error) for error in world.env.errors]
    assert len(refused) == 6 and all(isinstance(e, NotFollowManager) for e in refused)


async def test_a_member_with_manage_channels_may_follow(world: World) -> None:
    role = world.guild.create_role("Editors", permissions=discord.Permissions(manage_channels=True))
    carol = world.guild.add_member(world.env.create_user("carol"), roles=[role])
    result = await carol.slash(world.channel, "follow", name="japan", mode="daily")
    assert result.response is not None and result.response.embeds[0].title == "Following Japan"
    assert follows(world) == [(world.channel.id, "japan", "daily", None)]


# --- bad input -----------------------------------------------------------------------


async def test_an_unknown_name_gets_one_line_and_nothing_is_stored(world: World) -> None:
    await world.alice.send(world.channel, "!follow zzzqqq")
    shown = world.last().embeds[0].description or ""
    assert shown.startswith("No entry in the store matches “zzzqqq”.")
    assert "\n" not in shown
    assert follows(world) == []


async def test_an_ambiguous_name_offers_choices_and_follows_nothing(world: World) -> None:
    result = await world.alice.slash(world.channel, "follow", name="kuril")
    assert result.response is not None
    assert "could mean several entries" in (result.response.embeds[0].description or "")
    assert follows(world) == []


async def test_a_bad_mode_is_one_private_line(world: World) -> None:
    await world.alice.send(world.channel, "!follow japan mode:weekly")
    assert world.last().content == "The mode is `each` or `daily`, not `weekly`."
    assert follows(world) == []


# --- paused --------------------------------------------------------------------------


async def test_a_deleted_channel_pauses_the_follow(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    doomed = world.guild.create_text_channel("doomed")
    await world.alice.send(doomed, "!follow japan")
    world.env.backend.delete_channel(doomed.id)
    await world.env.settle()
    add_facts(world, fact("japan-gone", "Japan spoke to nobody.", "japan"))
    await new_posts(world)
    assert follows(world) == [(doomed.id, "japan", "each", "the channel was deleted")]
    assert "paused the follow of japan" in caplog.text

    await world.alice.send(world.channel, "!following")
    assert "paused: the channel was deleted" in (world.last().embeds[0].description or "")


async def test_losing_send_messages_pauses_and_following_again_resumes(world: World) -> None:
    from simcord.backend.models.channel import Overwrite
    from simcord.enums import OverwriteType

    await world.alice.send(world.channel, "!follow japan")
    me = world.bot.user
    assert me is not None
    deny = discord.Permissions(send_messages=True).value
    world.env.backend.set_overwrite(
        world.channel.id, Overwrite(target_id=me.id, type=OverwriteType.MEMBER, allow=0, deny=deny)
    )
    await world.env.settle()
    add_facts(world, fact("japan-muted", "Japan spoke while muted.", "japan"))
    assert await new_posts(world) == []
    assert follows(world)[0][3] == "diplobot may not send messages there"

    world.env.backend.delete_overwrite(world.channel.id, me.id)
    await world.env.settle()
    await world.alice.send(world.channel, "!follow japan")
    assert follows(world)[0][3] is None
    assert titles(await new_posts(world)) == ["New fact about Japan"], "nothing was lost"


# --- daily, and catching up ----------------------------------------------------------


async def test_a_daily_digest_fires_at_the_digest_hour(world: World, clock: Clock) -> None:
    day = clock.now.date() + timedelta(days=1)
    clock.now = datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)
    await world.alice.send(world.channel, "!follow japan daily")
    assert "each day at 08:00 UTC" in (world.last().embeds[0].description or "")
    add_facts(
        world,
        fact("japan-day-1", "Japan first.", "japan"),
        fact("japan-day-2", "Japan second.", "japan"),
    )
    assert await new_posts(world) == [], "not before the hour"

    clock.now = clock.now.replace(hour=8, minute=1)
    posts = await new_posts(world)
    assert titles(posts) == [f"Daily digest for Japan, {day.isoformat()}"]
    assert "Japan first." in (posts[0].embeds[0].description or "")
    assert await new_posts(world) == [], "one digest a day"

    clock.now += timedelta(days=1)
    assert await new_posts(world) == [], "nothing changed: no digest"


async def test_changes_older_than_a_day_come_as_one_catch_up_digest(
    world: World, clock: Clock
) -> None:
    await world.alice.send(world.channel, "!follow japan")
    add_facts(
        world,
        fact("japan-old-1", "Japan long ago.", "japan"),
        fact("japan-old-2", "Japan also.", "japan"),
    )
    clock.now += timedelta(hours=25)  # the bot was away
    posts = await new_posts(world)
    assert titles(posts) == ["Catch-up: 2 facts about Japan"]


async def test_help_in_a_server_lists_the_follow_commands_as_asked(world: World) -> None:
    await world.alice.send(world.channel, "!help")
    typed = world.last().embeds[0].description or ""
    if "!follow" not in typed:  # on the next page
        await world.alice.click(world.last(), label="▶")
        typed = world.last().embeds[0].description or ""
    assert "!follow NAME [MODE]:" in typed and "Example: !follow iran" in typed
    assert "!following:" in typed
    result = await world.alice.slash(world.channel, "help")
    assert result.response is not None
    slashed = result.response.embeds[0].description or ""
    if "/follow" not in slashed:
        await world.alice.click(world.last(), label="▶")
        slashed = world.last().embeds[0].description or ""
    assert "/follow name:… [mode:…]:" in slashed and "Example: /follow name:iran" in slashed
