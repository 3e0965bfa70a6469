"""The curator's buttons and forms: confirm or cancel, and the fact form that keeps drafts.

Every one of them belongs to the curator who opened it: anyone else who
presses or submits it is refused, and so is its own curator once they are no
longer one (the check runs at the moment of the action).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.chat import access, limits
from bot.chat.embeds import Card
from bot.chat.errors import report_unexpected, send_ephemeral
from bot.chat.views import AnswerView
from bot.core.answer import Answer, Confirmation
from bot.records.shapes import FACT_TEXT_MAX

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

FORM_FIELDS: dict[str, tuple[str, bool, int]] = {
    "text": ("Fact, close to the source's wording", True, FACT_TEXT_MAX),
    "about": ("About: entity keys, optionally =role", True, 1000),
    "source": ("Source key(s), separated by commas", True, 500),
    "date": ("Date: YYYY, YYYY-MM or YYYY-MM-DD", False, 10),
    "type": ("Event type, like threaten (optional)", False, 40),
}
"""The fact form's fields: label, whether required, and the longest value (5 at most)."""

Submit = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]


async def _refuse_unless_owner(
    interaction: discord.Interaction, owner: discord.abc.User, what: str
) -> bool:
    """Whether interaction comes from owner, who may still curate; refuses privately if not."""
    bot = cast("DiploBot", interaction.client)
    if interaction.user.id != owner.id or not await access.may_curate(
        bot, interaction.user, interaction.guild
    ):
        log.warning("refused %s to user %s", what, interaction.user.id)
        await send_ephemeral(interaction, access.REFUSAL)
        return False
    return True


class CuratorView(discord.ui.View):
    """Buttons only the curator who asked for them can use, disabled once they time out."""

    message: discord.Message | discord.InteractionMessage | discord.WebhookMessage | None

    def __init__(self, owner: discord.abc.User, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.owner = owner
        self.message = None

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await _refuse_unless_owner(interaction, self.owner, "a curation button")

    def disable(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await send_ephemeral(interaction, report_unexpected(f"curation button {item!r}", error))


class ConfirmView(CuratorView):
    """Confirm or Cancel for a change waiting on its curator; a timeout cancels it."""

    def __init__(
        self,
        owner: discord.abc.User,
        confirmation: Confirmation,
        show: Callable[[discord.Interaction, Answer], Awaitable[None]],
        *,
        timeout: float,
    ) -> None:
        super().__init__(owner, timeout=timeout)
        self.confirmation = confirmation
        self.show = show
        self.confirm.label = limits.button_label(confirmation.label)

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.stop()
        self.disable()
        # Answered at once, with the buttons greyed out: a large import outlasts the 3 s
        # Discord gives a click, and `show` then edits the message in place.
        await interaction.response.edit_message(view=self)
        answer = await asyncio.to_thread(self.confirmation.apply)
        await self.show(interaction, answer)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(
            content="Cancelled; nothing was changed.", embed=None, view=None
        )

    async def on_timeout(self) -> None:
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(
                    content="Timed out; nothing was changed.", embed=None, view=None
                )


class FactForm(discord.ui.Modal):
    """The fact form: its text and the short fields, prefilled with a draft or the stored fact."""

    def __init__(
        self,
        owner: discord.abc.User,
        title: str,
        draft: Mapping[str, str],
        submit: Submit,
    ) -> None:
        super().__init__(title=limits.clip(title, 45))
        self.owner = owner
        self.submit = submit
        self.inputs: dict[str, discord.ui.TextInput[FactForm]] = {}
        for name, (label, required, longest) in FORM_FIELDS.items():
            field: discord.ui.TextInput[FactForm] = discord.ui.TextInput(
                label=label,
                custom_id=name,
                style=discord.TextStyle.paragraph if name == "text" else discord.TextStyle.short,
                default=(draft.get(name) or "")[:longest] or None,
                required=required,
                max_length=longest,
            )
            self.inputs[name] = field
            self.add_item(field)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await _refuse_unless_owner(interaction, self.owner, "a curation form")

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await self.submit(interaction, {name: field.value for name, field in self.inputs.items()})

    async def on_error(  # type: ignore[override]  # a modal's errors have no item
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        await send_ephemeral(interaction, report_unexpected("curation form", error))


class ReopenView(CuratorView):
    """One button that opens the form again, filled in with what the curator typed."""

    def __init__(self, form: Callable[[], FactForm], *, owner: discord.abc.User, timeout: float):
        super().__init__(owner, timeout=timeout)
        self.form = form

    @discord.ui.button(label="Reopen the form", style=discord.ButtonStyle.primary)
    async def reopen(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(self.form())


class HistoryView(AnswerView):
    """A history listing's pages, and a select that shows a revision (with an Undo button).

    Only the curator who asked can turn its pages or pick from it. Its buttons die with
    it: a curation listing cannot be drawn again after a restart anyway.
    """

    persistent = False

    def __init__(
        self,
        card: Card,
        *,
        author: discord.abc.User,
        revisions: list[tuple[int, str]],
        pick: Callable[[discord.Interaction, int], Awaitable[None]],
        timeout: float,
    ) -> None:
        super().__init__(card, command="curate history", author=author, timeout=timeout)
        self.pick = pick
        self.picker: discord.ui.Select[AnswerView] = discord.ui.Select(
            placeholder="Show a revision…",
            options=[
                discord.SelectOption(label=limits.clip(label, 100), value=str(number))
                for number, label in revisions[:25]
            ],
            row=2,
        )
        self.picker.callback = self._picked  # type: ignore[method-assign]
        self.add_item(self.picker)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await _refuse_unless_owner(interaction, self.author, "a curation select")

    async def _picked(self, interaction: discord.Interaction) -> None:
        await self.pick(interaction, int(self.picker.values[0]))


class UndoView(CuratorView):
    """One button under a revision that undoes it (with the others made together with it)."""

    def __init__(
        self,
        owner: discord.abc.User,
        number: int,
        undo: Callable[[discord.Interaction, int], Awaitable[None]],
        *,
        timeout: float,
    ) -> None:
        super().__init__(owner, timeout=timeout)
        self.number = number
        self.undo = undo
        self.press.label = f"Undo #{number}"

    @discord.ui.button(label="Undo", style=discord.ButtonStyle.danger)
    async def press(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.stop()
        await self.undo(interaction, self.number)
