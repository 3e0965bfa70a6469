"""Common words of many languages, for telling another word from a slip of the finger."""

from __future__ import annotations

import pytest

from bot.search.common_words import LONGEST, common_words, is_common_word


@pytest.mark.parametrize("word", ["horse", "house", "rear", "hora", "kong", "дом", "رد", "iraq"])
def test_a_frequent_word_of_some_language_is_common(word: str) -> None:
    assert is_common_word(word)


@pytest.mark.parametrize("word", ["kôxg", "čzrná", "бмве", "آنزل", "zgvpa", "sauqi", "nozdreva"])
def test_a_slip_of_the_finger_is_no_common_word(word: str) -> None:
    assert not is_common_word(word)


def test_only_short_words_are_kept_and_read_once() -> None:
    words = common_words()
    assert words is common_words()
    assert all(2 <= len(word) <= LONGEST for word in words)
    assert not is_common_word("government")  # common, but longer than the rules ask about
