"""Every lookup command on the seed data, as a curator or script would type it."""

from __future__ import annotations

import pytest

from bot.answers.catalog import Catalog, EntityRecord, chronological
from bot.answers.commands import COMMANDS, answer, run
from bot.core.answer import Answer, EntityRef, FactView, SourceRef, Status
from bot.errors import QueryError

SEED_TITLE = "Russia warns Japan on missile transfer to Ukraine, threatens ties"


def ask(catalog: Catalog, text: str) -> Answer:
    return answer(catalog, text)


def dates(result: Answer) -> list[str | None]:
    return [fact.date for fact in result.facts]


# --- who ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["nozdrev", "Nikolai Nozdrev", "nozdryov", "Ноздрев", "nozdrv", "ノズドリョフ"]
)
def test_who_finds_nozdrev_however_typed(catalog: Catalog, query: str) -> None:
    result = ask(catalog, f"!who {query}")
    assert result.status is Status.FOUND
    assert result.entity is not None and result.entity.key == "nikolai-nozdrev"
    assert result.title == "Nikolai Nozdrev"
    assert "Ambassador" in result.entity.summary


def test_who_lists_dated_sourced_facts_newest_first(catalog: Catalog) -> None:
    result = ask(catalog, "who nozdrev")
    assert len(result.facts) >= 5
    assert all(fact.date == "2024-03" for fact in result.facts)
    assert any("retaliatory steps" in fact.text for fact in result.facts)
    assert [source.title for source in result.sources] == [SEED_TITLE]
    assert result.sources[0].published is not None
    assert result.sources[0].published.isoformat() == "2024-03-24T10:21:00+00:00"


def test_who_never_answers_a_missing_person_with_someone_else(catalog: Catalog) -> None:
    for query in ["putin", "lavrov", "kishida", "zelensky"]:
        result = ask(catalog, f"!who {query}")
        assert result.status is Status.NOT_FOUND, query
        assert result.entity is None
        assert not result.facts


@pytest.mark.parametrize(
    "text",
    [
        "!who Nikolai Nozdrin",  # another surname, two letters apart
        "!who White Horse",  # one letter from White House, but another word
        "!about Prussia",  # Russia with a letter in front
        "!about Пруссия",
        "!about World War I",  # numerals are never typos
        "!about World War III",
        "!about WWI",
        "!about Первая мировая война",
        "!about 第一次世界大戦",  # World War I in Japanese: one character from WWII
        "!about Patriot Act",  # a word the store's name does not have
        "!about Patrioten",
        "!dispute Prussia",
    ],
)
def test_a_near_miss_is_offered_never_answered(catalog: Catalog, text: str) -> None:
    result = ask(catalog, text)
    assert result.status is Status.NOT_FOUND, result.entity
    assert result.entity is None
    assert result.suggestions  # but the near name is offered


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("!dispute kurli", "kuril-islands-dispute"),  # two letters swapped
        ("!dispute northern territory", "kuril-islands-dispute"),  # a plural typed singular
        ("!who ambassador nozdrev", "nikolai-nozdrev"),  # a title the name does not spell
        ("!about KurilIslands", "kuril-islands"),  # words run together
    ],
)
def test_a_near_spelling_of_a_stored_name_is_answered(
    catalog: Catalog, text: str, key: str
) -> None:
    result = ask(catalog, text)
    assert result.status is Status.FOUND, result.suggestions
    assert result.entity is not None and result.entity.key == key


def test_who_points_a_country_to_about(catalog: Catalog) -> None:
    result = ask(catalog, "!who japan")
    assert result.status is Status.NOT_FOUND
    assert "!about japan" in result.notice
    assert [s.key for s in result.suggestions] == ["japan"]


# --- dispute -----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "kuril",
        "kurils",
        "kuril islands dispute",
        "northern territories",
        "iturup",
        "habomai",
        "etorofu",
        "Курилы",
        "北方領土",
        "russia japan",
        "japan and russia",
        "russia",
    ],
)
def test_dispute_is_found_by_name_area_or_parties(catalog: Catalog, query: str) -> None:
    result = ask(catalog, f"!dispute {query}")
    assert result.status is Status.FOUND, result.notice
    assert result.entity is not None and result.entity.key == "kuril-islands-dispute"


def test_dispute_card_has_parties_areas_and_facts_in_date_order(catalog: Catalog) -> None:
    result = ask(catalog, "!dispute kuril")
    related = {r.label: [e.name for e in r.entities] for r in result.related}
    assert related["Parties"] == ["Russia", "Japan"]
    assert {"Kuril Islands", "Iturup", "Kunashir", "Shikotan", "Habomai Islands"} <= set(
        related["Disputed areas"]
    )
    texts = " ".join(fact.text for fact in result.facts)
    assert "Northern Territories" in texts and "Soviet Union" in texts
    dated = [d for d in dates(result) if d]
    assert dated == sorted(dated)
    assert all(fact.sources for fact in result.facts)


def test_dispute_for_an_entity_in_no_dispute_says_so(catalog: Catalog) -> None:
    result = ask(catalog, "!dispute ukraine")
    assert result.status is Status.NOT_FOUND
    assert result.notice == "No dispute in the store involves Ukraine."


def test_dispute_not_in_the_store(catalog: Catalog) -> None:
    result = ask(catalog, "!dispute kashmir")
    assert result.status is Status.NOT_FOUND
    assert result.entity is None


def _two_disputes() -> Catalog:
    """A made-up store (test data only) where one country is party to two disputes."""
    ref = {
        key: EntityRef(key, kind, name)
        for key, kind, name in [
            ("northland", "country", "Northland"),
            ("southland", "country", "Southland"),
            ("eastland", "country", "Eastland"),
            ("river-dispute", "dispute", "River dispute"),
            ("hill-dispute", "dispute", "Hill dispute"),
        ]
    }
    entities = [EntityRecord(r) for k, r in ref.items() if r.kind == "country"]
    entities.append(EntityRecord(ref["river-dispute"], parties=("northland", "southland")))
    entities.append(EntityRecord(ref["hill-dispute"], parties=("northland", "eastland")))
    source = SourceRef("s", "A test source")
    facts = [
        FactView(
            "f",
            "Northland and Southland dispute the river.",
            "2020",
            (source,),
            (ref["river-dispute"], ref["northland"]),
        )
    ]
    return Catalog(entities, [source], facts)


def test_a_country_in_several_disputes_lists_them() -> None:
    result = answer(_two_disputes(), "!dispute northland")
    assert result.status is Status.FOUND
    assert result.entity is not None and result.entity.key == "northland"
    assert [e.key for e in result.related[0].entities] == ["river-dispute", "hill-dispute"]
    assert "2 disputes" in result.notice


def test_two_parties_pick_their_shared_dispute() -> None:
    result = answer(_two_disputes(), "!dispute northland eastland")
    assert result.status is Status.FOUND
    assert result.entity is not None and result.entity.key == "hill-dispute"


# --- about, search, timeline, source, help ----------------------------------


def test_about_any_kind(catalog: Catalog) -> None:
    place = ask(catalog, "!about iturup")
    assert place.status is Status.FOUND and place.entity is not None
    assert place.entity.kind == "place"
    assert [e.key for r in place.related if r.label == "Disputes" for e in r.entities] == [
        "kuril-islands-dispute"
    ]
    org = ask(catalog, "about ria novosti")
    assert org.entity is not None and org.entity.key == "ria-novosti"


def test_about_an_ambiguous_name_offers_choices_best_first(catalog: Catalog) -> None:
    result = ask(catalog, "!about kuril")
    assert result.status is Status.AMBIGUOUS
    assert result.entity is None
    keys = [s.key for s in result.suggestions]
    assert {"kuril-islands", "kuril-islands-dispute"} <= set(keys)
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)


def test_search_finds_facts_by_words_best_first(catalog: Catalog) -> None:
    result = ask(catalog, "!search retaliatory steps")
    assert result.status is Status.FOUND
    assert "retaliatory steps" in result.facts[0].text
    typo = ask(catalog, "!search retaliatry")
    assert typo.facts and "retaliat" in typo.facts[0].text


def test_search_by_entity_name_finds_facts_about_it(catalog: Catalog) -> None:
    result = ask(catalog, "!search soviet union")
    assert any("Soviet Union" in fact.text for fact in result.facts)


def test_search_with_no_match(catalog: Catalog) -> None:
    result = ask(catalog, "!search quantum chromodynamics")
    assert result.status is Status.NOT_FOUND
    assert result.facts == ()


def test_timeline_of_one_entity_is_oldest_first(catalog: Catalog) -> None:
    result = ask(catalog, "!timeline japan")
    assert result.status is Status.FOUND
    dated = [d for d in dates(result) if d]
    assert dated == sorted(dated) and dated[0] == "2023-12"
    assert dates(result)[-1] is None  # undated facts come last


@pytest.mark.parametrize("text", ["!timeline nozdrev japan", "!timeline nozdrev, japan"])
def test_timeline_of_two_entities_keeps_facts_about_both(catalog: Catalog, text: str) -> None:
    result = ask(catalog, text)
    assert result.status is Status.FOUND
    for fact in result.facts:
        assert {"nikolai-nozdrev", "japan"} <= {e.key for e in fact.about}
    assert result.title == "Timeline: Nikolai Nozdrev and Japan"


def test_timeline_with_two_separate_arguments_as_slash_commands_give_them(
    catalog: Catalog,
) -> None:
    assert (
        run(catalog, "timeline", "nozdrev", "japan").facts
        == ask(catalog, "!timeline nozdrev japan").facts
    )


def test_source_lists_the_article_and_its_facts(catalog: Catalog) -> None:
    result = ask(catalog, "!source russia warns japan")
    assert result.status is Status.FOUND
    assert result.source is not None and result.source.title == SEED_TITLE
    assert len(result.facts) == len(catalog.facts)


def test_help_lists_every_command_with_an_example(catalog: Catalog) -> None:
    result = ask(catalog, "!help")
    assert result.status is Status.FOUND
    for name, spec in COMMANDS.items():
        assert any(line.startswith(f"!{name}") and spec.example in line for line in result.lines)


# --- bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Type a command"),
        ("!", "Type a command"),
        ("!who", "needs a name"),
        ("!who    ", "needs a name"),
        ("!who " + "x" * 201, "keep it to 200 at most"),
        ("!who noz\x00drev", "control characters"),
        ("!who \u202eveRDzoN", "control characters"),  # a right-to-left override
        ("!search", "`!search` needs words"),
        ("!who ???", "no letters or digits"),
        ("!whoo nozdrev", "Did you mean `!who`?"),
        ("!frobnicate", "There is no command `!frobnicate`"),
    ],
)
def test_bad_input_gets_a_clear_error_answer(catalog: Catalog, text: str, expected: str) -> None:
    result = answer(catalog, text)
    assert result.status is Status.ERROR
    assert expected in result.notice


def test_run_raises_query_error_for_a_missing_argument(catalog: Catalog) -> None:
    with pytest.raises(QueryError, match="needs a name"):
        run(catalog, "who", "")


def test_words_may_be_separated_by_tabs(catalog: Catalog) -> None:
    result = answer(catalog, "who\tnozdrev")
    assert result.status is Status.FOUND and result.query == "nozdrev"


def _two_georgias() -> Catalog:
    """Two entities with one name (test data only): only their keys tell them apart."""
    country = EntityRecord(EntityRef("georgia-country", "country", "Georgia"))
    state = EntityRecord(EntityRef("georgia-us-state", "place", "Georgia"))
    return Catalog([country, state], [], [])


def test_an_exact_key_names_its_entity_when_the_name_cannot() -> None:
    catalog = _two_georgias()
    assert answer(catalog, "!about georgia").status is Status.AMBIGUOUS
    chosen = answer(catalog, "!about georgia-us-state")
    assert chosen.status is Status.FOUND
    assert chosen.entity is not None and chosen.entity.kind == "place"


def test_chronological_takes_any_iterable() -> None:
    source = SourceRef("s", "S")
    facts = [FactView("b", "B", None, (source,)), FactView("a", "A", "2020", (source,))]
    assert [f.key for f in chronological(iter(facts))] == ["a", "b"]


def test_a_timeline_of_one_entity_without_facts_reads_as_english(catalog: Catalog) -> None:
    lonely = Catalog([EntityRecord(EntityRef("atlantis", "place", "Atlantis"))], [], [])
    assert answer(lonely, "!timeline atlantis").notice == ("The store has no facts about Atlantis.")
