"""Answers a reader can trust at a glance, as text and as ``ask --json``: every footnote
named, footnotes in order, facts about everyone searched for first, and candidates
with one name told apart by their keys."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.answers.catalog import Catalog, EntityRecord
from bot.answers.commands import answer
from bot.answers.text_json import as_json, as_text
from bot.core.answer import EntityRef, FactView, SourceRef, Status

TASS = SourceRef(
    "tass-talks",
    "Sullivan and Wang meet in Vienna",
    "TASS",
    None,
    datetime(2024, 5, 11, tzinfo=UTC),
)
REUTERS = SourceRef("reuters-talks", "US and China hold talks", "Reuters", "https://example.org/r")
SULLIVAN = EntityRef("jake-sullivan", "person", "Jake Sullivan", "US national security adviser.")
WANG = EntityRef("wang-yi", "person", "Wang Yi", "China's foreign minister.")
COACH = EntityRef("jake-sullivan-coach", "person", "Jake Sullivan", "A basketball coach.")

FACTS = [
    # Names neither man in its text, but is about both.
    FactView(
        "both-met",
        "The two met for eight hours of talks.",
        "2024-05",
        (REUTERS, TASS),
        (SULLIVAN, WANG),
    ),
    FactView(
        "sullivan-spoke", "Sullivan spoke to reporters afterwards.", "2024-06", (TASS,), (SULLIVAN,)
    ),
    FactView("wang-warned", "Wang warned against new tariffs.", "2024-07", (TASS,), (WANG,)),
    FactView("coach-won", "The team of coach Sullivan won.", "2024-08", (REUTERS,), (COACH,)),
]


def made_catalog(*extra: EntityRef) -> Catalog:
    entities = [EntityRecord(ref) for ref in (SULLIVAN, WANG, *extra)]
    facts = [fact for fact in FACTS if all(ref in (SULLIVAN, WANG, *extra) for ref in fact.about)]
    return Catalog(entities, [TASS, REUTERS], facts)


def test_a_source_card_names_every_source_its_footnotes_number() -> None:
    card = answer(made_catalog(), "!source sullivan and wang meet in vienna")
    assert card.status is Status.FOUND and card.source == TASS
    text = as_text(card)
    # The card's own article is [1]; the fact citing Reuters too shows [1][2], both named.
    assert "The two met for eight hours of talks. [1][2]" in text
    assert "  [1] “Sullivan and Wang meet in Vienna”, TASS, 2024-05-11" in text
    assert "  [2] “US and China hold talks”, Reuters" in text
    assert "      https://example.org/r" in text
    assert [source["key"] for source in as_json(card)["sources"]] == ["tass-talks", "reuters-talks"]


def test_footnotes_appear_in_ascending_order() -> None:
    card = answer(made_catalog(), "!about jake sullivan")
    text = as_text(card)
    # Tass is cited first ([1]); the fact listing Reuters before Tass still reads [1][2].
    assert "[1] “Sullivan and Wang meet in Vienna”" in text
    assert "eight hours of talks. [1][2]" in text and "[2][1]" not in text


def test_search_puts_facts_about_everyone_named_first() -> None:
    found = answer(made_catalog(), "!search sullivan wang")
    assert found.status is Status.FOUND
    keys = [fact.key for fact in found.facts]
    assert keys[0] == "both-met"  # its text names neither man
    assert set(keys[1:]) == {"sullivan-spoke", "wang-warned"}
    assert as_json(found)["facts"][0]["about"] == ["jake-sullivan", "wang-yi"]
    assert found.notice == "Found 3 facts matching “sullivan wang”."


def test_search_naming_one_entity_keeps_its_order() -> None:
    found = answer(made_catalog(), "!search wang")
    assert found.facts[0].key == "wang-warned"


def test_candidates_with_one_name_show_their_keys() -> None:
    found = answer(made_catalog(COACH), "!who jake sullivan")
    assert found.status is Status.AMBIGUOUS
    lines = [line for line in as_text(found).splitlines() if line.startswith("  Jake Sullivan")]
    assert len(lines) == 2 and len(set(lines)) == 2
    assert any(line.startswith("  Jake Sullivan (person, jake-sullivan, ") for line in lines)
    assert any(line.startswith("  Jake Sullivan (person, jake-sullivan-coach, ") for line in lines)
    assert {s["key"] for s in as_json(found)["suggestions"]} == {
        "jake-sullivan",
        "jake-sullivan-coach",
    }


def test_candidates_with_names_of_their_own_show_no_key() -> None:
    found = answer(made_catalog(), "!who sullivan wang")
    text = as_text(found)
    assert "jake-sullivan" not in text and "wang-yi" not in text
