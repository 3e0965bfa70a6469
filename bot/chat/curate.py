"""The curation commands on Discord, built from the registry `bot.curation.operations.OPERATIONS`.

``!curate …`` (`bot.chat.curate_prefix`) reads its arguments as the console
does and takes an import file attached to the message. ``/curate …``
(`bot.chat.curate_slash`) has one option per parameter, with autocomplete on
every key; an operation that declares a form is typed into it
(`bot.chat.curate_form`). Both run the operation and reply with the view it
declares (`bot.chat.curate_replies`). Every path checks, at the moment of the
action, that the person may curate (`bot.chat.access`). Replies on the slash
path are private; changes are posted to the audit channel when one is set.
Nothing here names an operation: a new one is declared in the registry alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discord import app_commands
from discord.ext import commands

from bot.chat.curate_prefix import prefix_group
from bot.chat.curate_slash import slash_group

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot


def build(bot: DiploBot) -> tuple[commands.Group[Any, ..., Any], app_commands.Group]:
    """The ``!curate`` command group and the ``/curate`` slash group, from the registry
    as it is when bot is made."""
    return prefix_group(), slash_group()


__all__ = ["build"]
