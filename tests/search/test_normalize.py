"""Folding makes typed queries and stored aliases meet on the same key."""

import pytest

from bot.search.normalize import fold, match_keys, transliterate


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kuril Islands", "kuril islands"),
        ("  KURIL   islands ", "kuril islands"),
        ("Hoppō Ryōdo", "hoppo ryodo"),  # Latin accents go
        ("Ноздрёв", "ноздрев"),  # ё folds to е
        ("U.S.", "us"),  # dots join
        ("Kuril'skie", "kurilskie"),
        ("Russia-Japan", "russia japan"),  # other punctuation separates
        ("Ｔｏｋｙｏ", "tokyo"),  # NFKC: full-width letters
        ("Straße", "strasse"),  # casefold, not lower
        ("ドイツ", "ドイツ"),  # Japanese voicing marks are spelling, kept
        ("Йошкар", "йошкар"),  # so is Cyrillic й
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_transliterate_gives_a_latin_key() -> None:
    assert transliterate("Итуруп") == "iturup"
    assert transliterate("Николай Ноздрёв") == "nikolay nozdrev"
    assert transliterate("エトロフ") == "etorofu"


def test_match_keys_lists_folded_then_transliterated_without_repeats() -> None:
    assert match_keys("Итуруп") == ("итуруп", "iturup")
    assert match_keys("Iturup") == ("iturup",)
    assert match_keys("?!") == ()


def test_chinese_characters_get_no_mandarin_key() -> None:
    assert match_keys("北方領土") == ("北方領土",)
    assert match_keys("ロシア") == ("ロシア", "roshia")


def test_the_written_out_mark_table_is_every_combining_mark() -> None:
    from bot.search.mark_table import MARK_RANGES
    from bot.search.normalize import _mark_ranges

    assert _mark_ranges() == MARK_RANGES
