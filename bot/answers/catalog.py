"""The read model: everything lookups need, loaded from the store into memory once.

A `Catalog` is immutable. When the store changes, load a new one and swap it in;
readers holding the old one keep a consistent view.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from bot.answers.catalog_records import SOURCE_KIND as SOURCE_KIND
from bot.answers.catalog_records import EntityRecord as EntityRecord
from bot.answers.catalog_records import (
    entity_entries,
    entity_record,
    fact_view,
    redirect_changes,
    source_entries,
    source_ref,
)
from bot.answers.catalog_records import names_of as names_of
from bot.answers.overlay import Overlay
from bot.core.answer import FactView, SourceRef
from bot.search.index import SearchIndex
from bot.search.mentions import MentionMatcher
from bot.search.results import EXACT, FOUND_MIN, Hit, Outcome, Resolution

if TYPE_CHECKING:  # the store's modules load SQLAlchemy, which a snapshot's reader skips
    from bot.records.reader import Delta, Snapshot
    from bot.records.shapes import FactSpec
    from bot.store.db import Store
    from bot.store.fulltext import FactSearch

EVERY_WORD = 100.0
"""The score `Catalog.search_facts` gives a fact whose text holds every word."""
ABOUT_NAMED = 90.0
"""The score of a fact found because it is about an entity the query names."""
SOME_WORDS = 50.0
"""The score of a fact whose text holds some of the words only."""
RECENT_DAYS = 90
"""Days back from loading for which a catalog keeps when each fact last changed."""
COMPACT_MIN = 20_000
COMPACT_SHARE = 0.05
"""`Catalog.changed` rebuilds the catalog whole once the records changed since it was
last built outnumber both of these (a count, and a share of facts and entities)."""


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
    """Entities, sources and facts held in memory, with fuzzy indexes over them.

    Immutable: `changed` gives a new catalog with some records replaced, sharing
    everything else with this one.
    """

    def __init__(
        self,
        entities: Iterable[EntityRecord],
        sources: Iterable[SourceRef],
        facts: Iterable[FactView],
        *,
        fact_search: FactSearch | None = None,
        changed_at: Mapping[str, datetime] | None = None,
        indexes: tuple[SearchIndex, SearchIndex] | None = None,
    ) -> None:
        """A catalog of the records given. Searches of fact text go to fact_search (the
        store's full-text index, for a catalog read from a store), or else to an
        in-memory index of these facts built on the first search. changed_at: when facts
        changed (the last `RECENT_DAYS` days before loading), by key; none if not given.
        indexes, the name and source indexes of exactly these records, are built when
        not given."""
        self.changed_at: Mapping[str, datetime] = dict(changed_at or {})
        self.entities: Mapping[str, EntityRecord] = {e.ref.key: e for e in entities}
        self.redirects: Mapping[str, str] = {
            former: record.ref.key
            for record in self.entities.values()
            for former in record.former_keys
        }
        self.sources: Mapping[str, SourceRef] = {s.key: s for s in sources}
        self.facts: Mapping[str, FactView] = {fact.key: fact for fact in facts}
        """Every fact by key, in key order as loaded (changes come last)."""

        about: defaultdict[str, list[FactView]] = defaultdict(list)
        cited: defaultdict[str, list[FactView]] = defaultdict(list)
        for fact in self.facts.values():
            for entity in fact.about:
                about[entity.key].append(fact)
            for source in fact.sources:
                cited[source.key].append(fact)
        self._about: Mapping[str, tuple[FactView, ...]] = {k: tuple(v) for k, v in about.items()}
        self._cited: Mapping[str, tuple[FactView, ...]] = {k: tuple(v) for k, v in cited.items()}

        disputes: defaultdict[str, list[str]] = defaultdict(list)
        for record in self.entities.values():
            for member in (*record.parties, *record.areas):
                if record.ref.key not in disputes[member]:
                    disputes[member].append(record.ref.key)
        self._disputes: Mapping[str, tuple[str, ...]] = {
            key: tuple(keys) for key, keys in disputes.items()
        }

        named = entity_entries(self.entities.values()), source_entries(self.sources.values())
        self.index, self.source_index = indexes or (SearchIndex(named[0]), SearchIndex(named[1]))
        self._start_caches(fact_search)

    def _start_caches(self, fact_search: FactSearch | None) -> None:
        """What is built on first use (the mentions matcher, by `mentions_source` of every
        name, an in-memory fact search, the newest facts per entity) not built yet."""
        self._mentions: MentionMatcher | None = None
        self._mentions_lock = threading.Lock()
        self.mentions_source: Callable[[Iterable[tuple[str, str]]], MentionMatcher] = MentionMatcher
        self._given_search = fact_search
        self._built_search: FactSearch | None = None
        self._search_lock = threading.Lock()
        self._newest_about: dict[str, tuple[FactView, ...]] = {}

    def changed(self, delta: Delta) -> Catalog:
        """This catalog with delta's records applied: added, replaced or (None) removed.

        Costs in proportion to the change and to the facts it touches (a renamed
        entity's facts show its new name), not to the size of the catalog: the
        new catalog reads through this one's mappings and indexes, and keeps
        only what changed. A catalog that reads facts when shown reads them from the
        store as it is now, so only its entities, sources and indexes change.
        """
        from bot.answers.stored import StoredFacts

        stored = self.facts.store if isinstance(self.facts, StoredFacts) else None
        source_changes = {
            key: None if spec is None else source_ref(spec) for key, spec in delta.sources.items()
        }
        records = {
            key: None if spec is None else entity_record(spec)
            for key, spec in delta.entities.items()
        }
        sources: Overlay[str, SourceRef] = Overlay(self.sources, source_changes)
        entities: Overlay[str, EntityRecord] = Overlay(self.entities, records)

        catalog = Catalog.__new__(Catalog)
        catalog.entities, catalog.sources = entities, sources
        catalog.changed_at = Overlay(self.changed_at, dict(delta.fact_times))
        if stored is not None:
            catalog.read_facts_from(stored)
        else:
            facts = self._changed_facts(delta, records, sources, entities)
            catalog.facts = Overlay(self.facts, facts)
            catalog._about = Overlay(self._about, self._regrouped(facts, about=True))
            catalog._cited = Overlay(self._cited, self._regrouped(facts, about=False))
        catalog.redirects = Overlay(self.redirects, redirect_changes(self.entities, records))
        catalog._disputes = Overlay(self._disputes, self._memberships(records))
        catalog.index = self.index.updated(
            records.keys(), entity_entries(r for r in records.values() if r)
        )
        catalog.source_index = self.source_index.updated(
            source_changes.keys(), source_entries(s for s in source_changes.values() if s)
        )
        # The store's index is current already; an in-memory one is built anew if asked.
        catalog._start_caches(self._given_search)
        overlaid = catalog.entities.changes + catalog.sources.changes
        if isinstance(catalog.facts, Overlay):
            overlaid += catalog.facts.changes
        if overlaid > max(
            COMPACT_MIN, COMPACT_SHARE * (len(catalog.facts) + len(catalog.entities))
        ):
            # Rebuilt whole now and then, so overlays stay small and reads stay two lookups.
            whole = Catalog(
                catalog.entities.values(),
                catalog.sources.values(),
                catalog.facts.values() if stored is None else (),
                fact_search=self._given_search,
                changed_at=catalog.changed_at,
            )
            if stored is not None:
                whole.read_facts_from(stored)
            return whole
        return catalog

    def _changed_facts(
        self,
        delta: Delta,
        records: Mapping[str, EntityRecord | None],
        sources: Mapping[str, SourceRef],
        entities: Mapping[str, EntityRecord],
    ) -> dict[str, FactView | None]:
        """The facts delta changes, and those showing an entity or a source it changes."""
        facts: dict[str, FactView | None] = {}
        for key, spec in delta.facts.items():
            facts[key] = None if spec is None else fact_view(spec, sources, entities)
        shown = {fact.key for key in records for fact in self.facts_about(key)}
        shown |= {fact.key for key in delta.sources for fact in self.facts_from(key)}
        for key in shown - facts.keys():
            old = self.facts[key]
            facts[key] = replace(
                old,
                about=tuple(entities[ref.key].ref for ref in old.about if ref.key in entities),
                sources=tuple(sources[ref.key] for ref in old.sources if ref.key in sources),
            )
        return facts

    def _regrouped(
        self, changes: Mapping[str, FactView | None], *, about: bool
    ) -> dict[str, tuple[FactView, ...]]:
        """The facts about each entity (or citing each source) that changes affect, anew."""

        def keys_of(fact: FactView) -> list[str]:
            refs = fact.about if about else fact.sources
            return [ref.key for ref in refs]

        grouped = self._about if about else self._cited
        affected: set[str] = set()
        for key, new in changes.items():
            for fact in (self.facts.get(key), new):
                if fact is not None:
                    affected.update(keys_of(fact))
        regrouped = {}
        for target in affected:
            kept = [fact for fact in grouped.get(target, ()) if fact.key not in changes]
            added = [f for f in changes.values() if f is not None and target in keys_of(f)]
            regrouped[target] = tuple(sorted([*kept, *added], key=lambda fact: fact.key))
        return regrouped

    def _memberships(
        self, records: Mapping[str, EntityRecord | None]
    ) -> dict[str, tuple[str, ...]]:
        """The disputes of each entity that changed records join or leave, anew."""
        affected: set[str] = set()
        for key, new in records.items():
            for record in (self.entities.get(key), new):
                if record is not None:
                    affected.update((*record.parties, *record.areas))
        memberships = {}
        for member in affected:
            kept = [key for key in self._disputes.get(member, ()) if key not in records]
            joined = [
                key
                for key, record in records.items()
                if record is not None and member in (*record.parties, *record.areas)
            ]
            memberships[member] = tuple(sorted({*kept, *joined}))
        return memberships

    @cached_property
    def names_in_order(self) -> tuple[tuple[str, str, str], ...]:
        """(name, kind, key) of every entity, in alphabetical order of name then key;
        computed on first use (autocomplete with nothing typed yet)."""
        return tuple(
            sorted(
                ((record.ref.name, record.ref.kind, key) for key, record in self.entities.items()),
                key=lambda item: (item[0].casefold(), item[2]),
            )
        )

    @cached_property
    def titles_in_order(self) -> tuple[tuple[str, str], ...]:
        """(title, key) of every source, in alphabetical order of title then key."""
        return tuple(
            sorted(
                ((source.title, key) for key, source in self.sources.items()),
                key=lambda item: (item[0].casefold(), item[1]),
            )
        )

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
                    matcher = self._mentions = self.mentions_source(
                        names_of(self.entities.values())
                    )
        return matcher

    @property
    def mentions_ready(self) -> bool:
        """Whether `mentions` is built (the first use on a large store takes seconds)."""
        return self._mentions is not None

    @classmethod
    def load(cls, store: Store, *, facts_in_memory: bool = True) -> Catalog:
        """Read the whole store in one transaction and build a catalog from it.

        With facts_in_memory False, only entities and sources are read now; each fact
        is read from the store when a lookup first shows it (see `bot.answers.stored`),
        which suits a process that answers one command (`diplobot ask`)."""
        from bot.records.reader import fact_change_times, snapshot
        from bot.store.fulltext import for_store

        with store.transaction() as session:
            records = snapshot(session, with_facts=facts_in_memory)
            since = datetime.now(UTC) - timedelta(days=RECENT_DAYS)
            times = fact_change_times(session, since=since)
        catalog = cls.from_records(records, fact_search=for_store(store.engine))
        catalog.changed_at = times
        if not facts_in_memory:
            catalog.read_facts_from(store)
        return catalog

    def read_facts_from(self, store: Store) -> None:
        """Read each fact from store when a lookup first shows it (see `load`)."""
        from bot.answers.stored import StoredFacts, StoredGroups

        def view(spec: FactSpec) -> FactView:
            return fact_view(spec, self.sources, self.entities)

        facts = StoredFacts(store, view)
        self.read_facts_through(
            facts,
            StoredGroups(store, facts, view, about=True),
            StoredGroups(store, facts, view, about=False),
        )

    def read_facts_through(
        self,
        facts: Mapping[str, FactView],
        about: Mapping[str, tuple[FactView, ...]],
        cited: Mapping[str, tuple[FactView, ...]],
    ) -> None:
        """Have lookups read every fact by key, the facts about each entity and those
        citing each source through these mappings, which read each when first asked for
        (only keys with a fact in about and cited)."""
        self.facts, self._about, self._cited = facts, about, cited

    @classmethod
    def from_records(cls, records: Snapshot, *, fact_search: FactSearch | None = None) -> Catalog:
        """A catalog of the records as `bot.records.reader` reads them (fact_search as
        for the constructor)."""
        sources = {spec.key: source_ref(spec) for spec in records.sources}
        entities = {spec.key: entity_record(spec) for spec in records.entities}
        facts = [fact_view(spec, sources, entities) for spec in records.facts]
        return cls(entities.values(), sources.values(), facts, fact_search=fact_search)

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

    @cached_property
    def fact_keys(self) -> tuple[str, ...]:
        """Every fact's key, in alphabetical order (computed on first use)."""
        return tuple(sorted(self.facts))

    @property
    def fact_search(self) -> FactSearch:
        """What finds facts by the words of their text: the store's full-text index for a
        catalog read from a store, else an in-memory one of this catalog's facts, built on
        first use (a lock makes concurrent first uses build it once)."""
        search = self._given_search if self._given_search is not None else self._built_search
        if search is None:
            from bot.store.fulltext import in_memory

            with self._search_lock:
                search = self._built_search
                if search is None:
                    search = self._built_search = in_memory(
                        (fact.key, fact.text, fact.date) for fact in self.facts.values()
                    )
        return search

    def search_facts(self, query: str, limit: int = 50) -> list[FactHit]:
        """At most limit facts matching query, best first: facts whose text holds every word
        of query (or the closest stored spelling of a mistyped one), then facts about an
        entity query names, then facts whose text holds some of the words; the most recent
        first within each group, undated facts last. Scores: `EVERY_WORD`, `ABOUT_NAMED`,
        `SOME_WORDS`.

        Facts the store has and this catalog does not (yet) are left out. Raises
        `StoreError` when the store cannot be searched.
        """
        if limit <= 0:
            return []
        matches = self.fact_search.search(query, limit)
        found: dict[str, float] = {}
        for match in matches:
            if match.every_word and match.key in self.facts:
                found.setdefault(match.key, EVERY_WORD)
        if len(found) < limit:
            named = [
                hit.entity for hit in self.index.search(query, limit=5) if hit.score >= FOUND_MIN
            ]
            about = {fact for key in named for fact in self._newest_facts_about(key)[:limit]}
            for fact in sorted(about, key=_recency, reverse=True):
                found.setdefault(fact.key, ABOUT_NAMED)
        for match in matches:
            if not match.every_word and match.key in self.facts:
                found.setdefault(match.key, SOME_WORDS)
        ranked = list(found.items())[:limit]
        return [FactHit(self.facts[key], value) for key, value in ranked]

    def _newest_facts_about(self, key: str) -> tuple[FactView, ...]:
        """The facts about an entity, most recent first: sorted on first use and kept (two
        threads sorting at once keep the same order)."""
        newest = self._newest_about.get(key)
        if newest is None:
            newest = tuple(sorted(self.facts_about(key), key=_recency, reverse=True))
            self._newest_about[key] = newest
        return newest


def _recency(fact: FactView) -> tuple[bool, str, str]:
    """A sort key putting facts in date order after the undated ones (so, reversed, most
    recent first and undated last); a date to the month or year counts as its first day."""
    if fact.date is None:
        return (False, "", fact.key)
    return (True, fact.date + "-01" * (2 - fact.date.count("-")), fact.key)
