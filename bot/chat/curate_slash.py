"""``/curate …``: the slash command group, built from the curation registry, with
autocomplete on every record key.

Each operation has one option per parameter; an operation that declares a form
opens it instead of taking its long text as an option.
"""

from __future__ import annotations

import asyncio
import bisect
import inspect
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Literal, cast

import discord
from discord import app_commands

from bot.answers.catalog import Catalog
from bot.chat import access, limits
from bot.chat.curate_form import open_form
from bot.chat.curate_replies import attachment, run
from bot.chat.errors import send_ephemeral
from bot.chat.lookup import suggest
from bot.core.arguments import REFERENCES, Arg, Param
from bot.curation import operations
from bot.curation.operations import OPERATIONS, Operation, View
from bot.errors import DiplobotError, StoreError

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

SlashCallback = Callable[..., Coroutine[Any, Any, None]]


def slash_group() -> app_commands.Group:
    """The ``/curate`` group: a subgroup per group of operations, a command per operation
    offered by slash."""
    root = app_commands.Group(
        name=operations.PREFIX_WORD,
        description="Add and correct diplobot's facts (curators only)",
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        allowed_installs=app_commands.AppInstallationType(guild=True),
        default_permissions=discord.Permissions(manage_guild=True),
    )
    groups: dict[str, app_commands.Group] = {}
    for spec in OPERATIONS.values():
        if not spec.slash:
            continue
        parent = root
        if spec.group_help is not None:
            word = spec.path[0]
            if word not in groups:
                groups[word] = app_commands.Group(
                    name=word, description=spec.group_help, parent=root
                )
            parent = groups[word]
        command: app_commands.Command[Any, ..., None] = app_commands.Command(
            name=spec.path[-1],
            description=limits.clip(spec.summary, 100),
            callback=_slash_callback(spec),
        )
        command.add_check(_slash_curator_only)
        for param in _slash_params(spec):
            if param.type in REFERENCES:
                command.autocomplete(param.name)(_completer(param))
        parent.add_command(command)
    return root


async def _slash_curator_only(interaction: discord.Interaction) -> bool:
    bot = cast("DiploBot", interaction.client)
    name = interaction.command.qualified_name if interaction.command else "curate"
    await access.check(bot, interaction.user, interaction.guild, f"/{name}")
    return True


def _slash_params(spec: Operation) -> list[Param]:
    """The options of the slash command: a form's long fields are typed in the form instead."""
    typed_in_form = spec.form.long if spec.form is not None else frozenset()
    return [p for p in spec.params if p.name not in typed_in_form]


def _annotation(param: Param) -> Any:
    if param.type is Arg.NUMBER:
        return app_commands.Range[int, 1, None]
    if param.type is Arg.FLAG:
        return bool
    if param.type is Arg.FILE:
        return discord.Attachment
    if param.type is Arg.CHOICE:
        return Literal.__getitem__(param.choices)
    return str


def _slash_callback(spec: Operation) -> SlashCallback:
    """A callback taking the operation's options by name; form fields are optional here."""

    async def curate(interaction: discord.Interaction, **options: Any) -> None:
        await _slash(interaction, spec, {k: v for k, v in options.items() if v is not None})

    in_form = spec.form.names if spec.form is not None else frozenset()
    parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for param in _slash_params(spec):
        required = param.required and param.name not in in_form
        annotation = _annotation(param)
        parameters.append(
            inspect.Parameter(
                param.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=annotation if required else annotation | None,
                default=inspect.Parameter.empty if required else None,
            )
        )
    curate.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    curate.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        param.name: limits.clip(param.description, 100) for param in _slash_params(spec)
    }
    curate.__name__ = curate.__qualname__ = "_".join(spec.path)
    return curate


async def _slash(
    interaction: discord.Interaction, spec: Operation, options: dict[str, Any]
) -> None:
    if spec.form is not None and not spec.form.unless & options.keys():
        await open_form(interaction, spec, spec.form, options)
        return
    values = dict(options)
    if spec.view is View.DRAFT:  # fetching and reading an article outlasts Discord's 3 s
        await interaction.response.defer(ephemeral=True, thinking=True)
    for param in spec.params:
        if param.type is Arg.FILE and param.name in values:
            try:
                if not interaction.response.is_done():
                    await interaction.response.defer(ephemeral=True, thinking=True)
                values[param.name] = await attachment(values[param.name], param)
            except DiplobotError as error:
                await send_ephemeral(interaction, str(error))
                return
    await run(interaction, spec, values)


# ---------------------------------------------------------------------------
# Autocomplete


def _completer(param: Param) -> Callable[..., Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        bot = cast("DiploBot", interaction.client)
        if not await access.may_curate(bot, interaction.user, interaction.guild):
            return []
        return await asyncio.to_thread(keys_for, bot.library.catalog, param, current)

    return complete


def keys_for(catalog: Catalog, param: Param, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete choices of record keys for what has been typed so far.

    For a list (``japan, rus``) the last item is completed and the earlier ones
    are kept in each choice's value.
    """
    earlier, last = "", current
    if param.type in (Arg.ENTITIES, Arg.SOURCES):
        items = current.split(",")
        earlier = ",".join(item.strip() for item in items[:-1] if item.strip())
        last = items[-1].strip()
        if "=" in last:
            return []
    if param.type is Arg.FACT:
        choices = _fact_choices(catalog, last)
    elif param.type in (Arg.SOURCE, Arg.SOURCES):
        choices = suggest(catalog, Param("source", "", names_sources=True), last)
    elif param.type is Arg.RECORD:
        choices = suggest(catalog, Param("entity", ""), last)[:15]
        choices += suggest(catalog, Param("source", "", names_sources=True), last)[:5]
        choices += _fact_choices(catalog, last)[:5]
    else:
        choices = suggest(catalog, Param("entity", "", kinds=param.kinds), last)
    if not earlier:
        return choices[: limits.CHOICES]
    return [
        limits.choice(f"{earlier}, {choice.name}", f"{earlier},{choice.value}")
        for choice in choices[: limits.CHOICES]
        if len(f"{earlier},{choice.value}") <= 100
    ]


def _fact_choices(catalog: Catalog, typed: str) -> list[app_commands.Choice[str]]:
    typed = " ".join(typed.split())
    keys = catalog.fact_keys
    if not typed:
        facts = [catalog.facts[key] for key in keys[: limits.CHOICES]]
    else:
        prefix = typed.casefold()
        start = bisect.bisect_left(keys, prefix)
        begun = keys[start : start + limits.CHOICES]
        starts = [catalog.facts[key] for key in begun if key.startswith(prefix)]
        try:
            found = [hit.fact for hit in catalog.search_facts(typed, limit=limits.CHOICES)]
        except StoreError:  # the store is away: keys still complete from memory
            found = []
        facts = list(dict.fromkeys([*starts, *found]))
    return [
        limits.choice(f"{fact.text} ({fact.key})", fact.key) for fact in facts[: limits.CHOICES]
    ]
