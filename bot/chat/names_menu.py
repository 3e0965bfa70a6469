""" "Names in this message": a message context menu (right-click a message → Apps).

It answers privately with every entity in the store that the message names
(`bot.answers.names`), one per line with its kind and summary, and a menu that
opens any of them as its full card, privately too. Register it with
``bot.tree.add_command(names_context_menu())``.

The text read is the message's content and the text of its embeds (a link's
preview, another bot's card), up to 4,000 characters. Control characters in
someone else's message are read as spaces rather than refused: nothing of the
message is shown back. The first use on a catalog builds its matcher, which
takes seconds on a large store, so that use (and any long message) is deferred
first, and the work runs in a worker thread, off the gateway's event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, cast

import discord
from discord import app_commands

from bot.answers.catalog import Catalog
from bot.answers.commands import ANY_ENTITY, SLASH, opener
from bot.answers.names import MAX_TEXT, check_text, names_answer
from bot.chat import limits
from bot.chat.embeds import Card, render
from bot.chat.redraw import open_choice
from bot.chat.views import AnswerView
from bot.core.answer import Answer, EntityRef, Suggestion
from bot.core.controls import is_control
from bot.errors import QueryError

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

NAME = "Names in this message"
"""The context menu's name, as Discord shows it under Apps."""
LONG_MESSAGE = 1000
"""Messages longer than this (in characters) are deferred before they are read."""
OPTIONS = 25
"""Discord's limit of options in one select menu."""
OPTION_TEXT = 100
"""Discord's limit for an option's label, description and value."""


def names_context_menu() -> app_commands.ContextMenu:
    """The "Names in this message" context menu, to add to the bot's command tree."""
    return app_commands.ContextMenu(
        name=NAME,
        callback=names_in_message,
        # Like the lookups, it works wherever a user installed the app.
        allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
        allowed_contexts=app_commands.AppCommandContext(
            guild=True, dm_channel=True, private_channel=True
        ),
    )


def message_text(message: discord.Message) -> str:
    """What a message says: its content, then its embeds' titles, descriptions and
    fields; control characters as spaces; at most `MAX_TEXT` characters."""
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{field.name}\n{field.value}" for field in embed.fields]
    text = "\n".join(part for part in parts if part)
    cleaned = "".join(" " if is_control(char, keep="\n\t") else char for char in text)
    return cleaned.strip()[:MAX_TEXT]


def read_names(catalog: Catalog, text: str) -> Answer:
    """The answer for a message's text (`check_text` may refuse it with `QueryError`)."""
    return names_answer(catalog, check_text(text), title=NAME, what="message")


async def names_in_message(interaction: discord.Interaction, message: discord.Message) -> None:
    """Answer privately with the names the message mentions, and a menu of their cards."""
    bot = cast("DiploBot", interaction.client)
    catalog = bot.library.catalog
    text = message_text(message)
    if not catalog.mentions_ready or len(text) > LONG_MESSAGE:
        await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        answer = await asyncio.to_thread(read_names, catalog, text)
    except QueryError as error:  # no letters to read: said in place of the answer
        if interaction.response.is_done():
            await interaction.edit_original_response(content=limits.content(str(error)))
        else:
            await interaction.response.send_message(limits.content(str(error)), ephemeral=True)
        return
    shown = dataclasses.replace(answer, related=())  # the lines list the names already
    card = render(shown)
    refs = answer.related[0].entities if answer.related else ()
    view = NamesView(card, refs, author=interaction.user, timeout=bot.view_timeout)
    kwargs: dict[str, Any] = {"embed": card.pages[0]}
    if view.children:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.edit_original_response(**kwargs)
    else:
        await interaction.response.send_message(ephemeral=True, **kwargs)
    if view.children:
        view.message = await interaction.original_response()


class NamesView(AnswerView):
    """The names' pages (◀ ▶) and a menu that opens each name's card privately.

    Its buttons live in memory only (``persistent`` False): the answer is private
    and drawn from a message, not from a key it could be drawn again from.
    """

    persistent: ClassVar[bool] = False

    def __init__(
        self,
        card: Card,
        refs: tuple[EntityRef, ...],
        *,
        author: discord.abc.User,
        timeout: float,
    ) -> None:
        command = opener(ANY_ENTITY).name  # the lookup its cards open with
        super().__init__(card, command=command, author=author, timeout=timeout)
        if refs:
            self.add_item(NameSelect(refs))

    async def open(self, interaction: discord.Interaction, ref: EntityRef) -> None:
        """Send the full card of the chosen name, privately, as a message of its own."""
        bot = cast("DiploBot", interaction.client)
        command = opener(ref.kind).name
        choice = Suggestion(ref.key, ref.kind, ref.name, 100.0)
        # Opened from an app command: its hints are in the slash form.
        answer = await asyncio.to_thread(open_choice, bot.library.catalog, command, choice, SLASH)
        card = render(answer)
        view = AnswerView.for_card(
            card,
            command=answer.command,
            author=interaction.user,
            timeout=bot.view_timeout,
            syntax=SLASH,
        )
        if view is None:
            await interaction.response.send_message(embed=card.pages[0], ephemeral=True)
            return
        await interaction.response.send_message(embed=card.pages[0], view=view, ephemeral=True)
        view.message = await interaction.original_response()

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Select):
                item.disabled = True
        await super().on_timeout()


class NameSelect(discord.ui.Select[NamesView]):
    """One option per name (the first 25, best first); choosing one opens its card."""

    def __init__(self, refs: tuple[EntityRef, ...]) -> None:
        shown = refs[:OPTIONS]
        placeholder = "Open a card…" if len(refs) <= OPTIONS else f"Open a card (first {OPTIONS})…"
        super().__init__(
            placeholder=placeholder,
            options=[
                discord.SelectOption(
                    label=limits.clip(ref.name, OPTION_TEXT) or ref.key,
                    value=ref.key,
                    description=limits.clip(
                        f"{ref.kind} — {ref.summary}" if ref.summary else ref.kind, OPTION_TEXT
                    ),
                )
                for ref in shown
            ],
            row=0,
        )
        self.refs = {ref.key: ref for ref in shown}

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.open(interaction, self.refs[self.values[0]])
