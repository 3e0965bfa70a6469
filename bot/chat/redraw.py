"""Answers drawn again from a key, for buttons: a "did you mean" choice's card, and a
page of an answer after a restart, with hints in the syntax it was asked in."""

from __future__ import annotations

import contextlib

from bot.answers import commands
from bot.answers.catalog import Catalog
from bot.answers.commands import PREFIX, Syntax
from bot.chat.embeds import Card, render
from bot.core.answer import Answer, Status, Suggestion
from bot.errors import QueryError


def open_choice(
    catalog: Catalog, command: str, choice: Suggestion, syntax: Syntax = PREFIX
) -> Answer:
    """The card for a chosen suggestion.

    The original command is run again with the suggestion's key, which names it
    outright; when that command cannot show it (``who`` offered a dispute, or the
    command is not a lookup), the lookup that opens any key of its kind does
    (`commands.opener`: ``about`` for an entity, ``source`` for a source). Its hints
    are written in ``syntax``.
    """
    if command in commands.COMMANDS:
        with contextlib.suppress(QueryError):
            answer = commands.run(catalog, command, choice.key, syntax=syntax)
            if answer.status is Status.FOUND:
                return answer
    opener = commands.opener(choice.kind, own_card=False).name
    return commands.run(catalog, opener, choice.key, syntax=syntax)


def rebuild_key(answer: Answer) -> str | None:
    """The key `commands.run` can draw ``answer`` again from: the source or entity it is
    about. None when it has none (a search, an ambiguous or failed lookup) or is not a lookup.

    A key can still lead to another answer (a timeline of two entities is about the
    first); a press after a restart checks the title before showing it.
    """
    if answer.status is not Status.FOUND or answer.command not in commands.COMMANDS:
        return None
    if answer.source is not None:
        return answer.source.key
    return answer.entity.key if answer.entity is not None else None


def redraw(
    catalog: Catalog, command: str, key: str, title: str | None, syntax: Syntax = PREFIX
) -> Card | None:
    """The card ``command`` gives for ``key`` now, with hints in ``syntax``, or None when
    that is no longer the answer titled ``title`` (or the command cannot run)."""
    if command not in commands.COMMANDS:
        return None
    try:
        answer = commands.run(catalog, command, key, syntax=syntax)
    except QueryError:
        return None
    card = render(answer)
    if answer.status is not Status.FOUND or card.pages[0].title != title:
        return None
    return card
