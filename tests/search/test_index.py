"""The index's three outcomes: found, ambiguous, not found."""

import pytest

from bot.search.index import SearchIndex
from bot.search.results import Entry, Outcome
from bot.search.words import names_same

ALIASES = {
    ("kuril-islands", "place"): ["Kuril Islands", "Kurils", "Курильские острова"],
    ("kuril-islands-dispute", "dispute"): ["Kuril Islands dispute", "Northern Territories dispute"],
    ("southern-kurils", "place"): ["Northern Territories", "北方領土"],
    ("nikolai-nozdrev", "person"): ["Nikolai Nozdrev", "Nozdryov", "Николай Ноздрёв"],
    ("russia", "country"): ["Russia", "Россия"],
    ("japan", "country"): ["Japan", "日本", "Япония"],
    ("united-states", "country"): ["United States", "US", "USA"],
    ("iturup", "place"): ["Iturup", "Etorofu", "Итуруп", "択捉島"],
    ("kunashir", "place"): ["Kunashir", "Kunashiri", "Кунашир"],
    ("ukraine", "country"): ["Ukraine"],
}


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(
        Entry(key, kind, alias) for (key, kind), aliases in ALIASES.items() for alias in aliases
    )


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("nozdrev", "nikolai-nozdrev"),  # partial name
        ("nozdrv", "nikolai-nozdrev"),  # typo
        ("NOZDRYOV", "nikolai-nozdrev"),  # other romanisation
        ("Ноздрев", "nikolai-nozdrev"),  # Cyrillic, without ё
        ("etorofu", "iturup"),  # Japanese name, romanised
        ("Итуруп", "iturup"),
        ("択捉", "iturup"),  # partial Japanese
        ("kunashiri", "kunashir"),
        ("iturp", "iturup"),
        ("japn", "japan"),
        ("us", "united-states"),
        ("ukrain", "ukraine"),
        ("kurils", "kuril-islands"),
        # An exact alias wins even when another alias starts the same way.
        ("northern territories", "southern-kurils"),
    ],
)
def test_found(index: SearchIndex, query: str, entity: str) -> None:
    resolution = index.resolve(query)
    assert resolution.outcome is Outcome.FOUND
    assert resolution.best is not None and resolution.best.entity == entity


def test_ambiguous_lists_close_candidates_best_first(index: SearchIndex) -> None:
    resolution = index.resolve("kuril")
    assert resolution.outcome is Outcome.AMBIGUOUS
    assert resolution.best is None
    keys = [hit.entity for hit in resolution.candidates]
    assert keys[:2] == ["kuril-islands", "kuril-islands-dispute"]
    scores = [hit.score for hit in resolution.candidates]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "query", ["putin", "lavrov", "china", "merkel", "un", "beijing", "korea", "kashmir"]
)
def test_names_not_in_the_store_are_not_found(index: SearchIndex, query: str) -> None:
    resolution = index.resolve(query)
    assert resolution.outcome is Outcome.NOT_FOUND
    assert resolution.best is None


def test_not_found_offers_the_nearest_when_there_are_any(index: SearchIndex) -> None:
    resolution = index.resolve("russia japan")
    assert resolution.outcome is Outcome.NOT_FOUND
    assert {hit.entity for hit in resolution.candidates} >= {"russia", "japan"}


def test_kinds_limit_the_candidates(index: SearchIndex) -> None:
    resolution = index.resolve("kuril", kinds={"dispute"})
    assert resolution.outcome is Outcome.FOUND
    assert resolution.best is not None and resolution.best.entity == "kuril-islands-dispute"


def test_search_gives_one_hit_per_entity(index: SearchIndex) -> None:
    hits = index.search("nozdrev")
    assert [hit.entity for hit in hits].count("nikolai-nozdrev") == 1


def test_a_short_correct_query_ranks_the_shortest_name_it_starts_first(index: SearchIndex) -> None:
    ranked = [hit.entity for hit in index.search("kuril")]
    assert ranked[:2] == ["kuril-islands", "kuril-islands-dispute"]
    assert "kunashir" not in ranked[:3]
    assert all(hit.entity != "kunashir" for hit in index.search("un"))  # not inside a word


def test_empty_queries_find_nothing(index: SearchIndex) -> None:
    assert index.search("") == []
    assert index.resolve("!!").outcome is Outcome.NOT_FOUND


def test_a_kind_limited_lookup_is_not_crowded_out_by_other_kinds() -> None:
    places = [Entry(f"village-{n}", "place", f"Nozdrevo {n}") for n in range(200)]
    index = SearchIndex([*places, Entry("nikolai-nozdrev", "person", "Nikolai Nozdrev")])
    resolution = index.resolve("nozdrev", kinds={"person"})
    assert resolution.best is not None and resolution.best.entity == "nikolai-nozdrev"


def test_aliases_that_fold_alike_are_one_key_kept_for_every_entity() -> None:
    index = SearchIndex(
        [
            Entry("a", "place", "Georgia"),
            Entry("b", "country", "GEORGIA"),
            Entry("b", "country", "Géorgia"),
        ]
    )
    assert len(index) == 2  # "géorgia" keeps its accent at the first layer; all meet at the second
    assert index.resolve("georgia").outcome is Outcome.AMBIGUOUS
    assert index.resolve("georgia", kinds={"country"}).best is not None


@pytest.mark.parametrize(
    ("typed", "stored", "same"),
    [
        ("nozdrev", "nikolai nozdrev", True),  # a word of the name
        ("nozd", "nikolai nozdrev", True),  # the start of one, four letters or more
        ("noz", "nikolai nozdrev", False),
        ("japn", "japan", True),  # one dropped letter
        ("jpaan", "japan", True),  # two neighbours swapped, from 5 letters
        ("iraq", "iran", False),  # a changed letter only from 6: it makes another name
        ("nozdrv", "nikolai nozdrev", True),  # one edit in a longer word
        ("nozdrin", "nikolai nozdrev", False),  # two
        ("prussia", "russia", False),  # the first letter is never a typo
        ("horse", "white house", False),
        ("world war i", "world war ii", False),  # numerals must match
        ("world war 2", "world war ii", False),
        ("patriot act", "patriot", False),  # every typed word must be there
        ("択捉", "択捉島", True),  # a prefix in Chinese characters
        ("第一次世界大戦", "第二次世界大戦", False),  # but no typos in them
    ],
)
def test_names_same_decides_whether_a_match_may_be_the_answer(
    typed: str, stored: str, same: bool
) -> None:
    assert names_same(typed, stored) is same


def test_an_unknown_long_word_at_the_end_of_the_words_is_not_found_cleanly() -> None:
    index = SearchIndex([Entry("quill", "place", "Quill"), Entry("zz", "place", "Zzyzx Road")])
    assert index.resolve("Quillbrookshire").outcome is Outcome.NOT_FOUND
    assert index.resolve("Zzyzxroadsters").outcome is Outcome.NOT_FOUND


def test_words_are_re_cut_though_each_half_is_a_word_or_one_letter() -> None:
    index = SearchIndex(
        [
            Entry("npl", "country", "Nepalas"),
            Entry("x", "place", "Nepal Bay"),
            Entry("y", "place", "As Islands"),
            Entry("tto", "country", "Trynidad i Tabaga"),
        ]
    )
    resolution = index.resolve("nepal as")  # both halves are stored words, the whole too
    assert resolution.best is not None and resolution.best.entity == "npl"
    resolution = index.resolve("Trynidad iTabaga")  # a one-letter word run into the next
    assert resolution.best is not None and resolution.best.entity == "tto"
