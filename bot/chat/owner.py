"""Commands for the bot's owner: publishing the slash commands to Discord."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord.ext import commands

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot


class Owner(commands.Cog):
    """Owner-only maintenance. Start-up never syncs; the owner does, on purpose."""

    def __init__(self, bot: DiploBot) -> None:
        self.bot = bot

    @commands.command(hidden=True)
    @commands.is_owner()
    async def sync(
        self, ctx: commands.Context[DiploBot], scope: Literal["dev", "global"] = "dev"
    ) -> None:
        """Publish the slash commands: to DEV_GUILD_ID when it is set, else (or with
        ``global``) to every server."""
        tree = self.bot.tree
        guild_id = self.bot.settings.dev_guild_id
        if scope == "dev" and guild_id is not None:
            guild = discord.Object(guild_id)
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
            where = f"to the development server ({guild_id})"
        else:
            synced = await tree.sync()
            where = "globally"
        await ctx.send(f"Synced {len(synced)} slash commands {where}.")
