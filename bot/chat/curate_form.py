"""The bridge between a curation operation's form (modal) and running it: the form the
operation declares, prefilled from the stored record for an edit, sent back with only
the fields that changed, and reopened with the draft when saving it failed."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import discord

from bot.chat.curate_replies import client, run_sync, show
from bot.chat.embeds import render
from bot.chat.errors import send_ephemeral
from bot.chat.forms import RecordForm, ReopenView
from bot.core.answer import Status
from bot.curation import operations
from bot.curation.edits import read_record
from bot.curation.operations import Form, Operation
from bot.errors import DiplobotError


async def open_form(
    interaction: discord.Interaction, spec: Operation, form: Form, options: dict[str, Any]
) -> None:
    """Open spec's form, filled in from the stored record (for an edit) and the options given."""
    draft = {k: str(v) for k, v in options.items() if k in form.names}
    version: int | None = None
    stored_form: dict[str, str] = {}
    if form.record is not None:
        key = str(options.get(form.record, ""))
        try:
            stored, version = await asyncio.to_thread(
                read_record, client(interaction).library.store, form.record, key
            )
        except DiplobotError as error:
            await send_ephemeral(interaction, operations.sentence(str(error)))
            return
        shown = form.prefill(stored) if form.prefill is not None else {}
        draft = stored_form = {**shown, **draft}
    await interaction.response.send_modal(
        _form(interaction.user, spec, form, options, draft, stored_form, version)
    )


def _form(
    owner: discord.abc.User,
    spec: Operation,
    form: Form,
    options: Mapping[str, Any],
    draft: Mapping[str, str],
    stored: Mapping[str, str],
    version: int | None,
) -> RecordForm:
    """The form showing draft; an edit saves only the fields that differ from stored."""

    async def submit(interaction: discord.Interaction, typed: dict[str, str]) -> None:
        changed = {k: v for k, v in typed.items() if stored.get(k) != v}
        values = {**{k: v for k, v in options.items() if k not in form.names}, **changed}
        answer = await asyncio.to_thread(run_sync, interaction, spec, values, version)
        if answer.status is not Status.ERROR:
            await show(interaction, answer, spec)
            return
        fresh = version
        if operations.is_stale(answer) and form.record is not None:
            _, fresh = await asyncio.to_thread(
                read_record,
                client(interaction).library.store,
                form.record,
                str(options[form.record]),
            )
        reopen = ReopenView(
            lambda: _form(owner, spec, form, options, typed, stored, fresh),
            owner=owner,
            timeout=client(interaction).view_timeout,
        )
        card = render(answer)
        await interaction.response.send_message(embed=card.pages[0], view=reopen, ephemeral=True)
        reopen.message = await interaction.original_response()

    return RecordForm(owner, form, draft, submit)
