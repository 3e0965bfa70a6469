"""The read model: everything lookups need, loaded from the store into memory once.

A `Catalog` is immutable. When the store changes, load a new one and swap it in;
readers holding the old one keep a consistent view.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.answers.model import EntityRef, FactView, SourceRef
from bot.curation.records import Snapshot, snapshot
from bot.search.index import EXACT, FOUND_MIN, Entry, Hit, Outcome, Resolution, SearchIndex, score
from bot.search.mentions import MentionMatcher
from bot.search.normalize import fold, match_keys
from bot.store.db import Store

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
    former_keys: tuple[str, ...] = ()
    """Keys of entities merged into this one; each still names it."""


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
        self.redirects: Mapping[str, str] = {
            former: record.ref.key
            for record in self.entities.values()
            for former in record.former_keys
        }
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
        self._mentions: MentionMatcher | None = None
        self._mentions_lock = threading.Lock()

    @property
    def mentions(self) -> MentionMatcher:
        """The matcher that finds every entity a text names (`!names`), over each entity's
        name and aliases (not its key: "un" is a word, not the United Nations).

        Built on first use and then kept, so loading a catalog costs nothing more for
        a bot that never uses it; a lock makes concurrent first uses build it once.
        """
        matcher = self._mentions
        if matcher is None:
            with self._mentions_lock:
                matcher = self._mentions
                if matcher is None:
                    matcher = self._mentions = MentionMatcher(
                        (record.ref.key, name)
                        for record in self.entities.values()
                        for name in (record.ref.name, *record.aliases)
                    )
        return matcher

    @property
    def mentions_ready(self) -> bool:
        """Whether `mentions` is built (the first use on a large store takes seconds)."""
        return self._mentions is not None

    @classmethod
    def load(cls, store: Store) -> Catalog:
        """Read the whole store in one transaction and build a catalog from it."""
        with store.transaction() as session:
            records = snapshot(session)
        return cls.from_records(records)

    @classmethod
    def from_records(cls, records: Snapshot) -> Catalog:
        """A catalog of the records as `bot.curation.records` reads them."""
        sources = {
            spec.key: SourceRef(spec.key, spec.title, spec.outlet, spec.url, spec.published)
            for spec in records.sources
        }
        entities = [
            EntityRecord(
                EntityRef(spec.key, spec.kind.value, spec.name, spec.summary),
                tuple(alias.text for alias in spec.aliases or ()),
                spec.parties or (),
                spec.areas or (),
                spec.former_keys or (),
            )
            for spec in records.entities
        ]
        refs = {record.ref.key: record.ref for record in entities}
        facts = [
            FactView(
                key=spec.key,
                text=spec.text,
                date=spec.date_text,
                sources=tuple(sources[key] for key in spec.sources),
                about=tuple(refs[subject.entity] for subject in spec.about),
                type=spec.type,
            )
            for spec in records.facts
        ]
        return cls(entities, sources.values(), facts)

    def resolve(self, query: str, kinds: Collection[str] | None = None) -> Resolution:
        """Which entity query names: an entity's exact key, or a key merged into it,
        names it outright (so a button or an autocomplete choice can carry the key);
        otherwise the fuzzy index decides."""
        record = self.entities.get(query) or self.entities.get(self.redirects.get(query, ""))
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
