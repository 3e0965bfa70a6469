"""Adding and removing an entity's other names (aliases), several at once.

``curate alias add china PRC | People's Republic of China`` adds two: `` | ``
separates aliases. All of them are added in one revision, or none is. An alias
holding ``, `` is added as typed, with a note asking whether two were meant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from sqlmodel import Session

from bot.curation.edits import Done, _checked, _require, _write
from bot.curation.problems import suggestion
from bot.curation.relinking import complete_entity
from bot.curation.writer import Writer
from bot.errors import CurationError, RecordError
from bot.records.actor import Actor
from bot.records.reader import read_entity
from bot.records.shapes import AliasSpec, Document
from bot.store.db import Store

SEPARATOR = " | "
"""What separates several aliases typed in one value."""
_PLACE = re.compile(r"aliases\[(\d+)\](\.lang)?: ")


def split_aliases(text: str) -> tuple[list[str], list[str]]:
    """The aliases typed in text (separated by `` | ``, spaces folded), and a note for each
    that holds ``, `` (it may have been meant as two)."""
    aliases = [" ".join(part.split()) for part in text.split(SEPARATOR)]
    aliases = [alias for alias in aliases if alias]
    notes = [
        f"'{alias}' was added as one alias; if you meant two, separate them with ' | '."
        for alias in aliases
        if ", " in alias
    ]
    return aliases, notes


def add_aliases(
    store: Store,
    actor: Actor,
    key: str,
    texts: Sequence[str],
    lang: str | None = None,
    *,
    reason: str | None = None,
) -> Done:
    """Give an entity other names, in a language when one is given: all in one revision,
    or, if any of them has a problem, none."""

    def work(session: Session, writer: Writer) -> str:
        stored = _require(session, "entity", key, read_entity(session, key))
        wanted = [" ".join(text.split()) for text in texts]
        held = {alias.text for alias in stored.aliases or ()}
        for index, text in enumerate(wanted):
            if text in held or text in wanted[:index]:
                raise CurationError(f"entity '{key}' already has the alias '{text}'")
        raw = stored.to_dict()
        first_new = len(raw.get("aliases", []))
        raw["aliases"] = [
            *raw.get("aliases", []),
            *(AliasSpec(text, lang).to_value() for text in wanted),
        ]
        what = f"entity '{key}'"
        try:
            spec = _checked(session, "entity", raw, what)
        except RecordError as error:
            raise RecordError(what, typed_fields(error.problems, first_new, wanted)) from None
        writer.upsert(Document(entities=(complete_entity(spec),)))
        shown = ", ".join(f"'{text}'" for text in wanted)
        return f"Added the alias{'es' if len(wanted) > 1 else ''} {shown} to '{key}'."

    return _write(store, actor, reason, work)


def typed_fields(problems: Sequence[str], first_new: int, texts: Sequence[str]) -> list[str]:
    """Problems with the aliases being added, named by the fields the curator typed
    (``lang: …``, ``text: …``) rather than by their place in the stored list."""
    named = []
    for problem in problems:
        place = _PLACE.match(problem)
        if place is not None and int(place.group(1)) >= first_new:
            field = "lang" if place.group(2) else "text"
            which = f" ('{texts[int(place.group(1)) - first_new]}')" if len(texts) > 1 else ""
            problem = f"{field}{which}: {problem[place.end() :]}"
        named.append(problem)
    return named


def remove_alias(
    store: Store, actor: Actor, key: str, text: str, *, reason: str | None = None
) -> Done:
    """Take one of an entity's aliases away."""

    def work(session: Session, writer: Writer) -> str:
        stored = _require(session, "entity", key, read_entity(session, key))
        wanted = " ".join(text.split())
        aliases = stored.aliases or ()
        kept = tuple(alias for alias in aliases if alias.text != wanted)
        if len(kept) == len(aliases):
            texts = [alias.text for alias in aliases]
            raise CurationError(
                f"entity '{key}' has no alias '{wanted}'{suggestion(wanted, texts)}"
            )
        writer.upsert(Document(entities=(replace(stored, aliases=kept),)))
        return f"Removed the alias '{wanted}' from '{key}'."

    return _write(store, actor, reason, work)
