"""``!follow`` / ``/follow``, ``!unfollow`` / ``/unfollow`` and ``!following`` / ``/following``,
built from the follow registry (`bot.follows.registry`).

Each registry entry becomes one hybrid command, as the lookups do, so the prefix and
slash forms share one declaration. They work in servers only, for members with
Manage Channels in the channel and for curators; anyone else gets one private refusal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat import access, limits
from bot.chat.lookup import send_answer, signature_of
from bot.core.arguments import Arg, bind
from bot.errors import QueryError
from bot.follows import FOLLOW_COMMANDS, FollowCommand, Place

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

Context = commands.Context["DiploBot"]
Callback = Callable[..., Coroutine[Any, Any, None]]


class FollowHybrid(commands.HybridCommand[Any, ..., None]):
    """A follow command whose prefix form reads its arguments as the registry declares
    them (`bot.core.arguments.bind`), as the lookups' prefix forms do."""

    def __init__(self, callback: Callback, *, spec: FollowCommand, **kwargs: Any) -> None:
        super().__init__(callback, **kwargs)
        self.spec = spec

    async def _parse_arguments(self, ctx: commands.Context[Any]) -> None:
        if ctx.interaction is not None:
            await super()._parse_arguments(ctx)
            return
        values = bind(self.spec.params, ctx.view.read_rest(), self.spec.usage, complete=False)
        ctx.args = [ctx]
        ctx.kwargs = {param.name: values.get(param.name) for param in self.spec.params}


def build_commands() -> list[FollowHybrid]:
    """One hybrid command per follow command, for servers only."""
    return [_hybrid(spec) for spec in FOLLOW_COMMANDS.values()]


async def _may_manage(ctx: Context) -> bool:
    name = ctx.command.qualified_name if ctx.command else "follow"
    where = f"/{name}" if ctx.interaction is not None else f"{ctx.clean_prefix}{name}"
    await access.check_follow_manager(ctx.bot, ctx.author, ctx.guild, ctx.permissions, where)
    return True


def _hybrid(spec: FollowCommand) -> FollowHybrid:
    callback = _callback(spec)
    app_commands.guild_only()(callback)
    if spec.params:
        app_commands.describe(**{p.name: limits.clip(p.description, 100) for p in spec.params})(
            callback
        )
    for param in spec.params:
        if param.type is Arg.CHOICE:
            choices = [app_commands.Choice(name=value, value=value) for value in param.choices]
            app_commands.choices(**{param.name: choices})(callback)
    command = FollowHybrid(
        callback,
        spec=spec,
        name=spec.name,
        description=limits.clip(spec.summary, 100),
        help=f"{spec.summary}\n\nExample: {spec.example}",
    )
    command.add_check(_may_manage)
    return command


def _callback(spec: FollowCommand) -> Callback:
    """A command callback taking the registry entry's parameters by name."""

    async def run(ctx: Context, **values: str | None) -> None:
        await respond(ctx, spec, *(values.get(param.name) for param in spec.params))

    run.__signature__ = signature_of(spec.params)  # type: ignore[attr-defined]
    run.__name__ = run.__qualname__ = spec.name
    return run


async def respond(ctx: Context, spec: FollowCommand, *args: str | None) -> None:
    """Run the follow command in a worker thread (it reads and writes the store) and send
    its answer where it was given; a bad argument gets one private line."""
    assert ctx.guild is not None  # the check lets servers only through
    bot: DiploBot = ctx.bot
    place = Place(
        bot.library,
        ctx.guild.id,
        ctx.channel.id,
        ctx.author.id,
        channel_names=channel_names(ctx.guild),
        digest_hour=bot.settings.digest_hour,
    )
    try:
        answer = await asyncio.to_thread(spec.handler, place, *args)
    except QueryError as error:
        await ctx.send(limits.content(str(error)), ephemeral=True)
        return
    bot.follow_poster.wake()  # a follow resumed here may have changes waiting
    await send_answer(ctx, answer)


def channel_names(guild: discord.Guild) -> dict[int, str]:
    """``#name`` of each of the server's channels and threads, by id."""
    named: dict[int, str] = {channel.id: f"#{channel.name}" for channel in guild.channels}
    named.update((thread.id, f"#{thread.name}") for thread in guild.threads)
    return named
