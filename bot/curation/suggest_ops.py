"""The curation operations on members' suggested corrections: ``curate suggestions`` lists
the open ones, ``curate suggestion accept N`` and ``curate suggestion dismiss N`` decide.

Accepting records the decision and shows each fact the suggestion is about with the
``curate fact edit`` line that corrects it, prefilled with what is stored, to change
and run (on Discord the review post's *Accept* button opens the fact form instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.answer import Answer, Status
from bot.core.arguments import Arg, Param
from bot.curation.edits import read_record
from bot.curation.fact_ops import fact_as_form
from bot.curation.operations import REASON, Desk, group, operation
from bot.errors import NotInStoreError
from bot.store import suggestions
from bot.store.db import Store
from bot.store.suggestions import StoredSuggestion

group("suggestion", "Members' suggested corrections: accept or dismiss one")

LISTED = 100
"""At most this many open suggestions are listed, oldest first."""
NUMBER = Param("number", "The suggestion's number", type=Arg.NUMBER)


def summary(suggestion: StoredSuggestion) -> str:
    """``#3 · mia (server Diplomacy) · on “Nikolai Nozdrev” · 2 facts · the text``."""
    by = suggestion.by
    where = f"server {by.guild_name}" if by.origin == "server" and by.guild_name else by.origin
    facts = len(suggestion.facts)
    count = f"{facts} fact" if facts == 1 else f"{facts} facts"
    text = " ".join(suggestion.text.split())
    clipped = text if len(text) <= 300 else text[:299] + "…"
    url = f" · {suggestion.url}" if suggestion.url else ""
    return (
        f"#{suggestion.id} · {by.member_name} ({where}) · on “{suggestion.title}” · "
        f"{count} · {clipped}{url}"
    )


def edit_line(store: Store, key: str) -> str:
    """The ``curate fact edit`` line that sets fact ``key`` to what is stored now."""
    stored, _ = read_record(store, "fact", key)
    shown = fact_as_form(stored)
    parts = [f"curate fact edit {key}"]
    for name in ("text", "about", "source", "date", "type"):
        if shown[name]:
            value = shown[name].replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'{name}:"{value}"')
    return " ".join(parts)


@operation(
    "suggestions",
    "The open suggested corrections from members, oldest first.",
    "curate suggestions",
    writes=False,
)
def suggestions_(desk: Desk, values: Mapping[str, Any]) -> Answer:
    listed, total = suggestions.open_ones(desk.library.store, LISTED)
    title = "Open suggestions"
    if not listed:
        notice = "No suggestion is open."
        return Answer(suggestions_.command, "", Status.NOT_FOUND, title=title, notice=notice)
    shown = f"the oldest {len(listed)} of {total}" if total > len(listed) else str(total)
    return Answer(
        suggestions_.command,
        "",
        Status.FOUND,
        title=title,
        notice=f"{shown} open, oldest first. `curate suggestion accept N` or "
        "`curate suggestion dismiss N reason:…` decides one.",
        lines=tuple(summary(item) for item in listed),
    )


@operation(
    "suggestion accept",
    "Accept a suggestion: it is recorded, and each fact it is about is shown with the "
    "`curate fact edit` line to correct it.",
    "curate suggestion accept 3",
    NUMBER,
    writes=False,
)
def suggestion_accept(desk: Desk, values: Mapping[str, Any]) -> Answer:
    store = desk.library.store
    decided = suggestions.decide(
        store,
        values["number"],
        suggestions.ACCEPTED,
        curator=desk.actor.id or "",
        name=desk.actor.name,
    )
    lines = [summary(decided)]
    for key in decided.facts:
        try:
            lines.append(edit_line(store, key))
        except NotInStoreError:
            lines.append(f"Fact '{key}' is no longer in the store.")
    return Answer(
        suggestion_accept.command,
        str(decided.id),
        Status.DONE,
        title=f"Accepted suggestion {decided.id}",
        notice="Correct the fact with its line below (change what is wrong and run it).",
        lines=tuple(lines),
    )


@operation(
    "suggestion dismiss",
    "Dismiss a suggestion, with an optional reason; it is recorded.",
    'curate suggestion dismiss 3 reason:"the source says so"',
    NUMBER,
    REASON,
    writes=False,
)
def suggestion_dismiss(desk: Desk, values: Mapping[str, Any]) -> Answer:
    decided = suggestions.decide(
        desk.library.store,
        values["number"],
        suggestions.DISMISSED,
        curator=desk.actor.id or "",
        name=desk.actor.name,
        reason=values.get("reason"),
    )
    why = f" ({decided.reason})" if decided.reason else ""
    return Answer(
        suggestion_dismiss.command,
        str(decided.id),
        Status.DONE,
        title=f"Dismissed suggestion {decided.id}",
        notice=f"Dismissed{why}.",
        lines=(summary(decided),),
    )
