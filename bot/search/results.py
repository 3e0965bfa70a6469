"""What the name index is given and what it answers: entries, hits, outcomes, and the
score thresholds that separate a sure match from a suggestion."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

FOUND_MIN = 85.0
"""Every hit at or above this score is sure: its alias may be the name typed."""
SUGGEST_MIN = 55.0
"""Candidates below this are too far off to offer as "did you mean"."""
EXACT = 100.0
"""The score of a query equal to an alias at the first folding layer."""


class Outcome(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class Entry:
    """One alias of one entity, as given to the index."""

    entity: str
    kind: str
    alias: str


@dataclass(frozen=True, slots=True)
class Hit:
    """An entity's best match for a query, and the alias that earned it."""

    entity: str
    kind: str
    alias: str
    score: float
    sure: bool = False
    """Whether the alias may be the name typed (the words' rules hold); sure hits score
    at least `FOUND_MIN`."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of resolving a query: the best hit when found, candidates otherwise."""

    outcome: Outcome
    best: Hit | None
    candidates: tuple[Hit, ...]


__all__ = ["EXACT", "FOUND_MIN", "SUGGEST_MIN", "Entry", "Hit", "Outcome", "Resolution"]
