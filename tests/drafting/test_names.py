"""Names: the store's linked by its matcher, new people and organisations by rule."""

from __future__ import annotations

from bot.drafting import Known
from bot.drafting.entities import Names, find_names
from bot.drafting.sentences import split
from tests.drafting.conftest import known_of


def names_of(text: str, known: Known, outlet: str | None = None) -> Names:
    return find_names(text, split(text), known, outlet)


def by_name(names: Names) -> dict[str, dict[str, object]]:
    return {entity.name: entity.record() for entity in names.entities.values()}


def linked(text: str, names: Names) -> list[tuple[str, str]]:
    return [(text[link.start : link.end], link.key) for link in names.links]


def test_known_names_are_linked_and_never_drafted_again(seed_known: Known) -> None:
    text = "Russian Ambassador Nikolai Nozdrev warned Japan. Nozdrev spoke to RIA Novosti."
    names = names_of(text, seed_known)
    assert names.entities == {}
    assert ("Nikolai Nozdrev", "nikolai-nozdrev") in linked(text, names)
    assert ("Japan", "japan") in linked(text, names)
    assert ("RIA Novosti", "ria-novosti") in linked(text, names)


def test_apposition_gives_a_summary_and_the_short_form_an_alias(seed_known: Known) -> None:
    text = (
        "Simon Coveney, Ireland's foreign minister, met officials in Tokyo on Monday. "
        '"We want calm," Coveney told reporters.'
    )
    names = names_of(text, seed_known)
    assert by_name(names) == {
        "Simon Coveney": {
            "key": "simon-coveney",
            "kind": "person",
            "name": "Simon Coveney",
            "summary": "Ireland's foreign minister.",
            "aliases": ["Coveney"],
        }
    }
    assert ("Coveney", "simon-coveney") in linked(text, names)


def test_titles_make_people_and_are_not_part_of_the_name(seed_known: Known) -> None:
    text = (
        "Chinese Foreign Minister Wang Yi met Ambassador Maria Lopez and Mr. Tanaka Hiroshi. "
        "Secretary of State Antony Blinken was not there."
    )
    found = by_name(names_of(text, seed_known))
    for name in ["Wang Yi", "Maria Lopez", "Tanaka Hiroshi", "Antony Blinken"]:
        assert found[name]["kind"] == "person", name
    assert not any("Minister" in name or "Secretary" in name for name in found)


def test_a_portfolio_ends_the_title_before_the_name(seed_known: Known) -> None:
    text = (
        "The envoy met Minister for Europe and Foreign Affairs Talia Vrenning on Monday. "
        "Commissioner for International Development Oskar Mehl said aid would resume."
    )
    names = by_name(names_of(text, seed_known))
    assert "Talia Vrenning" in names and names["Talia Vrenning"]["kind"] == "person"
    assert "Oskar Mehl" in names
    assert not any(name.startswith(("Affairs", "Development")) for name in names)


def test_speech_verbs_make_people(seed_known: Known) -> None:
    text = "Lena Maier said the plan was sound. Officials were cautious."
    assert by_name(names_of(text, seed_known))["Lena Maier"]["kind"] == "person"


def test_organisation_words_and_bracketed_acronyms(seed_known: Known) -> None:
    text = (
        "The International Atomic Energy Agency (IAEA) met in Vienna. "
        "The IAEA said inspectors would return. The Ministry of Foreign Affairs of Latvia "
        "and the Social Democratic Party welcomed it."
    )
    names = names_of(text, seed_known)
    found = by_name(names)
    assert found["International Atomic Energy Agency"]["kind"] == "organization"
    assert found["International Atomic Energy Agency"]["aliases"] == ["IAEA"]
    assert found["Ministry of Foreign Affairs of Latvia"]["kind"] == "organization"
    assert found["Social Democratic Party"]["kind"] == "organization"
    assert ("IAEA", "international-atomic-energy-agency") in linked(text, names)


def test_common_words_months_weekdays_and_the_outlet_are_never_names(seed_known: Known) -> None:
    text = (
        "Speaking on Monday, officials said talks in March went well. "
        "However, Daily Planet editors said nothing. The Daily Planet reported it."
    )
    found = by_name(names_of(text, seed_known, outlet="Daily Planet"))
    assert found == {}


def test_unnamed_capitalised_words_without_a_cue_are_left_out(seed_known: Known) -> None:
    text = "The Northern Corridor project crosses Central Asia. Grand Hotel guests watched."
    assert by_name(names_of(text, seed_known)) == {}


def test_keys_are_slugs_that_do_not_collide_with_the_store() -> None:
    known = known_of([("simon-coveney", "other", "Something Else")])
    text = "Simon Coveney said yes. Simón Covéney said no, Simon Coveney's aide said."
    keys = {e.name: e.key for e in names_of(text, known).entities.values()}
    assert keys["Simon Coveney"] == "simon-coveney-2"
    assert keys["Simón Covéney"] == "simon-coveney-3"


def test_a_one_word_known_name_inside_a_longer_name_is_not_linked() -> None:
    known = known_of([("united-states", "country", "America"), ("japan", "country", "Japan")])
    text = "Trade between Europe and South America grew, Japan said. America disagreed."
    keys = [key for _, key in linked(text, names_of(text, known))]
    assert keys.count("united-states") == 1  # "America" alone, not in "South America"
    assert "japan" in keys


def test_kinds_cover_known_and_new(seed_known: Known) -> None:
    names = names_of("Lena Maier said Japan would wait.", seed_known)
    assert names.kinds["japan"] == "country"
    assert names.kinds["lena-maier"] == "person"


def test_a_name_set_off_by_commas_before_said_is_a_person(seed_known: Known) -> None:
    text = (
        "The company, Atlantic Fishing, was fined. Its director, Xoan Pereiro, said it would "
        "appeal. The envoy for Central Asia, said the paper, was absent."
    )
    found = by_name(names_of(text, seed_known))
    assert found["Xoan Pereiro"]["kind"] == "person"
    assert "Central Asia" not in found


def test_a_capitalised_the_inside_a_sentence_names_an_organisation(seed_known: Known) -> None:
    text = "The draft, seen by The Alpine Observer, calls on Japan to reply."
    assert by_name(names_of(text, seed_known))["The Alpine Observer"]["kind"] == "organization"


def test_an_adjective_before_a_title_is_not_a_name(seed_known: Known) -> None:
    text = "The envoy, former Botswanan president's adviser Kagiso Molefe-Tau, said no."
    assert set(by_name(names_of(text, seed_known))) == {"Kagiso Molefe-Tau"}


def test_a_known_name_that_begins_an_organisations_name_stays_in_it(seed_known: Known) -> None:
    text = "The Japan Coast Guard said the Ministry of Water and Energy had not replied."
    names = names_of(text, seed_known)
    found = by_name(names)
    assert found["Japan Coast Guard"]["kind"] == "organization"
    assert found["Ministry of Water and Energy"]["kind"] == "organization"
    assert ("Japan", "japan") in linked(text, names)


def test_a_quotation_opens_a_sentence_so_its_first_the_is_no_name(seed_known: Known) -> None:
    text = '"The Norwegian side will not wait for ever," Lisbet Haugh told reporters.'
    assert set(by_name(names_of(text, seed_known))) == {"Lisbet Haugh"}


def test_a_diplomats_post_before_a_name_makes_a_person(seed_known: Known) -> None:
    text = "The ministry summoned Danish Ambassador to Japan Freja Lindqvist over the remarks."
    names = by_name(names_of(text, seed_known))
    assert names["Freja Lindqvist"]["kind"] == "person"
