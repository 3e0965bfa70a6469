"""What the store already knows, as the drafting engine needs it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.search.mentions import MentionMatcher


@dataclass(frozen=True)
class Known:
    """The store's names and keys: names it knows are linked, never drafted again.

    The caller builds it from the catalog: ``mentions`` is the same matcher ``!names``
    uses, ``kinds`` maps every entity key to its kind.
    """

    mentions: MentionMatcher
    entity_keys: frozenset[str]
    source_keys: frozenset[str]
    kinds: Mapping[str, str]
