"""Sharding: SHARD_COUNT and SHARD_IDS make the bot an AutoShardedBot running those shards.

Three levels: the settings themselves (validated strictly); the choice of class
(`make_bot`); and the bot at work. At work it is driven two ways. SimCord routes
each guild's events to the shard that owns it (``(guild_id >> 22) % count``), as
Discord does, so a process running shard 1 of 2 answers in shard 1's guilds and
never hears shard 0's. The loopback fake of Discord (tests/fake_discord) takes a
real gateway connection: there `serve`, as ``diplobot run`` calls it, identifies
with the shard it was given and answers a slash command over real sockets.
"""

from __future__ import annotations

import asyncio
import logging
import signal

import discord
import pytest
import simcord
from discord.ext import commands

from bot.chat.bot import DiploBot, ShardedDiploBot, describe_shards, make_bot
from bot.chat.runner import MESSAGE_CONTENT_REFUSED, serve
from bot.config import Settings
from bot.errors import ConfigError
from tests.chat.helpers import Shelf
from tests.fake_discord import FAKE_TOKEN, FakeDiscord, chat_input

BASE = {"DATABASE_URL": "sqlite://"}
MESSAGE_CONTENT = 1 << 15


def settings(**shards: str) -> Settings:
    return Settings.from_mapping({**BASE, **shards})


# --- the settings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "count", "ids"),
    [
        ({}, None, None),
        ({"SHARD_COUNT": "", "SHARD_IDS": ""}, None, None),
        ({"SHARD_COUNT": "1"}, 1, None),
        ({"SHARD_COUNT": "4"}, 4, None),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "2"}, 4, (2,)),
        ({"SHARD_COUNT": " 4 ", "SHARD_IDS": "3, 0,1"}, 4, (3, 0, 1)),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,1"}, 2, (0, 1)),
    ],
)
def test_shard_settings_are_read(given: dict[str, str], count: int | None, ids: object) -> None:
    read = Settings.from_mapping({**BASE, **given})
    assert (read.shard_count, read.shard_ids, read.sharded) == (count, ids, count is not None)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"SHARD_IDS": "0"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be a whole number of at least 1, not '0'"),
        ({"SHARD_COUNT": "-2"}, "SHARD_COUNT must be a whole number of at least 1"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be a whole number of at least 1"),
        ({"SHARD_COUNT": "1.5"}, "SHARD_COUNT must be a whole number of at least 1"),
        ({"SHARD_COUNT": "²"}, "SHARD_COUNT must be a whole number of at least 1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,0"}, "SHARD_IDS names a shard more than once"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, r"SHARD_IDS must be below SHARD_COUNT \(2\)"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,5"}, "shards are numbered 0 to 1, not 5"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "-1"}, "SHARD_IDS must be shard numbers separated"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,"}, "SHARD_IDS must be shard numbers separated"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0 1"}, "SHARD_IDS must be shard numbers separated"),
    ],
)
def test_bad_shard_settings_are_one_line_errors(given: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as raised:
        Settings.from_mapping({**BASE, **given})
    assert "\n" not in str(raised.value)


# --- the class chosen ----------------------------------------------------------------


async def test_without_shard_settings_the_bot_is_the_plain_one(shelf: Shelf) -> None:
    bot = make_bot(shelf, settings())
    assert type(bot) is DiploBot
    assert not isinstance(bot, discord.AutoShardedClient)
    assert bot.shard_count is None


async def test_with_shard_settings_the_bot_is_auto_sharded(shelf: Shelf) -> None:
    bot = make_bot(shelf, settings(SHARD_COUNT="4", SHARD_IDS="1,3"))
    assert isinstance(bot, ShardedDiploBot)
    assert isinstance(bot, commands.AutoShardedBot) and isinstance(bot, DiploBot)
    assert (bot.shard_count, bot.shard_ids) == (4, [1, 3])
    # The sharded client's connection logic must win over the plain client's.
    mro = type(bot).__mro__
    assert mro.index(discord.AutoShardedClient) < mro.index(discord.Client)
    assert type(bot).connect is discord.AutoShardedClient.connect
    # Everything else is DiploBot's: the same settings, no pings, same prefix.
    assert bot.allowed_mentions is not None and bot.allowed_mentions.everyone is False
    every = make_bot(shelf, settings(SHARD_COUNT="3"))
    assert (every.shard_count, getattr(every, "shard_ids", "missing")) == (3, None)


def test_a_sharded_bot_without_a_count_is_refused(shelf: Shelf) -> None:
    with pytest.raises(ConfigError, match="SHARD_COUNT"):
        ShardedDiploBot(shelf, settings())


def test_the_start_up_log_line_names_the_shards() -> None:
    assert describe_shards(settings()).startswith("one gateway connection (no sharding")
    assert describe_shards(settings(SHARD_COUNT="1")) == "shard 0 of 1"
    assert describe_shards(settings(SHARD_COUNT="4")) == "all 4 shards (SHARD_COUNT=4)"
    assert (
        describe_shards(settings(SHARD_COUNT="4", SHARD_IDS="1, 3"))
        == "shards 1, 3 of 4 (SHARD_COUNT=4, SHARD_IDS=1,3)"
    )
    assert describe_shards(settings(SHARD_COUNT="2", SHARD_IDS="1")).startswith("shard 1 of 2 ")


# --- at work, in SimCord: each process answers its own shards' guilds ----------------


@pytest.fixture(params=["0", "1"], ids=["process-with-shard-0", "process-with-shard-1"])
def shard(request: pytest.FixtureRequest) -> int:
    """The one shard (of two) this test's bot process runs."""
    return int(request.param)


@pytest.fixture
def simcord_bot(shelf: Shelf, shard: int) -> DiploBot:
    return make_bot(shelf, settings(SHARD_COUNT="2", SHARD_IDS=str(shard)))


async def test_a_process_answers_in_its_own_shards_guilds_only(
    simcord_env: simcord.Env, shard: int
) -> None:
    env = simcord_env
    bot = env.bot
    assert isinstance(bot, ShardedDiploBot)
    assert set(bot.shards) == {shard}, "only the configured shard is connected"

    def arrange(name: str, on: int) -> tuple[simcord.ChannelHandle, simcord.MemberActor]:
        guild = env.create_guild(name, shard_id=on)
        assert (guild.id >> 22) % 2 == on
        return guild.create_text_channel("news"), guild.add_member(env.create_user(name))

    mine, member = arrange("mine", shard)
    theirs, stranger = arrange("theirs", 1 - shard)
    await bot.tree.sync()
    assert {guild.name for guild in bot.guilds} == {"mine"}, "only its own shard's guilds"

    await member.send(mine, "!who nozdrev")
    answer = mine.last_message
    assert answer is not None and answer.author.id == bot.user.id  # type: ignore[union-attr]
    assert answer.embeds[0].title == "Nikolai Nozdrev"
    slash = await member.slash(mine, "dispute", name="kuril")
    assert slash.response is not None and slash.response.embeds[0].title == "Kuril Islands dispute"

    # The other shard's guild is another process's: this one never hears it.
    await stranger.send(theirs, "!who nozdrev")
    assert [m.author.name for m in theirs.history()] == ["theirs"]


# --- at work, over a real gateway connection -----------------------------------------


@pytest.mark.parametrize(
    ("shards", "identified", "logged"),
    [
        ({}, None, "this process runs one gateway connection (no sharding"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1"}, [1, 2], "this process runs shard 1 of 2 "),
        ({"SHARD_COUNT": "3", "SHARD_IDS": "2"}, [2, 3], "this process runs shard 2 of 3 "),
    ],
)
async def test_serve_identifies_with_the_configured_shard(
    fake_discord: FakeDiscord,
    shelf: Shelf,
    caplog: pytest.LogCaptureFixture,
    shards: dict[str, str],
    identified: list[int] | None,
    logged: str,
) -> None:
    caplog.set_level(logging.INFO)
    running = asyncio.create_task(serve(shelf, settings(**shards), FAKE_TOKEN))
    try:
        await fake_discord.wait_until_connected()
        assert fake_discord.identify is not None
        assert fake_discord.identify.get("shard") == identified
        assert logged in caplog.text

        await fake_discord.send_interaction(chat_input("who", {"name": "nozdrev"}))
        callback = await fake_discord.wait_for_request("POST", r"/interactions/\d+/[^/]+/callback")
        assert callback.body["data"]["embeds"][0]["title"] == "Nikolai Nozdrev"
    finally:
        signal.raise_signal(signal.SIGTERM)
        await asyncio.wait_for(running, 10)
    assert shelf.closed
    assert FAKE_TOKEN not in caplog.text


async def test_a_sharded_process_refused_message_content_reconnects_without_it(
    fake_discord: FakeDiscord, shelf: Shelf, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    sharded = settings(SHARD_COUNT="2", SHARD_IDS="1")
    running = asyncio.create_task(serve(shelf, sharded, FAKE_TOKEN))
    try:
        await fake_discord.wait_until_connected()
        assert fake_discord.intents & MESSAGE_CONTENT

        await fake_discord.disconnect(4014)  # Discord: a privileged intent not granted
        await fake_discord.wait_until_connected()
        assert not fake_discord.intents & MESSAGE_CONTENT
        assert fake_discord.identify is not None and fake_discord.identify["shard"] == [1, 2]
        assert MESSAGE_CONTENT_REFUSED in caplog.text

        await fake_discord.send_interaction(chat_input("who", {"name": "nozdrev"}))
        callback = await fake_discord.wait_for_request("POST", r"/interactions/\d+/[^/]+/callback")
        assert callback.body["data"]["embeds"][0]["title"] == "Nikolai Nozdrev"
    finally:
        signal.raise_signal(signal.SIGTERM)
        await asyncio.wait_for(running, 10)
    assert shelf.closed
