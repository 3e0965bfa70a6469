"""How a typed line is told to be a curation command, and what a session keeps between
curation commands, without loading curation itself (the console answers lookups without
importing it)."""

from __future__ import annotations

from dataclasses import dataclass

PREFIX_WORD = "curate"
"""The word every curation command line starts with: ``curate fact add …``."""


def is_curation(text: str) -> bool:
    """Whether a typed line is a curation command (starts with ``curate``)."""
    words = text.strip().lstrip("!").split(maxsplit=1)
    return bool(words) and words[0].casefold() == PREFIX_WORD


@dataclass(slots=True)
class Memory:
    """What a console session, or the lines of one ``diplobot ask -``, keep between
    commands: the current source (``curate source use``). A Discord curator's is kept in
    the store instead, so that every process of the bot shares it."""

    source: str | None = None


__all__ = ["PREFIX_WORD", "Memory", "is_curation"]
