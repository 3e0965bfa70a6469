"""Fixtures of the drafting engine's tests: the seed store's names, as callers build them."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from bot.answers.catalog import Catalog
from bot.drafting import Known
from bot.library import known_names
from bot.search.mentions import MentionMatcher


@pytest.fixture(scope="session")
def seed_known(catalog: Catalog) -> Known:
    """The seeded store's names, built from its catalog as the contract says."""
    return known_names(catalog)


def known_of(entities: Iterable[tuple[str, str, str]]) -> Known:
    """A small Known of (key, kind, name) triples, for tests that need other names."""
    triples = list(entities)
    return Known(
        mentions=MentionMatcher((key, name) for key, _, name in triples),
        entity_keys=frozenset(key for key, _, _ in triples),
        source_keys=frozenset(),
        kinds={key: kind for key, kind, _ in triples},
    )
