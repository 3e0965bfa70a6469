"""Members' suggested corrections, kept in the store until a curator decides on them.

A member may make `PER_HOUR` suggestions an hour, and have one open suggestion per
card. Both limits are counted in the store, in the transaction that saves the
suggestion (on PostgreSQL under a lock per member), so they hold across restarts and
across the processes that share the store.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from bot.errors import NotInStoreError, SuggestionError
from bot.store.db import Store
from bot.store.models import Suggestion, utcnow

PER_HOUR = 3
"""Suggestions one member may make in `WINDOW`."""
WINDOW = timedelta(hours=1)
OPEN = "open"
ACCEPTED = "accepted"
DISMISSED = "dismissed"


@dataclass(frozen=True, slots=True)
class Origin:
    """Who suggests, and where: a server (``guild_id`` set), a DM, or a user install."""

    member_id: str
    member_name: str
    origin: str
    guild_id: str | None = None
    guild_name: str | None = None
    channel_id: str | None = None


@dataclass(frozen=True, slots=True)
class StoredSuggestion:
    """A suggestion as saved: its number, who made it where, the card and facts, the text
    and URL typed, and its state."""

    id: int
    created: datetime
    by: Origin
    card: str
    title: str
    facts: tuple[str, ...]
    text: str
    url: str | None
    state: str
    curator_name: str | None
    decided: datetime | None
    reason: str | None


def may_suggest(store: Store, member_id: str, card: str, *, now: datetime | None = None) -> None:
    """Nothing when the member may suggest on card now; `SuggestionError` saying when they
    can otherwise."""
    with store.transaction() as session:
        _check(session, member_id, card, now or utcnow())


def save(
    store: Store,
    by: Origin,
    *,
    card: str,
    title: str,
    facts: Sequence[str],
    text: str,
    url: str | None = None,
    now: datetime | None = None,
) -> StoredSuggestion:
    """Save a new open suggestion, or raise `SuggestionError` if a limit forbids it."""
    now = now or utcnow()
    with store.writing() as session:
        if session.get_bind().dialect.name == "postgresql":
            key = zlib.crc32(f"suggestion:{by.member_id}".encode())
            session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        _check(session, by.member_id, card, now)
        row = Suggestion(
            created=now,
            member_id=by.member_id,
            member_name=by.member_name[:100],
            origin=by.origin,
            guild_id=by.guild_id,
            guild_name=(by.guild_name or "")[:100] or None,
            channel_id=by.channel_id,
            card=card[:200],
            title=title[:256],
            facts=list(facts),
            text=text,
            url=url,
        )
        session.add(row)
        session.flush()
        return _stored(row)


def load(store: Store, number: int) -> StoredSuggestion:
    """Suggestion ``number``, or `NotInStoreError` when there is none."""
    with store.transaction() as session:
        return _stored(_row(session, number))


def open_ones(store: Store, limit: int = 100) -> tuple[list[StoredSuggestion], int]:
    """The oldest ``limit`` open suggestions, oldest first, and how many are open."""
    with store.transaction() as session:
        query = select(Suggestion).where(Suggestion.state == OPEN)
        rows = session.exec(query.order_by(col(Suggestion.id)).limit(limit)).all()
        total = session.exec(
            select(func.count()).select_from(Suggestion).where(Suggestion.state == OPEN)
        ).one()
        return [_stored(row) for row in rows], total


def decide(
    store: Store, number: int, state: str, *, curator: str, name: str, reason: str | None = None
) -> StoredSuggestion:
    """Mark an open suggestion accepted or dismissed by a curator, with an optional reason;
    `SuggestionError` when it was decided already."""
    with store.writing() as session:
        row = _row(session, number)
        if row.state != OPEN:
            when = row.decided.date().isoformat() if row.decided else "earlier"
            raise SuggestionError(
                f"Suggestion {number} was already {row.state} by {row.curator_name} ({when})."
            )
        row.state, row.curator_id, row.curator_name = state, curator, name[:100]
        row.decided, row.reason = utcnow(), reason
        session.add(row)
        session.flush()
        return _stored(row)


def _check(session: Session, member_id: str, card: str, now: datetime) -> None:
    """Raise `SuggestionError` when member_id has made `PER_HOUR` suggestions within
    `WINDOW` before now, or has one open on card."""
    mine = select(Suggestion).where(Suggestion.member_id == member_id)
    pending = session.exec(
        mine.where(Suggestion.card == card, Suggestion.state == OPEN).limit(1)
    ).first()
    if pending is not None:
        raise SuggestionError(
            f"Your suggestion #{pending.id} on this card is still open; you can suggest "
            "again here once a curator has accepted or dismissed it."
        )
    recent = session.exec(
        select(Suggestion.created)
        .where(Suggestion.member_id == member_id, col(Suggestion.created) > now - WINDOW)
        .order_by(col(Suggestion.created))
    ).all()
    if len(recent) >= PER_HOUR:
        again = recent[len(recent) - PER_HOUR] + WINDOW
        raise SuggestionError(
            f"You have made {PER_HOUR} suggestions in the past hour; you can suggest again "
            f"<t:{int(again.timestamp()) + 1}:R> ({again:%H:%M} UTC).",
            again=again,
        )


def _row(session: Session, number: int) -> Suggestion:
    row = session.get(Suggestion, number)
    if row is None:
        raise NotInStoreError(f"There is no suggestion {number}; `curate suggestions` lists them.")
    return row


def _stored(row: Suggestion) -> StoredSuggestion:
    assert row.id is not None
    return StoredSuggestion(
        id=row.id,
        created=row.created,
        by=Origin(
            row.member_id,
            row.member_name,
            row.origin,
            row.guild_id,
            row.guild_name,
            row.channel_id,
        ),
        card=row.card,
        title=row.title,
        facts=tuple(row.facts),
        text=row.text,
        url=row.url,
        state=row.state,
        curator_name=row.curator_name,
        decided=row.decided,
        reason=row.reason,
    )
