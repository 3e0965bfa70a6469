"""Text folding shared by stored aliases and typed queries.

Both sides of every comparison go through `match_keys`, so "Ноздрёв",
"NOZDREV" and "nozdrëv" meet on the same key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Dots and apostrophes join ("U.S." -> "us", "O'Neill" -> "oneill"); any other
# run of punctuation or symbols separates words.
_JOINERS = re.compile(r"[.'’ʼ`´]")
_SEPARATORS = re.compile(r"[\W_]+")


def _strips_marks(base: str) -> bool:
    """Whether accents on this base letter are decoration (Latin, Greek) rather than spelling."""
    return base < "\u0370" or "\u1e00" <= base <= "\u1fff"


def fold(text: str) -> str:
    """Fold text for matching: NFKC, casefold, ё→е, Latin accents stripped, punctuation to spaces.

    Non-Latin scripts keep their letters (Japanese voicing marks and Cyrillic й
    are spelling, not accents); `transliterate` gives their Latin key.
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    kept: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if _strips_marks(base):
                continue
        else:
            base = char
        kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept))
    text = _JOINERS.sub("", text)
    return " ".join(_SEPARATORS.sub(" ", text).split())


def transliterate(text: str) -> str:
    """The folded Latin transliteration of text ("Итуруп" → "iturup")."""
    return fold(anyascii(fold(text)))


def _has_ideographs(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in text)


@lru_cache(maxsize=4096)
def match_keys(text: str) -> tuple[str, ...]:
    """The keys text is matched by: its folded form, then its transliteration if different.

    Text with Chinese characters gets no transliteration: their readings are
    Mandarin, which would make 北方領土 look like "beijing". Empty keys are
    dropped, so text made only of punctuation has no keys.
    """
    folded = fold(text)
    keys: list[str] = []
    for key in (folded, "" if _has_ideographs(folded) else transliterate(text)):
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)
