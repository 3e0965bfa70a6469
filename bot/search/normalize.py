"""Text folding shared by stored aliases and typed queries.

Folding is layered, each layer forgiving more than the one before:

0. `fold_script`: NFKC, casefold, punctuation to spaces; every letter and mark of
   every script is kept ("Côte", "गिनी", "ドイツ").
1. `fold`: layer 0 with accents on Latin and Greek letters stripped ("cote").
2. `transliterate`: layer 1 in Latin letters ("Итуруп" → "iturup").

Both sides of every comparison are folded the same way, and a match on an earlier
layer is better than one on a later layer, so "Ноздрёв", "NOZDREV" and "nozdrëv"
all meet, while a name typed in its own script meets its own alias first.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from bot.search.mark_table import MARK_RANGES, UNICODE_VERSION


def _mark_ranges() -> str:
    """A regex character class body of every combining mark (Unicode category M*)."""
    marks = [
        code
        for code in (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0))
        if unicodedata.category(chr(code)).startswith("M")
    ]
    ranges: list[str] = []
    start = previous = marks[0]
    for code in [*marks[1:], sys.maxunicode + 2]:
        if code != previous + 1:
            ranges.append(chr(start) if start == previous else f"{chr(start)}-{chr(previous)}")
            start = code
        previous = code
    return "".join(ranges)


_MARKS = MARK_RANGES if unicodedata.unidata_version == UNICODE_VERSION else _mark_ranges()
# Dots and apostrophes join ("U.S." -> "us", "O'Neill" -> "oneill"); any other run of
# characters that are neither letters, digits nor combining marks separates words.
# Marks are part of words: a Hindi vowel sign or a Japanese voicing mark is spelling.
_JOINERS = re.compile(r"[.'’ʼ`´]")
_SEPARATORS = re.compile(rf"(?:[^\w{_MARKS}]|_)+")
_ORPHAN_MARKS = re.compile(rf"(?:^|(?<=[^\w{_MARKS}])|(?<=_))[{_MARKS}]+")
"""Marks with no letter to sit on, which spell nothing (an underscore separates words, so
a mark on one is orphaned too)."""
_YO = re.compile(rf"е[{_MARKS}]+")
"""A Cyrillic е with its marks, decomposed: ё is folded to е."""


def _drop_diaeresis(match: re.Match[str]) -> str:
    return match.group().replace("\u0308", "")


_ASCII_FOLD = str.maketrans(
    {
        chr(code): None if chr(code) in ".'`" else " "
        for code in range(128)
        if not chr(code).isalnum()
    }
)
"""`fold_script` for ASCII text, after lower(): joiners dropped, other punctuation to spaces."""
# Accents are decoration on Latin and Greek letters (and on the marks already stripped
# from them); on other scripts a mark is spelling (Cyrillic й, Japanese voicing).
_LATIN_ACCENTS = re.compile(rf"([\x00-\u036f\u1e00-\u1fff])[{_MARKS}]+")


def fold_script(text: str) -> str:
    """Layer 0: NFKC, casefold, ё→е, punctuation to single spaces; letters and marks kept."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_FOLD).split())
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ORPHAN_MARKS.sub("", _JOINERS.sub("", text))
    # ё→е on the decomposed text, then composed again, so a mark a dropped joiner kept
    # from its letter ("C.\u0327") or a second mark ("Ё\u0308\u0306") folds as typed whole.
    text = _YO.sub(_drop_diaeresis, unicodedata.normalize("NFD", text))
    text = unicodedata.normalize("NFC", text)
    return " ".join(_SEPARATORS.sub(" ", text).split())


def fold(text: str) -> str:
    """Layer 1: `fold_script`, then accents on Latin and Greek letters stripped.

    Non-Latin scripts keep their letters and marks (Japanese voicing marks and
    Cyrillic й are spelling, not accents); `transliterate` gives their Latin key.
    """
    folded = fold_script(text)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFD", folded)
    return unicodedata.normalize("NFC", _LATIN_ACCENTS.sub(r"\1", decomposed))


def transliterate(text: str) -> str:
    """Layer 2: the folded Latin transliteration of text ("Итуруп" → "iturup")."""
    folded = fold(text)
    return folded if folded.isascii() else fold_script(anyascii(folded))


def _has_ideographs(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in text)


def layers(text: str) -> tuple[str, str, str]:
    """Text folded at each layer: script kept, accents stripped, transliterated.

    Text with Chinese characters gets no transliteration (an empty layer 2): their
    readings are Mandarin, which would make 北方領土 look like "beijing".
    """
    script = fold_script(text)
    if script.isascii():
        return script, script, script
    plain = unicodedata.normalize(
        "NFC", _LATIN_ACCENTS.sub(r"\1", unicodedata.normalize("NFD", script))
    )
    latin = "" if _has_ideographs(plain) else fold_script(anyascii(plain))
    return script, plain, latin


@lru_cache(maxsize=4096)
def match_keys(text: str) -> tuple[str, ...]:
    """The distinct, non-empty `layers` of text, earliest first.

    Text made only of punctuation has no keys.
    """
    keys: list[str] = []
    for key in layers(text):
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)
