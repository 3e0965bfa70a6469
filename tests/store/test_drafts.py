"""Article drafts kept in the store: saved whole, flags per fact, owned, and expiring."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import NotInStoreError
from bot.store import drafts
from bot.store.db import Store
from bot.store.models import utcnow

DOCUMENT = {
    "sources": [{"key": "talks-2026", "title": "Ministers meet"}],
    "entities": [
        {"key": "ana-lisboa", "kind": "person", "name": "Ana Lisboa"},
        {"key": "unused-org", "kind": "organization", "name": "Unused Org"},
    ],
    "facts": [
        {
            "text": "Lisboa said talks went well.",
            "about": [{"entity": "ana-lisboa", "role": "actor"}],
            "source": "talks-2026",
        },
        {"text": "Japan spoke.", "about": ["japan"], "source": "talks-2026"},
        {"text": "Unused Org met.", "about": ["unused-org"], "source": "talks-2026"},
    ],
}


def saved(store: Store, **overrides: object) -> drafts.StoredDraft:
    options: dict[str, object] = {
        "owner_id": "42",
        "owner_name": "alice",
        "title": "Ministers meet",
    }
    options.update(overrides)
    return drafts.save(store, DOCUMENT, **options)  # type: ignore[arg-type]


def test_a_saved_draft_reads_back_whole_with_every_fact_kept(store: Store) -> None:
    draft = saved(store, guild_id="7")
    again = drafts.load(store, draft.id)
    assert again.document == DOCUMENT
    assert again.kept == (True, True, True)
    assert (again.owner_id, again.owner_name, again.guild_id) == ("42", "alice", "7")
    assert again.expires - again.created == drafts.LIFETIME == timedelta(days=7)


def test_dropping_a_fact_leaves_out_the_entities_only_it_named(store: Store) -> None:
    draft = saved(store)
    drafts.keep(store, draft.id, 2, False)
    selected = drafts.load(store, draft.id).selected()
    assert [fact["text"] for fact in selected["facts"]] == [
        "Lisboa said talks went well.",
        "Japan spoke.",
    ]
    assert [entity["key"] for entity in selected["entities"]] == ["ana-lisboa"]
    assert [source["key"] for source in selected["sources"]] == ["talks-2026"]


def test_an_edited_fact_replaces_the_old_one_and_is_kept(store: Store) -> None:
    draft = saved(store)
    drafts.keep(store, draft.id, 1, False)
    edited = {"text": "Japan spoke first.", "about": ["japan"], "source": "talks-2026"}
    after = drafts.replace_fact(store, draft.id, 1, edited)
    assert after.facts[1] == edited
    assert after.kept == (True, True, True)
    assert drafts.load(store, draft.id).facts[1] == edited


def test_a_fact_the_draft_does_not_have_is_refused(store: Store) -> None:
    draft = saved(store)
    with pytest.raises(NotInStoreError, match="no fact 4"):
        drafts.keep(store, draft.id, 3, False)


def test_an_expired_draft_is_gone_and_removed_when_the_next_is_saved(store: Store) -> None:
    old = saved(store, now=utcnow() - timedelta(days=8))
    with pytest.raises(NotInStoreError, match="expired"):
        drafts.load(store, old.id)
    saved(store)
    later = utcnow() - timedelta(days=9)  # even read as of before it expired, it is gone now
    with pytest.raises(NotInStoreError):
        drafts.load(store, old.id, now=later)


def test_an_unknown_draft_is_refused_in_one_line(store: Store) -> None:
    with pytest.raises(NotInStoreError) as error:
        drafts.load(store, 999)
    assert "\n" not in str(error.value)
