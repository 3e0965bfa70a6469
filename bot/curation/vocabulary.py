"""The words curators may use for an entity's kind and a fact's event type, in one place.

The kinds are `Kind`'s values; ``organisation`` is taken as ``organization``. The event
types are a fixed set (`EVENT_TYPES`); a few common words are taken as the type they
mean (`COMMON_TYPES`), and a curation command's receipt says so. Commands, forms and
import files all read these tables through the record checks.
"""

from __future__ import annotations

KIND_WORDS: dict[str, str] = {"organisation": "organization"}
"""Other spellings of a kind, and the kind each means."""

EVENT_TYPES = (
    "statement",
    "claim",
    "threaten",
    "accuse",
    "request",
    "agree",
    "consult",
    "policy-change",
    "renounce",
    "speculation",
)
"""The event types a fact may have."""

COMMON_TYPES: dict[str, str] = {
    "meeting": "consult",
    "talks": "consult",
    "visit": "consult",
    "warning": "threaten",
}
"""Words people use for an event, and the type each becomes."""


def kind_word(word: str) -> str:
    """The kind a word names: ``organisation`` becomes ``organization``; others unchanged."""
    return KIND_WORDS.get(word.strip().casefold(), word.strip())


def event_type(word: str) -> str | None:
    """The event type a word names (itself, or what a common word means), or None."""
    if word in EVENT_TYPES:
        return word
    return COMMON_TYPES.get(word)


def type_note(word: object) -> str | None:
    """What a receipt says when a common word was recorded as its type, else None."""
    if not isinstance(word, str) or word.strip() not in COMMON_TYPES:
        return None
    typed = word.strip()
    return f"type: '{typed}' was recorded as '{COMMON_TYPES[typed]}', the event type it means."


def unknown_type(word: str) -> str:
    """The refusal of a word that is no event type, with the list."""
    return f"unknown event type '{word}' (use one of: {', '.join(EVENT_TYPES)})"
