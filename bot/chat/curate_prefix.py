"""``!curate …``: the prefix command group, built from the curation registry.

It reads its arguments as the console does (``!curate fact edit KEY
date:2024-03``) and takes an import file attached to the message.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from discord.ext import commands

from bot.chat import access, limits
from bot.chat.curate_replies import Context, attachment, run, show
from bot.core.arguments import Arg, UsageError, bind
from bot.curation import operations
from bot.curation.operations import OPERATIONS, Operation
from bot.errors import DiplobotError


class CurationCommand(commands.Command[Any, ..., Any]):
    """``!curate …``: reads the rest of the message with the registry's parser."""

    def __init__(self, callback: Any, *, spec: Operation, **kwargs: Any) -> None:
        super().__init__(callback, **kwargs)
        self.spec = spec

    async def _parse_arguments(self, ctx: commands.Context[Any]) -> None:
        ctx.args = [ctx]
        ctx.kwargs = {"text": ctx.view.read_rest()}


async def _curator_only(ctx: Context) -> bool:
    """Let only curators on; a refusal is logged with the command refused
    (``!curate fact add``)."""
    await access.check(ctx.bot, ctx.author, ctx.guild, f"{ctx.clean_prefix}{_refused(ctx)}")
    return True


def _refused(ctx: Context) -> str:
    """The curation command a message names (``curate fact add``), as far as it names one:
    the group's check runs before its subcommand is found."""
    try:
        name, _ = operations.parse(ctx.message.content[len(ctx.prefix or "") :])
    except UsageError:
        return ctx.command.qualified_name if ctx.command is not None else operations.PREFIX_WORD
    return f"{operations.PREFIX_WORD} {name}"


def prefix_group() -> commands.Group[Any, ..., Any]:
    """The ``!curate`` group: a subgroup per group of operations, a command per operation."""
    root: commands.Group[Any, ..., Any] = commands.Group(
        _help_callback(None),
        name=operations.PREFIX_WORD,
        invoke_without_command=True,
        case_insensitive=True,
        help="Add and correct facts (curators only).",
    )
    root.add_check(_curator_only)
    groups: dict[str, commands.Group[Any, ..., Any]] = {}
    for spec in OPERATIONS.values():
        parent = root
        if spec.group_help is not None:
            word = spec.path[0]
            if word not in groups:
                groups[word] = commands.Group(
                    _help_callback(word),
                    name=word,
                    invoke_without_command=True,
                    case_insensitive=True,
                    help=spec.group_help,
                )
                groups[word].add_check(_curator_only)
                root.add_command(groups[word])
            parent = groups[word]
        command = CurationCommand(
            _prefix_callback(spec), spec=spec, name=spec.path[-1], help=spec.summary
        )
        # A group's own check does not run for its subcommands: every command has it.
        command.add_check(_curator_only)
        parent.add_command(command)
    return root


def _help_callback(group: str | None) -> Callable[..., Coroutine[Any, Any, None]]:
    async def show_help(ctx: Context) -> None:
        await show(ctx, operations.help_answer(ctx.clean_prefix, group))

    return show_help


def _prefix_callback(spec: Operation) -> Callable[..., Coroutine[Any, Any, None]]:
    async def curate(ctx: Context, text: str = "") -> None:
        try:
            values: dict[str, Any] = dict(
                bind(spec.params, text, f"{ctx.clean_prefix}{spec.usage}")
            )
            for param in spec.params:
                if param.type is Arg.FILE:
                    attached = await attachment(ctx.message.attachments, param)
                    if attached is not None:
                        values[param.name] = attached
        except DiplobotError as error:
            await ctx.send(limits.content(str(error)))
            return
        await run(ctx, spec, values)

    return curate
