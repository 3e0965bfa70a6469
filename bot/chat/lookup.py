"""The lookup commands, generated from the registry in `bot.answers.commands`.

Each registry entry becomes one hybrid command, so ``!who nozdrev`` and
``/who name:nozdrev`` share a definition and give the same answer. A command
added to the registry appears here with no change to this module.

The prefix form reads its arguments as the console does (``!who nikolai
nozdrev``; ``!timeline japan russia`` leaves the split to the core;
``!timeline name:"south korea" other:japan`` names them); the slash form has
one option per registry parameter, with autocomplete on names.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.catalog import Catalog
from bot.answers.commands import COMMANDS, HELP, MAX_QUERY, SLASH, Command, Syntax, run
from bot.charts.timeline import timeline_chart, wants_chart
from bot.chat import limits
from bot.chat.embeds import render
from bot.chat.views import AnswerView
from bot.core.answer import Answer
from bot.core.arguments import Param, bind
from bot.errors import QueryError
from bot.follows import help_lines
from bot.search.normalize import match_keys
from bot.search.results import Hit

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

COOLDOWN_RATE = 5
COOLDOWN_PER = 10.0
"""Each person may run `COOLDOWN_RATE` lookups per `COOLDOWN_PER` seconds."""

Context = commands.Context["DiploBot"]
Callback = Callable[..., Coroutine[Any, Any, None]]
LookupCommand = commands.HybridCommand[Any, ..., None]
Completer = Callable[
    ["discord.Interaction[DiploBot]", str], Coroutine[Any, Any, list[app_commands.Choice[str]]]
]


def build_commands(*, rate: int = COOLDOWN_RATE, per: float = COOLDOWN_PER) -> list[LookupCommand]:
    """One hybrid command per registry entry, with its descriptions and name autocomplete,
    all sharing one cooldown: each person may run ``rate`` lookups, of any kind, per
    ``per`` seconds."""
    shared = commands.CooldownMapping(commands.Cooldown(rate, per), commands.BucketType.user)
    return [_hybrid(spec, shared) for spec in COMMANDS.values()]


class RegistryCommand(commands.HybridCommand[Any, ..., None]):
    """A hybrid command whose prefix form reads its arguments as the registry declares them
    (`bot.core.arguments.bind`), so any number of them works the same by prefix, by
    slash and in the console."""

    def __init__(self, callback: Callback, *, spec: Command, **kwargs: Any) -> None:
        super().__init__(callback, **kwargs)
        self.spec = spec

    async def _parse_arguments(self, ctx: commands.Context[Any]) -> None:
        if ctx.interaction is not None:  # the slash form: Discord has split the options
            await super()._parse_arguments(ctx)
            return
        values = bind(self.spec.params, ctx.view.read_rest(), self.spec.usage, complete=False)
        ctx.args = [ctx]
        ctx.kwargs = {param.name: values.get(param.name) for param in self.spec.params}


def _hybrid(spec: Command, cooldown: commands.CooldownMapping[Any]) -> LookupCommand:
    callback = _callback(spec)
    # Lookups also work for people who install the app to their account: in DMs, group
    # DMs and servers the bot never joined (where the interaction's guild is a stub).
    app_commands.allowed_installs(guilds=True, users=True)(callback)
    app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(callback)
    if spec.params:
        app_commands.describe(**{p.name: limits.clip(p.description, 100) for p in spec.params})(
            callback
        )
    command = RegistryCommand(
        callback,
        spec=spec,
        name=spec.name,
        description=limits.clip(spec.summary, 100),
        help=f"{spec.summary}\n\nExample: {spec.example}",
        cooldown=cooldown,
    )
    for param in spec.params:
        if not param.free_text:
            command.autocomplete(param.name)(_completer(param))
    return command


def _callback(spec: Command) -> Callback:
    """A command callback taking the registry entry's parameters by name: a text option
    each on the slash form, required or not as declared."""

    async def lookup(ctx: Context, **values: str | None) -> None:
        await respond(ctx, spec.name, *(values.get(param.name) for param in spec.params))

    lookup.__signature__ = signature_of(spec.params)  # type: ignore[attr-defined]
    lookup.__name__ = lookup.__qualname__ = spec.name
    return lookup


def signature_of(params: Sequence[Param]) -> inspect.Signature:
    """The signature discord.py reads a command's options from: ``ctx``, then a text
    option per parameter, by name, required or not as declared."""
    return inspect.Signature(
        [
            inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            *(
                commands.Parameter(
                    param.name,
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=str if param.required else str | None,
                    default=inspect.Parameter.empty if param.required else None,
                )
                for param in params
            ),
        ]
    )


async def respond(ctx: Context, name: str, *args: str | None) -> None:
    """Run lookup ``name`` and send its answer where it was asked.

    The lookup runs in a worker thread: on a large store it takes tens of
    milliseconds, which the gateway's heartbeat should not wait for.
    """
    syntax = syntax_of(ctx)
    try:
        answer = await asyncio.to_thread(run, ctx.bot.library.catalog, name, *args, syntax=syntax)
    except QueryError as error:
        await ctx.send(limits.content(str(error)), ephemeral=True)
        return
    if name == HELP and ctx.guild is not None:  # follows are made in a server's channels
        answer = replace(answer, lines=answer.lines + help_lines(syntax))
    await send_answer(ctx, answer, syntax)


def syntax_of(ctx: commands.Context[Any]) -> Syntax:
    """How the person who asked types commands: the slash form, or the prefix they used
    (the configured one even when they asked by mentioning the bot)."""
    if ctx.interaction is not None:
        return SLASH
    typed = ctx.clean_prefix
    return Syntax(prefix=typed if not typed.startswith("@") else ctx.bot.settings.command_prefix)


async def send_answer(ctx: Context, answer: Answer, syntax: Syntax | None = None) -> None:
    """Send an answer's first page, with page and "did you mean" buttons when it has any,
    and its chart attached when it has one (a timeline of 3 dated facts or more); answers
    the buttons draw again give hints in ``syntax`` (by default, as ctx was asked)."""
    card = render(answer)
    view = AnswerView.for_answer(
        answer,
        card,
        author=ctx.author,
        timeout=ctx.bot.view_timeout,
        syntax=syntax or syntax_of(ctx),
    )
    chart = await chart_file(answer)
    extra: dict[str, Any] = {"file": chart} if chart is not None else {}
    if view is None:
        await ctx.send(embed=card.pages[0], **extra)
    else:
        view.message = await ctx.send(embed=card.pages[0], view=view, **extra)


async def chart_file(answer: Answer) -> discord.File | None:
    """answer's chart as a file to attach, described for screen readers; None when it has
    none, or when drawing it failed (the answer goes out without it). Drawn in a worker
    thread: it takes tens of milliseconds the event loop should not wait for."""
    if not wants_chart(answer):
        return None
    try:
        chart = await asyncio.to_thread(timeline_chart, answer)
    except Exception:
        log.warning("could not draw the chart of a %s answer", answer.command, exc_info=True)
        return None
    if chart is None:
        return None
    return discord.File(
        io.BytesIO(chart.png), filename=chart.filename, description=chart.description
    )


def _completer(param: Param) -> Completer:
    async def complete(
        interaction: discord.Interaction[DiploBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return await asyncio.to_thread(suggest, interaction.client.library.catalog, param, current)

    return complete


def begins(typed: str, hit: Hit) -> bool:
    """Whether a hit is a real candidate for what has been typed so far: every typed word
    begins a word of the alias (in any of its foldings), or the index holds the alias
    to be the name typed, misspelt. Weak look-alikes ("kur" → White House) are not."""
    if hit.sure:
        return True
    typed_keys = match_keys(typed)
    alias_words = [key.split() for key in match_keys(hit.alias)]
    return any(
        all(any(word.startswith(part) for word in words) for part in key.split())
        for key in typed_keys
        for words in alias_words
    )


def suggest(catalog: Catalog, param: Param, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for what has been typed so far, best first.

    At most 25, each within Discord's 100-character limits; with nothing typed,
    the first 25 names in alphabetical order. Each choice shows a name and sends
    the key (a key names its entity or source outright, and fits in 100
    characters); names that appear twice show their kind too. Only real
    candidates are offered (`begins`): an empty list beats noise.
    """

    def named(key: str) -> tuple[str, str]:
        if param.names_sources:
            return catalog.sources[key].title, "source"
        ref = catalog.entities[key].ref
        return ref.name, ref.kind

    index = catalog.source_index if param.names_sources else catalog.index
    kinds = None if param.names_sources else param.kinds
    typed = " ".join(current.split())[:MAX_QUERY]
    picked: list[tuple[str, str, str, str]] = []
    if typed:
        hits = index.search(typed, kinds=kinds, limit=limits.CHOICES * 2)
        for hit in [hit for hit in hits if begins(typed, hit)][: limits.CHOICES]:
            name, kind = named(hit.entity)
            shown = name if hit.alias.casefold() in name.casefold() else f"{name} ({hit.alias})"
            picked.append((hit.entity, shown, name, kind))
    elif param.names_sources:
        for title, key in catalog.titles_in_order[: limits.CHOICES]:
            picked.append((key, title, title, "source"))
    else:
        for name, kind, key in catalog.names_in_order:
            if kinds is None or kind in kinds:
                picked.append((key, name, name, kind))
                if len(picked) == limits.CHOICES:
                    break
    names = [name for _, _, name, _ in picked]
    return [
        limits.choice(f"{shown} · {kind}" if names.count(name) > 1 else shown, key)
        for key, shown, name, kind in picked
    ]
