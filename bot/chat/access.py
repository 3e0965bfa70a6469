"""Who may curate, checked at the moment of every action.

Curation rights are granted, never inferred from a server's own permissions:
every server the bot is in shares one store, and any server can give itself
Administrator. The rights go to the application's owner (or its team's
admins and developers), to the users in ``CURATOR_USER_IDS``, and to members
holding a role in ``CURATOR_ROLE_IDS`` in the server where they hold it.
Curation happens in servers only, where changes are seen and audited.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.records.actor import Actor

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

REFUSAL = "Only diplobot's curators can change its facts, and only in a server."
"""The one sentence a refused attempt gets. It never says whether the target exists."""


class NotCurator(commands.CheckFailure, app_commands.CheckFailure):
    """Someone who may not curate tried to; the reply is `REFUSAL`."""

    def __init__(self) -> None:
        super().__init__(REFUSAL)


async def may_curate(bot: DiploBot, user: discord.abc.User, guild: discord.Guild | None) -> bool:
    """Whether user may curate here: never a bot or webhook, never outside a server."""
    if user.bot or guild is None or not isinstance(user, discord.Member):
        return False
    settings = bot.settings
    if user.id in settings.curator_user_ids or await bot.is_owner(user):
        return True
    return any(role.id in settings.curator_role_ids for role in user.roles)


async def check(
    bot: DiploBot, user: discord.abc.User, guild: discord.Guild | None, what: str
) -> None:
    """Raise `NotCurator`, after logging the attempt, unless user may curate here."""
    if await may_curate(bot, user, guild):
        return
    _log_refusal(user, guild, what)
    raise NotCurator


def actor(user: discord.abc.User, guild: discord.Guild | None) -> Actor:
    """The revision log's record of a Discord user acting in guild."""
    name = getattr(user, "display_name", None) or user.name
    return Actor(
        str(user.id),
        name[:100],
        str(guild.id) if guild is not None else None,
        guild.name[:100] if guild is not None else None,
    )


FOLLOW_REFUSAL = (
    "Only members who can manage this channel, and diplobot's curators, can change or list "
    "its follows, and only in a server."
)
"""The one sentence a refused follow command gets."""


class NotFollowManager(NotCurator):
    """Someone who may not manage follows here tried to; the reply is `FOLLOW_REFUSAL`."""

    def __init__(self) -> None:
        commands.CheckFailure.__init__(self, FOLLOW_REFUSAL)


async def check_follow_manager(
    bot: DiploBot,
    user: discord.abc.User,
    guild: discord.Guild | None,
    permissions: discord.Permissions,
    what: str,
) -> None:
    """Raise `NotFollowManager`, after logging the attempt, unless user may change follows
    here: a member with Manage Channels in the channel (``permissions``), or a curator."""
    member = guild is not None and isinstance(user, discord.Member) and not user.bot
    if member and (permissions.manage_channels or await may_curate(bot, user, guild)):
        return
    _log_refusal(user, guild, what)
    raise NotFollowManager


def _log_refusal(user: discord.abc.User, guild: discord.Guild | None, what: str) -> None:
    log.warning(
        "refused %s to user %s in %s",
        what,
        user.id,
        f"guild {guild.id}" if guild is not None else "a DM",
    )
