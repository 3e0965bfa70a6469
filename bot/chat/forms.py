"""The curator's buttons and forms: confirm or cancel, and the record forms that keep drafts.

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
from bot.curation.operations import Form

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

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


class RecordForm(discord.ui.Modal):
    """The form a curation operation declares (`bot.curation.operations.Form`): its
    fields, prefilled with a draft or the stored record."""

    def __init__(
        self,
        owner: discord.abc.User,
        form: Form,
        draft: Mapping[str, str],
        submit: Submit,
    ) -> None:
        super().__init__(title=limits.clip(form.title, 45))
        self.owner = owner
        self.submit = submit
        self.inputs: dict[str, discord.ui.TextInput[RecordForm]] = {}
        for spec in form.fields:
            field: discord.ui.TextInput[RecordForm] = discord.ui.TextInput(
                label=spec.label,
                custom_id=spec.name,
                style=discord.TextStyle.paragraph if spec.long else discord.TextStyle.short,
                default=(draft.get(spec.name) or "")[: spec.longest] or None,
                required=spec.required,
                max_length=spec.longest,
            )
            self.inputs[spec.name] = field
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

    def __init__(self, form: Callable[[], RecordForm], *, owner: discord.abc.User, timeout: float):
        super().__init__(owner, timeout=timeout)
        self.form = form

    @discord.ui.button(label="Reopen the form", style=discord.ButtonStyle.primary)
    async def reopen(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(self.form())


class HistoryView(AnswerView):
    """A history listing's pages, a select that shows a revision (with an Undo button) and,
    when there are older revisions, a button that lists them in its place.

    The select offers the revisions of the page shown (so every revision listed can be
    picked, within Discord's 25 options). Only the curator who asked can use it. Its
    buttons die with it: a curation listing cannot be drawn again after a restart anyway.
    """

    persistent = False

    def __init__(
        self,
        card: Card,
        *,
        command: str,
        author: discord.abc.User,
        revisions: list[tuple[int, str]],
        pick: Callable[[discord.Interaction, int], Awaitable[None]],
        older: Callable[[discord.Interaction], Awaitable[None]] | None,
        timeout: float,
    ) -> None:
        super().__init__(card, command=command, author=author, timeout=timeout)
        self.pick = pick
        self.revisions = revisions
        self.picker: discord.ui.Select[AnswerView] = discord.ui.Select(
            placeholder="Show a revision…", row=2
        )
        self._offer()
        self.picker.callback = self._picked  # type: ignore[method-assign]
        self.add_item(self.picker)
        if older is not None:
            button: discord.ui.Button[AnswerView] = discord.ui.Button(
                label="Older revisions", style=discord.ButtonStyle.secondary, row=3
            )

            async def list_older(interaction: discord.Interaction) -> None:
                self.stop()
                await older(interaction)

            button.callback = list_older  # type: ignore[method-assign]
            self.add_item(button)

    def _offer(self) -> None:
        """Offer the revisions listed on the page shown (all of them when pages are unknown)."""
        spans = self.card.lines_on
        shown = spans[self.page] if self.page < len(spans) else range(len(self.revisions))
        offered = [self.revisions[index] for index in shown if index < len(self.revisions)]
        self.picker.options = [
            discord.SelectOption(label=limits.clip(label, 100), value=str(number))
            for number, label in (offered or self.revisions)[:25]
        ]

    def _update_buttons(self) -> None:
        super()._update_buttons()
        if hasattr(self, "picker"):
            self._offer()

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
