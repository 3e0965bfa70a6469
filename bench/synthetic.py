"""A synthetic world for the benchmarks: names built from syllables, each with a Cyrillic spelling.

Shared by bench/lookup.py (a catalog with facts and sources) and bench/matching.py
(the name matcher alone, sized by alias count), and by tests/search/test_accuracy.py
as distractors. Everything is drawn from one ``random.Random(seed)``, so a seed and
a size always give the same world.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.answers.catalog import EntityRecord
from bot.core.answer import EntityRef, FactView, SourceRef
from bot.search.results import Entry

ALIASES_PER_ENTITY = 4
"""Every generated entity has a name and three aliases."""

CONSONANTS = {
    "b": "б",
    "d": "д",
    "g": "г",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "p": "п",
    "r": "р",
    "s": "с",
    "t": "т",
    "v": "в",
    "z": "з",
    "sh": "ш",
    "ch": "ч",
    "zh": "ж",
}
VOWELS = {"a": "а", "e": "е", "i": "и", "o": "о", "u": "у"}
CODAS = {"": "", "n": "н", "r": "р", "v": "в", "sk": "ск", "l": "л"}
SYLLABLES = {
    c + v + coda: cyr_c + cyr_v + cyr_coda
    for c, cyr_c in CONSONANTS.items()
    for v, cyr_v in VOWELS.items()
    for coda, cyr_coda in CODAS.items()
}
"""Latin syllable -> its Cyrillic spelling (the transliteration table)."""

SURNAME_ENDINGS = {"ov": "ов", "in": "ин", "enko": "енко", "sky": "ский", "ev": "ев"}
PLACE_WORDS = ("Islands", "Strait", "Valley", "Ridge", "Bay", "Plateau", "Coast")
ORG_TEMPLATES = (
    "Ministry of Foreign Affairs of {}",
    "{} Security Council",
    "{} News Agency",
    "Bank of {}",
    "{} Defence Forces",
)
FACT_VERBS = (
    "warned",
    "signed an agreement with",
    "protested to",
    "supplied missiles to",
    "held talks with",
    "imposed sanctions on",
    "recalled its ambassador from",
    "proposed a ceasefire to",
)
MISS_WORDS = ("xylo", "quaff", "wyth", "jorq", "fjall", "yxxe", "hwyl", "qwon")
"""Letters the syllable table never produces, so these queries name nothing."""


@dataclass(frozen=True, slots=True)
class Name:
    """A generated name in Latin letters and its Cyrillic spelling."""

    latin: str
    cyrillic: str


class World:
    """Random but reproducible entities, sources and facts."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.syllables = list(SYLLABLES.items())
        self.keys: set[str] = set()

    def word(self, low: int = 2, high: int = 3, endings: dict[str, str] | None = None) -> Name:
        parts = [self.rng.choice(self.syllables) for _ in range(self.rng.randint(low, high))]
        latin, cyrillic = "".join(p[0] for p in parts), "".join(p[1] for p in parts)
        if endings:
            ending = self.rng.choice(list(endings))
            latin, cyrillic = latin + ending, cyrillic + endings[ending]
        return Name(latin.capitalize(), cyrillic.capitalize())

    def key(self, name: str) -> str:
        """A slug of name, as curators write keys, made unique with a number if taken."""
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        key, number = slug, 1
        while key in self.keys:
            number += 1
            key = f"{slug}-{number}"
        self.keys.add(key)
        return key

    def entity(self, countries: Sequence[EntityRecord]) -> EntityRecord:
        roll = self.rng.random()
        if roll < 0.40:
            first, last = self.word(2, 2), self.word(2, 3, SURNAME_ENDINGS)
            name = f"{first.latin} {last.latin}"
            aliases = (
                last.latin,
                f"{first.latin[0]}. {last.latin}",
                f"{first.cyrillic} {last.cyrillic}",
            )
            kind = "person"
        elif roll < 0.55 or len(countries) < 2:
            country = self.word(2, 3)
            name = country.latin + self.rng.choice(("ia", "land", "stan", ""))
            aliases = (f"Republic of {name}", country.cyrillic, name.upper()[:3])
            kind = "country"
        elif roll < 0.80:
            place = self.word(2, 3)
            name = f"{place.latin} {self.rng.choice(PLACE_WORDS)}"
            aliases = (
                place.latin,
                f"{place.cyrillic} острова",
                f"{self.word().latin} {place.latin}",
            )
            kind = "place"
        elif roll < 0.95:
            owner = self.rng.choice(countries).ref.name
            name = self.rng.choice(ORG_TEMPLATES).format(owner)
            initials = "".join(word[0] for word in name.split() if word[0].isupper())
            aliases = (initials, f"{owner} {self.word().latin}", f"The {name}")
            kind = "organization"
        else:
            a, b = self.rng.sample(list(countries), 2)
            area = self.word(2, 3).latin
            name = f"{area} dispute"
            aliases = (
                f"{a.ref.name}–{b.ref.name} dispute",
                f"{area} question",
                f"{b.ref.name} {a.ref.name} border conflict",
            )
            summary = f"Between {a.ref.name} and {b.ref.name}."
            return EntityRecord(
                EntityRef(self.key(name), "dispute", name, summary),
                aliases,
                parties=(a.ref.key, b.ref.key),
            )
        ref = EntityRef(self.key(name), kind, name, f"A {kind} called {name}.")
        return EntityRecord(ref, aliases)

    def generate(self, count: int) -> tuple[list[EntityRecord], list[SourceRef], list[FactView]]:
        """count entities, one source per 20 of them and three facts per entity."""
        entities = self.entities(count)
        sources = self.sources(max(10, count // 20))
        return entities, sources, self.facts(3 * count, entities, sources)

    def entities(self, count: int) -> list[EntityRecord]:
        made: list[EntityRecord] = []
        countries: list[EntityRecord] = []
        for _ in range(count):
            record = self.entity(countries)
            made.append(record)
            if record.ref.kind == "country":
                countries.append(record)
        return made

    def sources(self, count: int) -> list[SourceRef]:
        outlets = ("Associated Press", "Reuters", "RIA Novosti", "Kyodo", "AFP", None)
        return [
            SourceRef(
                f"s{number}",
                f"{self.word().latin} {self.rng.choice(FACT_VERBS)} {self.word().latin}",
                self.rng.choice(outlets),
                f"https://example.org/{number}",
                datetime(2020 + number % 5, 1 + number % 12, 1 + number % 28, tzinfo=UTC),
            )
            for number in range(count)
        ]

    def facts(
        self, count: int, entities: Sequence[EntityRecord], sources: Sequence[SourceRef]
    ) -> list[FactView]:
        made = []
        for number in range(count):
            about = self.rng.sample(entities, self.rng.randint(1, 3))
            verb = self.rng.choice(FACT_VERBS)
            text = f"{about[0].ref.name} {verb} {about[-1].ref.name} over the {self.word().latin}"
            year, month, day = 2000 + self.rng.randrange(25), self.rng.randint(1, 12), 1
            date = self.rng.choice((f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-0{day}"))
            made.append(
                FactView(
                    f"f{number}",
                    text + ".",
                    date if self.rng.random() < 0.9 else None,
                    (self.rng.choice(sources),),
                    tuple(record.ref for record in about),
                )
            )
        return made


def names(record: EntityRecord) -> tuple[str, ...]:
    """Every name an entity is known by: its name, then its aliases."""
    return (record.ref.name, *record.aliases)


def entries(records: Iterable[EntityRecord]) -> list[Entry]:
    """The index entries of records: one per name, keyed by the entity's key."""
    return [
        Entry(record.ref.key, record.ref.kind, name) for record in records for name in names(record)
    ]


def world(aliases: int, seed: int) -> list[EntityRecord]:
    """Entities with ``aliases`` names and aliases in all (rounded up to whole entities)."""
    return World(seed).entities(-(-aliases // ALIASES_PER_ENTITY))


def import_document(records: Iterable[EntityRecord]) -> dict[str, list[dict[str, object]]]:
    """The synthetic entities as an import file, each key prefixed ``bench-`` so it cannot
    meet a seed key."""
    return {
        "entities": [
            {
                "key": f"bench-{record.ref.key}",
                "kind": record.ref.kind,
                "name": record.ref.name,
                "aliases": list(dict.fromkeys(record.aliases)),
                **(
                    {"parties": [f"bench-{key}" for key in record.parties]}
                    if record.parties
                    else {}
                ),
            }
            for record in records
        ]
    }
