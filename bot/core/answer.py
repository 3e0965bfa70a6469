"""The `Answer` value every lookup command returns, and the pieces it is made of.

Answers are plain frozen data: renderers turn them into terminal text, JSON or a
Discord embed, and nothing here knows which.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """How a lookup ended."""

    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"
    ERROR = "error"
    DONE = "done"
    """A curation command changed the store (or had nothing to change)."""
    PENDING = "pending"
    """A curation command waits for its curator to confirm it."""


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity as answers show it."""

    key: str
    kind: str
    name: str
    summary: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "name": self.name, "summary": self.summary}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate entity for "did you mean", with its match score (0-100)."""

    key: str
    kind: str
    name: str
    score: float

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "name": self.name,
            "score": round(self.score, 1),
        }


@dataclass(frozen=True, slots=True)
class SourceRef:
    """An article that facts are taken from."""

    key: str
    title: str
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    published_as: str | None = None
    """`published` as the source wrote it, in its own offset, or a date alone."""

    @property
    def published_day(self) -> str | None:
        """The day of publication as the source gave it (``2023-09-18`` for
        ``2023-09-18T03:32:00+05:30``, not the UTC day)."""
        if self.published_as:
            return self.published_as[:10]
        return self.published.date().isoformat() if self.published else None

    def citation(self) -> str:
        """One line naming the article: title, outlet and publication date."""
        parts = [f"“{self.title}”"]
        if self.outlet:
            parts.append(self.outlet)
        if self.published_day:
            parts.append(self.published_day)
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "published_as": self.published_as,
        }


@dataclass(frozen=True, slots=True)
class FactView:
    """One dated, sourced statement.

    ``date`` keeps the precision it was recorded with: ``"2023"``, ``"2023-12"``
    or ``"2023-12-31"``; ``None`` when the article gives no date.
    """

    key: str
    text: str
    date: str | None
    sources: tuple[SourceRef, ...]
    about: tuple[EntityRef, ...] = ()
    type: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "text": self.text,
            "date": self.date,
            "type": self.type,
            "about": [entity.key for entity in self.about],
            "sources": [source.to_json() for source in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Related:
    """A labelled list of entities shown with an answer, such as a dispute's parties."""

    label: str
    entities: tuple[EntityRef, ...]

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "entities": [entity.to_json() for entity in self.entities]}


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file an answer comes with, such as an export."""

    filename: str
    data: bytes

    def to_json(self) -> dict[str, Any]:
        return {"filename": self.filename, "size": len(self.data)}


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A change waiting for its curator's yes: ``apply`` makes it and returns its answer."""

    label: str
    apply: Callable[[], Answer]


@dataclass(frozen=True, slots=True)
class Answer:
    """What a lookup command found, ready for any renderer.

    ``notice`` is one short sentence for the person who asked ("No entity
    matches …", "Did you mean …?"); ``title`` heads the card when there is one.
    """

    command: str
    query: str
    status: Status
    notice: str = ""
    title: str = ""
    entity: EntityRef | None = None
    source: SourceRef | None = None
    facts: tuple[FactView, ...] = ()
    related: tuple[Related, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    lines: tuple[str, ...] = field(default=())
    revisions: tuple[int, ...] = ()
    """The revisions a curation command wrote, oldest first."""
    attachment: Attachment | None = None
    confirm: Confirmation | None = None
    """Set on a ``pending`` answer: what confirming does."""
    listed: tuple[int, ...] = ()
    """The revisions a history lists, in the order of its lines."""
    older: bool = False
    """A history listing stopped short of older revisions (listed before its last)."""
    draft: int | None = None
    """The number of the article draft a curation command saved for review."""

    @property
    def sources(self) -> tuple[SourceRef, ...]:
        """Every source the answer cites, in first-cited order, without repeats."""
        seen: dict[str, SourceRef] = {}
        if self.source is not None:
            seen[self.source.key] = self.source
        for fact in self.facts:
            for source in fact.sources:
                seen.setdefault(source.key, source)
        return tuple(seen.values())
