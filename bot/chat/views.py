"""Buttons under an answer: page turning and "did you mean" choices."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.answers import commands
from bot.answers.catalog import SOURCE_KIND, Catalog
from bot.answers.model import Answer, Status, Suggestion
from bot.chat import limits
from bot.chat.embeds import Card, render
from bot.chat.errors import report_unexpected, send_ephemeral

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)


def open_choice(catalog: Catalog, command: str, choice: Suggestion) -> Answer:
    """The card for a chosen suggestion.

    The original command is run again with the suggestion's key, which names it
    outright; when that command cannot show it (``who`` offered a dispute),
    `about` (or `source`) does.
    """
    answer = commands.run(catalog, command, choice.key)
    if answer.status is Status.FOUND:
        return answer
    return commands.run(catalog, "source" if choice.kind == SOURCE_KIND else "about", choice.key)


class AnswerView(discord.ui.View):
    """The buttons under one answer, usable only by the person who asked.

    ◀ and ▶ turn the pages; each "did you mean" button replaces the answer with
    that entity's card. When the view times out its buttons are disabled.
    """

    message: discord.Message | None

    def __init__(self, card: Card, *, command: str, author: discord.abc.User, timeout: float):
        super().__init__(timeout=timeout)
        self.card = card
        self.command = command
        self.author = author
        self.message = None
        self.page = 0
        names = [choice.name for choice in card.choices]
        for choice in card.choices:
            shared = names.count(choice.name) > 1
            self.add_item(
                ChoiceButton(choice, f"{choice.name} · {choice.kind}" if shared else None)
            )
        self.previous = PageButton(-1, "◀")
        self.next = PageButton(1, "▶")
        if len(card.pages) > 1:
            self.add_item(self.previous)
            self.add_item(self.next)
            self._update_buttons()

    @classmethod
    def for_card(
        cls, card: Card, *, command: str, author: discord.abc.User, timeout: float
    ) -> AnswerView | None:
        """A view for the card, or None when it needs no buttons."""
        view = cls(card, command=command, author=author, timeout=timeout)
        return view if view.children else None

    def _update_buttons(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page == len(self.card.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.author.id:
            return True
        await interaction.response.send_message(
            limits.content(f"Only {self.author.display_name} can use these buttons."),
            ephemeral=True,
        )
        return False

    async def turn(self, interaction: discord.Interaction, step: int) -> None:
        """Show the page ``step`` pages away from the current one."""
        self.page = max(0, min(self.page + step, len(self.card.pages) - 1))
        self._update_buttons()
        await interaction.response.edit_message(embed=self.card.pages[self.page], view=self)

    async def choose(self, interaction: discord.Interaction, choice: Suggestion) -> None:
        """Replace the answer with the chosen suggestion's card."""
        bot = cast("DiploBot", interaction.client)
        answer = await asyncio.to_thread(open_choice, bot.library.catalog, self.command, choice)
        card = render(answer)
        view = AnswerView.for_card(
            card, command=answer.command, author=self.author, timeout=bot.view_timeout
        )
        self.stop()
        await interaction.response.edit_message(embed=card.pages[0], view=view)
        if view is not None:
            view.message = self.message

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await send_ephemeral(interaction, report_unexpected(f"button {item!r}", error))


class PageButton(discord.ui.Button[AnswerView]):
    """◀ or ▶."""

    def __init__(self, step: int, label: str) -> None:
        super().__init__(label=label, style=discord.ButtonStyle.secondary, row=1)
        self.step = step

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.turn(interaction, self.step)


class ChoiceButton(discord.ui.Button[AnswerView]):
    """One "did you mean" candidate."""

    def __init__(self, choice: Suggestion, label: str | None = None) -> None:
        super().__init__(
            label=limits.button_label(label or choice.name), style=discord.ButtonStyle.primary
        )
        self.choice = choice

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.choose(interaction, self.choice)
