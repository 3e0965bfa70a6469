"""The tables of the fact store.

Entities, their aliases and links, sources, facts with their subjects and
citations, and the append-only revision log. Every timestamp is timezone-aware
(UTC when the store sets it). The schema itself is created and changed by the
Alembic migrations in ``bot/store/migrations``; these classes describe it.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import JSON, Column, Field, SQLModel, UniqueConstraint


class Kind(StrEnum):
    """What an entity is."""

    PERSON = "person"
    ORGANIZATION = "organization"
    COUNTRY = "country"
    PLACE = "place"
    DISPUTE = "dispute"
    OTHER = "other"


class LinkRole(StrEnum):
    """How an entity belongs to a dispute."""

    PARTY = "party"
    AREA = "area"


class Precision(StrEnum):
    """How much of a fact's date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


def date_text(happened: dt.date, precision: str) -> str:
    """A fact's date as written in files and answers, to its precision: ``2023``,
    ``2023-12`` or ``2023-12-31``."""
    if precision == Precision.YEAR:
        return f"{happened.year:04d}"
    if precision == Precision.MONTH:
        return f"{happened.year:04d}-{happened.month:02d}"
    return happened.isoformat()


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware datetime, stored as UTC on every backend (SQLite has no time zones)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: a time zone is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _timestamp() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Entity(SQLModel, table=True):
    """A person, organisation, country, place, dispute or anything else facts are about."""

    __tablename__ = "entity"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=100)
    kind: str = Field(max_length=20)
    name: str = Field(max_length=200)
    summary: str = Field(default="", sa_type=sa.Text)
    wikidata: str | None = Field(default=None, max_length=20)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class Alias(SQLModel, table=True):
    """Another name of an entity: a spelling, a translation, a transliteration."""

    __tablename__ = "alias"
    __table_args__ = (UniqueConstraint("entity_id", "text"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", ondelete="CASCADE", index=True)
    text: str = Field(max_length=200)
    lang: str | None = Field(default=None, max_length=10)


class Redirect(SQLModel, table=True):
    """A key an entity was merged away from, which keeps naming the entity it went into."""

    __tablename__ = "redirect"

    key: str = Field(primary_key=True, max_length=100)
    entity_id: int = Field(foreign_key="entity.id", ondelete="CASCADE", index=True)


class EntityLink(SQLModel, table=True):
    """A dispute's party or disputed area."""

    __tablename__ = "entity_link"

    dispute_id: int = Field(foreign_key="entity.id", ondelete="CASCADE", primary_key=True)
    member_id: int = Field(foreign_key="entity.id", ondelete="CASCADE", primary_key=True)
    role: str = Field(primary_key=True, max_length=10)
    position: int = Field(default=0)


class Source(SQLModel, table=True):
    """An article facts are taken from."""

    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=100)
    title: str = Field(max_length=500)
    outlet: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=1000)
    published: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_as: str | None = Field(default=None, max_length=40)
    """`published` as the source gave it: a date alone, or a time with its own UTC offset."""
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class Fact(SQLModel, table=True):
    """One sourced statement, dated to the precision the source gives.

    ``happened`` is the first day of the known period, ``precision`` how much of
    it is known: "end of 2023" is 2023-12-01 with month precision.
    """

    __tablename__ = "fact"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=120)
    text: str = Field(sa_type=sa.Text)
    happened: dt.date | None = Field(default=None, index=True)
    precision: str | None = Field(default=None, max_length=5)
    type: str | None = Field(default=None, max_length=40)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class FactEntity(SQLModel, table=True):
    """An entity a fact is about, and its role in it (actor, recipient, area, ...)."""

    __tablename__ = "fact_entity"

    fact_id: int = Field(foreign_key="fact.id", ondelete="CASCADE", primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", ondelete="CASCADE", primary_key=True)
    role: str = Field(default="subject", max_length=20)
    position: int = Field(default=0)


class Citation(SQLModel, table=True):
    """A source a fact cites."""

    __tablename__ = "citation"

    fact_id: int = Field(foreign_key="fact.id", ondelete="CASCADE", primary_key=True)
    source_id: int = Field(foreign_key="source.id", ondelete="RESTRICT", primary_key=True)
    position: int = Field(default=0)


class Revision(SQLModel, table=True):
    """One curation change, kept forever: who, where, when, what, and why."""

    __tablename__ = "revision"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    actor_id: str | None = Field(default=None, max_length=32)
    actor_name: str = Field(max_length=100)
    guild_id: str | None = Field(default=None, max_length=32)
    guild_name: str | None = Field(default=None, max_length=100)
    batch: str | None = Field(default=None, index=True, max_length=40)
    action: str = Field(max_length=20)
    target_type: str = Field(max_length=20)
    target_key: str = Field(index=True, max_length=120)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    reason: str | None = Field(default=None, sa_type=sa.Text)


class Draft(SQLModel, table=True):
    """An article's draft under review by the curator who opened it: an import document,
    which of its facts are kept, and when it expires. Kept in the store so a review
    survives a restart; nothing in it is part of the curated record until imported."""

    __tablename__ = "draft"
    # Numbers are never reused, so a button left from an expired draft cannot reach a new one.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    owner_id: str = Field(max_length=32)
    owner_name: str = Field(max_length=100)
    guild_id: str | None = Field(default=None, max_length=32)
    title: str = Field(max_length=500)
    created: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    expires: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    kept: list[bool] = Field(sa_column=Column(JSON, nullable=False))


class CurrentSource(SQLModel, table=True):
    """The source a Discord curator's ``curate fact add`` cites when it names none, set
    with ``curate source use``; it lapses a day after it was set."""

    __tablename__ = "current_source"

    actor_id: str = Field(primary_key=True, max_length=32)
    source_key: str = Field(max_length=100)
    set_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Suggestion(SQLModel, table=True):
    """A member's suggested correction to the facts a card showed, until a curator accepts
    or dismisses it. Kept in the store so its buttons and the limits on suggesting hold
    across restarts and processes; it is not part of the curated record."""

    __tablename__ = "suggestion"
    # Numbers are never reused, so a button left on an old review post names only its own.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    created: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    member_id: str = Field(max_length=32, index=True)
    member_name: str = Field(max_length=100)
    origin: str = Field(max_length=20)
    """Where it was made: ``server``, ``dm`` or ``user install``."""
    guild_id: str | None = Field(default=None, max_length=32)
    guild_name: str | None = Field(default=None, max_length=100)
    channel_id: str | None = Field(default=None, max_length=32)
    card: str = Field(max_length=200, index=True)
    """The card it is about, as its button names it: the command and its key or query."""
    title: str = Field(max_length=256)
    facts: list[str] = Field(sa_column=Column(JSON, nullable=False))
    text: str = Field(sa_type=sa.Text)
    url: str | None = Field(default=None, max_length=1000)
    state: str = Field(default="open", max_length=10, index=True)
    curator_id: str | None = Field(default=None, max_length=32)
    curator_name: str | None = Field(default=None, max_length=100)
    decided: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reason: str | None = Field(default=None, sa_type=sa.Text)


class Follow(SQLModel, table=True):
    """A Discord channel following an entity: each new or corrected fact about it is
    posted there (``mode`` each) or gathered into a daily digest (``mode`` daily).

    ``cursor`` is the last revision this follow has dealt with; advancing it is how a
    process claims the revisions after it, so each is posted once. ``paused`` says why
    posting stopped (the channel is gone, or the bot may not send there)."""

    __tablename__ = "follow"
    __table_args__ = (UniqueConstraint("channel_id", "entity_key"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: str = Field(max_length=32, index=True)
    channel_id: str = Field(max_length=32)
    entity_key: str = Field(max_length=100)
    mode: str = Field(max_length=10)
    cursor: int = Field(default=0)
    digest_on: dt.date | None = Field(default=None)
    """The day of the last daily digest (or catch-up) this follow has had."""
    paused: str | None = Field(default=None, max_length=200)
    created_by: str = Field(max_length=32)
    created_at: datetime = _timestamp()
