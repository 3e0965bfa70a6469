"""Follows as stored: made once, listed by server, and claimed once however many look."""

from __future__ import annotations

from bot.curation.transfer import load_data
from bot.records.actor import Actor
from bot.store import follows as stored
from bot.store.db import Store

SOURCE = "russia-warns-japan-patriots-2024-03-24"


def add_fact(store: Store, key: str, *about: str) -> None:
    record = {"key": key, "text": f"{key}.", "about": list(about), "source": SOURCE}
    load_data(store, {"facts": [record]}, "test", Actor(None, "console"))


def test_a_follow_starts_at_the_newest_revision_and_is_made_once(seeded_on: Store) -> None:
    newest = stored.newest_revision(seeded_on)
    first, new = stored.add(seeded_on, 10, 20, "japan", "each", 30)
    assert new and first.cursor == newest and first.paused is None
    stored.pause(seeded_on, first.id, "the channel was deleted")
    again, new = stored.add(seeded_on, 10, 20, "japan", "daily", 30)
    assert not new and again.id == first.id
    assert (again.mode, again.paused) == ("daily", None), "following again resumes"
    assert [row.entity_key for row in stored.of_guild(seeded_on, 10)] == ["japan"]
    assert stored.of_guild(seeded_on, 11) == []


def test_two_claims_of_the_same_changes_one_wins(seeded_on: Store) -> None:
    follow, _ = stored.add(seeded_on, 10, 20, "japan", "each", 30)
    add_fact(seeded_on, "japan-claimed", "japan")
    through = stored.newest_revision(seeded_on)
    # Two processes read the same follow, then both try to claim what came after it.
    assert stored.claim(seeded_on, follow, through, digest_on=None)
    assert not stored.claim(seeded_on, follow, through, digest_on=None)
    (now,) = stored.of_guild(seeded_on, 10)
    assert now.cursor == through
    stored.give_back(seeded_on, follow, through)
    assert stored.of_guild(seeded_on, 10)[0].cursor == follow.cursor


def test_fact_changes_name_whom_each_fact_is_about(seeded_on: Store) -> None:
    start = stored.newest_revision(seeded_on)
    add_fact(seeded_on, "japan-about", "japan", "russia")
    changes = stored.fact_changes(seeded_on, start, stored.newest_revision(seeded_on))
    assert [(c.action, c.fact_key, c.about) for c in changes] == [
        ("create", "japan-about", ("japan", "russia"))
    ]
