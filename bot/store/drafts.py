"""Article drafts under review, kept in the store so a review survives a restart.

A draft is an import document (sources, entities, facts) with one kept/dropped flag per
fact, owned by the curator who opened it. It expires `LIFETIME` after it was opened;
expired drafts are removed whenever a new one is saved.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, delete, select

from bot.errors import NotInStoreError
from bot.store.db import Store
from bot.store.models import Draft, utcnow

LIFETIME = timedelta(days=7)
"""How long a draft can be reviewed after it was opened."""


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """A draft as saved: its number, owner, document and which of its facts are kept."""

    id: int
    owner_id: str
    owner_name: str
    guild_id: str | None
    title: str
    created: datetime
    expires: datetime
    document: Mapping[str, Any]
    kept: tuple[bool, ...]

    @property
    def facts(self) -> list[dict[str, Any]]:
        """The draft's facts, kept or not, in order."""
        return list(self.document.get("facts", []))

    def selected(self) -> dict[str, Any]:
        """The import document of the kept facts, with only the entities and sources
        they name (a new entity no kept fact names is left out)."""
        facts = [fact for fact, keep in zip(self.facts, self.kept, strict=True) if keep]
        named = {_key(item) for fact in facts for item in fact.get("about", [])}
        cited = {key for fact in facts for key in _sources(fact)}
        return {
            "sources": [s for s in self.document.get("sources", []) if s["key"] in cited],
            "entities": [e for e in self.document.get("entities", []) if e["key"] in named],
            "facts": facts,
        }


def save(
    store: Store,
    document: Mapping[str, Any],
    *,
    owner_id: str,
    owner_name: str,
    guild_id: str | None = None,
    title: str,
    now: datetime | None = None,
) -> StoredDraft:
    """Save a new draft with every fact kept; drafts past their expiry go at the same time."""
    now = now or utcnow()
    facts = document.get("facts", [])
    row = Draft(
        owner_id=owner_id,
        owner_name=owner_name[:100],
        guild_id=guild_id,
        title=title[:500],
        created=now,
        expires=now + LIFETIME,
        document=copy.deepcopy(dict(document)),
        kept=[True] * len(facts),
    )
    with store.writing() as session:
        session.exec(delete(Draft).where(col(Draft.expires) <= now))
        session.add(row)
        session.flush()
        return _stored(row)


def load(store: Store, number: int, *, now: datetime | None = None) -> StoredDraft:
    """The draft numbered ``number``, or `NotInStoreError` if there is none or it expired."""
    with store.transaction() as session:
        row = session.exec(select(Draft).where(Draft.id == number)).first()
        if row is None or row.expires <= (now or utcnow()):
            raise NotInStoreError(
                f"Draft {number} does not exist or has expired (drafts last "
                f"{LIFETIME.days} days); open the article again with `curate article`."
            )
        return _stored(row)


def keep(store: Store, number: int, index: int, kept: bool) -> StoredDraft:
    """Mark fact ``index`` of a draft kept or dropped."""
    with store.writing() as session:
        row = _row(session, number)
        flags = list(row.kept)
        flags[_index(flags, index)] = kept
        row.kept = flags
        session.add(row)
        session.flush()
        return _stored(row)


def replace_fact(store: Store, number: int, index: int, fact: Mapping[str, Any]) -> StoredDraft:
    """Put an edited fact in place of fact ``index`` of a draft, and keep it."""
    with store.writing() as session:
        row = _row(session, number)
        document = copy.deepcopy(row.document)
        facts = document["facts"]
        facts[_index(facts, index)] = dict(fact)
        flags = list(row.kept)
        flags[index] = True
        row.document, row.kept = document, flags
        session.add(row)
        session.flush()
        return _stored(row)


def _row(session: Any, number: int) -> Draft:
    row = session.exec(select(Draft).where(Draft.id == number)).first()
    if row is None or row.expires <= utcnow():
        raise NotInStoreError(f"Draft {number} does not exist or has expired.")
    return row  # type: ignore[no-any-return]


def _index(items: list[Any], index: int) -> int:
    if not 0 <= index < len(items):
        raise NotInStoreError(f"The draft has no fact {index + 1}.")
    return index


def _stored(row: Draft) -> StoredDraft:
    assert row.id is not None
    return StoredDraft(
        id=row.id,
        owner_id=row.owner_id,
        owner_name=row.owner_name,
        guild_id=row.guild_id,
        title=row.title,
        created=row.created,
        expires=row.expires,
        document=copy.deepcopy(row.document),
        kept=tuple(row.kept),
    )


def _key(item: Any) -> str:
    return item if isinstance(item, str) else str(item.get("entity"))


def _sources(fact: Mapping[str, Any]) -> list[str]:
    cited = fact.get("sources", fact.get("source", []))
    return [cited] if isinstance(cited, str) else list(cited)
