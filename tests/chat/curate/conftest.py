"""A Discord world for curation tests: a writable seeded store and curators of each sort.

The slash group is hidden from members without Manage Server; the world's
server admin has overridden that for everyone (Integrations → diplobot), as a
real admin may, so the bot's own check is what decides.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest
import simcord
from sqlmodel import func, select

from bot.chat.bot import DiploBot
from bot.config import Settings
from bot.curation.transfer import export_document
from bot.library import Library
from bot.store.models import Revision

SOURCE = "russia-warns-japan-patriots-2024-03-24"


@dataclass
class Desk:
    """The arranged world: a server with a news and an audit channel, and six actors."""

    env: simcord.Env
    bot: DiploBot
    library: Library
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    audit: simcord.ChannelHandle
    owner: simcord.MemberActor
    by_id: simcord.MemberActor
    by_role: simcord.MemberActor
    admin: simcord.MemberActor
    member: simcord.MemberActor
    other_bot: simcord.MemberActor
    dm_user: simcord.UserHandle
    """The curator by role, writing to the bot in a DM, where the role does not count."""

    def last(self) -> discord.Message:
        """The latest message in the news channel."""
        message = self.channel.last_message
        assert message is not None
        return message

    def snapshot(self) -> tuple[dict[str, object], int]:
        """The whole store and its revision count, to show that nothing changed."""
        with self.library.store.transaction() as session:
            count = session.exec(select(func.count()).select_from(Revision)).one()
        return export_document(self.library.store), count


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store migrated and seeded from data/seed.yaml once, in one self-contained file.

    Seeding takes most of a curation test's setup; copying this file takes a fraction."""
    folder = tmp_path_factory.mktemp("curate")
    seeded = folder / "seeded.db"
    Library.open(Settings.from_mapping({"DATABASE_URL": f"sqlite:///{seeded}"})).close()
    template = folder / "template.db"
    # A backup holds whatever the write-ahead log still held: the file alone is the store.
    with (
        contextlib.closing(sqlite3.connect(seeded)) as source,
        contextlib.closing(sqlite3.connect(template)) as copy,
    ):
        source.backup(copy)
    return template


@pytest.fixture
def own_library(tmp_path: Path, seeded_file: Path) -> Iterator[Library]:
    """A seeded store of this test's own, which curation may change."""
    path = tmp_path / "c.db"
    shutil.copyfile(seeded_file, path)
    opened = Library.open(Settings.from_mapping({"DATABASE_URL": f"sqlite:///{path}"}))
    yield opened
    opened.close()


@pytest.fixture
def simcord_bot(own_library: Library) -> DiploBot:
    return DiploBot(own_library, Settings.from_mapping({"DATABASE_URL": "sqlite://"}))


@pytest.fixture
async def desk(simcord_env: simcord.Env, own_library: Library) -> Desk:
    env = simcord_env
    bot = env.bot
    assert isinstance(bot, DiploBot)
    guild = env.create_guild("Diplomacy")
    channel = guild.create_text_channel("news")
    audit = guild.create_text_channel("audit")
    curators = guild.create_role("Curators")
    admins = guild.create_role("Admins", permissions=discord.Permissions(administrator=True))
    owner = guild.add_member(env.create_user("olga"))
    by_id = guild.add_member(env.create_user("ivan"))
    rei = env.create_user("rei")
    by_role = guild.add_member(rei, roles=[curators])
    admin = guild.add_member(env.create_user("adam"), roles=[admins])
    member = guild.add_member(env.create_user("mia"))
    other_bot = guild.add_member(env.create_user("otherbot", bot=True))
    bot.owner_id = owner.id
    bot.settings = bot.settings.model_copy(
        update={
            "curator_user_ids": frozenset({by_id.id}),
            "curator_role_ids": frozenset({curators.id}),
            "audit_channel_id": audit.id,
        }
    )
    await bot.tree.sync()
    curate = next(c for c in await bot.tree.fetch_commands() if c.name == "curate")
    guild.set_command_permissions(
        curate, {actor: True for actor in (owner, by_id, by_role, admin, member)}
    )
    return Desk(
        env,
        bot,
        own_library,
        guild,
        channel,
        audit,
        owner,
        by_id,
        by_role,
        admin,
        member,
        other_bot,
        rei,
    )
