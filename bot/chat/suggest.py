"""*Suggest a correction*: the button under every card of facts, and the member's form.

Anyone who sees a card may press it, in a server, a DM or through a user install.
The form asks what is wrong (required, at most `TEXT_MAX` characters) and for a source
URL (optional, http or https). The suggestion is stored with the member, where they
were, the card and the keys of the facts its page showed, then posted for curators
(`bot.chat.suggest_review`). The limits (`bot.store.suggestions`) are checked when
the button is pressed and again, in the store, when the form is sent.

The button's custom id carries the page, the command and the key the answer can be
drawn again from (or, lacking a key, its query): ``dbs:0k:who:nikolai-nozdrev``. While
the answer's view is alive the facts come from the card it holds; after a restart the
answer is drawn again, and a card that can no longer be (or now has another title) is
recorded by its title alone.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any, Self, cast
from urllib.parse import urlsplit

import discord

from bot.answers import commands
from bot.answers.catalog import Catalog
from bot.chat.embeds import render
from bot.chat.errors import report_unexpected, send_ephemeral
from bot.errors import QueryError, SuggestionError
from bot.store import suggestions
from bot.store.suggestions import Origin

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

LABEL = "Suggest a correction"
TEXT_MAX = 1000
"""The longest suggestion, in characters."""
URL_MAX = 1000
CUSTOM_ID = 100
"""Discord's limit on a component's custom id, in characters."""
SUGGEST_ID = re.compile(r"dbs:(?P<page>[0-9]+)(?P<by>[kq]):(?P<command>[^:]+):(?P<arg>.*)")
"""The page, whether the answer is drawn again by key (k) or query (q), the command, and
that key or query (empty when it did not fit)."""


class SuggestButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=SUGGEST_ID):
    """The *Suggest a correction* button under a page of facts; works across restarts."""

    def __init__(self, command: str, arg: str, *, by_key: bool, page: int) -> None:
        custom_id = f"dbs:{page}{'k' if by_key else 'q'}:{command}:"
        arg = arg if len(custom_id) + len(arg) <= CUSTOM_ID else ""
        super().__init__(
            discord.ui.Button(
                label=LABEL, style=discord.ButtonStyle.secondary, row=2, custom_id=custom_id + arg
            )
        )
        self.command, self.arg, self.by_key, self.page = command, arg, by_key, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(
            match["command"], match["arg"], by_key=match["by"] == "k", page=int(match["page"])
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self._press(interaction)
        except Exception as error:  # a dynamic item's errors would only be logged
            await send_ephemeral(interaction, report_unexpected(f"button {self!r}", error))

    async def _press(self, interaction: discord.Interaction) -> None:
        from bot.chat.views import shown_facts  # whose views carry this button

        bot = cast("DiploBot", interaction.client)
        embeds = interaction.message.embeds if interaction.message else []
        title = (embeds[0].title or "") if embeds else ""
        facts = shown_facts(interaction)
        if facts is None:
            catalog = bot.library.catalog
            facts = await asyncio.to_thread(
                drawn_again, catalog, self.command, self.arg, self.by_key, self.page, title
            )
        card = f"{self.command}:{self.arg}" if self.arg else f"{self.command}:title:{title}"
        try:
            await asyncio.to_thread(
                suggestions.may_suggest, bot.library.store, str(interaction.user.id), card
            )
        except SuggestionError as error:
            await send_ephemeral(interaction, str(error))
            return
        await interaction.response.send_modal(SuggestForm(card, title, facts))


def drawn_again(
    catalog: Catalog, command: str, arg: str, by_key: bool, page: int, title: str
) -> tuple[str, ...]:
    """The keys of the facts on ``page`` of the answer drawn again from its key or query;
    none when it cannot be, or is no longer the answer titled ``title``."""
    if not arg or command not in commands.COMMANDS:
        return ()
    try:
        if by_key:
            answer = commands.run(catalog, command, arg)
        else:
            answer = commands.answer(catalog, f"{command} {arg}")
    except QueryError:
        return ()
    card = render(answer)
    if card.pages[0].title != title or page >= len(card.facts):
        return ()
    return card.facts[page]


def origin(interaction: discord.Interaction) -> Origin:
    """Who is suggesting, and where: a server the bot is in, a DM, or a user install (a
    server the bot was not added to)."""
    user = interaction.user
    name = getattr(user, "display_name", None) or user.name
    guild_id = interaction.guild_id
    guild = interaction.client.get_guild(guild_id) if guild_id is not None else None
    where = "dm" if guild_id is None else "server" if guild is not None else "user install"
    channel = interaction.channel_id
    return Origin(
        str(user.id),
        name,
        where,
        str(guild_id) if guild_id is not None else None,
        guild.name if guild is not None else None,
        str(channel) if channel is not None else None,
    )


def checked(text: str, url: str) -> tuple[str, str | None]:
    """The suggestion and URL as typed, stripped, or `SuggestionError` with the one line
    that says what to fix."""
    text = text.strip()
    if not text:
        raise SuggestionError("Say what is wrong; nothing was saved.")
    if len(text) > TEXT_MAX:
        raise SuggestionError(
            f"A suggestion is at most {TEXT_MAX:,} characters; yours has {len(text):,}. "
            "Nothing was saved."
        )
    url = url.strip()
    if not url:
        return text, None
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or len(url) > URL_MAX
        or re.search(r"[\s<>`]", url)
    ):
        raise SuggestionError(
            "The source URL must be a web address starting with http:// or https://; "
            "nothing was saved."
        )
    return text, url


class SuggestForm(discord.ui.Modal):
    """What is wrong, and a source URL; sending it saves the suggestion and posts it."""

    def __init__(self, card: str, title: str, facts: tuple[str, ...]) -> None:
        super().__init__(title=LABEL)
        self.card, self.shown, self.facts = card, title, facts
        self.what: discord.ui.TextInput[SuggestForm] = discord.ui.TextInput(
            label="What is wrong",
            custom_id="what",
            style=discord.TextStyle.paragraph,
            required=True,
            max_length=TEXT_MAX,
        )
        self.url: discord.ui.TextInput[SuggestForm] = discord.ui.TextInput(
            label="Source URL (optional)", custom_id="url", required=False, max_length=URL_MAX
        )
        self.add_item(self.what)
        self.add_item(self.url)

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        from bot.chat.suggest_review import post  # which shows suggestions to curators

        bot = cast("DiploBot", interaction.client)
        try:
            text, url = checked(self.what.value, self.url.value or "")
            saved = await asyncio.to_thread(
                suggestions.save,
                bot.library.store,
                origin(interaction),
                card=self.card,
                title=self.shown,
                facts=self.facts,
                text=text,
                url=url,
            )
        except SuggestionError as error:
            await send_ephemeral(interaction, str(error))
            return
        log.info("suggestion %s from user %s on %s", saved.id, saved.by.member_id, saved.card)
        await send_ephemeral(
            interaction, f"Thank you: suggestion #{saved.id} is with the curators."
        )
        await post(bot, saved)

    async def on_error(  # type: ignore[override]  # a modal's errors have no item
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        await send_ephemeral(interaction, report_unexpected("suggestion form", error))
