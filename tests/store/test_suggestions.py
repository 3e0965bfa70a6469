"""Suggested corrections kept in the store: saved, listed, decided once, and limited per
member (three an hour, one open per card) in the store itself."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import NotInStoreError, SuggestionError
from bot.store import suggestions
from bot.store.db import Store
from bot.store.models import utcnow
from bot.store.suggestions import Origin

MIA = Origin("42", "mia", "server", "7", "Diplomacy", "8")


def made(store: Store, card: str, *, by: Origin = MIA, minutes_ago: float = 0) -> int:
    now = utcnow() - timedelta(minutes=minutes_ago)
    saved = suggestions.save(
        store, by, card=card, title="Japan", facts=["f-1", "f-2"], text="Wrong.", now=now
    )
    return saved.id


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest) -> Store:
    name = "store" if request.param == "sqlite" else "postgres_store"
    store: Store = request.getfixturevalue(name)
    return store


def test_a_suggestion_is_kept_whole_and_listed_until_decided(store: Store) -> None:
    number = made(store, "about:japan")
    stored = suggestions.load(store, number)
    assert (stored.by, stored.card, stored.facts, stored.state) == (
        MIA,
        "about:japan",
        ("f-1", "f-2"),
        "open",
    )
    assert suggestions.open_ones(store)[1] == 1
    decided = suggestions.decide(store, number, "dismissed", curator="1", name="olga")
    assert (decided.state, decided.curator_name, decided.reason) == ("dismissed", "olga", None)
    assert suggestions.open_ones(store) == ([], 0)
    with pytest.raises(SuggestionError, match=f"Suggestion {number} was already dismissed by olga"):
        suggestions.decide(store, number, "accepted", curator="2", name="ivan")
    with pytest.raises(NotInStoreError, match="There is no suggestion 99"):
        suggestions.load(store, 99)


def test_three_an_hour_then_the_member_is_told_when_they_can_again(any_store: Store) -> None:
    made(any_store, "a", minutes_ago=50)
    made(any_store, "b", minutes_ago=20)
    made(any_store, "c", minutes_ago=5)
    with pytest.raises(SuggestionError) as refused:
        made(any_store, "d")
    again = refused.value.again
    assert again is not None
    assert timedelta(minutes=9) < again - utcnow() <= timedelta(minutes=10)
    assert f"({again:%H:%M} UTC)" in str(refused.value)
    made(any_store, "d", by=Origin("43", "bob", "dm"))  # another member is not limited
    # An hour after the first, one more is allowed.
    suggestions.may_suggest(any_store, MIA.member_id, "d", now=utcnow() + timedelta(minutes=11))


def test_one_open_suggestion_per_member_per_card(store: Store) -> None:
    first = made(store, "about:japan")
    with pytest.raises(SuggestionError, match=f"Your suggestion #{first} on this card"):
        made(store, "about:japan")
    suggestions.decide(store, first, "accepted", curator="1", name="olga")
    made(store, "about:japan")
