"""What one lookup keeps per entity while it matches: how closely (a `Grade`, and a
score), with which alias; and the rule for keeping the closer of two matches."""

from __future__ import annotations

from dataclasses import dataclass

Grade = tuple[int, int, int, int, int]
"""How closely an alias matches, lower is closer: (0, layer, re-cut words, 0, 0) for
an exact alias, else (1, words typed with a typo or only begun, 1 if some of the
alias's words went untyped, title words left over, layer). A beginning counts as a
typo, so "boliva" is as close to "bolivar" as to "bolivia"."""


@dataclass(slots=True)
class Candidate:
    """An entity's best match so far during one lookup."""

    grade: Grade | None
    score: float
    alias: str
    kind: str


def offer(
    found: dict[str, Candidate],
    entity: str,
    grade: Grade | None,
    value: float,
    alias: str,
    kind: str,
) -> None:
    """Keep the entity's closer match: a better grade, else a higher score."""
    current = found.get(entity)
    if current is None:
        found[entity] = Candidate(grade, value, alias, kind)
        return
    closer = grade is not None and (current.grade is None or grade < current.grade)
    if closer or (grade == current.grade and value > current.score):
        found[entity] = Candidate(grade, value, alias, kind)


__all__ = ["Candidate", "Grade", "offer"]
