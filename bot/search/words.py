"""How one typed word may stand for one stored word.

The rules keep typos apart from other names. Typos are allowed by the stored
word's length: none up to 3 letters; a letter added from 4, or dropped leaving 4
("japn"); two neighbours swapped from 5 ("jpaan", "sapin"); a letter changed from
6 (so "Iran" is not "Iraq", nor "horse" "house"); two edits from 10. The first
letter is kept (only swapping it with the second is a typo): a changed first
letter, or one added in front of or after a whole stored word, makes another
name ("Prussia" is not "Russia", "Liberia" not "Siberia", "Nozdreva" not
"Nozdrev"), unless it is a consonant added after a consonant ("Kigelc"), which
no name ends with by way of an ending; and a
stored word's beginning stands for it but ranks below the word itself ("niger"
is Niger before it is Nigeria). Numerals, kana and Chinese characters allow
none ("World War I" is not "World War II"). A letter added after a word also
counts when it repeats the last one ("irann"). `near_edit` is any one edit, which
`form_lookup` allows only where the rest of the name vouches for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import IntEnum
from functools import lru_cache

from rapidfuzz.distance import OSA

TWO_TYPOS_MIN = 10
"""Stored words this long may be typed with two typos."""
PREFIX_MIN = 4
"""A typed word this long may stand for a stored word it begins ("nozd" for "nozdrev")."""
LOGOGRAPHIC_PREFIX_MIN = 2
"""The same for words in kana or Chinese characters, where one sign is a syllable."""

_ROMAN = re.compile(r"(?=[mdclxvi])m*(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})")
_DIGITS = re.compile(r"\d+")
_LOGOGRAMS = re.compile("[\u3040-\u30ff\u3400-\u9fff]")
"""Kana and Chinese characters."""

_TITLE_WORDS = """
    ambassador president vice prime minister foreign defence defense secretary general
    chancellor premier king queen prince princess emperor empress crown sheikh emir sultan
    pope cardinal archbishop bishop senator congressman congresswoman governor mayor deputy
    chairman chairwoman chair spokesman spokeswoman spokesperson envoy consul commissioner
    commander admiral marshal colonel lieutenant captain sergeant dr mr mrs ms sir lord lady
    madam mister gen col adm lt capt former acting state special
    посол президент премьер министр генерал канцлер король королева принц губернатор мэр
    глава спикер
"""
TITLES = frozenset(_TITLE_WORDS.split())
"""Words a user may put before a name that no alias spells out ("ambassador nozdrev").
They are skipped only when they match no stored word of the name."""


class Relation(IntEnum):
    """How a typed word matched a stored word; lower is closer."""

    EXACT = 0
    PREFIX = 1
    TYPO = 2
    NEAR = 3
    """One edit the word's own rules refuse; it stands only with the rest of the name
    typed exactly, or when nothing else in the store is that near (`FormLookup`)."""
    TWO_TYPOS = 4

    @property
    def misses(self) -> int:
        """How far the typed word is from the stored one: a beginning counts as a typo."""
        return (0, 1, 1, 1, 2)[self]


@lru_cache(maxsize=1 << 16)  # asked of the same words again and again by one lookup
def is_numeral(word: str) -> bool:
    """Whether word is written in digits or is a Roman numeral ("ii", "xiv")."""
    return bool(_DIGITS.fullmatch(word) or _ROMAN.fullmatch(word))


@lru_cache(maxsize=1 << 16)
def is_logographic(word: str) -> bool:
    """Whether word is written in kana or Chinese characters."""
    return not word.isascii() and _LOGOGRAMS.search(word) is not None


def one_edit(typed: str, stored: str) -> bool:
    """Whether typed is stored with one allowed typo (see the module's rules)."""
    size, length = len(stored), len(typed)
    if min(size, length) < 4 or abs(size - length) > 1:
        return False
    if length == size:
        at = next((i for i, (a, b) in enumerate(zip(typed, stored, strict=True)) if a != b), None)
        if at is None:
            return False
        if typed[at + 1 :] == stored[at + 1 :]:
            return size >= 6 and at > 0  # a changed letter, not the first
        swapped = (
            at + 1 < size
            and typed[at] == stored[at + 1]
            and typed[at + 1] == stored[at]
            and typed[at + 2 :] == stored[at + 2 :]
        )
        return swapped and size >= 5
    if length > size:  # a letter added, but not in front of or after the whole word,
        # unless it repeats the last one (a doubled keystroke, "irann")
        at = next((i for i, (a, b) in enumerate(zip(typed, stored, strict=False)) if a != b), size)
        if at == size:
            return typed[-1] == stored[-1] or _slipped_after(stored[-1], typed[-1])
        return at > 0 and typed[:at] + typed[at + 1 :] == stored
    at = next((i for i, (a, b) in enumerate(zip(typed, stored, strict=False)) if a != b), length)
    dropped = stored[:at] + stored[at + 1 :] == typed
    return dropped and at > 0  # a letter dropped, not the first


_VOWELS = frozenset(
    "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿāăąēėęěīįıōőœūůűųаеёиоуыэюяіїєйьъαεηιουωάέήίόύώϊϋ"
)


def _slipped_after(last: str, added: str) -> bool:
    """Whether a letter added after a whole word is a slip of the finger rather than an
    ending: a consonant after a consonant, in an alphabet with vowels (Latin, Greek,
    Cyrillic), and not an English plural's s. Endings are vowels ("Nozdreva", "Omani")."""
    return added != "s" and all(
        char.isalpha() and char < "\u0530" and char not in _VOWELS for char in (last, added)
    )


def near_edit(typed: str, stored: str, *, keep_first: bool) -> bool:
    """Whether typed is stored with exactly one edit of any kind (a letter added, dropped
    or changed, two neighbours swapped) in a stored word of 3+ letters spelled letter by
    letter. With keep_first, the first letter stays (swapping it with the second
    aside): the start of a name is what people type right ("Prussia")."""
    if len(stored) < 3 or len(typed) < 2 or is_numeral(typed) or is_numeral(stored):
        return False
    if is_logographic(typed) or is_logographic(stored):
        return False
    if OSA.distance(typed, stored, score_cutoff=1) != 1:
        return False
    if not keep_first:
        return True
    if typed[0] == stored[0]:  # and no letter added or dropped in front of a double one
        return typed[1:] != stored and stored[1:] != typed
    return typed[:2] == stored[1::-1] and typed[2:] == stored[2:]


def relation(typed: str, stored: str) -> Relation | None:
    """How typed may stand for stored, or None when it may not."""
    if typed == stored:
        return Relation.EXACT
    if is_numeral(typed) or is_numeral(stored):
        return None
    logographic = is_logographic(typed) or is_logographic(stored)
    shortest = LOGOGRAPHIC_PREFIX_MIN if logographic else PREFIX_MIN
    if len(typed) >= shortest and stored.startswith(typed):
        return Relation.PREFIX
    if logographic:
        return None
    if plural_of(typed, stored) or one_edit(typed, stored):
        return Relation.TYPO
    if (
        len(stored) >= TWO_TYPOS_MIN
        and typed[0] == stored[0]
        and abs(len(typed) - len(stored)) <= 2
        and stored not in typed
        and OSA.distance(typed, stored, score_cutoff=2) <= 2
    ):
        return Relation.TWO_TYPOS
    return None


def plural_of(typed: str, stored: str) -> bool:
    """Whether one word is the other's English plural ("territory", "territories")."""
    if len(typed) < 4 or len(stored) < 4 or not (typed.isascii() and stored.isascii()):
        return False
    short, long = sorted((typed, stored), key=len)
    return long in (short + "s", short + "es") or (
        short.endswith("y") and long == short[:-1] + "ies"
    )


def plural_forms(word: str) -> list[str]:
    """The words `plural_of` pairs with word: its plurals and, if it is one, its singular."""
    if len(word) < 4 or not word.isascii():
        return []
    forms = [word + "s", word + "es"]
    if word.endswith("y"):
        forms.append(word[:-1] + "ies")
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    return [form for form in forms if len(form) >= 4]


def deletions(word: str) -> list[str]:
    """word without each one of its letters, in order (duplicates kept)."""
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def splits(word: str, known: Callable[[str], bool]) -> list[tuple[str, str]]:
    """Ways to cut word into two known words ("faroeislands" → faroe, islands; "itabaga"
    → i, tabaga), the second of 2+ letters."""
    return [
        (word[:i], word[i:]) for i in range(1, len(word) - 1) if known(word[:i]) and known(word[i:])
    ]


def names_same(typed: str, stored: str) -> bool:
    """Whether a folded typed name may be answered as a folded stored one: every typed
    word stands for a distinct stored word (`relation`); stored words may go
    untyped ("nozdrev" for "nikolai nozdrev")."""
    stored_words = stored.split()
    used: set[int] = set()
    for word in typed.split():
        options = [
            (how, at)
            for at, candidate in enumerate(stored_words)
            if at not in used and (how := relation(word, candidate)) is not None
        ]
        if not options:
            return False
        used.add(min(options)[1])
    return bool(used)
