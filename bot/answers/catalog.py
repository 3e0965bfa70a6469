"""The read model: everything lookups need, loaded from the store into memory once.

A `Catalog` is immutable. When the store changes, load a new one and swap it in;
readers holding the old one keep a consistent view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlmodel import Session, select

from bot.answers.model import EntityRef, FactView, SourceRef
from bot.search.index import EXACT, FOUND_MIN, Entry, Hit, Outcome, Resolution, SearchIndex, score
from bot.search.normalize import fold, match_keys
from bot.store.db import Store
from bot.store.models import (
    Alias,
    Citation,
    Entity,
    EntityLink,
    Fact,
    FactEntity,
    Source,
    date_text,
)

SOURCE_KIND = "source"
"""The kind sources are indexed under in `Catalog.source_index`."""

_FACT_MATCH_MIN = 75.0


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """An entity with its aliases and, for a dispute, its parties and areas (as keys)."""

    ref: EntityRef
    aliases: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FactHit:
    """A fact and how well it matched a search."""

    fact: FactView
    score: float


def chronological(facts: Iterable[FactView], *, newest_first: bool = False) -> list[FactView]:
    """Facts in date order; undated facts come last either way."""
    facts = list(facts)
    dated = sorted((f for f in facts if f.date), key=lambda f: f.date or "", reverse=newest_first)
    return dated + [f for f in facts if not f.date]


class Catalog:
    """Entities, sources and facts held in memory, with fuzzy indexes over them."""

    def __init__(
        self,
        entities: Iterable[EntityRecord],
        sources: Iterable[SourceRef],
        facts: Iterable[FactView],
    ) -> None:
        self.entities: Mapping[str, EntityRecord] = {e.ref.key: e for e in entities}
        self.sources: Mapping[str, SourceRef] = {s.key: s for s in sources}
        self.facts: tuple[FactView, ...] = tuple(facts)

        about: defaultdict[str, list[FactView]] = defaultdict(list)
        cited: defaultdict[str, list[FactView]] = defaultdict(list)
        for fact in self.facts:
            for entity in fact.about:
                about[entity.key].append(fact)
            for source in fact.sources:
                cited[source.key].append(fact)
        self._about = {key: tuple(facts) for key, facts in about.items()}
        self._cited = {key: tuple(facts) for key, facts in cited.items()}

        disputes: defaultdict[str, list[str]] = defaultdict(list)
        for record in self.entities.values():
            for member in (*record.parties, *record.areas):
                if record.ref.key not in disputes[member]:
                    disputes[member].append(record.ref.key)
        self._disputes = {key: tuple(keys) for key, keys in disputes.items()}

        self.index = SearchIndex(
            Entry(r.ref.key, r.ref.kind, name)
            for r in self.entities.values()
            for name in (r.ref.name, r.ref.key.replace("-", " "), *r.aliases)
        )
        self.source_index = SearchIndex(
            Entry(s.key, SOURCE_KIND, name)
            for s in self.sources.values()
            for name in (s.title, s.key.replace("-", " "), s.outlet or "")
            if name
        )
        self._fact_texts = [fold(fact.text) for fact in self.facts]
        self._positions = {fact.key: position for position, fact in enumerate(self.facts)}

    @classmethod
    def load(cls, store: Store) -> Catalog:
        """Read the whole store in one session and build a catalog from it."""
        with Session(store.engine) as session:
            entity_rows = session.exec(select(Entity)).all()
            keys = {row.id: row.key for row in entity_rows}
            aliases: defaultdict[int, list[str]] = defaultdict(list)
            for alias in session.exec(select(Alias).order_by(Alias.id)):  # type: ignore[arg-type]
                aliases[alias.entity_id].append(alias.text)
            links: defaultdict[tuple[int, str], list[str]] = defaultdict(list)
            for link in session.exec(select(EntityLink).order_by(EntityLink.position)):  # type: ignore[arg-type]
                links[(link.dispute_id, link.role)].append(keys[link.member_id])
            entities = [
                EntityRecord(
                    EntityRef(row.key, row.kind, row.name, row.summary),
                    tuple(aliases[row.id or 0]),
                    tuple(links[(row.id or 0, "party")]),
                    tuple(links[(row.id or 0, "area")]),
                )
                for row in entity_rows
            ]
            refs = {
                keys[e_row.id or 0]: e.ref for e_row, e in zip(entity_rows, entities, strict=True)
            }

            source_rows = session.exec(select(Source)).all()
            sources = {
                row.id: SourceRef(row.key, row.title, row.outlet, row.url, row.published)
                for row in source_rows
            }
            about: defaultdict[int, list[EntityRef]] = defaultdict(list)
            for fe in session.exec(select(FactEntity).order_by(FactEntity.position)):  # type: ignore[arg-type]
                about[fe.fact_id].append(refs[keys[fe.entity_id]])
            cites: defaultdict[int, list[SourceRef]] = defaultdict(list)
            for citation in session.exec(select(Citation).order_by(Citation.position)):  # type: ignore[arg-type]
                cites[citation.fact_id].append(sources[citation.source_id])
            facts = [
                FactView(
                    key=row.key,
                    text=row.text,
                    date=date_text(row.happened, row.precision or "day") if row.happened else None,
                    sources=tuple(cites[row.id or 0]),
                    about=tuple(about[row.id or 0]),
                    type=row.type,
                )
                for row in session.exec(select(Fact).order_by(Fact.id))  # type: ignore[arg-type]
            ]
        return cls(entities, sources.values(), facts)

    def resolve(self, query: str, kinds: Collection[str] | None = None) -> Resolution:
        """Which entity query names: an entity's exact key names it outright (so a
        button or an autocomplete choice can carry the key); otherwise the fuzzy index decides."""
        record = self.entities.get(query)
        if record is not None and (kinds is None or record.ref.kind in kinds):
            hit = Hit(record.ref.key, record.ref.kind, record.ref.name, EXACT, sure=True)
            return Resolution(Outcome.FOUND, hit, (hit,))
        return self.index.resolve(query, kinds)

    def resolve_source(self, query: str) -> Resolution:
        """Which source query names: its exact key, or else its title by the fuzzy index."""
        source = self.sources.get(query)
        if source is not None:
            hit = Hit(source.key, SOURCE_KIND, source.title, EXACT, sure=True)
            return Resolution(Outcome.FOUND, hit, (hit,))
        return self.source_index.resolve(query)

    def entity(self, key: str) -> EntityRecord:
        """The entity with this key (KeyError if there is none)."""
        return self.entities[key]

    def facts_about(self, key: str) -> tuple[FactView, ...]:
        """Facts that name the entity among the things they are about."""
        return self._about.get(key, ())

    def facts_from(self, source_key: str) -> tuple[FactView, ...]:
        """Facts that cite the source."""
        return self._cited.get(source_key, ())

    def disputes_of(self, key: str) -> tuple[str, ...]:
        """Keys of the disputes an entity is a party to or an area of."""
        return self._disputes.get(key, ())

    def search_facts(self, query: str, limit: int = 50) -> list[FactHit]:
        """Facts whose text, or an entity they are about, matches query; best first."""
        best: dict[int, float] = {}
        for key in match_keys(query):
            shortlist = process.extract(
                key,
                self._fact_texts,
                scorer=fuzz.partial_token_set_ratio,
                score_cutoff=60,
                limit=None,
            )
            for _, _, position in shortlist:
                value = score(key, self._fact_texts[position])
                if value >= _FACT_MATCH_MIN:
                    best[position] = max(best.get(position, 0.0), value)
        named = {
            hit.entity: hit.score
            for hit in self.index.search(query, limit=5)
            if hit.score >= FOUND_MIN
        }
        for entity, value in named.items():
            for fact in self.facts_about(entity):
                position = self._positions[fact.key]
                best[position] = max(best.get(position, 0.0), value)
        ranked = sorted(best.items(), key=lambda item: (-item[1], self.facts[item[0]].date or ""))
        return [FactHit(self.facts[position], value) for position, value in ranked[:limit]]
