"""With shards, a follow is posted by the process holding its server's shard, and only
by it: the other process leaves its cursor alone, so nothing is lost or doubled."""

from __future__ import annotations

import pytest
import simcord

from bot.chat.bot import DiploBot, ShardedDiploBot, make_bot
from bot.config import Settings
from bot.curation.transfer import load_data
from bot.records.actor import Actor
from bot.store import follows as stored
from tests.chat.helpers import Shelf

SOURCE = "russia-warns-japan-patriots-2024-03-24"


@pytest.fixture
def simcord_bot(shelf: Shelf) -> DiploBot:
    settings = Settings.from_mapping(
        {"DATABASE_URL": "sqlite://", "SHARD_COUNT": "2", "SHARD_IDS": "0"}
    )
    return make_bot(shelf, settings, follow_check=None)


async def test_only_the_process_holding_the_server_posts_its_follows(
    simcord_env: simcord.Env,
) -> None:
    env = simcord_env
    bot = env.bot
    assert isinstance(bot, ShardedDiploBot)
    my_guild, their_guild = (
        env.create_guild("mine", shard_id=0),
        env.create_guild("theirs", shard_id=1),
    )
    mine, theirs = my_guild.create_text_channel("news"), their_guild.create_text_channel("news")
    store = bot.library.store
    for guild, channel in ((my_guild, mine), (their_guild, theirs)):
        stored.add(store, guild.id, channel.id, "japan", "each", 1)
    record = {"key": "japan-sharded", "text": "Japan.", "about": ["japan"], "source": SOURCE}
    load_data(store, {"facts": [record]}, "test", Actor(None, "console"))

    assert await bot.follow_poster.tick() == 1
    assert [m.embeds[0].title for m in mine.history()] == ["New fact about Japan"]
    assert theirs.history() == []
    cursors = {
        row.guild_id: row.cursor for row in stored.of_guilds(store, [my_guild.id, their_guild.id])
    }
    assert cursors[my_guild.id] > cursors[their_guild.id], "left for shard 1's process"
