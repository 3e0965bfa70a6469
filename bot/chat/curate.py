"""The curation commands on Discord, generated from `bot.curation.commands.OPERATIONS`.

``!curate …`` reads its arguments as the console does (``!curate fact edit KEY
date:2024-03``) and takes an import file attached to the message. ``/curate …``
has one option per parameter, with autocomplete on every key; a fact's text
is typed into a form. Every path checks, at the moment of the action, that the
person may curate (`bot.chat.access`). Replies on the slash path are private;
changes are posted to the audit channel when one is set.
"""

from __future__ import annotations

import asyncio
import bisect
import inspect
import io
import logging
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Literal, cast

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import escape_markdown

from bot.answers.catalog import Catalog
from bot.chat import access, limits
from bot.chat.embeds import render
from bot.chat.errors import send_ephemeral
from bot.chat.forms import (
    FORM_FIELDS,
    ConfirmView,
    FactForm,
    HistoryView,
    ReopenView,
    UndoView,
)
from bot.chat.lookup import suggest
from bot.chat.views import AnswerView
from bot.core.answer import Answer, Status
from bot.core.arguments import Arg, Param, UsageError, bind
from bot.curation import commands as curation
from bot.curation.commands import OPERATIONS, Desk, Operation
from bot.curation.edits import read_record
from bot.errors import DiplobotError, StoreError

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

Context = commands.Context["DiploBot"]
Where = Context | discord.Interaction
SlashCallback = Callable[..., Coroutine[Any, Any, None]]

_GROUP_HELP = {
    "source": "Add and correct sources (articles)",
    "entity": "Add, correct, link, merge and delete entities",
    "alias": "Add and remove an entity's other names",
    "fact": "Add, correct and delete facts",
}


def build(bot: DiploBot) -> tuple[commands.Group[Any, ..., Any], app_commands.Group]:
    """The ``!curate`` command group and the ``/curate`` slash group, from the registry."""
    return _prefix_group(), _slash_group(bot)


# ---------------------------------------------------------------------------
# Prefix


class CurationCommand(commands.Command[Any, ..., Any]):
    """``!curate …``: reads the rest of the message with the registry's parser."""

    def __init__(self, callback: Any, *, spec: Operation, **kwargs: Any) -> None:
        super().__init__(callback, **kwargs)
        self.spec = spec

    async def _parse_arguments(self, ctx: commands.Context[Any]) -> None:
        ctx.args = [ctx]
        ctx.kwargs = {"text": ctx.view.read_rest()}


async def _curator_only(ctx: Context) -> bool:
    await access.check(ctx.bot, ctx.author, ctx.guild, f"{ctx.clean_prefix}curate")
    return True


def _prefix_group() -> commands.Group[Any, ..., Any]:
    root: commands.Group[Any, ..., Any] = commands.Group(
        _help_callback(None),
        name=curation.PREFIX_WORD,
        invoke_without_command=True,
        case_insensitive=True,
        help="Add and correct facts (curators only).",
    )
    root.add_check(_curator_only)
    groups: dict[str, commands.Group[Any, ..., Any]] = {}
    for spec in OPERATIONS.values():
        parent = root
        if len(spec.path) == 2:
            word = spec.path[0]
            if word not in groups:
                groups[word] = commands.Group(
                    _help_callback(word),
                    name=word,
                    invoke_without_command=True,
                    case_insensitive=True,
                    help=_GROUP_HELP.get(word, word),
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
        lines = [
            f"{ctx.clean_prefix}{spec.usage}: {spec.summary}"
            for spec in OPERATIONS.values()
            if group is None or spec.path[0] == group
        ]
        answer = Answer(
            "curate help",
            "",
            Status.FOUND,
            title="Curation commands",
            notice="Values with spaces go in double quotes; `-` clears an optional field.",
            lines=tuple(lines),
        )
        await _show(ctx, answer)

    return show_help


def _prefix_callback(spec: Operation) -> Callable[..., Coroutine[Any, Any, None]]:
    async def curate(ctx: Context, text: str = "") -> None:
        try:
            values: dict[str, Any] = dict(
                bind(spec.params, text, f"{ctx.clean_prefix}{spec.usage}")
            )
            for param in spec.params:
                if param.type is Arg.FILE:
                    values[param.name] = await _attachment(ctx.message.attachments, param)
        except DiplobotError as error:
            await ctx.send(limits.content(str(error)))
            return
        await _run(ctx, spec, values)

    return curate


async def _attachment(
    attachments: list[discord.Attachment] | discord.Attachment | None, param: Param
) -> tuple[str, bytes]:
    """An attached file's name and bytes, refusing a missing or oversized one."""
    if isinstance(attachments, list):
        attachments = attachments[0] if attachments else None
    if attachments is None:
        raise UsageError(f"attach the {param.name} to your message (a .yaml or .json file)")
    if attachments.size > curation.IMPORT_MAX_BYTES:
        raise UsageError(
            f"{attachments.filename} is {attachments.size:,} bytes; "
            f"at most {curation.IMPORT_MAX_BYTES:,} are taken"
        )
    return attachments.filename, await attachments.read()


# ---------------------------------------------------------------------------
# Slash


def _slash_group(bot: DiploBot) -> app_commands.Group:
    root = app_commands.Group(
        name=curation.PREFIX_WORD,
        description="Add and correct diplobot's facts (curators only)",
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        allowed_installs=app_commands.AppInstallationType(guild=True),
        default_permissions=discord.Permissions(manage_guild=True),
    )
    groups: dict[str, app_commands.Group] = {}
    for spec in OPERATIONS.values():
        if spec.path == ("help",):
            continue
        parent = root
        if len(spec.path) == 2:
            word = spec.path[0]
            if word not in groups:
                groups[word] = app_commands.Group(
                    name=word, description=_GROUP_HELP.get(word, word), parent=root
                )
            parent = groups[word]
        command: app_commands.Command[Any, ..., None] = app_commands.Command(
            name=spec.path[-1],
            description=limits.clip(spec.summary, 100),
            callback=_slash_callback(spec),
        )
        command.add_check(_slash_curator_only)
        for param in _slash_params(spec):
            if param.type in (
                Arg.ENTITY,
                Arg.ENTITIES,
                Arg.SOURCE,
                Arg.SOURCES,
                Arg.FACT,
                Arg.RECORD,
            ):
                command.autocomplete(param.name)(_completer(param))
        parent.add_command(command)
    return root


async def _slash_curator_only(interaction: discord.Interaction) -> bool:
    bot = cast("DiploBot", interaction.client)
    name = interaction.command.qualified_name if interaction.command else "curate"
    await access.check(bot, interaction.user, interaction.guild, f"/{name}")
    return True


def _slash_params(spec: Operation) -> list[Param]:
    """The options of the slash form: the form's fields are typed in the form instead."""
    return [p for p in spec.params if not (spec.form and p.name == spec.form)]


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

    parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for param in _slash_params(spec):
        required = param.required and not (spec.form and param.name in FORM_FIELDS)
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
    if spec.form:
        await _open_form(interaction, spec, options)
        return
    values = dict(options)
    for param in spec.params:
        if param.type is Arg.FILE and param.name in values:
            try:
                await interaction.response.defer(ephemeral=True, thinking=True)
                values[param.name] = await _attachment(values[param.name], param)
            except DiplobotError as error:
                await send_ephemeral(interaction, str(error))
                return
    await _run(interaction, spec, values)


# ---------------------------------------------------------------------------
# The fact form


async def _open_form(
    interaction: discord.Interaction, spec: Operation, options: dict[str, Any]
) -> None:
    """Open the form, filled in from the stored record (for an edit) and the options given."""
    bot = cast("DiploBot", interaction.client)
    draft = {k: str(v) for k, v in options.items() if k in FORM_FIELDS}
    version: int | None = None
    if spec.record is not None:
        key = str(options.get(spec.record, ""))
        try:
            stored, version = await asyncio.to_thread(
                read_record, bot.library.store, spec.record, key
            )
        except DiplobotError as error:
            await send_ephemeral(interaction, _sentence(str(error)))
            return
        draft = {**_as_form(stored), **draft}
    stored_form = draft if spec.record is not None else {}
    await interaction.response.send_modal(
        _form(interaction.user, spec, options, draft, stored_form, version)
    )


def _form(
    owner: discord.abc.User,
    spec: Operation,
    options: Mapping[str, Any],
    draft: Mapping[str, str],
    stored: Mapping[str, str],
    version: int | None,
) -> FactForm:
    """The fact form showing draft; an edit saves only the fields that differ from stored."""
    title = "Edit a fact" if spec.record else "Add a fact"

    async def submit(interaction: discord.Interaction, typed: dict[str, str]) -> None:
        changed = {k: v for k, v in typed.items() if stored.get(k) != v}
        values = {**{k: v for k, v in options.items() if k not in FORM_FIELDS}, **changed}
        answer = await asyncio.to_thread(_run_sync, interaction, spec, values, version)
        if answer.status is not Status.ERROR:
            await _show(interaction, answer)
            return
        fresh = version
        if curation.is_stale(answer) and spec.record is not None:
            _, fresh = await asyncio.to_thread(
                read_record, _bot(interaction).library.store, spec.record, str(options[spec.record])
            )
        reopen = ReopenView(
            lambda: _form(owner, spec, options, typed, stored, fresh),
            owner=owner,
            timeout=_bot(interaction).view_timeout,
        )
        card = render(answer)
        await interaction.response.send_message(embed=card.pages[0], view=reopen, ephemeral=True)
        reopen.message = await interaction.original_response()

    return FactForm(owner, title, draft, submit)


def _as_form(record: Mapping[str, Any]) -> dict[str, str]:
    """A stored fact's fields as the form shows them."""
    about = ", ".join(
        item if isinstance(item, str) else f"{item['entity']}={item['role']}"
        for item in record.get("about", [])
    )
    source = record.get("source", [])
    return {
        "text": str(record.get("text", "")),
        "about": about,
        "source": source if isinstance(source, str) else ", ".join(source),
        "date": str(record.get("date", "")),
        "type": str(record.get("type", "")),
    }


# ---------------------------------------------------------------------------
# Running and showing


def _bot(where: Where) -> DiploBot:
    return cast("DiploBot", where.client if isinstance(where, discord.Interaction) else where.bot)


def _user(where: Where) -> discord.abc.User:
    return where.user if isinstance(where, discord.Interaction) else where.author


def _run_sync(
    where: Where, spec: Operation, values: Mapping[str, Any], version: int | None = None
) -> Answer:
    bot = _bot(where)
    desk = Desk(bot.library, access.actor(_user(where), where.guild))
    return curation.run(desk, spec.name, values, version=version)


async def _run(where: Where, spec: Operation, values: Mapping[str, Any]) -> None:
    answer = await asyncio.to_thread(_run_sync, where, spec, values)
    await _show(where, answer)


async def _show(where: Where, answer: Answer) -> None:
    """Send an answer where it was asked (privately on the slash path), with its buttons
    or file, and post a change to the audit channel."""
    bot, user = _bot(where), _user(where)
    card = render(answer)
    view: discord.ui.View | None = None
    if answer.confirm is not None:
        view = ConfirmView(user, answer.confirm, _show_confirmed, timeout=bot.view_timeout)
    elif answer.command == "curate revision" and answer.listed:
        view = UndoView(user, answer.listed[0], _undo, timeout=bot.view_timeout)
    elif answer.command == "curate history" and answer.listed:
        # "#12 · when · who · what · why": the select shows "#12 · what · why".
        labels = [
            f"#{n} · {line.split(' · ', 3)[-1]}"
            for n, line in zip(answer.listed, answer.lines, strict=True)
        ]
        view = HistoryView(
            card,
            author=user,
            revisions=list(zip(answer.listed, labels, strict=True)),
            pick=_pick,
            timeout=bot.view_timeout,
        )
    else:
        view = AnswerView.for_card(
            card, command=answer.command, author=user, timeout=bot.view_timeout
        )
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


async def _pick(interaction: discord.Interaction, number: int) -> None:
    """Show a revision picked from a history listing."""
    await _run(interaction, OPERATIONS["revision"], {"number": number})


async def _undo(interaction: discord.Interaction, number: int) -> None:
    """Undo the revision whose Undo button was pressed, showing the result in its place."""
    await interaction.response.defer()  # an undo of a large import outlasts Discord's 3 s
    answer = await asyncio.to_thread(_run_sync, interaction, OPERATIONS["undo"], {"number": number})
    await _show_confirmed(interaction, answer)


async def _show_confirmed(interaction: discord.Interaction, answer: Answer) -> None:
    """Replace a confirmation's message with what confirming did."""
    card = render(answer)
    if interaction.response.is_done():  # acknowledged while the change was made
        await interaction.edit_original_response(content=None, embed=card.pages[0], view=None)
    else:
        await interaction.response.edit_message(content=None, embed=card.pages[0], view=None)
    await audit(_bot(interaction), answer, interaction.user, interaction.guild)


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


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


__all__ = ["audit", "build", "keys_for"]
