"""No database call blocks the event loop: while one person's command waits on a slow
database, another member's lookup is answered at once.

The slowness is real, not mocked: another PostgreSQL connection takes a table lock
that the command's query has to wait for, and holds it for `HELD` seconds. The
bot's store is on PostgreSQL; the bot runs in SimCord, so the commands go through
discord.py's real pipeline. (SimCord runs one test operation at a time, so while the
stuck command's ``send`` is running the member's message is posted to SimCord's
backend directly, which delivers it to the bot over the fake gateway as usual.)

Had a command called the database on the event loop, the second member's ``!who
nozdrev`` would wait for the lock as well, and the test fails: the lock is let go by
a timer thread after `HELD` seconds, so even a blocked loop ends the test in time.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import discord
import pytest
import simcord
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.chat.bot import DiploBot
from bot.config import Settings
from bot.curation.history import latest_revision
from bot.curation.transfer import load_file
from bot.library import Library
from bot.records.actor import Actor
from bot.store.db import Store
from tests.conftest import StoreFactory
from tests.store.test_changes import SEED

HELD = 2.0
"""Seconds the other connection holds its lock: how slow the stuck command is."""
AT_ONCE = 1.0
"""A generous bound for "at once": the lookup itself takes milliseconds."""

SLOW = [
    pytest.param(
        "!curate alias add nikolai-nozdrev Quillbrook",
        "LOCK TABLE revision IN EXCLUSIVE MODE",  # reads go on, a change's revision waits
        "revision",
        id="a curation write waits on a lock",
    ),
    pytest.param(
        "!search patriot missiles",
        "LOCK TABLE fact IN ACCESS EXCLUSIVE MODE",  # the full-text query waits
        "fact",
        id="a fact search waits on a lock",
    ),
]


@pytest.fixture
def pg_library(postgres_stores: StoreFactory) -> Iterator[Library]:
    """A seeded store on PostgreSQL, opened for the bot."""
    store = postgres_stores()
    load_file(store, SEED, Actor(None, "seed"))
    library = Library(store)
    yield library
    library.close()


@pytest.fixture
def simcord_bot(pg_library: Library) -> DiploBot:
    return DiploBot(pg_library, Settings.from_mapping({"DATABASE_URL": "sqlite://"}))


def waiting_on(connection: Connection, table: str) -> int:
    """How many server processes wait for a lock on table (in the store's schema)."""
    count: int = connection.execute(
        sa.text("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = :t ::regclass"),
        {"t": table},
    ).scalar_one()
    return count


def post(
    env: simcord.Env, channel: simcord.ChannelHandle, member: simcord.MemberActor, text: str
) -> None:
    """Have member post text in channel, as `MemberActor.send` does, but without waiting
    for the bot to finish all its work: SimCord runs one operation at a time, and the
    stuck command's is still running."""
    env.backend.create_message(channel.id, member.id, text)


def bot_answers(channel: simcord.ChannelHandle, bot: discord.Client) -> list[discord.Message]:
    assert bot.user is not None
    return [m for m in channel.history() if m.author.id == bot.user.id]


@pytest.mark.postgres
@pytest.mark.parametrize(("slow", "lock", "table"), SLOW)
@pytest.mark.slow
async def test_a_slow_database_call_does_not_delay_another_members_lookup(
    simcord_env: simcord.Env, pg_library: Library, slow: str, lock: str, table: str
) -> None:
    env = simcord_env
    bot = env.bot
    assert isinstance(bot, DiploBot)
    guild = env.create_guild("Diplomacy")
    channel = guild.create_text_channel("news")
    curator = guild.add_member(env.create_user("olga"))
    member = guild.add_member(env.create_user("mia"))
    bot.owner_id = curator.id  # the owner may curate
    await bot.tree.sync()
    before = latest_revision(pg_library.store)

    store: Store = pg_library.store
    holder = store.engine.connect()  # the same schema, another connection
    watcher = store.engine.connect()
    # The lock is let go by a timer thread, not by this test's coroutine: were the event
    # loop blocked by the stuck command, this test could not run to release it.
    release = threading.Timer(HELD, holder.rollback)
    try:
        await asyncio.to_thread(holder.begin)
        await asyncio.to_thread(holder.execute, sa.text(lock))
        locked_at = time.monotonic()
        release.start()

        stuck = asyncio.create_task(curator.send(channel, slow))
        while not await asyncio.to_thread(waiting_on, watcher, table):
            assert not stuck.done(), f"{slow!r} finished without waiting for the lock"
            assert time.monotonic() - locked_at < HELD, (
                f"{slow!r} was not seen waiting for the lock: was the event loop blocked?"
            )
            await asyncio.sleep(0.01)

        answered = len(bot_answers(channel, bot))
        asked = time.monotonic()
        post(env, channel, member, "!who nozdrev")
        while len(bot_answers(channel, bot)) == answered:
            assert time.monotonic() - asked < AT_ONCE, (
                f"!who nozdrev was not answered within {AT_ONCE} s while {slow!r} waited"
            )
            await asyncio.sleep(0.005)
        answer_time = time.monotonic() - asked
        reply = bot_answers(channel, bot)[-1]
        assert reply.embeds and reply.embeds[0].title == "Nikolai Nozdrev"
        # The slow command is still stuck: the lookup did not wait for it.
        assert not stuck.done()
        assert await asyncio.to_thread(waiting_on, watcher, table) == 1

        await asyncio.wait_for(stuck, HELD + 10)
        held = time.monotonic() - locked_at
    finally:
        release.cancel()
        await asyncio.to_thread(release.join)
        await asyncio.to_thread(holder.close)
        await asyncio.to_thread(watcher.close)

    # Then the slow command finished as usual.
    last = bot_answers(channel, bot)[-1]
    assert last.embeds, last.content
    if slow.startswith("!curate"):
        assert last.embeds[0].title == "Changed entity 'nikolai-nozdrev'", last.embeds[0].title
        assert latest_revision(pg_library.store) == before + 1
        assert pg_library.answer("who Quillbrook").title == "Nikolai Nozdrev"
    else:
        assert "Patriot" in (last.embeds[0].description or ""), last.embeds[0].to_dict()
    assert held >= HELD, "the slow command really waited for the lock"
    print(f"\n{slow}: stuck {held:.2f} s; !who nozdrev answered in {answer_time * 1000:.0f} ms")
