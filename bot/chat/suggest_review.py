"""A suggested correction shown to curators, with *Accept* and *Dismiss*.

The post goes to ``REVIEW_CHANNEL_ID``, or to ``AUDIT_CHANNEL_ID`` when that is unset
(neither set: ``curate suggestions`` still lists it). It pings no one, and everything
the member typed is escaped. Its buttons are `ReviewButton`s, whose custom id carries
the suggestion's number and the action (``dbr:12:a``), so they work after a restart.
Only curators may press them; the check runs at every press and every form sent.

*Accept* records the decision and opens the fact form filled in with the stored fact
(a choice of facts first, when the card showed several); saving it is an ordinary
``curate fact edit``, audited like any. *Dismiss* asks for an optional reason, then
records it. Either way the post is redrawn with the decision and without buttons.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import TYPE_CHECKING, Any, Self, cast

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.chat import access, limits
from bot.chat.curate_form import open_form
from bot.chat.errors import report_unexpected, send_ephemeral
from bot.curation.operations import OPERATIONS, REASON_MAX, sentence
from bot.errors import DiplobotError
from bot.store import suggestions
from bot.store.suggestions import StoredSuggestion

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

REVIEW_ID = re.compile(r"dbr:(?P<number>[0-9]+):(?P<action>[ad])")
"""A suggestion's button: its number, and accept (a) or dismiss (d)."""
FACTS_SHOWN = 10
"""At most this many of the card's facts are quoted in the post."""
_WHERE = {"dm": "in a DM", "user install": "through a user install"}


def safe(text: str) -> str:
    """What a member typed, shown as typed: no markup, no mentions."""
    return escape_mentions(escape_markdown(text))


def review_embed(suggestion: StoredSuggestion, facts: dict[str, str]) -> discord.Embed:
    """The post: who suggested what, from where, on which card and facts, and, once
    decided, the decision. ``facts`` gives the stored text of the facts by key."""
    by = suggestion.by
    where = (
        f"in {safe(by.guild_name)}" if by.origin == "server" and by.guild_name else None
    ) or _WHERE.get(by.origin, "in a server")
    parts = [
        f"**From** {safe(by.member_name)} (<@{by.member_id}>) {where}",
        f"**What is wrong**\n{safe(suggestion.text)}",
    ]
    if suggestion.url:
        parts.append(f"**Source** <{suggestion.url}>")
    shown = [
        f"`{key}` {safe(limits.clip(facts[key], 200)) if key in facts else '(no longer stored)'}"
        for key in suggestion.facts[:FACTS_SHOWN]
    ]
    parts.append("**Facts shown**\n" + ("\n".join(shown) if shown else "not known"))
    colour = discord.Colour.orange()
    if suggestion.state != suggestions.OPEN:
        why = f": {safe(suggestion.reason)}" if suggestion.reason else ""
        parts.append(
            f"**{suggestion.state.capitalize()}** by {safe(suggestion.curator_name or '')}{why}"
        )
        accepted = suggestion.state == suggestions.ACCEPTED
        colour = discord.Colour.green() if accepted else discord.Colour.light_grey()
    return limits.make_embed(
        title=f"Suggestion #{suggestion.id} on “{safe(limits.clip(suggestion.title, 200))}”",
        description=limits.clip("\n\n".join(parts), 4000),
        colour=colour,
        footer=f"curate suggestion accept {suggestion.id} · curate suggestion dismiss "
        f"{suggestion.id}",
    )


def review_view(number: int) -> discord.ui.View:
    """*Accept* and *Dismiss* under suggestion ``number``; it never times out."""
    view = discord.ui.View(timeout=None)
    view.add_item(ReviewButton(number, "a"))
    view.add_item(ReviewButton(number, "d"))
    return view


async def post(bot: DiploBot, suggestion: StoredSuggestion) -> None:
    """Post a new suggestion where curators review them, if a channel is set."""
    channel_id = bot.settings.review_channel_id or bot.settings.audit_channel_id
    if channel_id is None:
        return
    channel = bot.get_channel(channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        log.warning("review channel %s is not a text channel the bot can see", channel_id)
        return
    embed = review_embed(suggestion, _texts(bot, suggestion))
    try:
        await channel.send(
            embed=embed,
            view=review_view(suggestion.id),
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except discord.HTTPException as error:
        log.warning("could not post suggestion %s: %s", suggestion.id, error)


def _texts(bot: DiploBot, suggestion: StoredSuggestion) -> dict[str, str]:
    facts = bot.library.catalog.facts
    return {key: facts[key].text for key in suggestion.facts if key in facts}


class ReviewButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=REVIEW_ID):
    """*Accept* (``a``) or *Dismiss* (``d``) under suggestion ``number``."""

    def __init__(self, number: int, action: str) -> None:
        accept = action == "a"
        super().__init__(
            discord.ui.Button(
                label="Accept" if accept else "Dismiss",
                style=discord.ButtonStyle.success if accept else discord.ButtonStyle.danger,
                custom_id=f"dbr:{number}:{action}",
            )
        )
        self.number, self.action = number, action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["number"]), match["action"])

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await curator(interaction, "a suggestion button")

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if self.action == "a":
                await _accept(interaction, self.number)
            else:
                await interaction.response.send_modal(DismissForm(self.number))
        except Exception as error:  # a dynamic item's errors would only be logged
            await send_ephemeral(interaction, report_unexpected(f"button {self!r}", error))


async def curator(interaction: discord.Interaction, what: str) -> bool:
    """Whether the one acting may curate; refuses them privately (and logs it) if not."""
    bot = cast("DiploBot", interaction.client)
    if await access.may_curate(bot, interaction.user, interaction.guild):
        return True
    log.warning("refused %s to user %s", what, interaction.user.id)
    await send_ephemeral(interaction, access.REFUSAL)
    return False


async def _decide(
    interaction: discord.Interaction, number: int, state: str, reason: str | None = None
) -> StoredSuggestion | None:
    """Record the decision; None, after saying why privately, when it cannot be."""
    bot = cast("DiploBot", interaction.client)
    user = interaction.user
    try:
        return await asyncio.to_thread(
            suggestions.decide,
            bot.library.store,
            number,
            state,
            curator=str(user.id),
            name=getattr(user, "display_name", None) or user.name,
            reason=reason,
        )
    except DiplobotError as error:
        await send_ephemeral(interaction, sentence(str(error)))
        return None


async def _accept(interaction: discord.Interaction, number: int) -> None:
    bot = cast("DiploBot", interaction.client)
    decided = await _decide(interaction, number, suggestions.ACCEPTED)
    if decided is None:
        return
    texts = _texts(bot, decided)
    keys = [key for key in decided.facts if key in texts]
    if len(keys) == 1:
        spec = OPERATIONS["fact edit"]
        assert spec.form is not None
        await open_form(interaction, spec, spec.form, {"fact": keys[0]})
    elif keys:
        picker = FactPicker(interaction.user, keys, texts, timeout=bot.view_timeout)
        await interaction.response.send_message(
            f"Suggestion #{number} is accepted. Which fact do you correct?",
            view=picker,
            ephemeral=True,
        )
    else:
        await send_ephemeral(
            interaction,
            f"Suggestion #{number} is accepted. It names no fact in the store; "
            "correct one with `/curate fact edit`.",
        )
    if interaction.message is not None:
        with contextlib.suppress(discord.HTTPException):
            await interaction.message.edit(embed=review_embed(decided, texts), view=None)


class FactPicker(discord.ui.View):
    """A choice among the facts a suggestion is about; choosing one opens its fact form."""

    def __init__(
        self, owner: discord.abc.User, keys: list[str], texts: dict[str, str], *, timeout: float
    ) -> None:
        super().__init__(timeout=timeout)
        self.owner = owner
        self.picker: discord.ui.Select[FactPicker] = discord.ui.Select(
            placeholder="The fact to correct…",
            options=[
                discord.SelectOption(
                    label=limits.clip(texts[key], 100), value=key, description=key[:100]
                )
                for key in keys[:25]
            ],
        )
        self.picker.callback = self._picked  # type: ignore[method-assign]
        self.add_item(self.picker)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return interaction.user.id == self.owner.id and await curator(interaction, "a fact choice")

    async def _picked(self, interaction: discord.Interaction) -> None:
        spec = OPERATIONS["fact edit"]
        assert spec.form is not None
        await open_form(interaction, spec, spec.form, {"fact": self.picker.values[0]})


class DismissForm(discord.ui.Modal):
    """Dismissing suggestion ``number``, with an optional reason."""

    def __init__(self, number: int) -> None:
        super().__init__(title=f"Dismiss suggestion #{number}")
        self.number = number
        self.reason: discord.ui.TextInput[DismissForm] = discord.ui.TextInput(
            label="Why (optional; the member is not told)",
            custom_id="reason",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=REASON_MAX,
        )
        self.add_item(self.reason)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await curator(interaction, "a dismissal form")

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        reason = (self.reason.value or "").strip()
        if len(reason) > REASON_MAX:
            await send_ephemeral(
                interaction, f"A reason is at most {REASON_MAX} characters; nothing was changed."
            )
            return
        decided = await _decide(interaction, self.number, suggestions.DISMISSED, reason or None)
        if decided is None:
            return
        embed = review_embed(decided, _texts(cast("DiploBot", interaction.client), decided))
        if interaction.message is not None:
            await interaction.response.edit_message(embed=embed, view=None)
        else:
            await send_ephemeral(interaction, f"Suggestion #{self.number} is dismissed.")

    async def on_error(  # type: ignore[override]  # a modal's errors have no item
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        await send_ephemeral(interaction, report_unexpected("dismissal form", error))
