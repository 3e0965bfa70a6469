"""The source each Discord curator is citing (``curate source use``), kept in the store so
every process and shard of the bot sees the same one. It lapses `LIFETIME` after it was set."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, delete, select

from bot.store.db import Store
from bot.store.models import CurrentSource, utcnow

LIFETIME = timedelta(hours=24)
"""How long a current source lasts after it was set."""


def remember(store: Store, actor_id: str, key: str, *, now: datetime | None = None) -> None:
    """Make key the curator's current source from now on."""
    with store.writing() as session:
        row = session.get(CurrentSource, actor_id)
        if row is None:
            row = CurrentSource(actor_id=actor_id, source_key=key)
        row.source_key, row.set_at = key, now or utcnow()
        session.add(row)


def forget(store: Store, actor_id: str) -> None:
    """Clear the curator's current source."""
    with store.writing() as session:
        session.exec(delete(CurrentSource).where(col(CurrentSource.actor_id) == actor_id))


def recall(store: Store, actor_id: str, *, now: datetime | None = None) -> str | None:
    """The curator's current source, or None when none is set or it has lapsed."""
    with store.transaction() as session:
        row = session.exec(select(CurrentSource).where(CurrentSource.actor_id == actor_id)).first()
        if row is None or row.set_at + LIFETIME <= (now or utcnow()):
            return None
        return row.source_key
