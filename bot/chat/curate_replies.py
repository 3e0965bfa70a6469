"""Running a curation operation from Discord and replying: its card, with the view the
operation declares (confirm, undo, a history's select, pages), and the audit post."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

import discord
from discord.ext import commands
from discord.utils import escape_markdown

from bot.chat import access, limits
from bot.chat.embeds import Card, escape_outside_code, render
from bot.chat.errors import send_ephemeral
from bot.chat.forms import ConfirmView, CuratorView, HistoryView, UndoView
from bot.chat.views import AnswerView
from bot.core.answer import Answer, Status
from bot.core.arguments import Param, UsageError
from bot.curation import operations
from bot.curation.file_ops import IMPORT_MAX_BYTES
from bot.curation.operations import Desk, Operation, Syntax, View

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

Context = commands.Context["DiploBot"]
Where = Context | discord.Interaction
RevisionAction = Callable[[discord.Interaction, int], Awaitable[None]]
"""What a history's select or a revision's button does with the revision's number."""


def client(where: Where) -> DiploBot:
    """The bot a command or interaction reached."""
    return cast("DiploBot", where.client if isinstance(where, discord.Interaction) else where.bot)


def _user(where: Where) -> discord.abc.User:
    return where.user if isinstance(where, discord.Interaction) else where.author


def run_sync(
    where: Where,
    spec: Operation,
    values: Mapping[str, Any],
    version: int | None = None,
    syntax: Syntax | None = None,
) -> Answer:
    """Run spec as the person who asked, where they asked (in a worker thread), with hints
    in ``syntax``: by default, the syntax they asked in."""
    desk = Desk(client(where).library, access.actor(_user(where), where.guild))
    typed = syntax or syntax_of(where)
    return operations.run(desk, spec.name, values, version=version, syntax=typed)


def syntax_of(where: Where) -> Syntax:
    """How the curator asked: by slash (a slash command, or a button or form under a
    reply to an interaction), or with the prefix they typed (the configured one when they
    mentioned the bot, and under a message the bot posted for a typed command). A view's
    buttons pass on the syntax of the command that showed them instead."""
    bot = client(where)
    if isinstance(where, discord.Interaction):
        message = where.message
        if message is None or message.interaction_metadata is not None:
            return operations.SLASH
        return Syntax(prefix=bot.settings.command_prefix)
    typed = where.clean_prefix
    return Syntax(prefix=bot.settings.command_prefix if typed.startswith("@") else typed)


async def run(
    where: Where, spec: Operation, values: Mapping[str, Any], syntax: Syntax | None = None
) -> None:
    """Run spec and show its answer where it was asked (hints in ``syntax``, by default the
    syntax it was asked in)."""
    syntax = syntax or syntax_of(where)
    answer = await asyncio.to_thread(run_sync, where, spec, values, None, syntax)
    await show(where, answer, spec, syntax)


async def attachment(
    attachments: list[discord.Attachment] | discord.Attachment | None, param: Param
) -> tuple[str, bytes] | None:
    """An attached file's name and bytes, refusing an oversized one, and a missing one
    unless param is optional (None then)."""
    if isinstance(attachments, list):
        attachments = attachments[0] if attachments else None
    if attachments is None:
        if not param.required:
            return None
        raise UsageError(f"attach the {param.name} to your message (a .yaml or .json file)")
    if attachments.size > IMPORT_MAX_BYTES:
        raise UsageError(
            f"{attachments.filename} is {attachments.size:,} bytes; "
            f"at most {IMPORT_MAX_BYTES:,} are taken"
        )
    return attachments.filename, await attachments.read()


async def show(
    where: Where, answer: Answer, spec: Operation | None = None, syntax: Syntax | None = None
) -> None:
    """Send an answer where it was asked (privately on the slash path), with the view its
    operation declares or its file, and post a change to the audit channel."""
    if spec is not None and spec.view is View.DRAFT:
        await _show_draft(where, answer)
        return
    bot, user = client(where), _user(where)
    card = render(answer)
    view = _view(bot, user, answer, card, spec, syntax or syntax_of(where))
    kwargs: dict[str, Any] = {"embed": card.pages[0]}
    if view is not None:
        kwargs["view"] = view
    if answer.attachment is not None:
        data = io.BytesIO(answer.attachment.data)
        kwargs["file"] = discord.File(data, filename=answer.attachment.filename)
    message: Any
    if isinstance(where, discord.Interaction):
        if where.response.is_done():
            message = await where.followup.send(ephemeral=True, wait=True, **kwargs)
        else:
            await where.response.send_message(ephemeral=True, **kwargs)
            message = await where.original_response()
    else:
        message = await where.send(**kwargs)
    if view is not None:
        view.message = message
    await audit(bot, answer, user, where.guild)


async def _show_draft(where: Where, answer: Answer) -> None:
    """Show an article draft for review with its buttons; a draft that could not be made
    gets one line (privately, on an interaction)."""
    from bot.chat.draft_review import draft_message  # which runs operations through here

    if answer.status is Status.ERROR or answer.draft is None:
        line = limits.content(escape_outside_code(answer.notice))
        if isinstance(where, discord.Interaction):
            await send_ephemeral(where, line)
        else:
            await where.send(line)
        return
    store = client(where).library.store
    embed, view = await asyncio.to_thread(draft_message, store, answer.draft)
    if isinstance(where, discord.Interaction):
        if where.response.is_done():
            await where.followup.send(embed=embed, view=view, ephemeral=True)
        else:
            await where.response.send_message(embed=embed, view=view, ephemeral=True)
    else:
        await where.send(embed=embed, view=view)


def _view(
    bot: DiploBot,
    user: discord.abc.User,
    answer: Answer,
    card: Card,
    spec: Operation | None,
    syntax: Syntax,
) -> CuratorView | AnswerView | None:
    """The buttons under an answer: a confirmation's, or those its operation declares,
    whose answers give hints in ``syntax``."""
    declared = spec.view if spec is not None else View.CARD
    if answer.confirm is not None:
        return ConfirmView(user, answer.confirm, show_confirmed, timeout=bot.view_timeout)
    if spec is not None and declared is View.REVISION and answer.listed:
        return UndoView(user, answer.listed[0], _undo(spec, syntax), timeout=bot.view_timeout)
    if spec is not None and declared is View.HISTORY and answer.listed:
        # "#12 · when · who · what · why": the select shows "#12 · what · why".
        labels = [
            f"#{n} · {line.split(' · ', 3)[-1]}"
            for n, line in zip(answer.listed, answer.lines, strict=True)
        ]
        return HistoryView(
            card,
            command=answer.command,
            author=user,
            revisions=list(zip(answer.listed, labels, strict=True)),
            pick=_pick(spec, syntax),
            older=_older(spec, answer, syntax) if answer.older else None,
            timeout=bot.view_timeout,
        )
    return AnswerView.for_card(card, command=answer.command, author=user, timeout=bot.view_timeout)


def _older(
    spec: Operation, listing: Answer, syntax: Syntax
) -> Callable[[discord.Interaction], Awaitable[None]]:
    """List, in the place of listing, as many revisions again from before its last one."""
    values: dict[str, Any] = {"limit": len(listing.listed), "before": listing.listed[-1]}
    if listing.query:
        values["record"] = listing.query

    async def press(interaction: discord.Interaction) -> None:
        answer = await asyncio.to_thread(run_sync, interaction, spec, values, None, syntax)
        card = render(answer)
        view = _view(client(interaction), interaction.user, answer, card, spec, syntax)
        await interaction.response.edit_message(embed=card.pages[0], view=view)
        if view is not None:
            view.message = interaction.message

    return press


def _pick(spec: Operation, syntax: Syntax) -> RevisionAction:
    """Show a revision picked from spec's listing, with the operation it follows up with."""
    shown = operations.follow_up(spec)

    async def pick(interaction: discord.Interaction, number: int) -> None:
        await run(interaction, shown, {"number": number}, syntax)

    return pick


def _undo(spec: Operation, syntax: Syntax) -> RevisionAction:
    """Undo the revision whose button under spec's answer was pressed, in its place."""
    undo = operations.follow_up(spec)

    async def press(interaction: discord.Interaction, number: int) -> None:
        await interaction.response.defer()  # an undo of a large import outlasts Discord's 3 s
        answer = await asyncio.to_thread(
            run_sync, interaction, undo, {"number": number}, None, syntax
        )
        await show_confirmed(interaction, answer)

    return press


async def show_confirmed(interaction: discord.Interaction, answer: Answer) -> None:
    """Replace a confirmation's message with what confirming did."""
    card = render(answer)
    if interaction.response.is_done():  # acknowledged while the change was made
        await interaction.edit_original_response(content=None, embed=card.pages[0], view=None)
    else:
        await interaction.response.edit_message(content=None, embed=card.pages[0], view=None)
    await audit(client(interaction), answer, interaction.user, interaction.guild)


async def audit(
    bot: DiploBot, answer: Answer, user: discord.abc.User, guild: discord.Guild | None
) -> None:
    """Post a change to the audit channel: who, what, the diff and the revision to undo."""
    channel_id = bot.settings.audit_channel_id
    if channel_id is None or not answer.revisions:
        return
    channel = bot.get_channel(channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        log.warning("AUDIT_CHANNEL_ID %s is not a text channel the bot can see", channel_id)
        return
    first, last = answer.revisions[0], answer.revisions[-1]
    numbers = f"#{first}" if first == last else f"#{first}–#{last}"
    where = f" in {escape_markdown(guild.name)}" if guild is not None else ""
    who = f"{escape_markdown(getattr(user, 'display_name', user.name))} ({user.mention}){where}"
    lines = limits.join_within([escape_markdown(line) for line in answer.lines], 3000)
    embed = limits.make_embed(
        title=f"Revision {numbers}: {answer.title}",
        description=f"{who}\n{escape_markdown(answer.notice)}\n\n{lines}".strip(),
        colour=discord.Colour.green(),
        footer=f"Undo: /curate undo number:{first}",
    )
    try:
        await channel.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException as error:
        log.warning("could not post to the audit channel %s: %s", channel_id, error)
