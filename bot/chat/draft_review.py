"""The review of an article draft on Discord (`View.DRAFT`, from ``curate article``).

The message shows the draft's source, its new entities and its facts, `PER_PAGE` to a
page. Under each fact a button drops it (or keeps it again) and one opens the fact
form on it; below, ◀ ▶ turn the pages, *Import selected* runs the operation the
draft's view follows (``curate import``) on the kept facts, with its preview and
Confirm, and *Download draft* sends them as a file to edit and attach to
``curate import``.

Every button is a `DraftButton`, whose custom id carries the draft's number, what it
does and the fact (or page) it does it to: ``dbd:12:k:3``. The draft is kept in the
store and read again on every press, so the buttons work after a restart, until the
draft expires. Only the curator who opened a draft may use them; the check runs at
every press and every form sent.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from typing import TYPE_CHECKING, Any, Self, cast

import discord
from discord.utils import escape_markdown

from bot.chat import access, limits
from bot.chat.curate_replies import client, run
from bot.chat.embeds import render
from bot.chat.errors import report_unexpected, send_ephemeral
from bot.chat.forms import RecordForm, ReopenView
from bot.core.answer import Answer, Status
from bot.curation import review
from bot.curation.operations import OPERATIONS, View, follow_up, sentence
from bot.errors import NotInStoreError, RecordError
from bot.store import drafts
from bot.store.db import Store
from bot.store.drafts import StoredDraft

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

PER_PAGE = 5
"""Facts on one page of a draft: one row of keep/drop buttons, one of edit buttons."""
FACT_TEXT = 500
"""A longer fact is clipped to this many characters on the page (the form shows it whole)."""
NEW_ENTITIES = 700
"""Characters of new entities' names shown at the top."""
URL_MAX = 2000
"""A longer source URL is shown as text, not linked."""
DRAFT_ID = re.compile(r"dbd:(?P<draft>[0-9]+):(?P<action>[kdebfiw]):(?P<arg>[0-9]+)")
"""A draft's button: its number, the action (keep, drop, edit, back, forward, import,
write a file) and the fact's index or the page it leads to."""
HOW = (
    "Drop the facts not worth keeping and edit the others as needed; *Import selected* "
    "then previews the import of the kept facts. *Download draft* gives them as a file "
    "to edit and attach to `/curate import`."
)


def draft_message(
    store: Store, number: int, page: int = 0
) -> tuple[discord.Embed, discord.ui.View]:
    """Draft ``number`` read from the store, drawn at ``page`` with its buttons."""
    draft = drafts.load(store, number)
    return draft_embed(draft, page), draft_view(draft, page)


def pages(draft: StoredDraft) -> int:
    """How many pages draft's facts take."""
    return max(1, -(-len(draft.facts) // PER_PAGE))


def draft_embed(draft: StoredDraft, page: int) -> discord.Embed:
    """The draft's source, new entities and the facts of ``page``, within Discord's limits."""
    page = max(0, min(page, pages(draft) - 1))
    source = _source(draft)
    details = [str(source[name]) for name in ("outlet", "published") if source.get(name)]
    head = [escape_markdown(" · ".join(details))] if details else []
    url = str(source.get("url") or "")
    linkable = (
        url.startswith(("http://", "https://"))
        and len(url) <= URL_MAX
        and not re.search(r"[\s<>]", url)
    )
    if url:
        head.append(f"<{url}>" if linkable else escape_markdown(url))
    entities = [
        f"{escape_markdown(str(entity.get('name', '')))} ({entity.get('kind', '')})"
        for entity in draft.document.get("entities", [])
    ]
    named = limits.join_within(entities, NEW_ENTITIES, ", ") if entities else "none"
    head += [f"**New entities:** {named}", HOW]
    start = page * PER_PAGE
    body = [
        _fact_entry(index, fact, draft.kept[index])
        for index, fact in enumerate(draft.facts[start : start + PER_PAGE], start=start)
    ]
    kept = sum(draft.kept)
    footer = (
        f"Page {page + 1}/{pages(draft)} · {kept} of {len(draft.kept)} facts kept · "
        f"the draft expires {draft.expires.date().isoformat()}"
    )
    return limits.make_embed(
        title=f"Draft {draft.id}: {escape_markdown(str(source.get('title', '')))}",
        description="\n\n".join([*head, *body]),
        url=url if linkable else None,
        colour=discord.Colour.blurple(),
        footer=footer,
    )


def _source(draft: StoredDraft) -> dict[str, Any]:
    sources = draft.document.get("sources") or [{}]
    return dict(sources[0])


def _fact_entry(index: int, fact: dict[str, Any], kept: bool) -> str:
    about = ", ".join(
        item if isinstance(item, str) else f"{item.get('entity')} ({item.get('role')})"
        for item in fact.get("about", [])
    )
    marks = [str(fact[name]) for name in ("date", "type") if fact.get(name)]
    state = "✅" if kept else "❌ dropped"
    head = " · ".join([f"**{index + 1}.** {state}", *map(escape_markdown, marks)])
    text = escape_markdown(limits.clip(str(fact.get("text", "")), FACT_TEXT))
    if not kept:
        return f"{head}\n~~{text}~~"
    return f"{head}\n{text}\n*about:* {escape_markdown(about)}"


def draft_view(draft: StoredDraft, page: int) -> discord.ui.View:
    """The buttons under a page of the draft. It never times out: its buttons are
    `DraftButton`s, handled from their custom id whatever the bot remembers."""
    page = max(0, min(page, pages(draft) - 1))
    view = discord.ui.View(timeout=None)
    number, start = draft.id, page * PER_PAGE
    shown = range(start, min(start + PER_PAGE, len(draft.facts)))
    for index in shown:
        kept = draft.kept[index]
        action, word = ("d", "Drop") if kept else ("k", "Keep")
        style = discord.ButtonStyle.secondary if kept else discord.ButtonStyle.success
        view.add_item(DraftButton(number, action, index, f"{word} {index + 1}", style, row=0))
    for index in shown:
        view.add_item(
            DraftButton(number, "e", index, f"Edit {index + 1}", discord.ButtonStyle.primary, 1)
        )
    last = pages(draft) - 1
    if last > 0:
        view.add_item(DraftButton(number, "b", max(page - 1, 0), "◀", row=2, disabled=page == 0))
        view.add_item(
            DraftButton(number, "f", min(page + 1, last), "▶", row=2, disabled=page == last)
        )
    none_kept = not any(draft.kept)
    view.add_item(
        DraftButton(
            number, "i", 0, "Import selected", discord.ButtonStyle.success, 2, disabled=none_kept
        )
    )
    view.add_item(DraftButton(number, "w", 0, "Download draft", row=2))
    return view


class DraftButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=DRAFT_ID):
    """One button of a draft's review; see the module's docstring."""

    def __init__(
        self,
        number: int,
        action: str,
        arg: int,
        label: str = "?",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
        *,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=limits.button_label(label),
                style=style,
                row=row,
                disabled=disabled,
                custom_id=f"dbd:{number}:{action}:{arg}",
            )
        )
        self.number, self.action, self.arg = number, action, arg
        self.draft: StoredDraft | None = None

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["draft"]), match["action"], int(match["arg"]))

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """A curator, the one who opened the draft, pressing before it expired."""
        self.draft = await owned_draft(interaction, self.number, "a draft button")
        return self.draft is not None

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            assert self.draft is not None
            await _ACTIONS[self.action](interaction, self.draft, self.arg)
        except Exception as error:  # a dynamic item's errors would only be logged
            await send_ephemeral(interaction, report_unexpected(f"draft button {self!r}", error))


async def owned_draft(
    interaction: discord.Interaction, number: int, what: str
) -> StoredDraft | None:
    """Draft ``number``, when the one acting may curate and opened it; otherwise None,
    after telling them privately why (and logging a refusal)."""
    bot = cast("DiploBot", interaction.client)
    user = interaction.user
    if not await access.may_curate(bot, user, interaction.guild):
        log.warning("refused %s to user %s", what, user.id)
        await send_ephemeral(interaction, access.REFUSAL)
        return None
    try:
        draft = await asyncio.to_thread(drafts.load, bot.library.store, number)
    except NotInStoreError as error:
        await send_ephemeral(interaction, sentence(str(error)))
        return None
    if draft.owner_id != str(user.id):
        log.warning("refused %s of draft %s to user %s", what, number, user.id)
        owner = escape_markdown(draft.owner_name)
        await send_ephemeral(
            interaction,
            f"Only {owner}, who opened draft {number}, can review it; "
            "draft an article of your own with `/curate article`.",
        )
        return None
    return draft


async def _redraw(interaction: discord.Interaction, draft: StoredDraft, page: int) -> None:
    await interaction.response.edit_message(
        content=None, embed=draft_embed(draft, page), view=draft_view(draft, page)
    )


async def _keep(interaction: discord.Interaction, draft: StoredDraft, index: int) -> None:
    store = client(interaction).library.store
    kept = await asyncio.to_thread(drafts.keep, store, draft.id, index, True)
    await _redraw(interaction, kept, index // PER_PAGE)


async def _drop(interaction: discord.Interaction, draft: StoredDraft, index: int) -> None:
    store = client(interaction).library.store
    dropped = await asyncio.to_thread(drafts.keep, store, draft.id, index, False)
    await _redraw(interaction, dropped, index // PER_PAGE)


async def _turn(interaction: discord.Interaction, draft: StoredDraft, page: int) -> None:
    await _redraw(interaction, draft, page)


async def _edit(interaction: discord.Interaction, draft: StoredDraft, index: int) -> None:
    if index >= len(draft.facts):
        await send_ephemeral(interaction, f"Draft {draft.id} has no fact {index + 1}.")
        return
    form = review.FACT_FORM
    shown = form.prefill(draft.facts[index]) if form.prefill is not None else {}
    await interaction.response.send_modal(_fact_form(interaction.user, draft.id, index, shown))


def _fact_form(
    owner: discord.abc.User, number: int, index: int, shown: dict[str, str]
) -> RecordForm:
    """The fact form on fact ``index`` of draft ``number``, showing ``shown``; sending it
    saves the fact in the draft (never in the store's facts) and redraws the draft."""

    async def submit(interaction: discord.Interaction, typed: dict[str, str]) -> None:
        if await owned_draft(interaction, number, "a draft's fact form") is None:
            return
        library = client(interaction).library
        try:
            draft = await asyncio.to_thread(review.edit_fact, library, number, index, typed)
        except NotInStoreError as error:
            await send_ephemeral(interaction, sentence(str(error)))
            return
        except RecordError as error:
            answer = Answer(
                "curate article",
                "",
                Status.ERROR,
                notice=sentence(error.headline),
                lines=tuple(error.problems),
            )
            reopen = ReopenView(
                lambda: _fact_form(owner, number, index, typed),
                owner=owner,
                timeout=client(interaction).view_timeout,
            )
            await interaction.response.send_message(
                embed=render(answer).pages[0], view=reopen, ephemeral=True
            )
            reopen.message = await interaction.original_response()
            return
        await _redraw(interaction, draft, index // PER_PAGE)

    return RecordForm(owner, review.FACT_FORM, shown, submit)


async def _import(interaction: discord.Interaction, draft: StoredDraft, _: int) -> None:
    if not any(draft.kept):
        await send_ephemeral(
            interaction, f"No fact of draft {draft.id} is kept; keep one to import it."
        )
        return
    spec = next(spec for spec in OPERATIONS.values() if spec.view is View.DRAFT)
    await interaction.response.defer(ephemeral=True, thinking=True)
    await run(interaction, follow_up(spec), {"file": review.selected_file(draft)})


async def _download(interaction: discord.Interaction, draft: StoredDraft, _: int) -> None:
    filename, data = review.selected_file(draft)
    kept = sum(draft.kept)
    await interaction.response.send_message(
        f"Draft {draft.id} with your edits: its {kept} kept "
        f"{'fact' if kept == 1 else 'facts'}, the source and the new entities they name. "
        "Edit it and attach it to `/curate import`.",
        file=discord.File(io.BytesIO(data), filename=filename),
        ephemeral=True,
    )


_ACTIONS = {
    "k": _keep,
    "d": _drop,
    "e": _edit,
    "b": _turn,
    "f": _turn,
    "i": _import,
    "w": _download,
}
