"""How a typed line is told to be a curation command, without loading curation itself
(the console answers lookups without importing it)."""

from __future__ import annotations

PREFIX_WORD = "curate"
"""The word every curation command line starts with: ``curate fact add …``."""


def is_curation(text: str) -> bool:
    """Whether a typed line is a curation command (starts with ``curate``)."""
    words = text.strip().lstrip("!").split(maxsplit=1)
    return bool(words) and words[0].casefold() == PREFIX_WORD


__all__ = ["PREFIX_WORD", "is_curation"]
