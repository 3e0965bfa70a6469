"""Short, friendly replies to everything that can go wrong with a command.

Unexpected exceptions are logged with the command and a short trace id, and the
person who asked sees that id, so a report can be matched to the log.
"""

from __future__ import annotations

import contextlib
import logging
import math
import secrets
import time
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.commands import COMMANDS, HELP, Syntax, closest_command, parse
from bot.chat import limits
from bot.chat.access import NotCurator
from bot.errors import DiplobotError, QueryError

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

_OUT_OF_SYNC = "This command changed since Discord last saw it; the bot's owner should run `!sync`."
_WRAPPERS = (
    commands.CommandInvokeError,
    commands.HybridCommandError,
    commands.ConversionError,
    app_commands.CommandInvokeError,
)


def report_unexpected(where: str, error: BaseException) -> str:
    """Log an unexpected error under a new trace id; returns the reply naming that id."""
    trace = secrets.token_hex(4)
    log.error("%s failed [trace %s]", where, trace, exc_info=error)
    return (
        f"Something went wrong on my side (trace id `{trace}`). "
        "It has been logged; please try again later."
    )


def report_lost_reply(where: str, error: discord.DiscordServerError) -> None:
    """Log, in one line, a call to Discord that failed with a 5xx discord.py gave up on
    (sending the reply, usually).

    Nothing is sent in its place: Discord is what failed, so an error reply would most
    likely fail too, and a stack trace tells the bot's owner nothing they can fix.
    """
    log.warning(
        "%s: Discord answered %s %s; the reply may be lost",
        where,
        error.status,
        error.response.reason,
    )


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """Reply to an interaction so only its user sees it, whether or not it was answered."""
    if interaction.response.is_done():
        await interaction.followup.send(limits.content(text), ephemeral=True)
    else:
        await interaction.response.send_message(limits.content(text), ephemeral=True)


def unwrap(error: BaseException) -> BaseException:
    """The exception that caused ``error``, without discord.py's wrappers around it."""
    while isinstance(error, _WRAPPERS) and isinstance(getattr(error, "original", None), Exception):
        error = error.original
    return error


def explain(ctx: commands.Context[Any], error: BaseException) -> str | None:
    """What to tell the person whose command failed, or None to say nothing."""
    error = unwrap(error)
    prefix = ctx.clean_prefix
    if isinstance(error, commands.CommandNotFound):
        typed = ctx.clean_prefix
        prefix = ctx.bot.settings.command_prefix if typed.startswith("@") else typed
        return _unknown_command(ctx.invoked_with or "", prefix)
    if isinstance(error, commands.CommandOnCooldown):
        return _slow_down(error.retry_after)
    name = ctx.command.qualified_name if ctx.command else ""
    if isinstance(error, commands.MissingRequiredArgument):
        spec = COMMANDS.get(name)
        wanted = error.param.displayed_name or error.param.name
        example = f", for example `{spec.example}`" if spec else ""
        return f"`{prefix}{name}` needs a {wanted}{example}."
    if isinstance(error, commands.UserInputError):
        return f"{error} `{prefix}{HELP}` lists the commands."
    if isinstance(error, NotCurator):
        return str(error)
    if isinstance(error, commands.NotOwner):
        return f"Only the bot's owner can use `{prefix}{name}`."
    if isinstance(error, commands.CheckFailure):
        return f"You can't use `{prefix}{name}` here."
    if isinstance(error, DiplobotError):
        return str(error)
    if isinstance(error, discord.DiscordServerError):
        report_lost_reply(f"command {prefix}{name}", error)
        return None
    return report_unexpected(f"command {prefix}{name}", error)


def _told_this_burst(ctx: commands.Context[Any], error: commands.CommandOnCooldown) -> bool:
    """Whether this person was already told to slow down during this burst; the first time,
    remember it (until their cooldown ends), so a burst gets one notice, then reactions."""
    told: dict[int, float] = ctx.bot.slowed_down
    now = time.monotonic()
    if told.get(ctx.author.id, 0.0) > now:
        return True
    for stale in [user for user, until in told.items() if until <= now]:
        del told[stale]
    told[ctx.author.id] = now + error.retry_after
    return False


REFUSAL_SHOWN_FOR = 30.0
"""Seconds a refusal stays in the channel on the prefix path, where it cannot be private."""


async def reply_to_command_error(ctx: commands.Context[Any], error: BaseException) -> None:
    """Answer a failed prefix or hybrid command (privately, on the slash path)."""
    message = explain(ctx, error)
    if message is None:
        return
    cause = unwrap(error)
    # A slash command must be answered (privately); a typed one already told to slow
    # down in this burst only gets a reaction, so a burst makes one message.
    slowed = isinstance(cause, commands.CommandOnCooldown) and ctx.interaction is None
    if slowed and _told_this_burst(ctx, cast(commands.CommandOnCooldown, cause)):
        with contextlib.suppress(discord.HTTPException):
            await ctx.message.add_reaction("⏳")
        return
    refused = isinstance(cause, NotCurator)
    try:
        if refused:
            await ctx.send(limits.content(message), ephemeral=True, delete_after=REFUSAL_SHOWN_FOR)
        else:
            await ctx.send(limits.content(message), ephemeral=True)
    except discord.HTTPException as failure:
        log.warning("could not reply to a failed command: %s", failure)


class DiploTree(app_commands.CommandTree["DiploBot"]):
    """The slash-command tree, replying to errors that do not pass through a hybrid command."""

    async def on_error(
        self, interaction: discord.Interaction[DiploBot], error: app_commands.AppCommandError, /
    ) -> None:
        cause = unwrap(error)
        name = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(cause, app_commands.CommandSignatureMismatch | app_commands.CommandNotFound):
            message = _OUT_OF_SYNC
        elif isinstance(cause, NotCurator):
            message = str(cause)
        elif isinstance(cause, app_commands.CheckFailure):
            message = f"You can't use `/{name}` here."
        elif isinstance(cause, DiplobotError):
            message = str(cause)
        elif isinstance(cause, discord.DiscordServerError):
            report_lost_reply(f"slash command /{name}", cause)
            return
        else:
            message = report_unexpected(f"slash command /{name}", cause)
        try:
            await send_ephemeral(interaction, message)
        except discord.HTTPException as failure:
            log.warning("could not reply to a failed slash command: %s", failure)


def _slow_down(retry_after: float) -> str:
    return f"Slow down a little — try again in {max(1, math.ceil(retry_after))} s."


def _unknown_command(word: str, prefix: str) -> str | None:
    """The reply to an unknown prefix command: only when it is one typo from one of ours.

    Other bots in the server may share the prefix (`!play`, `!mute`, `!whois`);
    their commands get no reply.
    """
    if not word[:1].isalpha() or closest_command(word) is None:
        return None
    syntax = Syntax(prefix=prefix)
    try:
        parse(prefix + word, syntax)
    except QueryError as error:
        return str(error)
    return None
