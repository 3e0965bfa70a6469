"""Buttons under an answer: page turning and "did you mean" choices.

The buttons outlive the bot. Each one's custom id carries what a press needs:
who asked, the command, the page it leads to (or which choice it is) and the
key the answer is about, for instance ``dbp:1234:1>:timeline:japan`` (``1>/`` when asked
by slash, so an answer drawn again writes its hints so; ids without it use the prefix). The
`PersistentPageButton` and `PersistentChoiceButton` classes are registered with
the client (`install`), so discord.py hands them every press on such an id,
whether or not a view in memory still knows the message:

- while the answer's view is alive (until its timeout), a press uses the card
  that view holds, and a new view for the new state takes over the message;
- after a restart the command is run again with the key (`commands.run`, or
  `open_choice` for a choice) and the requested page drawn from the result;
- an answer that cannot be drawn again from a key (a search, an ambiguous
  answer, a curation listing, a key too long for the id, an entity gone from
  the store) tells the presser so privately instead of failing.

A page of facts also carries *Suggest a correction* (`bot.chat.suggest`), for anyone,
which stays usable when the view times out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self, cast

import discord

from bot.answers.catalog import SOURCE_KIND
from bot.answers.commands import COMMANDS, PREFIX, SLASH, Syntax
from bot.chat import limits
from bot.chat.embeds import Card, choice_label, render
from bot.chat.errors import report_unexpected, send_ephemeral
from bot.chat.redraw import open_choice, rebuild_key, redraw
from bot.chat.suggest import SuggestButton
from bot.core.answer import Answer, Suggestion

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

CUSTOM_ID = 100
"""Discord's limit on a component's custom id, in characters."""
PAGE_ID = re.compile(
    r"dbp:(?P<asker>[0-9]+):(?P<page>[0-9]+)(?P<way>[<>])(?P<slash>/?)"
    r":(?P<command>[^:]+):(?P<key>.*)"
)
"""A ◀ or ▶: who asked, the page it leads to, which of the two it is, whether it was asked
by slash, the command and the key the answer can be drawn again from (empty when it
cannot)."""
CHOICE_ID = re.compile(
    r"dbc:(?P<asker>[0-9]+):(?P<index>[0-9]+)(?P<kind>[es])(?P<slash>/?)"
    r":(?P<command>[^:]+):(?P<key>.*)"
)
"""A "did you mean" choice: who asked, its place among the choices, whether it is an
entity (e) or a source (s), whether it was asked by slash, the command it was offered by
and its key (empty when too long)."""

_LIVE: dict[int, AnswerView] = {}
"""The answer views still alive in this process, by the id of the message they are on."""


def install(bot: discord.Client) -> None:
    """Let ``bot`` handle presses on answer buttons, including those sent before it started.

    A bot starts knowing no live answers, as after a restart (one bot runs per process).
    """
    _LIVE.clear()
    bot.add_dynamic_items(PersistentPageButton, PersistentChoiceButton, SuggestButton)


class AnswerView(discord.ui.View):
    """The buttons under one answer, usable only by the person who asked.

    ◀ and ▶ turn the pages; each "did you mean" button replaces the answer with
    that entity's card. When the view times out its buttons are disabled.

    Its buttons are persistent (see the module's docstring) unless a subclass sets
    `persistent` to False: a view with items of its own, such as `HistoryView`'s
    select, must not mix them with dynamic items, which discord.py unregisters for
    every message when such a view stops.
    """

    persistent: ClassVar[bool] = True

    def __init__(
        self,
        card: Card,
        *,
        command: str,
        author: discord.abc.User,
        timeout: float,
        key: str | None = None,
        page: int = 0,
        syntax: Syntax = PREFIX,
    ):
        super().__init__(timeout=timeout)
        self.card = card
        self.command = command
        self.author = author
        self.key = key
        self.syntax = syntax
        self._message: discord.Message | None = None
        self.page = max(0, min(page, len(card.pages) - 1))
        for index, choice in enumerate(card.choices):
            label = choice_label(choice, card.choices)
            if self.persistent:
                press = _Press(author.id, command, choice.key, syntax.slash)
                kind = "s" if choice.kind == SOURCE_KIND else "e"
                self.add_item(PersistentChoiceButton(press, index, kind, label or choice.name))
            else:
                self.add_item(ChoiceButton(choice, label))
        self.previous: discord.ui.Item[Any]
        self.next: discord.ui.Item[Any]
        if self.persistent:
            press = _Press(author.id, command, key or "", syntax.slash)
            last = len(card.pages) - 1
            self.previous = PersistentPageButton(press, max(self.page - 1, 0), "<")
            self.next = PersistentPageButton(press, min(self.page + 1, last), ">")
        else:
            self.previous = PageButton(-1, "◀")
            self.next = PageButton(1, "▶")
        if len(card.pages) > 1:
            self.add_item(self.previous)
            self.add_item(self.next)
            self._update_buttons()
        if self.persistent and command in COMMANDS and any(card.facts):
            arg = key or card.query
            self.add_item(SuggestButton(command, arg, by_key=bool(key), page=self.page))

    @classmethod
    def for_card(
        cls,
        card: Card,
        *,
        command: str,
        author: discord.abc.User,
        timeout: float,
        key: str | None = None,
        page: int = 0,
        syntax: Syntax = PREFIX,
    ) -> AnswerView | None:
        """A view for the card, or None when it needs no buttons."""
        view = cls(
            card, command=command, author=author, timeout=timeout, key=key, page=page, syntax=syntax
        )
        return view if view.children else None

    @classmethod
    def for_answer(
        cls,
        answer: Answer,
        card: Card,
        *,
        author: discord.abc.User,
        timeout: float,
        syntax: Syntax = PREFIX,
    ) -> AnswerView | None:
        """A view for ``card`` (``answer`` rendered, asked for in ``syntax``) whose pages
        can be drawn again after a restart when the answer has a key; None when it needs
        no buttons."""
        return cls.for_card(
            card,
            command=answer.command,
            author=author,
            timeout=timeout,
            key=rebuild_key(answer),
            syntax=syntax,
        )

    @property
    def message(self) -> discord.Message | None:
        """The message the view is on; set once it is sent."""
        return self._message

    @message.setter
    def message(self, message: discord.Message | None) -> None:
        self._forget()
        self._message = message
        if message is not None and self.persistent and not self.is_finished():
            _LIVE[message.id] = self

    def _forget(self) -> None:
        if self._message is not None and _LIVE.get(self._message.id) is self:
            del _LIVE[self._message.id]

    def _update_buttons(self) -> None:
        _button(self.previous).disabled = self.page == 0
        _button(self.next).disabled = self.page == len(self.card.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.author.id:
            return True
        await _refuse(interaction, self.author.display_name)
        return False

    async def turn(self, interaction: discord.Interaction, step: int) -> None:
        """Show the page ``step`` pages away from the current one (buttons that are not
        persistent)."""
        self.page = max(0, min(self.page + step, len(self.card.pages) - 1))
        self._update_buttons()
        await interaction.response.edit_message(embed=self.card.pages[self.page], view=self)

    async def choose(self, interaction: discord.Interaction, choice: Suggestion) -> None:
        """Replace the answer with the chosen suggestion's card."""
        await _open(interaction, self, choice, self.command, self.syntax)

    def stop(self) -> None:
        self._forget()
        super().stop()

    async def on_timeout(self) -> None:
        self._forget()
        for item in self.children:
            inner = item.item if isinstance(item, discord.ui.DynamicItem) else item
            if isinstance(inner, discord.ui.Button) and not isinstance(item, SuggestButton):
                inner.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await send_ephemeral(interaction, report_unexpected(f"button {item!r}", error))


def _button(item: discord.ui.Item[Any]) -> discord.ui.Button[Any]:
    """The ◀ or ▶ button an item is or wraps."""
    inner = item.item if isinstance(item, discord.ui.DynamicItem) else item
    return cast("discord.ui.Button[Any]", inner)


class PageButton(discord.ui.Button[AnswerView]):
    """◀ or ▶ that turns the pages of the view in memory, and dies with it."""

    def __init__(self, step: int, label: str) -> None:
        super().__init__(label=label, style=discord.ButtonStyle.secondary, row=1)
        self.step = step

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.turn(interaction, self.step)


class ChoiceButton(discord.ui.Button[AnswerView]):
    """One "did you mean" candidate, answered by the view in memory."""

    def __init__(self, choice: Suggestion, label: str | None = None) -> None:
        super().__init__(
            label=limits.button_label(label or choice.name), style=discord.ButtonStyle.primary
        )
        self.choice = choice

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.choose(interaction, self.choice)


@dataclass(frozen=True, slots=True)
class _Press:
    """What a persistent button's custom id says about its answer."""

    asker: int
    command: str
    key: str
    """The key to draw the answer (or the choice) from; empty when there is none."""
    slash: bool = False
    """Whether it was asked for by slash (else with the prefix)."""

    @classmethod
    def of(cls, match: re.Match[str]) -> _Press:
        """What a custom id matched by `PAGE_ID` or `CHOICE_ID` says."""
        return cls(int(match["asker"]), match["command"], match["key"], bool(match["slash"]))

    def custom_id(self, prefix: str, middle: str) -> str:
        """The id ``prefix:asker:middle[/]:command:key``, without the key when it is too long."""
        slash = "/" if self.slash else ""
        custom_id = f"{prefix}:{self.asker}:{middle}{slash}:{self.command}:"
        return custom_id + self.key if len(custom_id) + len(self.key) <= CUSTOM_ID else custom_id

    def syntax(self, bot: DiploBot) -> Syntax:
        """How the asker typed the command: by slash, or with the bot's prefix."""
        return SLASH if self.slash else Syntax(prefix=bot.settings.command_prefix)


class PersistentPageButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=PAGE_ID):
    """◀ (way ``<``) or ▶ (``>``), leading to ``page``; works across restarts."""

    def __init__(self, press: _Press, page: int, way: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="◀" if way == "<" else "▶",
                style=discord.ButtonStyle.secondary,
                row=1,
                custom_id=press.custom_id("dbp", f"{page}{way}"),
            )
        )
        self.press, self.page = press, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(_Press.of(match), int(match["page"]), match["way"])

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await _is_asker(interaction, self.press.asker)

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await _turn_to(interaction, self.press, self.page)
        except Exception as error:  # a dynamic item's errors would only be logged
            await send_ephemeral(interaction, report_unexpected(f"button {self!r}", error))


class PersistentChoiceButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=CHOICE_ID):
    """The ``index``th "did you mean" candidate, an entity (kind ``e``) or a source (``s``)
    whose key ``press`` carries; works across restarts."""

    def __init__(self, press: _Press, index: int, kind: str, label: str = "?") -> None:
        super().__init__(
            discord.ui.Button(
                label=limits.button_label(label),
                style=discord.ButtonStyle.primary,
                custom_id=press.custom_id("dbc", f"{index}{kind}"),
            )
        )
        self.press, self.index, self.kind = press, index, kind

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(_Press.of(match), int(match["index"]), match["kind"])

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await _is_asker(interaction, self.press.asker)

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            live = _live_view(interaction)
            if live is not None and self.index < len(live.card.choices):
                choice = live.card.choices[self.index]
                await _open(interaction, live, choice, live.command, live.syntax)
            elif self.press.key:
                kind = SOURCE_KIND if self.kind == "s" else "entity"
                choice = Suggestion(self.press.key, kind, self.press.key, 100.0)
                syntax = self.press.syntax(cast("DiploBot", interaction.client))
                await _open(interaction, None, choice, self.press.command, syntax)
            else:
                await _gone(interaction, "These buttons no longer work", self.press.command)
        except Exception as error:  # a dynamic item's errors would only be logged
            await send_ephemeral(interaction, report_unexpected(f"button {self!r}", error))


def shown_facts(interaction: discord.Interaction) -> tuple[str, ...] | None:
    """The keys of the facts on the pressed answer's page, when its view is alive."""
    live = _live_view(interaction)
    if live is None or live.page >= len(live.card.facts):
        return None
    return live.card.facts[live.page]


def _live_view(interaction: discord.Interaction) -> AnswerView | None:
    """The view in memory for the pressed message, if it is still alive."""
    if interaction.message is None:
        return None
    view = _LIVE.get(interaction.message.id)
    return view if view is not None and not view.is_finished() else None


async def _is_asker(interaction: discord.Interaction, asker: int) -> bool:
    """Whether the presser asked for the answer; anyone else is told privately."""
    if interaction.user.id == asker:
        return True
    live = _live_view(interaction)
    if live is not None:
        name = live.author.display_name
    else:
        member = interaction.guild.get_member(asker) if interaction.guild else None
        user = member or interaction.client.get_user(asker)
        name = user.display_name if user is not None else f"<@{asker}>"
    await _refuse(interaction, name)
    return False


async def _refuse(interaction: discord.Interaction, name: str) -> None:
    await interaction.response.send_message(
        limits.content(f"Only {name} can use these buttons."), ephemeral=True
    )


async def _turn_to(interaction: discord.Interaction, press: _Press, page: int) -> None:
    """Show ``page`` of the pressed answer: from the view in memory, else drawn again."""
    bot = cast("DiploBot", interaction.client)
    live = _live_view(interaction)
    syntax = live.syntax if live is not None else press.syntax(bot)
    card: Card | None
    if live is not None:
        card, author, key = live.card, live.author, live.key
    else:
        card, author, key = None, interaction.user, press.key or None
        if key is not None:
            shown = interaction.message.embeds if interaction.message else []
            title = shown[0].title if shown else None
            catalog = bot.library.catalog
            card = await asyncio.to_thread(redraw, catalog, press.command, key, title, syntax)
    if card is None:
        await _gone(interaction, "This answer can no longer be paged", press.command)
        return
    timeout = bot.view_timeout
    view = AnswerView.for_card(
        card,
        command=press.command,
        author=author,
        timeout=timeout,
        key=key,
        page=page,
        syntax=syntax,
    )
    assert view is not None  # a card with pages to turn has buttons
    await _replace(interaction, live, view, card.pages[view.page])


async def _open(
    interaction: discord.Interaction,
    old: AnswerView | None,
    choice: Suggestion,
    command: str,
    syntax: Syntax,
) -> None:
    """Replace the pressed answer (``old``'s, when it is in memory) with the chosen
    suggestion's card, its hints in ``syntax``."""
    bot = cast("DiploBot", interaction.client)
    catalog = bot.library.catalog
    answer = await asyncio.to_thread(open_choice, catalog, command, choice, syntax)
    card = render(answer)
    asker = old.author if old is not None else interaction.user
    view = AnswerView.for_answer(
        answer, card, author=asker, timeout=bot.view_timeout, syntax=syntax
    )
    await _replace(interaction, old, view, card.pages[0])


async def _replace(
    interaction: discord.Interaction,
    old: AnswerView | None,
    new: AnswerView | None,
    embed: discord.Embed,
) -> None:
    """Show ``embed`` with ``new``'s buttons on the pressed message, retiring ``old``."""
    message = old.message if old is not None else None
    if old is not None:
        old.stop()
    await interaction.response.edit_message(embed=embed, view=new)
    if new is not None:
        new.message = message or interaction.message


async def _gone(interaction: discord.Interaction, what: str, command: str) -> None:
    """Tell the presser privately that the answer cannot be drawn again, and how to ask."""
    slash = interaction.message is not None and interaction.message.interaction_metadata
    prefix = "/" if slash else cast("DiploBot", interaction.client).settings.command_prefix
    await interaction.response.send_message(
        limits.content(f"{what}; ask again with `{prefix}{command}`."), ephemeral=True
    )
