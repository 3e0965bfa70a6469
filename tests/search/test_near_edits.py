"""A word one edit off: found when the rest of the name vouches for it, or when nothing
else in the store is that near; never when the edit makes another name (issue 17)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.search.index import SearchIndex
from bot.search.results import Entry, Outcome
from bot.search.words import near_edit, one_edit
from tests.strategies import SHORT

PEOPLE = [
    "Doist Tamak Tanbaszoist",
    "Helko Tansky Anvinva",
    "Noshilinen Gordodoka",
    "Kalevnoist Bersky",
    "Mumu Vamirra",
    "Koan Enro Rienshiri",
    "Vamu Vinbas",
    "Gamu Urrikolin",
    "Dravin Urro",
    "Vamu Enro",
    "Vamo Linbas",
    "Pavel Nozdrev",
]
OTHERS = [
    "Tamak",
    "White House",
    "Saudi Arabia",
    "Russia",
    "Nozdrev",
    "Italy",
    "Iran",
    "Iraq",
    "Romania",
    "Hoise",
    "Černá Hora",
    "Hông Kông",
    "Ream Unît",
]


def key(name: str) -> str:
    return name.lower().replace(" ", "-")


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(Entry(key(name), "person", name) for name in [*PEOPLE, *OTHERS])


def found(index: SearchIndex, typed: str) -> str | None:
    resolution = index.resolve(typed)
    if resolution.outcome is not Outcome.FOUND or resolution.best is None:
        return None
    return resolution.best.entity


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Doist amak Tanbaszoist", "Doist Tamak Tanbaszoist"),  # a later word's first letter
        ("Helko ansky Anvinva", "Helko Tansky Anvinva"),
        ("Noshilinen ordodoka", "Noshilinen Gordodoka"),
        ("Kalevnoist ersky", "Kalevnoist Bersky"),
        ("Doist Xamak Tanbaszoist", "Doist Tamak Tanbaszoist"),  # ... or changed
        ("Mmuu Vamirra", "Mumu Vamirra"),  # a swap or a drop in a word of 3-4 letters
        ("Kona Enro Rienshiri", "Koan Enro Rienshiri"),
        ("Vam Vinbas", "Vamu Vinbas"),
        ("Gmau Urrikolin", "Gamu Urrikolin"),
        ("Dravin rUro", "Dravin Urro"),  # the first two letters of a later word swapped
        ("Dravi nUrro", "Dravin Urro"),  # a swap across the space: re-cut
        ("Pavel Nozdreva", "Pavel Nozdrev"),  # a letter added after a word, the name vouching
        ("Vmau Enro", "Vamu Enro"),  # two short words: a swap inside a word
        ("Vau Enro", "Vamu Enro"),  # or a drop
        ("Sauqi Arabia", "Saudi Arabia"),  # a changed letter in a short word, 6 letters vouching
        ("Čzrná Hora", "Černá Hora"),  # ... or fewer, when it makes no word
        ("Vamu Xnro", "Vamu Enro"),  # two short words: any edit that makes no word
        ("Hông Kôxg", "Hông Kông"),
    ],
)
def test_a_word_one_edit_off_is_found_when_the_rest_is_typed_exactly(
    index: SearchIndex, typed: str, meant: str
) -> None:
    assert found(index, typed) == key(meant)


@pytest.mark.parametrize(
    "typed",
    [
        "amak",  # alone, "amak" is no typo of Tamak
        "Xoist Tamak Tanbaszoist",  # the name's own first letter is never a typo
        "oist Tamak Tanbaszoist",
        "Doist amak Tanbaszoit",  # the rest must be exact: here a second word is off too
        "ambassador Doist amak Tanbaszoist",  # nor a title left over
        "Doist amak",  # nor a word of the name left out
        "Vamo Enro",  # two short words: no changed letter making a stored word (Vamo)
        "Rear Unît",  # nor a common word (rear)
        "White Horse",  # a changed letter in a short word makes another word; 5 letters vouch
        "White Hoise",  # nor a changed letter in a name of its own: Hoise is stored
        "Prussia",
        "Nozdreva",
        "Irak",  # one edit from Iran and from Iraq: neither
    ],
)
def test_a_word_one_edit_off_is_not_found_without_the_evidence(
    index: SearchIndex, typed: str
) -> None:
    assert found(index, typed) is None


def test_a_rival_as_near_makes_the_name_ambiguous() -> None:
    index = SearchIndex([Entry("a", "person", "Doist Tamak"), Entry("b", "person", "Doist Kamak")])
    resolution = index.resolve("Doist amak")
    assert resolution.outcome is Outcome.AMBIGUOUS
    assert {hit.entity for hit in resolution.candidates} >= {"a", "b"}


def test_a_word_typed_exactly_elsewhere_still_stands_for_the_name() -> None:
    """ "amak" is a stored word (Amak Vinbas), and still a typo of Tamak in this name."""
    names = ["Doist Tamak Tanbaszoist", "Amak Vinbas"]
    index = SearchIndex(Entry(key(name), "person", name) for name in names)
    assert found(index, "Doist amak Tanbaszoist") == key("Doist Tamak Tanbaszoist")
    assert found(index, "Amak Vinbas") == key("Amak Vinbas")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Ijaly", "Italy"), ("Roania", "Romania"), ("Rmoania", "Romania"), ("Irann", "Iran")],
)
def test_a_one_word_name_with_an_edit_no_other_word_is_near(
    index: SearchIndex, typed: str, meant: str
) -> None:
    assert found(index, typed) == key(meant)


def test_a_one_word_edit_near_two_words_is_only_offered() -> None:
    index = SearchIndex([Entry("italy", "country", "Italy"), Entry("itals", "place", "Itals")])
    resolution = index.resolve("Ijaly")  # one edit from Italy, two from Itals
    assert resolution.outcome is Outcome.FOUND
    index = SearchIndex([Entry("italy", "country", "Italy"), Entry("ijala", "place", "Ijala")])
    resolution = index.resolve("Ijaly")  # one edit from both
    assert resolution.outcome is Outcome.NOT_FOUND
    assert {hit.entity for hit in resolution.candidates} >= {"italy"}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Doist Tamak Tnbaszoit", "Doist Tamak Tanbaszoist"),  # two drops in an 11-letter word
        ("Republic of Viktastan", "Republic of Visktavstan"),
        ("Helko Tanskky Anvinvaa", "Helko Tansky Anvinva"),  # one typo in each of two words
    ],
)
def test_two_typos_when_nothing_else_is_as_close(typed: str, meant: str) -> None:
    names = [*PEOPLE, "Republic of Visktavstan", "Republic of Vikland"]
    index = SearchIndex(Entry(key(name), "place", name) for name in names)
    assert found(index, typed) == key(meant)


def test_near_edit_keeps_the_first_letter_of_a_first_word() -> None:
    assert near_edit("amak", "tamak", keep_first=False)
    assert not near_edit("amak", "tamak", keep_first=True)
    assert near_edit("atmak", "tamak", keep_first=True)  # the first two swapped
    assert not near_edit("nnyu", "nyu", keep_first=True)  # a letter added in front
    assert not near_edit("ka", "k", keep_first=False)  # stored words of 3+ letters only
    assert one_edit("irann", "iran") and not one_edit("nozdreva", "nozdrev")


def test_a_consonant_added_after_the_last_consonant_is_a_slip_a_vowel_an_ending() -> None:
    assert one_edit("nozdrevk", "nozdrev") and one_edit("ленчоскз", "ленчоск")
    assert not one_edit("nozdreva", "nozdrev") and not one_edit("иванова", "иванов")
    assert not one_edit("omani", "oman")  # a vowel: an ending
    assert not one_edit("italyk", "italy")  # after a vowel (y) too
    assert not one_edit("اسرائیلن", "اسرائیل")  # no vowels written: no telling


FEW = settings(SHORT, max_examples=25)
"""Each example builds an index: few of them keep the quick run quick."""
SYLLABLES = ["ba", "do", "ki", "lu", "me", "no", "ra", "si", "tu", "ve", "zo", "gar", "lin"]
words = st.lists(st.sampled_from(SYLLABLES), min_size=3, max_size=4).map("".join)


@pytest.mark.slow  # about 2 s: an index per example
@FEW
@given(
    st.lists(words, min_size=3, max_size=3, unique=True),
    st.integers(0, 2),
    st.integers(0, 20),
    st.sampled_from(["drop", "swap", "change"]),
)
def test_one_edit_in_a_later_word_of_a_long_name_finds_it(
    name: list[str], which: int, where: int, how: str
) -> None:
    """Any one edit in a word of a three-word name of 6+-letter words, the others exact,
    finds the name, unless it touches the name's first letter."""
    index = SearchIndex([Entry("meant", "person", " ".join(name)), Entry("x", "place", "Bazov")])
    word = name[which]
    at = where % (len(word) - 1)
    if which == 0:
        at = max(at, 1)
    if how == "drop":
        edited = word[:at] + word[at + 1 :]
    elif how == "swap":
        edited = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        edited = word[:at] + ("q" if word[at] != "q" else "x") + word[at + 1 :]
    typed = " ".join([*name[:which], edited, *name[which + 1 :]])
    resolution = index.resolve(typed)
    assert resolution.outcome is Outcome.FOUND and resolution.best is not None
    assert resolution.best.entity == "meant"


@FEW
@given(st.lists(words, min_size=2, max_size=3, unique=True), st.sampled_from("qxyw"))
def test_the_first_letter_of_a_name_is_never_a_typo(name: list[str], letter: str) -> None:
    index = SearchIndex([Entry("meant", "person", " ".join(name))])
    for typed in (letter + " ".join(name)[1:], letter + " ".join(name), " ".join(name)[1:]):
        assert index.resolve(typed).outcome is not Outcome.FOUND, typed
