"""Real multilingual names: every ISO 3166-1 country in every language pycountry translates it to.

pycountry ships the ISO 3166-1 names (``name``, ``official_name``, ``common_name``)
and gettext catalogs translating them into about 160 languages
(``pycountry.LOCALES_DIR``, domain ``iso3166-1``). `entries` gives each country
(entity = alpha_3 in lower case, kind "country") every distinct name it has in
English and in any of those languages: Latin with and without accents, Cyrillic,
Greek, Arabic, Hebrew, Devanagari, Chinese, Japanese, Korean and more.

The names are given as they are, translation errors included: a few names are
shared by two countries (some catalogs translate one country's name with
another's), and for a query naming those "ambiguous" is the right outcome.

Used by bench/matching.py and tests/search/test_accuracy.py.
"""

from __future__ import annotations

import gettext
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.search.results import Entry  # noqa: E402

DOMAIN = "iso3166-1"
KIND = "country"
FIELDS = ("name", "official_name", "common_name")
"""The country fields pycountry translates; official and common names are optional."""


@cache
def locales() -> tuple[str, ...]:
    """The languages with a catalog of country names, sorted."""
    root = Path(pycountry.LOCALES_DIR)
    return tuple(
        sorted(
            path.name
            for path in root.iterdir()
            if (path / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
        )
    )


@cache
def english() -> dict[str, tuple[str, ...]]:
    """Each country's English names (name, official name, common name), by entity key."""
    names: dict[str, tuple[str, ...]] = {}
    for country in pycountry.countries:
        found = (getattr(country, field, None) for field in FIELDS)
        names[str(country.alpha_3).lower()] = tuple(str(name) for name in found if name)
    return names


@cache
def entries() -> tuple[Entry, ...]:
    """Every (country, name) once: English names first, then translations, sorted."""
    by_entity: defaultdict[str, set[str]] = defaultdict(set)
    for entity, names in english().items():
        by_entity[entity].update(names)
    for locale in locales():
        catalog = gettext.translation(DOMAIN, pycountry.LOCALES_DIR, languages=[locale])
        for entity, names in english().items():
            for name in names:
                translated = catalog.gettext(name).strip()
                if translated:
                    by_entity[entity].add(translated)
    return tuple(
        Entry(entity, KIND, alias)
        for entity in sorted(by_entity)
        for alias in sorted(by_entity[entity])
    )


def shared() -> dict[str, tuple[str, ...]]:
    """Names given to more than one country, with the countries (translation mix-ups)."""
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for entry in entries():
        owners[entry.alias].add(entry.entity)
    return {
        alias: tuple(sorted(entities)) for alias, entities in owners.items() if len(entities) > 1
    }


if __name__ == "__main__":
    made = entries()
    print(
        f"{len(english())} countries, {len(locales())} languages, {len(made):,} names "
        f"({len({entry.alias for entry in made}):,} distinct)"
    )
    for alias, entities in sorted(shared().items()):
        print(f"  shared: {alias!r}: {', '.join(entities)}")
