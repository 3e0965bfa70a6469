"""The plan of an import, worked out from stored records and a document alone."""

from __future__ import annotations

import pytest

from bot.curation import plan as plan_module
from bot.curation.plan import Stored, import_warnings, plan_changes
from bot.records.shapes import AliasSpec, Document, EntitySpec, FactSpec, SourceSpec, Subject
from bot.search.normalize import fold
from bot.store.models import Kind

SOURCE = SourceSpec("ap", "A report")
JAPAN = EntitySpec("japan", Kind.COUNTRY, "Japan", aliases=(AliasSpec("Nippon"),))
PATRIOTS = FactSpec(
    "japan-agrees-us-patriot-request",
    "Japan agreed to a United States request to supply Patriot air defense systems.",
    (Subject("japan", "actor"), Subject("white-house")),
    ("ap",),
)


def test_a_plan_lists_creations_and_updates_with_the_fields_that_change() -> None:
    stored = Stored(
        sources={"ap": SOURCE}, entities={"japan": JAPAN}, facts={PATRIOTS.key: PATRIOTS}
    )
    reverted = FactSpec(PATRIOTS.key, PATRIOTS.text, (Subject("japan", "actor"),), ("ap",))
    renamed = EntitySpec("japan", Kind.COUNTRY, "State of Japan")  # aliases left out: kept
    new = FactSpec("japan-spoke", "Japan spoke.", (Subject("japan"),), ("ap",))
    plan = plan_changes(Document((SOURCE,), (renamed,), (reverted, new)), stored)

    assert [(c.action, c.target_type, c.key, c.fields) for c in plan.changes] == [
        ("update", "entity", "japan", ("name",)),
        ("update", "fact", PATRIOTS.key, ("about",)),
        ("create", "fact", "japan-spoke", ()),
    ]
    assert plan.entities[0].after.aliases == (AliasSpec("Nippon"),)
    assert plan.unchanged == {"source": 1, "entity": 0, "fact": 0}
    assert plan.size == 4


def test_a_fact_repeating_a_stored_text_under_another_key_is_warned_of() -> None:
    same = FactSpec("patriots", PATRIOTS.text, (Subject("japan"),), ("ap",))
    near = FactSpec(
        "patriots-again",
        "Japan agreed to a United States request to supply Patriot air-defence systems.",
        (Subject("japan"),),
        ("ap",),
    )
    other = FactSpec("japan-spoke", "Japan spoke to Russia.", (Subject("japan"),), ("ap",))
    plan = plan_changes(Document(facts=(same, near, other)), Stored())
    texts = {PATRIOTS.key: PATRIOTS.text, "russia-spoke": "Russia spoke to Japan."}

    assert import_warnings(plan, texts, {}) == (
        f"fact 'patriots': the same text as stored fact '{PATRIOTS.key}'",
        f"fact 'patriots-again': nearly the same text as stored fact '{PATRIOTS.key}' (ratio 99)",
    )


def test_a_fact_under_its_own_key_or_unchanged_is_not_warned_of() -> None:
    stored = Stored(facts={PATRIOTS.key: PATRIOTS})
    plan = plan_changes(Document(facts=(PATRIOTS,)), stored)
    assert import_warnings(plan, {PATRIOTS.key: PATRIOTS.text}, {}) == ()
    edited = FactSpec(PATRIOTS.key, PATRIOTS.text + " ", PATRIOTS.about, ("ap",))
    plan = plan_changes(Document(facts=(edited,)), stored)
    assert import_warnings(plan, {PATRIOTS.key: PATRIOTS.text}, {}) == ()


def test_an_entity_named_like_one_the_store_answers_to_is_warned_of() -> None:
    names = {fold("Japan"): ["japan"], fold("Nippon"): ["japan"]}
    nippon = EntitySpec("nippon", Kind.COUNTRY, "NIPPON")
    tokyo = EntitySpec("tokyo", Kind.PLACE, "Tokyo")
    plan = plan_changes(Document(entities=(nippon, tokyo)), Stored())
    assert import_warnings(plan, {}, names) == (
        "entity 'nippon': the store already answers to 'NIPPON' as 'japan'",
    )
    # The stored entity itself, unrenamed, is not a duplicate of itself.
    plan = plan_changes(Document(entities=(JAPAN,)), Stored(entities={"japan": JAPAN}))
    assert import_warnings(plan, {}, names) == ()


def test_past_the_comparison_budget_only_identical_texts_are_warned_of(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    same = FactSpec("patriots", PATRIOTS.text, (Subject("japan"),), ("ap",))
    near = FactSpec(
        "near", PATRIOTS.text.replace("defense", "defence"), (Subject("japan"),), ("ap",)
    )
    plan = plan_changes(Document(facts=(same, near)), Stored())
    texts = {PATRIOTS.key: PATRIOTS.text}
    assert len(import_warnings(plan, texts, {})) == 2
    monkeypatch.setattr(plan_module, "NEAR_PAIRS_MAX", 1)  # two comparisons are one too many
    assert import_warnings(plan, texts, {}) == (
        f"fact 'patriots': the same text as stored fact '{PATRIOTS.key}'",
        "2 facts were checked against the store's for the same text only, not for nearly "
        "the same: too many to compare",
    )
