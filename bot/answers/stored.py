"""Facts read from the store when a lookup asks for them, for a catalog that answers
one command and ends (`diplobot ask`).

Reading every fact of a large store takes seconds that a single `!who` does not
need: it shows the facts about one entity. These mappings read just those, with
the catalog's entities and sources, and keep what they read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import sqlalchemy as sa
from sqlmodel import col, func, select

from bot.answers.quick_facts import FactsWhenAsked
from bot.core.answer import FactView
from bot.records.reader import facts_about, facts_citing, read_facts
from bot.records.shapes import FactSpec
from bot.store.db import Store
from bot.store.models import Citation, Entity, Fact, FactEntity, Source

FactReader = Callable[[FactSpec], FactView]
"""Makes a fact view of a stored fact (with the catalog's entity and source refs)."""


class StoredFacts(FactsWhenAsked[FactSpec]):
    """Every stored fact by key, read from the store when first asked for."""

    def __init__(self, store: Store, view: FactReader) -> None:
        super().__init__(view)
        self.store = store
        """The store the facts are read from."""

    def _read_one(self, key: str) -> FactSpec | None:
        with self.store.transaction() as session:
            return read_facts(session, [key]).get(key)

    def _keys(self) -> Sequence[str]:
        with self.store.transaction() as session:
            return session.exec(select(Fact.key).order_by(col(Fact.key))).all()

    def __len__(self) -> int:
        with self.store.transaction() as session:
            return session.exec(select(func.count()).select_from(Fact)).one()


class StoredGroups(Mapping[str, tuple[FactView, ...]]):
    """The facts about each entity (``about``) or citing each source, read when first
    asked for; only keys with at least one fact are present."""

    def __init__(self, store: Store, facts: StoredFacts, view: FactReader, *, about: bool) -> None:
        self.store = store
        self._facts = facts
        self._view = view
        self._about = about
        self._read: dict[str, tuple[FactView, ...]] = {}

    def __getitem__(self, key: str) -> tuple[FactView, ...]:
        group = self._read.get(key)
        if group is None:
            with self.store.transaction() as session:
                specs = (facts_about if self._about else facts_citing)(session, key)
            group = self._read[key] = self._facts.kept([self._view(spec) for spec in specs])
        if not group:
            raise KeyError(key)
        return group

    def _owners(self) -> sa.Select[tuple[str]]:
        """The keys of the entities (or sources) that have facts."""
        if self._about:
            return (
                sa.select(col(Entity.key))
                .join(FactEntity, col(FactEntity.entity_id) == col(Entity.id))
                .distinct()
            )
        return (
            sa.select(col(Source.key))
            .join(Citation, col(Citation.source_id) == col(Source.id))
            .distinct()
        )

    def __iter__(self) -> Iterator[str]:
        with self.store.transaction() as session:
            keys = session.connection().execute(self._owners()).scalars().all()
        return iter(keys)

    def __len__(self) -> int:
        with self.store.transaction() as session:
            owners = self._owners().subquery()
            return session.exec(select(func.count()).select_from(owners)).one()
