"""The source each Discord curator is citing, kept in the store so every process of the bot
shares it; it lapses a day after it was set. On SQLite and, when a server is named,
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import current_sources
from bot.store.db import Store

NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def either(request: pytest.FixtureRequest) -> Store:
    """An empty migrated store on the backend the test runs against."""
    found: Store = request.getfixturevalue(
        "store" if request.param == "sqlite" else "postgres_store"
    )
    return found


def test_a_curators_source_is_theirs_replaced_when_set_and_lapses_after_a_day(
    either: Store,
) -> None:
    current_sources.remember(either, "1001", "ria-2024-03", now=NOON)
    current_sources.remember(either, "1002", "ap-2024-03", now=NOON)
    assert current_sources.recall(either, "1001", now=NOON) == "ria-2024-03"
    current_sources.remember(either, "1001", "tass-2024-03", now=NOON)
    assert current_sources.recall(either, "1001", now=NOON) == "tass-2024-03"
    assert current_sources.recall(either, "1002", now=NOON) == "ap-2024-03"
    assert current_sources.recall(either, "1003", now=NOON) is None

    almost = NOON + current_sources.LIFETIME - timedelta(seconds=1)
    assert current_sources.recall(either, "1001", now=almost) == "tass-2024-03"
    assert current_sources.recall(either, "1001", now=NOON + timedelta(hours=24)) is None
    # Set again, it lasts another day from then.
    current_sources.remember(either, "1001", "ria-2024-03", now=NOON + timedelta(hours=30))
    assert current_sources.recall(either, "1001", now=NOON + timedelta(hours=31)) == "ria-2024-03"

    current_sources.forget(either, "1001")
    current_sources.forget(either, "1001")  # nothing to clear is fine
    assert current_sources.recall(either, "1001", now=NOON) is None
    assert current_sources.recall(either, "1002", now=NOON) == "ap-2024-03"
