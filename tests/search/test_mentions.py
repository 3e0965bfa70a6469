"""Finding every stored name in a text: whole words, any script, longest match wins."""

from __future__ import annotations

import pytest

from bot.search.mentions import Mention, MentionMatcher, is_acronym, views
from bot.search.normalize import fold, transliterate

ALIASES = {
    "iran": ["Iran", "Islamic Republic of Iran", "Иран"],
    "albania": ["Albania", "Shqipëria"],
    "kuril-islands": ["Kuril Islands", "Kurils", "Курильские острова", "千島列島"],
    "kuril-islands-dispute": ["Kuril Islands dispute", "Northern Territories dispute"],
    "southern-kurils": ["Northern Territories", "北方領土"],
    "nikolai-nozdrev": ["Nikolai Nozdrev", "Nozdrev", "Николай Ноздрёв", "ノズドリョフ"],
    "russia": ["Russia", "Россия", "ロシア"],
    "japan": ["Japan", "日本", "Япония"],
    "united-states": ["United States", "US", "USA"],
    "iturup": ["Iturup", "Etorofu", "Итуруп", "択捉島"],
    "sao-tome": ["São Tomé"],
    "world-war-ii": ["World War II", "WW2"],
    "georgia-country": ["Georgia"],
    "georgia-state": ["Georgia", "State of Georgia"],
    "mim-104": ["MIM-104"],
    "x": ["X", "日"],
}


@pytest.fixture(scope="module")
def matcher() -> MentionMatcher:
    return MentionMatcher((key, alias) for key, aliases in ALIASES.items() for alias in aliases)


def named(matcher: MentionMatcher, text: str) -> list[str]:
    return [mention.entity for mention in matcher.find(text)]


def test_a_name_inside_another_word_is_not_found(matcher: MentionMatcher) -> None:
    assert named(matcher, "Tirana is the capital of Albania.") == ["albania"]
    assert named(matcher, "Tirana and Iran") == ["iran"]
    assert named(matcher, "Iranian officials, USSR-era, WW20, Japanese") == []


@pytest.mark.parametrize(
    ("text", "entity", "written"),
    [
        ("Посол Ноздрёв заявил", "nikolai-nozdrev", "Ноздрёв"),  # Cyrillic alias
        ("Ноздрев заявил", "nikolai-nozdrev", "Ноздрев"),  # without ё
        ("ambassador NOZDREV said", "nikolai-nozdrev", "NOZDREV"),
        ("ambassador nozdrëv said", "nikolai-nozdrev", "nozdrëv"),  # accents fold away
        ("Sao Tome and Principe", "sao-tome", "Sao Tome"),
        ("SÃO TOMÉ", "sao-tome", "SÃO TOMÉ"),
        ("Итуруп", "iturup", "Итуруп"),
        ("Etorofu", "iturup", "Etorofu"),
        ("Nozdrev", "nikolai-nozdrev", "Nozdrev"),
    ],
)
def test_names_in_any_script_and_spelling(
    matcher: MentionMatcher, text: str, entity: str, written: str
) -> None:
    [mention] = matcher.find(text)
    assert mention.entity == entity
    assert mention.matches[0].text == written


def test_a_cyrillic_text_finds_a_latin_only_alias_by_transliteration(
    matcher: MentionMatcher,
) -> None:
    # São Tomé has no Cyrillic alias, but "Сао Томе" reads as "sao tome".
    [mention] = matcher.find("остров Сао Томе")
    assert mention.entity == "sao-tome"
    assert mention.matches[0].text == "Сао Томе"
    assert named(matcher, "Сао Тоне") == []  # a near spelling is not a guess


def test_japanese_names_are_found_without_spaces(matcher: MentionMatcher) -> None:
    text = "ロシアは日本に対し、択捉島と北方領土について警告した。ノズドリョフ大使"
    assert set(named(matcher, text)) == {
        "russia",
        "japan",
        "iturup",
        "southern-kurils",
        "nikolai-nozdrev",
    }
    [iturup] = [m for m in matcher.find(text) if m.entity == "iturup"]
    assert text[iturup.first : iturup.matches[0].end] == "択捉島"
    # Latin names next to Japanese are words too.
    assert set(named(matcher, "Japanとロシア")) == {"japan", "russia"}


def test_a_single_character_is_never_a_name(matcher: MentionMatcher) -> None:
    assert named(matcher, "日曜日 X marks the spot") == []


def test_acronyms_match_only_in_capitals(matcher: MentionMatcher) -> None:
    assert named(matcher, "he told us and the usa") == []
    found = matcher.find("the US, the U.S. and the USA")
    assert [(m.entity, m.count) for m in found] == [("united-states", 3)]
    assert [match.text for match in found[0].matches] == ["US", "U.S", "USA"]
    assert named(matcher, "a MIM-104 battery") == ["mim-104"]
    assert named(matcher, "a mim-104 battery") == []
    assert is_acronym("СССР") and is_acronym("WW2") and not is_acronym("Iran")


def test_the_longest_of_overlapping_names_wins(matcher: MentionMatcher) -> None:
    assert named(matcher, "the Kuril Islands dispute flared") == ["kuril-islands-dispute"]
    assert named(matcher, "the Northern Territories dispute") == ["kuril-islands-dispute"]
    found = matcher.find("The Kuril Islands dispute is about the Kuril Islands.")
    assert [m.entity for m in found] == ["kuril-islands-dispute", "kuril-islands"]
    assert named(matcher, "the Islamic Republic of Iran") == ["iran"]


@pytest.mark.parametrize(
    "text",
    [
        "(Japan)",
        "«Japan»",
        "Japan's",
        "Japan,\nRussia",
        "—Japan—",
        "Japan.\n\nRussia!",
        "#Japan",
        "\tJapan\r\n",
    ],
)
def test_punctuation_and_line_breaks_around_names(matcher: MentionMatcher, text: str) -> None:
    assert named(matcher, text)[0] == "japan"


def test_possessives_and_elisions_name_what_they_attach_to(matcher: MentionMatcher) -> None:
    assert named(matcher, "Russia’s intent and Japan's agreement") == ["russia", "japan"]
    assert named(matcher, "la position de l'Iran") == ["iran"]
    assert named(matcher, "Iran'ian") == ["iran"]  # an apostrophe is a boundary, as said
    assert named(matcher, "Iran.ian") == []  # a dot is not: it joins, as in "U.S."


def test_names_across_a_line_break(matcher: MentionMatcher) -> None:
    assert named(matcher, "the Kuril\nIslands") == ["kuril-islands"]


def test_a_name_shared_by_two_entities_names_both(matcher: MentionMatcher) -> None:
    assert set(named(matcher, "Georgia")) == {"georgia-country", "georgia-state"}


def test_names_the_store_does_not_know_are_left_out(matcher: MentionMatcher) -> None:
    assert named(matcher, "Putin met Xi in Beijing") == []
    assert named(matcher, "") == []
    assert MentionMatcher([]).find("Japan") == []


def test_ranked_by_count_then_first_mention(matcher: MentionMatcher) -> None:
    text = "Russia and Japan. Japan again. Then Iran, and Russia, and Japan."
    found = matcher.find(text)
    assert [(m.entity, m.count) for m in found] == [("japan", 3), ("russia", 2), ("iran", 1)]
    assert all(isinstance(m, Mention) for m in found)
    assert [text[m.start : m.end] for m in found[0].matches] == ["Japan"] * 3


def test_matches_say_where_and_which_alias(matcher: MentionMatcher) -> None:
    text = "Посол Николай Ноздрёв"
    [mention] = matcher.find(text)
    [match] = mention.matches
    assert (match.start, match.end) == (6, len(text))
    assert match.alias == "Николай Ноздрёв"


@pytest.mark.parametrize(
    "text",
    [
        "Nikolai Nozdrev said: «Япония…» U.S.-Japan; O'Neill's. ½ ﬁne Straße İstanbul",
        "ニコライ・ノズドリョフ氏は択捉島で e\u0301le\u0300ve",
        "\u0301 leading mark, 한국어 \u1112\u1161\u11ab",
    ],
)
def test_the_text_is_folded_exactly_as_lookups_fold_it(text: str) -> None:
    folded, *rest = views(text)
    assert folded.text == fold(text)
    if rest and "択" not in text:
        assert rest[0].text == transliterate(text)


def test_counts_keys_and_aliases(matcher: MentionMatcher) -> None:
    assert matcher.aliases == sum(len(aliases) for aliases in ALIASES.values())
    assert len(matcher) > len(ALIASES)
