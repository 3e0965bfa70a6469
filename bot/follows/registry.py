"""The follow commands' registry: ``follow``, ``unfollow`` and ``following``, declared once.

They are neither lookups (they write, and need the server and channel they are given
in) nor curation (any member allowed to manage the channel may use them), so they have
a registry of their own, shaped like the lookups': each is one handler decorated with
`follow_command`, whose parameters (`bot.core.arguments.Param`) the Discord layer
turns into both the prefix command and the slash command (`bot.chat.follow`).
Handlers take a `Place` and the values typed, and return an `Answer`; they raise only
`bot.errors.DiplobotError`s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bot.answers.catalog import Catalog
from bot.answers.commands import Syntax
from bot.core.answer import Answer
from bot.core.arguments import Param, bind
from bot.store.db import Store


class Shelf(Protocol):
    """The part of `bot.library.Library` follows use: the store and what lookups read."""

    @property
    def store(self) -> Store: ...

    @property
    def catalog(self) -> Catalog: ...


@dataclass(frozen=True, slots=True)
class Place:
    """Where a follow command was given: the library, the server, the channel and who."""

    library: Shelf
    guild_id: int
    channel_id: int
    user_id: int
    channel_names: Mapping[int, str] = field(default_factory=dict)
    """How to name the server's channels in answers (``#news``), by id."""
    digest_hour: int = 8
    """The hour (UTC) of the daily digests."""

    @property
    def channel_name(self) -> str:
        """How answers name the channel the command was given in."""
        return self.channel_names.get(self.channel_id, "this channel")


Handler = Callable[..., Answer]


@dataclass(frozen=True, slots=True)
class FollowCommand:
    """One follow command: its name, what it does, an example, its parameters, its logic."""

    name: str
    summary: str
    example: str
    params: tuple[Param, ...]
    handler: Handler

    @property
    def usage(self) -> str:
        """``!follow NAME [MODE]``."""
        args = [p.name.upper() if p.required else f"[{p.name.upper()}]" for p in self.params]
        return " ".join([f"!{self.name}", *args])


FOLLOW_COMMANDS: dict[str, FollowCommand] = {}
"""Every follow command, by name, in the order help shows them."""


def follow_command(
    name: str, summary: str, example: str, *params: Param
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the follow command ``name``."""

    def register(handler: Handler) -> Handler:
        FOLLOW_COMMANDS[name] = FollowCommand(name, summary, example, params, handler)
        return handler

    return register


def help_lines(syntax: Syntax) -> tuple[str, ...]:
    """The follow commands as ``!help`` lists the lookups, each with its example, in the
    syntax of whoever asked: ``!follow NAME [MODE]: … Example: !follow iran``."""
    lines = []
    for spec in FOLLOW_COMMANDS.values():
        rest = spec.example.removeprefix("!").removeprefix(spec.name).strip()
        if syntax.slash:
            values = bind(spec.params, rest, spec.usage, complete=False)
            args = [f"{p.name}:…" if p.required else f"[{p.name}:…]" for p in spec.params]
            typed = [f"{p.name}:{values[p.name]}" for p in spec.params if p.name in values]
        else:
            args = spec.usage.split()[1:]
            typed = [rest] if rest else []
        usage = " ".join([syntax.command(spec.name), *args])
        example = " ".join([syntax.command(spec.name), *typed])
        lines.append(f"{usage}: {spec.summary} Example: {example}")
    return tuple(lines)
