"""Discord's size limits, and builders whose output always fits them.

Everything the bot sends goes through these helpers, so no stored text, however
long, can make Discord reject a message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import discord
from discord import app_commands

TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
TOTAL = 6000
CONTENT = 2000
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
BUTTON_LABEL = 80

ELLIPSIS = "…"
_MIN_DESCRIPTION = 1000


def clip(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else cut to fit and ending in "…"."""
    if len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def join_within(lines: Iterable[str], limit: int, separator: str = "\n") -> str:
    """As many whole lines as fit in ``limit``, then "… and N more" for the rest.

    Lines are never cut (so a markdown link stays whole), except a first line
    that alone is too long, which is clipped.
    """
    items = list(lines)
    for count in range(len(items), 0, -1):
        rest = len(items) - count
        shown = [*items[:count], f"{ELLIPSIS} and {rest} more"] if rest else items
        text = separator.join(shown)
        if len(text) <= limit:
            return text
    if not items:
        return ""
    more = f"{separator}{ELLIPSIS} and {len(items) - 1} more" if len(items) > 1 else ""
    return clip(items[0], limit - len(more)) + more


@dataclass(frozen=True, slots=True)
class Field:
    """An embed field before it is fitted to the limits."""

    name: str
    value: str
    inline: bool = False


def make_embed(
    *,
    title: str = "",
    description: str = "",
    url: str | None = None,
    colour: discord.Colour | None = None,
    fields: Sequence[Field] = (),
    footer: str = "",
) -> discord.Embed:
    """An embed within every Discord limit.

    Each part is clipped to its own limit and at most 25 fields are kept. If the
    whole would pass 6000 characters the description is shortened, and trailing
    fields are dropped only when the description would otherwise fall below a
    readable minimum.
    """
    title = clip(title, TITLE)
    footer = clip(footer, FOOTER)
    kept = [
        Field(
            clip(f.name, FIELD_NAME) or "\u200b", clip(f.value, FIELD_VALUE) or "\u200b", f.inline
        )
        for f in fields[:FIELDS]
    ]

    def fixed() -> int:
        return len(title) + len(footer) + sum(len(f.name) + len(f.value) for f in kept)

    floor = min(len(description), _MIN_DESCRIPTION)
    while kept and fixed() + floor > TOTAL:
        kept.pop()
    description = clip(description, min(DESCRIPTION, TOTAL - fixed()))

    embed = discord.Embed(
        title=title or None, description=description or None, url=url, colour=colour
    )
    for f in kept:
        embed.add_field(name=f.name, value=f.value, inline=f.inline)
    if footer:
        embed.set_footer(text=footer)
    return embed


def content(text: str) -> str:
    """Message text within the 2000-character limit."""
    return clip(text, CONTENT)


def button_label(text: str) -> str:
    """A button label within the 80-character limit."""
    return clip(text, BUTTON_LABEL) or "?"


def choice(name: str, value: str) -> app_commands.Choice[str]:
    """An autocomplete choice: ``name`` clipped with "…", ``value`` cut to 100 characters."""
    return app_commands.Choice(name=clip(name, CHOICE_NAME), value=value[:CHOICE_VALUE])
