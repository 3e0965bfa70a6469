"""Follows as stored: who follows what where, and the claims that post each change once.

A follow's ``cursor`` is the last revision it has dealt with. A process claims the
revisions after it by moving the cursor forward with ``UPDATE … WHERE cursor = old``
(`claim`): of two processes trying at once, one moves it and the other finds it moved,
so every revision is posted once per follow, whichever process sees it first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.errors import StoreError
from bot.store.db import Store
from bot.store.models import Follow, Revision


@dataclass(frozen=True, slots=True)
class FollowRow:
    """One follow as the store holds it."""

    id: int
    guild_id: int
    channel_id: int
    entity_key: str
    mode: str
    cursor: int
    digest_on: dt.date | None
    paused: str | None


@dataclass(frozen=True, slots=True)
class FactChange:
    """A revision of a fact: which, when, what was done, and whom it is about afterwards."""

    revision: int
    at: datetime
    action: str
    """``create``, ``update`` or ``delete``."""
    fact_key: str
    about: tuple[str, ...]
    """Keys of the entities the fact is about after the change (before it, for a deletion)."""


def _row(follow: Follow) -> FollowRow:
    assert follow.id is not None
    return FollowRow(
        follow.id,
        int(follow.guild_id),
        int(follow.channel_id),
        follow.entity_key,
        follow.mode,
        follow.cursor,
        follow.digest_on,
        follow.paused,
    )


def newest_revision(store: Store) -> int:
    """The number of the newest revision, 0 for none."""
    with store.transaction() as session:
        return session.exec(select(sa.func.max(Revision.id))).one() or 0


def add(
    store: Store, guild_id: int, channel_id: int, entity_key: str, mode: str, by: int
) -> tuple[FollowRow, bool]:
    """Make channel follow the entity from now on; the follow, and whether it is new. An
    existing follow of it there takes the new mode and is no longer paused."""
    with store.writing() as session:
        newest = session.exec(select(sa.func.max(Revision.id))).one() or 0
        found = session.exec(
            select(Follow).where(
                Follow.channel_id == str(channel_id), Follow.entity_key == entity_key
            )
        ).first()
        if found is not None:
            found.mode, found.paused = mode, None
            session.add(found)
            session.flush()
            return _row(found), False
        follow = Follow(
            guild_id=str(guild_id),
            channel_id=str(channel_id),
            entity_key=entity_key,
            mode=mode,
            cursor=newest,
            digest_on=None,
            created_by=str(by),
        )
        session.add(follow)
        try:
            session.flush()
        except IntegrityError as error:  # the same follow made at the same moment elsewhere
            raise StoreError("that channel has just started following it; try again") from error
        return _row(follow), True


def remove(store: Store, channel_id: int, entity_key: str) -> bool:
    """Stop channel following the entity; whether it did."""
    with store.writing() as session:
        result = session.execute(
            sa.delete(Follow).where(
                col(Follow.channel_id) == str(channel_id), col(Follow.entity_key) == entity_key
            )
        )
        return bool(getattr(result, "rowcount", 0))


def of_guild(store: Store, guild_id: int) -> list[FollowRow]:
    """A server's follows, by channel and then entity."""
    with store.transaction() as session:
        rows = session.exec(
            select(Follow)
            .where(Follow.guild_id == str(guild_id))
            .order_by(col(Follow.channel_id), col(Follow.entity_key))
        ).all()
        return [_row(row) for row in rows]


def of_guilds(store: Store, guild_ids: Collection[int]) -> list[FollowRow]:
    """The follows of these servers (the ones this process holds), oldest first."""
    wanted = [str(number) for number in guild_ids]
    found: list[FollowRow] = []
    with store.transaction() as session:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = session.exec(select(Follow).where(col(Follow.guild_id).in_(chunk))).all()
            found.extend(_row(row) for row in rows)
    return sorted(found, key=lambda row: row.id)


def claim(store: Store, follow: FollowRow, through: int, *, digest_on: dt.date | None) -> bool:
    """Take the revisions after follow's cursor up to ``through`` for posting; False when
    another process took them first (the cursor moved). ``digest_on`` records a digest."""
    values: dict[str, Any] = {"cursor": through}
    if digest_on is not None:
        values["digest_on"] = digest_on
    with store.writing() as session:
        result = session.execute(
            sa.update(Follow)
            .where(col(Follow.id) == follow.id, col(Follow.cursor) == follow.cursor)
            .values(**values)
        )
        return bool(getattr(result, "rowcount", 0))


def give_back(store: Store, follow: FollowRow, through: int) -> None:
    """Undo a `claim` whose post could not be sent, so it is tried again."""
    with store.writing() as session:
        session.execute(
            sa.update(Follow)
            .where(col(Follow.id) == follow.id, col(Follow.cursor) == through)
            .values(cursor=follow.cursor, digest_on=follow.digest_on)
        )


def pause(store: Store, follow_id: int, reason: str) -> None:
    """Stop posting for this follow, saying why; following again resumes it."""
    with store.writing() as session:
        session.execute(
            sa.update(Follow).where(col(Follow.id) == follow_id).values(paused=reason[:200])
        )


def numbers_after(store: Store, after: int) -> list[int]:
    """The numbers of the revisions committed after ``after``, in order."""
    with store.transaction() as session:
        return list(
            session.execute(
                sa.select(col(Revision.id))
                .where(col(Revision.id) > after)
                .order_by(col(Revision.id))
            ).scalars()
        )


def fact_changes(store: Store, after: int, through: int) -> list[FactChange]:
    """The fact revisions numbered after ``after`` up to ``through``, oldest first."""
    with store.transaction() as session:
        rows = session.exec(
            select(Revision)
            .where(
                col(Revision.id) > after,
                col(Revision.id) <= through,
                Revision.target_type == "fact",
            )
            .order_by(col(Revision.id))
        ).all()
    return [_change(row) for row in rows]


def _change(row: Revision) -> FactChange:
    assert row.id is not None
    record = row.after if row.after is not None else row.before or {}
    return FactChange(row.id, row.at, row.action, row.target_key, _about(record.get("about")))


def _about(subjects: Sequence[Any] | None) -> tuple[str, ...]:
    """Entity keys from a fact's ``about`` in the file shape (bare keys or ``{entity, role}``)."""
    keys = []
    for subject in subjects or ():
        key = subject.get("entity") if isinstance(subject, dict) else subject
        if isinstance(key, str):
            keys.append(key)
    return tuple(keys)
