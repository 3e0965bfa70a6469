"""The record shapes of the curation file format: sources, entities, facts and a document of them.

docs/import-format.md describes the format. The validator in bot/curation turns a
file's plain data into these shapes, `Document.to_dict` gives the file shape back,
and the store reader (bot/records/reader.py) builds them from stored rows, so a
record read, written out and checked again is the same record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from bot.store.models import (
    Alias,
    Entity,
    Fact,
    FactEntity,
    Kind,
    LinkRole,
    Precision,
    Source,
    date_text,
)

SECTIONS = ("sources", "entities", "facts")
"""The top-level lists of a file, in the order they are checked and imported."""
DEFAULT_ROLE = "subject"
"""The role of an entity a fact names by its bare key."""


def _max_length(model: type[SQLModel], column: str) -> int:
    """The length limit of a text column, so the checks follow the schema."""
    length = getattr(sa.inspect(model, raiseerr=True).local_table.c[column].type, "length", None)
    if not isinstance(length, int):
        raise TypeError(f"{model.__name__}.{column} has no length limit")
    return length


KEY_MAX = _max_length(Entity, "key")
"""The longest key of any record; fact keys keep to the same limit as the others."""
TITLE_MAX = _max_length(Source, "title")
OUTLET_MAX = _max_length(Source, "outlet")
URL_MAX = _max_length(Source, "url")
NAME_MAX = _max_length(Entity, "name")
WIKIDATA_MAX = _max_length(Entity, "wikidata")
ALIAS_MAX = _max_length(Alias, "text")
LANG_MAX = _max_length(Alias, "lang")
TYPE_MAX = _max_length(Fact, "type")
ROLE_MAX = _max_length(FactEntity, "role")

FACT_TEXT_MAX = 2000
"""The longest fact text: one statement, which also fits a Discord form's text box."""
SUMMARY_MAX = 1000
"""The longest entity summary: one or two sentences."""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source as a file states it."""

    key: str
    title: str
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    """Timezone-aware, in UTC: for ordering and comparing."""
    published_as: str | None = None
    """`published` as the source wrote it: a date alone (``2009-10-01``), or a time with
    the source's own UTC offset (``2023-09-18T03:32:00+05:30``)."""

    def to_dict(self) -> dict[str, Any]:
        """The source in the file shape, leaving out fields that are not set."""
        record: dict[str, Any] = {"key": self.key, "title": self.title}
        if self.outlet is not None:
            record["outlet"] = self.outlet
        if self.url is not None:
            record["url"] = self.url
        if self.published_as is not None:
            record["published"] = self.published_as
        elif self.published is not None:
            record["published"] = self.published.astimezone(UTC).isoformat()
        return record


@dataclass(frozen=True, slots=True)
class AliasSpec:
    """Another name of an entity, in a language when one is given."""

    text: str
    lang: str | None = None

    def to_value(self) -> str | dict[str, str]:
        """Plain text without a language, ``{text, lang}`` with one."""
        return self.text if self.lang is None else {"text": self.text, "lang": self.lang}


@dataclass(frozen=True, slots=True)
class EntitySpec:
    """An entity as a file states it.

    ``aliases``, ``parties`` and ``areas`` are None when the file leaves them out,
    which keeps what the store has; a tuple, even an empty one, replaces it.
    """

    key: str
    kind: Kind
    name: str
    summary: str = ""
    wikidata: str | None = None
    aliases: tuple[AliasSpec, ...] | None = None
    parties: tuple[str, ...] | None = None
    areas: tuple[str, ...] | None = None
    former_keys: tuple[str, ...] | None = None
    """Keys of entities merged into this one, which keep naming it."""

    @property
    def links(self) -> tuple[tuple[LinkRole, str], ...]:
        """(role, member key) for each of the dispute's parties, then each of its areas."""
        parties = tuple((LinkRole.PARTY, key) for key in self.parties or ())
        return parties + tuple((LinkRole.AREA, key) for key in self.areas or ())

    def to_dict(self) -> dict[str, Any]:
        """The entity in the file shape, leaving out fields that are not set."""
        record: dict[str, Any] = {"key": self.key, "kind": self.kind.value, "name": self.name}
        if self.summary:
            record["summary"] = self.summary
        if self.wikidata is not None:
            record["wikidata"] = self.wikidata
        if self.kind is Kind.DISPUTE:
            if self.parties is not None:
                record["parties"] = list(self.parties)
            if self.areas is not None:
                record["areas"] = list(self.areas)
        if self.aliases is not None:
            record["aliases"] = [alias.to_value() for alias in self.aliases]
        if self.former_keys:
            record["former_keys"] = list(self.former_keys)
        return record


@dataclass(frozen=True, slots=True)
class Subject:
    """An entity a fact is about, and its role in the fact."""

    entity: str
    role: str = DEFAULT_ROLE

    def to_value(self) -> str | dict[str, str]:
        """The bare key for the default role, ``{entity, role}`` otherwise."""
        if self.role == DEFAULT_ROLE:
            return self.entity
        return {"entity": self.entity, "role": self.role}


@dataclass(frozen=True, slots=True)
class FactSpec:
    """A fact as a file states it, with its key derived when the file gives none."""

    key: str
    text: str
    about: tuple[Subject, ...]
    sources: tuple[str, ...]
    happened: date | None = None
    """The first day of the known period; None when the fact is undated."""
    precision: Precision | None = None
    type: str | None = None

    @property
    def date_text(self) -> str | None:
        """The date as files write it, to its precision: ``2023``, ``2023-12``, ``2023-12-31``."""
        if self.happened is None or self.precision is None:
            return None
        return date_text(self.happened, self.precision)

    def to_dict(self) -> dict[str, Any]:
        """The fact in the file shape: one source as a bare key, several as a list."""
        record: dict[str, Any] = {"key": self.key, "text": self.text}
        if self.date_text is not None:
            record["date"] = self.date_text
        if self.type is not None:
            record["type"] = self.type
        record["about"] = [subject.to_value() for subject in self.about]
        record["source"] = self.sources[0] if len(self.sources) == 1 else list(self.sources)
        return record


@dataclass(frozen=True, slots=True)
class Document:
    """A checked curation file: its sources, entities and facts, in file order."""

    sources: tuple[SourceSpec, ...] = ()
    entities: tuple[EntitySpec, ...] = ()
    facts: tuple[FactSpec, ...] = ()

    @property
    def size(self) -> int:
        """How many records the document holds."""
        return len(self.sources) + len(self.entities) + len(self.facts)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """The document in the file shape, ready for `write_document`."""
        return {
            "sources": [source.to_dict() for source in self.sources],
            "entities": [entity.to_dict() for entity in self.entities],
            "facts": [fact.to_dict() for fact in self.facts],
        }
