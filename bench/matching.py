"""How well, and how fast, the name matcher finds what people type, class of query by class.

    python bench/matching.py                     # 100,000 synthetic aliases + the real set
    python bench/matching.py --aliases 10000     # quicker
    python bench/matching.py --aliases 1000000   # the big run (see --queries, --prefixes)
    python bench/matching.py --real-only --json out.json

Two data sets: synthetic names built from syllables (bench/synthetic.py, Latin and
Cyrillic, sized by alias count) and the real multilingual set (every country in
every language pycountry translates it to, bench/realnames.py). For each, queries
of fixed classes are generated with a fixed seed, each labelled with the entity it
should find (or none), and resolved by ``SearchIndex.resolve``; the same queries go
to an accuracy baseline (anyascii folding + ``fuzz.ratio >= 80`` over every alias)
and a latency baseline (``process.extractOne`` with ``fuzz.WRatio``). Then
autocomplete, index build time, peak RSS in a fresh process, and
``SearchIndex.updated`` when the index has it.

Only the index's public interface is used (``SearchIndex(entries)``, ``resolve``,
``search``, ``updated``), so the same benchmark measures any implementation.
Labels (which names are the same, how far a query is from the nearest stored
name) come from this file's own folding, not the index's. See bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import realnames, synthetic  # noqa: E402
from bot.search.index import SearchIndex  # noqa: E402
from bot.search.results import Entry, Outcome  # noqa: E402

SEED = 20240324
DEFAULT_ALIASES = 100_000
DEFAULT_QUERIES = 50
"""Queries per class (each of the four one-typo operations is a class)."""
DEFAULT_PREFIXES = 270
WRATIO_SAMPLE_ABOVE = 200_000
"""Above this many aliases the WRatio latency baseline runs on a sample of queries."""
WRATIO_SAMPLE = 50
BASELINE_CUTOFF = 80.0
"""The accuracy baseline answers an entity whose alias scores at least this (fuzz.ratio)."""
BASELINE_SUGGEST = 55.0
"""... and offers the five best entities scoring at least this as candidates."""
AUTOCOMPLETE_LIMIT = 25
UPDATES = 50

# ---------------------------------------------------------------------------
# Labels: this benchmark's own notion of "the same name", independent of the index.

_JOINERS = re.compile(r"[.'’ʼ`´]")
_SEPARATORS = re.compile(r"[\W_]+")
SYLLABIC = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "ETHIOPIC", "YI"})
"""Scripts where one sign is a syllable or a word: no typos or first letters made in them."""


def _word_char(char: str) -> bool:
    """Letters, marks and digits: vowel signs and viramas belong to their word (Devanagari)."""
    return unicodedata.category(char)[0] in "LMN"


def _base(char: str) -> bool:
    """Whether char is not a combining mark."""
    return unicodedata.category(char)[0] != "M"


def fold(text: str) -> str:
    """NFKC, casefold, ё→е, Latin and Greek accents dropped, punctuation to single spaces.

    Unlike a ``\\W`` split, combining marks of other scripts stay in their word:
    "న్యూ కెలిడోనియా" is two words, not seven consonants.
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    kept: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if base < "\u0370" or "\u1e00" <= base <= "\u1fff":
                continue
        else:
            base = char
        kept.append(char)
    text = _JOINERS.sub("", unicodedata.normalize("NFC", "".join(kept)))
    if text.isascii():
        return " ".join(_SEPARATORS.sub(" ", text).split())
    return " ".join("".join(c if _word_char(c) else " " for c in text).split())


def ascii_fold(text: str) -> str:
    """Folded anyascii transliteration: "Côte d'Ivoire" → "cote divoire", "Россия" → "rossiia"."""
    return fold(anyascii(fold(text)))


def _ideographic(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in text)


@lru_cache(maxsize=65536)
def label_keys(text: str) -> tuple[str, ...]:
    """The keys a name is known by: folded, and transliterated (not for Chinese characters)."""
    if text.isascii():
        key = fold(text)
        return (key,) if key else ()
    keys = [fold(text)]
    if not _ideographic(keys[0]):
        keys.append(ascii_fold(text))
    return tuple(dict.fromkeys(key for key in keys if key))


def script(char: str) -> str:
    """The script of a letter as Unicode names it: LATIN, CYRILLIC, CJK, ..."""
    return unicodedata.name(char, "?").split(" ", 1)[0]


def scripts(text: str) -> set[str]:
    return {script(char) for char in text if char.isalpha()}


def distance(a: Iterable[str], b: Iterable[str]) -> int:
    """The fewest edits (OSA: insert, delete, substitute, transpose) between any keys of a and b."""
    listed = list(b)
    return min((OSA.distance(x, y) for x in a for y in listed), default=10**6)


class KeySpace:
    """Every stored name's label keys with the entities that own them, bucketed by length."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self.aliases: dict[str, list[str]] = defaultdict(list)
        self.kinds: dict[str, str] = {}
        owners: dict[str, list[str]] = {}
        self.fold_owners: dict[str, list[str]] = {}
        for entry in entries:
            self.aliases[entry.entity].append(entry.alias)
            self.kinds[entry.entity] = entry.kind
            for key in label_keys(entry.alias):
                held = owners.setdefault(key, [])
                if entry.entity not in held:
                    held.append(entry.entity)
            folded = self.fold_owners.setdefault(fold(entry.alias), [])
            if entry.entity not in folded:
                folded.append(entry.entity)
        self.owners = owners
        by_length: defaultdict[int, list[str]] = defaultdict(list)
        for key in owners:
            by_length[len(key)].append(key)
        self.by_length = dict(by_length)
        label_keys.cache_clear()

    def stored(self, text: str) -> bool:
        """Whether some key of text is a stored key (the name is in the set, as far as we tell)."""
        return any(key in self.owners for key in label_keys(text))

    def within(self, text: str, edits: int) -> dict[str, int]:
        """Entities with a key at most `edits` edits from a key of text, with that distance."""
        found: dict[str, int] = {}
        for key in label_keys(text):
            if edits == 0:
                for entity in self.owners.get(key, ()):
                    found[entity] = 0
                continue
            for length in range(max(1, len(key) - edits), len(key) + edits + 1):
                bucket = self.by_length.get(length)
                if not bucket:
                    continue
                for stored, dist, _ in process.extract(
                    key, bucket, scorer=OSA.distance, score_cutoff=edits, limit=None
                ):
                    for entity in self.owners[stored]:
                        found[entity] = min(found.get(entity, edits), int(dist))
        return found

    def near(self, text: str) -> bool:
        """Whether text is within one edit of some stored name (after folding)."""
        return bool(self.within(text, 1))

    def tied(self, text: str, target: str) -> bool:
        """Whether another entity has a name at most as far from text as the target's nearest."""
        own = [key for alias in self.aliases[target] for key in label_keys(alias)]
        edits = distance(label_keys(text), own)
        if edits > 3:
            return False
        return any(entity != target for entity in self.within(text, edits))

    def shares(self, text: str, target: str) -> bool:
        """Whether another entity owns exactly a key of text (a shared name or surname)."""
        return any(
            entity != target for key in label_keys(text) for entity in self.owners.get(key, ())
        )


# ---------------------------------------------------------------------------
# Queries, class by class.

PRESENT = (
    "exact",
    "ascii-folded",
    "one typo: insert",
    "one typo: delete",
    "one typo: substitute",
    "one typo: transpose",
    "two typos (10+ letters)",
    "one edit in one word, the others exact",
    "joined words",
    "split words",
    "cyrillic + one typo",
    "title + person",
    "surname only",
)
ABSENT = (
    "made up",
    "real names not stored",
    "other given name",
    "first letter changed",
    "qualifier added",
    "nonsense",
)
TYPO_OPS = ("insert", "delete", "substitute", "transpose")
TITLES = (
    "ambassador",
    "president",
    "minister",
    "general",
    "senator",
    "chancellor",
    "envoy",
    "secretary",
)
QUALIFIER_PREFIXES = ("North", "South", "East", "West", "New", "Upper", "Greater")
QUALIFIER_SUFFIXES = ("Republic", "Federation", "Empire")
QUALIFIER_WORDS = frozenset(
    word.lower() for word in (*QUALIFIER_PREFIXES, *QUALIFIER_SUFFIXES, "Republic", "Kingdom")
)
STOP_WORDS = frozenset({"of", "the"})
REAL_ABSENT = (
    "Prussia",
    "Bavaria",
    "Saxony",
    "Westphalia",
    "Bohemia",
    "Moravia",
    "Transylvania",
    "Catalonia",
    "Kurdistan",
    "Biafra",
    "Rhodesia",
    "Yugoslavia",
    "Czechoslovakia",
    "Soviet Union",
    "Ottoman Empire",
    "Austria-Hungary",
    "Zanzibar",
    "Tanganyika",
    "Siam",
    "Ceylon",
    "Persia",
    "Abyssinia",
    "Dahomey",
    "Upper Volta",
    "Zaire",
    "Formosa",
    "Manchukuo",
    "Ruritania",
    "Freedonia",
    "Wakanda",
    "Latveria",
    "Genovia",
    "Sokovia",
    "Zubrowka",
    "Elbonia",
    "Grand Fenwick",
    "Atlantis",
    "Lemuria",
    "Sealand",
    "Transnistria",
    "Abkhazia",
    "Somaliland",
    "Artsakh",
    "Tibet",
    "Scotland",
    "Wales",
    "England",
    "Flanders",
    "Wallonia",
    "Lapland",
    "Patagonia",
    "Siberia",
    "Manchuria",
    "Dalmatia",
    "Galicia",
    "Lombardy",
    "Tuscany",
    "Andalusia",
    "Brittany",
    "Normandy",
    "Пруссия",
    "Бавария",
    "Югославия",
    "Советский Союз",
    "Чехословакия",
    "Тибет",
    "Абхазия",
    "Приднестровье",
    "Сибирь",
    "Шотландия",
    "Πρωσία",
    "Βαυαρία",
    "普鲁士",
    "プロイセン",
    "プロシア",
)
"""Real places and states, past, unrecognised and fictional, that are not ISO 3166-1 countries.
Those the set happens to hold are dropped when the queries are made."""
MADE_UP_LATIN = (
    ("f", "h", "j", "q", "w", "x", "y", "kh", "th", "ph"),
    ("a", "e", "i", "o", "u", "y"),
    ("", "x", "f", "w", "h", "q"),
)
MADE_UP_CYRILLIC = (
    ("ф", "х", "ц", "щ", "й"),
    ("ы", "э", "ю", "я"),
    ("", "й", "щ", "ф"),
)
"""Consonants, vowels and codas the syllable generator never uses (synthetic.SYLLABLES)."""
KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "йцукенгшщзхъ", "фывапролджэ")


@dataclass(frozen=True, slots=True)
class Query:
    """A query of one class, the entity it should find (None: nothing), and how it was made."""

    cls: str
    text: str
    target: str | None
    source: str = ""
    """The stored name it was made from, if any."""
    tied: bool = False
    """Present queries: another entity is as close, so "ambiguous" is a right answer too."""
    near: bool = False
    """Absent queries: within one edit of some stored name (after folding)."""


class Queries:
    """Deterministic queries of every class over one data set.

    Queries are made from the names in `pool` (by default every stored name) and
    labelled against every stored name in `space`.
    """

    def __init__(
        self,
        space: KeySpace,
        seed: int,
        persons: Sequence[tuple[str, str, str]] = (),
        pool: Sequence[Entry] | None = None,
    ) -> None:
        self.space = space
        self.seed = seed
        self.persons = persons
        """(entity, given name, surname) of every person, synthetic set only."""
        self.pool = space.entries if pool is None else pool
        letters: defaultdict[str, set[str]] = defaultdict(set)
        for entry in self.pool:
            for char in entry.alias.lower():
                if char.isalpha():
                    letters[script(char)].add(char)
        letters["LATIN"] = set("abcdefghijklmnopqrstuvwxyz")
        self.alphabets = {name: sorted(chars) for name, chars in letters.items()}
        self._with_word: dict[str, list[str]] | None = None

    def rng(self, cls: str) -> random.Random:
        """Each class draws from its own generator, so classes do not shift one another."""
        return random.Random(f"{self.seed}:{cls}")

    def make(self, cls: str, count: int) -> list[Query]:
        """count queries of class cls (fewer when the set cannot give that many)."""
        makers: dict[str, Callable[[random.Random], Query | None]] = {
            "exact": self.exact,
            "ascii-folded": self.ascii_folded,
            "two typos (10+ letters)": self.two_typos,
            "one edit in one word, the others exact": self.context,
            "joined words": self.joined,
            "split words": self.split,
            "cyrillic + one typo": self.cyrillic_typo,
            "title + person": self.title,
            "surname only": self.surname,
            "made up": self.made_up,
            "other given name": self.other_given_name,
            "first letter changed": self.first_letter,
            "qualifier added": self.qualifier,
            "nonsense": self.nonsense,
        }
        for op in TYPO_OPS:
            makers[f"one typo: {op}"] = self._typo_maker(op)
        rng = self.rng(cls)
        if cls == "real names not stored":
            return self.real_absent(rng, count)
        if cls in ("title + person", "surname only", "other given name") and not self.persons:
            return []
        made: list[Query] = []
        seen: set[str] = set()
        attempts = 0
        while len(made) < count and attempts < 200 * count:
            attempts += 1
            query = makers[cls](rng)
            if query is None or query.text in seen:
                continue
            seen.add(query.text)
            made.append(query)
        return made

    # Helpers ---------------------------------------------------------------

    def entry(self, rng: random.Random) -> Entry:
        entries = self.pool
        return entries[rng.randrange(len(entries))]

    def letter(self, rng: random.Random, name: str, other_than: str = "") -> str:
        alphabet = self.alphabets.get(name) or self.alphabets["LATIN"]
        choices = [char for char in alphabet if char != other_than.lower()]
        return rng.choice(choices) if choices else rng.choice(alphabet)

    def present(self, cls: str, text: str, entry: Entry, edits: int | None) -> Query | None:
        """A present query made from entry, if it is what it should be: not a stored name
        (unless exact), and `edits` edits from the name after folding."""
        if edits is not None:
            if self.space.stored(text):
                return None
            if OSA.distance(fold(text), fold(entry.alias)) != edits:
                return None
        tied = self.space.tied(text, entry.entity)
        return Query(cls, text, entry.entity, entry.alias, tied=tied)

    def absent(self, cls: str, text: str, source: str = "") -> Query | None:
        if not label_keys(text) and cls != "nonsense":
            return None
        if self.space.stored(text):
            return None
        return Query(cls, text, None, source, near=self.space.near(text))

    @staticmethod
    def words(alias: str, least: int) -> list[tuple[int, int]]:
        """Spans of the alias's words (runs of letters and their marks) of at least `least`
        characters, in one script written letter by letter (not Chinese characters, kana,
        Hangul or Ethiopic, where one sign is a syllable)."""
        spans = []
        start = None
        for at, char in enumerate(f"{alias} "):
            letter = char.isalpha() or unicodedata.category(char)[0] == "M"
            if letter and start is None:
                start = at
            elif not letter and start is not None:
                run = alias[start:at]
                kinds = scripts(run)
                if len(run) >= least and len(kinds) == 1 and not kinds & SYLLABIC:
                    spans.append((start, at))
                start = None
        return spans

    def slip(self, rng: random.Random, word: str, op: str, first: int = 1) -> str | None:
        """word with one typo, never in its first letter (with first=0, anywhere)."""
        name = script(word[0])
        if op == "insert":
            at = rng.randrange(first, len(word) + 1)
            return word[:at] + self.letter(rng, name) + word[at:]
        if op == "delete":
            at = rng.randrange(first, len(word))
            return word[:at] + word[at + 1 :]
        if op == "substitute":
            at = rng.randrange(first, len(word))
            return word[:at] + self.letter(rng, name, word[at]) + word[at + 1 :]
        places = [at for at in range(first, len(word) - 1) if word[at] != word[at + 1]]
        if not places:
            return None
        at = rng.choice(places)
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]

    def typo(self, rng: random.Random, entry: Entry, ops: Sequence[str], least: int) -> str | None:
        spans = self.words(entry.alias, least)
        if not spans:
            return None
        start, end = rng.choice(spans)
        word: str | None = entry.alias[start:end]
        for op in ops:
            assert word is not None
            word = self.slip(rng, word, op)
            if word is None:
                return None
        assert word is not None
        return entry.alias[:start] + word + entry.alias[end:]

    # Present ---------------------------------------------------------------

    def exact(self, rng: random.Random) -> Query | None:
        entry = self.entry(rng)
        if not label_keys(entry.alias):
            return None
        shared = any(entity != entry.entity for entity in self.space.fold_owners[fold(entry.alias)])
        return Query("exact", entry.alias, entry.entity, entry.alias, tied=shared)

    def ascii_folded(self, rng: random.Random) -> Query | None:
        entry = self.entry(rng)
        if scripts(entry.alias) != {"LATIN"} or all(
            char.isascii() for char in entry.alias if char.isalpha()
        ):
            return None
        text = anyascii(entry.alias)
        if text == entry.alias or not text.strip():
            return None
        return self.present("ascii-folded", text, entry, None)

    def _typo_maker(self, op: str) -> Callable[[random.Random], Query | None]:
        def make(rng: random.Random) -> Query | None:
            entry = self.entry(rng)
            text = self.typo(rng, entry, (op,), 5)
            return None if text is None else self.present(f"one typo: {op}", text, entry, 1)

        return make

    def two_typos(self, rng: random.Random) -> Query | None:
        entry = self.entry(rng)
        text = self.typo(rng, entry, (rng.choice(TYPO_OPS), rng.choice(TYPO_OPS)), 10)
        return None if text is None else self.present("two typos (10+ letters)", text, entry, 2)

    def context(self, rng: random.Random) -> Query | None:
        """One edit of any kind in one word of 3+ letters of a name of 2+ words, the
        other words as stored; the first letter of a later word may be the one edited,
        never the name's own first letter."""
        entry = self.entry(rng)
        spans = self.words(entry.alias, 3)
        if len(fold(entry.alias).split()) < 2 or not spans:
            return None
        start, end = rng.choice(spans)
        first = 1 if not entry.alias[:start].strip() else 0
        word = self.slip(rng, entry.alias[start:end], rng.choice(TYPO_OPS), first)
        if word is None or not _base(word[0]):
            return None  # a vowel sign left without its letter, which no keyboard types
        text = entry.alias[:start] + word + entry.alias[end:]
        return self.present("one edit in one word, the others exact", text, entry, 1)

    def joined(self, rng: random.Random) -> Query | None:
        entry = self.entry(rng)
        spaces = [
            at
            for at in range(1, len(entry.alias) - 1)
            if entry.alias[at] == " "
            and entry.alias[at - 1].isalpha()
            and entry.alias[at + 1].isalpha()
        ]
        if not spaces or scripts(entry.alias) & SYLLABIC:
            return None
        at = rng.choice(spaces)
        text = entry.alias[:at] + entry.alias[at + 1 :]
        return self.present("joined words", text, entry, 1)

    def split(self, rng: random.Random) -> Query | None:
        entry = self.entry(rng)
        alias = entry.alias
        if scripts(alias) & SYLLABIC:
            return None
        spaces = [
            at
            for at in range(2, len(alias) - 2)
            if alias[at] == " "
            and alias[at - 2 : at].isalpha()
            and alias[at + 1 : at + 3].isalpha()
        ]
        if spaces:  # "French Guiana" -> "Frenc hGuiana" or "FrenchG uiana"
            at = rng.choice(spaces)
            if rng.random() < 0.5:
                text = alias[: at - 1] + " " + alias[at - 1] + alias[at + 1 :]
            else:
                text = alias[:at] + alias[at + 1] + " " + alias[at + 2 :]
        else:  # "Switzerland" -> "Switz erland"
            spans = self.words(alias, 6)
            if not spans:
                return None
            start, end = rng.choice(spans)
            at = rng.randrange(start + 2, end - 1)
            text = alias[:at] + " " + alias[at:]
        return self.present("split words", text, entry, 1)

    def cyrillic_typo(self, rng: random.Random) -> Query | None:
        entry = self.entry(rng)
        if scripts(entry.alias) != {"CYRILLIC"}:
            return None
        text = self.typo(rng, entry, (rng.choice(TYPO_OPS),), 5)
        return None if text is None else self.present("cyrillic + one typo", text, entry, 1)

    def person(self, rng: random.Random) -> tuple[str, str, str]:
        return self.persons[rng.randrange(len(self.persons))]

    def title(self, rng: random.Random) -> Query | None:
        entity, given, surname = self.person(rng)
        named = surname if rng.random() < 0.5 else f"{given} {surname}"
        text = f"{rng.choice(TITLES)} {named}"
        text = text.lower() if rng.random() < 0.5 else text
        if self.space.stored(text):
            return None
        return Query("title + person", text, entity, named, tied=self.space.shares(named, entity))

    def surname(self, rng: random.Random) -> Query | None:
        entity, _, surname = self.person(rng)
        text = surname.lower() if rng.random() < 0.5 else surname
        return Query("surname only", text, entity, surname, tied=self.space.shares(text, entity))

    # Absent ----------------------------------------------------------------

    def made_up(self, rng: random.Random) -> Query | None:
        consonants, vowels, codas = MADE_UP_CYRILLIC if rng.random() < 1 / 3 else MADE_UP_LATIN
        words = [
            "".join(
                rng.choice(consonants) + rng.choice(vowels) + rng.choice(codas)
                for _ in range(rng.randint(2, 3))
            ).capitalize()
            for _ in range(rng.randint(1, 2))
        ]
        return self.absent("made up", " ".join(words))

    def real_absent(self, rng: random.Random, count: int) -> list[Query]:
        names = list(REAL_ABSENT)
        rng.shuffle(names)
        made = []
        for name in names:
            query = self.absent("real names not stored", name)
            if query is not None:
                made.append(query)
            if len(made) == count:
                break
        return made

    def other_given_name(self, rng: random.Random) -> Query | None:
        _, given, surname = self.person(rng)
        other = self.person(rng)[1]
        if other == given:
            return None
        return self.absent("other given name", f"{other} {surname}", f"{given} {surname}")

    def first_letter(self, rng: random.Random) -> Query | None:
        entry = self.entry(rng)
        alias = entry.alias
        spans = self.words(alias, 4)
        if not spans or spans[0][0] != 0 or not alias[0].isalpha():
            return None
        first = alias[0]
        new = self.letter(rng, script(first), first)
        new = new.upper() if first.isupper() else new
        op = rng.choice(("insert", "substitute", "delete"))
        if op == "insert":
            text = new + (first.lower() if first.isupper() else first) + alias[1:]
        elif op == "substitute":
            text = new + alias[1:]
        else:  # the first letter with its marks (a vowel sign, a virama), as one key
            rest = alias[1:].lstrip("".join(c for c in alias[1:] if not _base(c)))
            if not rest or not rest[0].isalpha():
                return None
            text = rest[0].upper() + rest[1:] if first.isupper() else rest
        return self.absent("first letter changed", text, alias)

    def with_word(self, word: str) -> list[str]:
        """Stored keys that have word as one of their words (qualifier words only)."""
        if self._with_word is None:
            wanted = {fold(w) for w in (*QUALIFIER_PREFIXES, *QUALIFIER_SUFFIXES)}
            self._with_word = {w: [] for w in wanted}
            for key in self.space.owners:
                for part in set(key.split()) & wanted:
                    self._with_word[part].append(key)
        return self._with_word.get(word, [])

    def qualifier(self, rng: random.Random) -> Query | None:
        entry = self.entry(rng)
        if entry.kind not in ("country", "place") or scripts(entry.alias) != {"LATIN"}:
            return None
        # A one-word name, so it has no qualifier of its own in any language: "North
        # Bazov", not "North Republic of Bazov" nor "Republika Srbija Republic".
        named = fold(entry.alias).split()
        if len(named) != 1 or len(named[0]) < 4 or named[0] in QUALIFIER_WORDS:
            return None
        if rng.random() < 0.6:
            word = rng.choice(QUALIFIER_PREFIXES)
            text = f"{word} {entry.alias}"
        else:
            word = rng.choice(QUALIFIER_SUFFIXES)
            text = f"{entry.alias} {word}"
        # Not when the set holds it in other words: "New Guinea" (in "Papua New Guinea"),
        # "Bazov Republic" (as "Republic of Bazov").
        key = fold(text)
        words = set(key.split()) - STOP_WORDS
        for stored in self.with_word(fold(word)):
            if f" {key} " in f" {stored} " or set(stored.split()) - STOP_WORDS == words:
                return None
        return self.absent("qualifier added", text, entry.alias)

    def nonsense(self, rng: random.Random) -> Query | None:
        kind = rng.randrange(6)
        if kind == 0:
            text = "".join(
                rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 12))
            )
        elif kind == 1:
            row = rng.choice(KEYBOARD)
            start = rng.randrange(len(row) - 4)
            text = row[start : start + rng.randint(4, len(row) - start)]
        elif kind == 2:
            text = "".join(rng.choice("abcxyz0123456789") for _ in range(rng.randint(2, 8)))
        elif kind == 3:
            text = "".join(rng.choice("?!.…-–*#@~🙂👍🌍") for _ in range(rng.randint(1, 5)))
        elif kind == 4:
            text = rng.choice("abcdefghijklmnopqrstuvwxyz") * rng.randint(4, 9)
        else:
            pool = "qzxжщфλψ中ア한"
            text = "".join(rng.choice(pool) for _ in range(rng.randint(3, 7)))
        return self.absent("nonsense", text)


# ---------------------------------------------------------------------------
# Answers and their tally.


@dataclass(frozen=True, slots=True)
class Answer:
    """What a matcher answered: found / ambiguous / not_found, the entity, the candidates."""

    outcome: str
    best: str | None
    candidates: tuple[str, ...]


def answer_of(index: SearchIndex, query: str) -> Answer:
    resolution = index.resolve(query)
    best = resolution.best.entity if resolution.best is not None else None
    outcome = (
        "found"
        if resolution.outcome == Outcome.FOUND
        else "ambiguous"
        if resolution.outcome == Outcome.AMBIGUOUS
        else "not_found"
    )
    return Answer(outcome, best, tuple(hit.entity for hit in resolution.candidates))


class Baseline:
    """The accuracy baseline: anyascii folding, fuzz.ratio over every alias, best score wins."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        owners: dict[str, list[str]] = {}
        for entry in entries:
            held = owners.setdefault(ascii_fold(entry.alias), [])
            if entry.entity not in held:
                held.append(entry.entity)
        owners.pop("", None)
        self.keys = list(owners)
        self.owners = [owners[key] for key in self.keys]

    def resolve(self, query: str) -> Answer:
        scored = process.extract(
            ascii_fold(query), self.keys, scorer=fuzz.ratio, score_cutoff=BASELINE_SUGGEST, limit=64
        )
        ranked: dict[str, float] = {}
        for _, value, position in scored:
            for entity in self.owners[position]:
                ranked[entity] = max(ranked.get(entity, 0.0), float(value))
        order = sorted(ranked, key=lambda entity: (-ranked[entity], entity))
        if not order or ranked[order[0]] < BASELINE_CUTOFF:
            return Answer("not_found", None, tuple(order[:5]))
        top = [entity for entity in order if ranked[entity] == ranked[order[0]]]
        if len(top) > 1:
            return Answer("ambiguous", None, tuple(order[: max(5, len(top))]))
        return Answer("found", top[0], tuple(order[:5]))

    def wratio(self, query: str) -> object:
        """The latency baseline: one extractOne with WRatio over every folded alias."""
        return process.extractOne(ascii_fold(query), self.keys, scorer=fuzz.WRatio)

    def complete(self, prefix: str) -> list[tuple[str, str]]:
        """Autocomplete's baseline: extract(limit=25) with WRatio; (entity, folded alias) pairs."""
        found = process.extract(
            ascii_fold(prefix), self.keys, scorer=fuzz.WRatio, limit=AUTOCOMPLETE_LIMIT
        )
        return [(self.owners[position][0], key) for key, _, position in found]


@dataclass(slots=True)
class Tally:
    """How one class of queries was answered."""

    n: int = 0
    tied: int = 0
    right: int = 0
    found_right: int = 0
    ambiguous: int = 0
    ambiguous_has: int = 0
    not_found: int = 0
    not_found_has: int = 0
    false: int = 0
    false_examples: list[str] = field(default_factory=list)

    def add(self, query: Query, answer: Answer) -> None:
        self.n += 1
        self.tied += query.tied
        has = query.target is not None and query.target in answer.candidates
        if answer.outcome == "found":
            if query.target is not None and answer.best == query.target:
                self.found_right += 1
                self.right += 1
            else:
                self.false += 1
                if len(self.false_examples) < 5:
                    self.false_examples.append(f"{query.text!r} -> {answer.best}")
        elif answer.outcome == "ambiguous":
            self.ambiguous += 1
            self.ambiguous_has += has
            self.right += query.tied and has
        else:
            self.not_found += 1
            self.not_found_has += has
            self.right += query.target is None

    def merge(self, other: Tally) -> None:
        for name in (
            "n",
            "tied",
            "right",
            "found_right",
            "ambiguous",
            "ambiguous_has",
            "not_found",
            "not_found_has",
            "false",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def share(self, part: int) -> str:
        return f"{100 * part / self.n:.0f}%" if self.n else "-"


def tally(queries: Sequence[Query], answers: Sequence[Answer]) -> dict[str, Tally]:
    """Per row of the report: each class, absent classes split by distance, and summaries."""
    rows: dict[str, Tally] = defaultdict(Tally)
    for query, answer in zip(queries, answers, strict=True):
        if query.target is not None:
            rows[query.cls].add(query, answer)
            rows["present: all"].add(query, answer)
            if query.cls.startswith("one typo"):
                rows["one typo: all"].add(query, answer)
        else:
            within = "≤1 edit" if query.near else ">1 edit"
            rows[f"{query.cls}, {within}"].add(query, answer)
            rows[f"absent: all, {within}"].add(query, answer)
    return dict(rows)


# ---------------------------------------------------------------------------
# Autocomplete: what counts as a real candidate.


def real_candidate(prefix: str, alias: str) -> bool:
    """Whether alias is a sensible completion of the typed prefix.

    Yes when, after folding (and, for either, transliterating), a word of the alias
    begins with the prefix (``"faroe isl"`` in ``"faroe islands"`` counts, as does
    ``"isl"``), or when the prefix has 4+ letters and is one edit (OSA) from the
    beginning of a word of the alias: a typo-correction of the whole typed text.
    A prefix with no letters left after folding accepts anything.
    """
    typed = label_keys(prefix)
    if not typed:
        return True
    for key in label_keys(alias):
        padded = f" {key}"
        starts = [at for at in range(len(padded)) if padded[at] == " "]
        for word in typed:
            if f" {word}" in padded:
                return True
            if len(word) >= 4:
                for at in starts:
                    for length in (len(word) - 1, len(word), len(word) + 1):
                        if OSA.distance(word, padded[at + 1 : at + 1 + length]) <= 1:
                            return True
    return False


def prefixes_of(space: KeySpace, seed: int, count: int) -> list[tuple[str, str]]:
    """(typed text, entity meant): a name's first 1, 2, ... 9 characters, as Discord sends them."""
    rng = random.Random(f"{seed}:autocomplete")
    typed: list[tuple[str, str]] = []
    entries = space.entries
    while len(typed) < count:
        entry = entries[rng.randrange(len(entries))]
        name = entry.alias.lower() if rng.random() < 0.7 else entry.alias
        typed.extend(
            (name[:length], entry.entity)
            for length in range(1, min(len(name), 9) + 1)
            if name[:length].strip()
        )
    return typed[:count]


# ---------------------------------------------------------------------------
# Measuring.


@dataclass(frozen=True, slots=True)
class Timing:
    samples: tuple[float, ...]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        if len(self.samples) < 2:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=100, method="inclusive")[98]

    @property
    def max(self) -> float:
        return max(self.samples)

    def summary(self) -> dict[str, float | int]:
        if not self.samples:
            return {"n": 0}
        return {"n": len(self.samples), "p50": self.p50, "p99": self.p99, "max": self.max}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.2f} ms"


def mib(kib: float) -> str:
    return f"{kib / 1024:,.0f} MiB"


def clear_caches() -> None:
    """Empty every functools cache in bot.search, so a build starts as cold as in a new process."""
    for name, module in list(sys.modules.items()):
        if name.startswith("bot.search"):
            for value in vars(module).values():
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


def build(entries: Sequence[Entry], runs: int) -> tuple[SearchIndex, Timing]:
    samples = []
    index: SearchIndex | None = None
    for _ in range(runs):
        index = None
        clear_caches()
        gc.collect()
        start = time.perf_counter()
        index = SearchIndex(entries)
        samples.append(time.perf_counter() - start)
    assert index is not None
    return index, Timing(tuple(samples))


def status_kib(field: str) -> int:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in KiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_now_kib() -> int:
    return status_kib("VmRSS")


def rss_child(path: Path) -> dict[str, float]:
    """In a fresh process: read the entries, then build the index; RSS before and after.

    The entries come from a file rather than being generated here, so that the
    peak RSS before the build is just the interpreter, the imports and the entries.
    """
    entries = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            entity, kind, alias = json.loads(line)
            entries.append(Entry(entity, kind, alias))
    gc.collect()
    before_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    before_now = rss_now_kib()
    start = time.perf_counter()
    index = SearchIndex(entries)
    built = time.perf_counter() - start
    gc.collect()
    after_build_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    after_now = rss_now_kib()
    index.resolve(entries[0].alias)
    index.search(entries[0].alias[:3], limit=AUTOCOMPLETE_LIMIT)
    return {
        "build_s": built,
        "rss_before_kib": before_now,
        "maxrss_before_kib": before_peak,
        "maxrss_after_build_kib": after_build_peak,
        "rss_after_build_kib": after_now,
        "maxrss_after_first_query_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "vmhwm_kib": status_kib("VmHWM"),
    }


def fresh_process(which: str, aliases: int, seed: int) -> dict[str, float]:
    """rss_child's numbers from a new interpreter, for the synthetic or the real set.

    On Linux a child's ru_maxrss starts at its parent's high-water mark, so both
    children (one writes the entries, one builds the index) are started by
    `main` before it builds anything itself, while it is smaller than they are.
    """
    script = [sys.executable, __file__, "--data", which, "--aliases", str(aliases)]
    script += ["--seed", str(seed)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entries.jsonl"
        subprocess.run([*script, "--write-entries", str(path)], check=True)
        done = subprocess.run(
            [*script, "--rss-child", str(path)], capture_output=True, text=True, check=True
        )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def write_entries(which: str, aliases: int, seed: int, path: Path) -> None:
    data = synthetic_set(aliases, seed) if which == "synthetic" else real_set()
    with path.open("w", encoding="utf-8") as out:
        for entry in data.entries:
            out.write(json.dumps([entry.entity, entry.kind, entry.alias]) + "\n")


# ---------------------------------------------------------------------------
# Data sets.


@dataclass(slots=True)
class DataSet:
    name: str
    which: str
    entries: list[Entry]
    persons: list[tuple[str, str, str]]


def synthetic_set(aliases: int, seed: int) -> DataSet:
    records = synthetic.world(aliases, seed)
    persons = [
        (record.ref.key, record.ref.name.split()[0], record.aliases[0])
        for record in records
        if record.ref.kind == "person"
    ]
    return DataSet(f"synthetic {aliases:,}", "synthetic", synthetic.entries(records), persons)


def real_set() -> DataSet:
    return DataSet("real (pycountry)", "real", list(realnames.entries()), [])


CONTEXT = "one edit in one word, the others exact"
CONTEXT_SHARE = 4
"""The context class gets this many times the queries of the others: its target is 99%."""


def make_queries(space: KeySpace, seed: int, per_class: int, persons: Sequence[Any]) -> list[Query]:
    maker = Queries(space, seed, persons)
    return [
        query
        for cls in (*PRESENT, *ABSENT)
        for query in maker.make(cls, per_class * (CONTEXT_SHARE if cls == CONTEXT else 1))
    ]


# ---------------------------------------------------------------------------
# The run.


@dataclass(slots=True)
class Result:
    name: str
    aliases: int
    entities: int
    keys: int
    queries: int
    ours: dict[str, Tally]
    baseline: dict[str, Tally]
    speed: dict[str, Any]
    shared_names: int


def run_set(
    data: DataSet,
    args: argparse.Namespace,
    fresh: dict[str, float],
    say: Callable[[str], None],
) -> Result:
    started = time.perf_counter()
    entries = data.entries
    space = KeySpace(entries)
    say(f"{data.name}: {len(entries):,} aliases, labels in {time.perf_counter() - started:.0f} s")
    queries = make_queries(space, args.seed, args.queries, data.persons)
    say(f"{data.name}: {len(queries):,} queries made ({time.perf_counter() - started:.0f} s)")
    prefixes = prefixes_of(space, args.seed, args.prefixes)

    runs = args.build_runs or (3 if len(entries) <= 200_000 else 1)
    index, built = build(entries, runs)
    say(f"{data.name}: index built ({built.p50:.1f} s median of {runs})")

    baseline = Baseline(entries)
    sample_every = 1
    if len(entries) > WRATIO_SAMPLE_ABOVE:
        sample_every = max(1, len(queries) // WRATIO_SAMPLE)

    # Shuffled so that a burst of noise does not land on one class; ours and the
    # latency baseline alternate query by query.
    order = list(range(len(queries)))
    random.Random(f"{args.seed}:order").shuffle(order)
    for position in order[:10]:
        index.resolve(queries[position].text)
        baseline.wratio(queries[position].text)
    gc.collect()
    ours: list[Answer | None] = [None] * len(queries)
    ours_times: list[float] = []
    base_times: list[float] = []
    for step, position in enumerate(order):
        text = queries[position].text
        start = time.perf_counter()
        ours[position] = answer_of(index, text)
        ours_times.append(time.perf_counter() - start)
        if step % sample_every == 0:
            start = time.perf_counter()
            baseline.wratio(text)
            base_times.append(time.perf_counter() - start)
    say(f"{data.name}: resolved ({time.perf_counter() - started:.0f} s)")
    answers = [answer for answer in ours if answer is not None]
    base_answers = [baseline.resolve(query.text) for query in queries]
    say(f"{data.name}: accuracy baseline ({time.perf_counter() - started:.0f} s)")

    complete_times: list[float] = []
    base_complete_times: list[float] = []
    hits = real = base_hits = base_real = meant = 0
    for text, entity in prefixes:
        start = time.perf_counter()
        found = index.search(text, limit=AUTOCOMPLETE_LIMIT)
        complete_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        base_found = baseline.complete(text)
        base_complete_times.append(time.perf_counter() - start)
        hits += len(found)
        real += sum(real_candidate(text, hit.alias) for hit in found)
        meant += any(hit.entity == entity for hit in found)
        base_hits += len(base_found)
        base_real += sum(real_candidate(text, key) for _, key in base_found)
    say(f"{data.name}: autocomplete ({time.perf_counter() - started:.0f} s)")

    updates = measure_updates(index, space, args.seed)

    speed: dict[str, Any] = {
        "resolve": Timing(tuple(ours_times)).summary(),
        "wratio": Timing(tuple(base_times)).summary(),
        "wratio_sampled": sample_every > 1,
        "autocomplete": Timing(tuple(complete_times)).summary(),
        "autocomplete_baseline": Timing(tuple(base_complete_times)).summary(),
        "autocomplete_hits": hits,
        "autocomplete_real": real,
        "autocomplete_meant": meant,
        "autocomplete_baseline_hits": base_hits,
        "autocomplete_baseline_real": base_real,
        "prefixes": len(prefixes),
        "build_runs": list(built.samples),
        "build_median_s": built.p50,
        "fresh_process": fresh,
        "updated": updates,
    }
    del index
    gc.collect()
    shared = sum(1 for owners in space.fold_owners.values() if len(owners) > 1)
    return Result(
        data.name,
        len(entries),
        len(space.aliases),
        len(space.owners),
        len(queries),
        tally(queries, answers),
        tally(queries, base_answers),
        speed,
        shared,
    )


def measure_updates(index: SearchIndex, space: KeySpace, seed: int) -> dict[str, Any]:
    """updated(): one entity's aliases changed (one dropped, a new one added), 50 times."""
    updated = getattr(index, "updated", None)
    if updated is None:
        return {"available": False}
    rng = random.Random(f"{seed}:updated")
    entities = sorted(space.aliases)
    picks = rng.sample(entities, min(UPDATES, len(entities)))
    samples = []
    found = 0
    for number, entity in enumerate(picks):
        kind = space.kinds[entity]
        aliases = space.aliases[entity]
        renamed = f"Qwyx Fjallhaph {number}"
        added = [Entry(entity, kind, alias) for alias in aliases[1:]]
        added.append(Entry(entity, kind, renamed))
        start = time.perf_counter()
        changed = updated([entity], added)
        samples.append(time.perf_counter() - start)
        resolution = changed.resolve(renamed)
        found += resolution.best is not None and resolution.best.entity == entity
        del changed
    return {"available": True, **Timing(tuple(samples)).summary(), "new_alias_found": found}


# ---------------------------------------------------------------------------
# Printing.


def table(header: Sequence[str], rows: Sequence[Sequence[str]], note: bool = False) -> str:
    """Columns aligned: the first (and the last, a note) to the left, the others to the right."""
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lefts = {0, len(header) - 1} if note else {0}
    lines = []
    for number, row in enumerate((header, *rows)):
        cells = [
            cell.ljust(width) if i in lefts else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def present_rows(result: Result) -> list[list[str]]:
    rows = []
    names = [*PRESENT[:2], *PRESENT[2:6], "one typo: all", *PRESENT[6:], "present: all"]
    for cls in names:
        ours, base = result.ours.get(cls), result.baseline.get(cls)
        if ours is None or base is None:
            rows.append([cls, "0", "", "n/a", *([""] * 9)])
            continue
        rows.append(
            [
                cls,
                str(ours.n),
                str(ours.tied),
                ours.share(ours.right),
                str(ours.found_right),
                f"{ours.ambiguous} ({ours.ambiguous_has})",
                f"{ours.not_found} ({ours.not_found_has})",
                str(ours.false),
                base.share(base.right),
                str(base.found_right),
                f"{base.ambiguous} ({base.ambiguous_has})",
                f"{base.not_found} ({base.not_found_has})",
                str(base.false),
            ]
        )
    return rows


def absent_rows(result: Result) -> list[list[str]]:
    rows = []
    for cls in (*ABSENT, "absent: all"):
        for within in ("≤1 edit", ">1 edit"):
            name = f"{cls}, {within}"
            ours, base = result.ours.get(name), result.baseline.get(name)
            if ours is None or base is None:
                continue
            rows.append(
                [
                    name,
                    str(ours.n),
                    str(ours.not_found),
                    str(ours.ambiguous),
                    str(ours.false),
                    str(base.not_found),
                    str(base.ambiguous),
                    str(base.false),
                ]
            )
    return rows


def report(result: Result) -> str:
    out = [
        f"== {result.name}: {result.aliases:,} aliases, {result.entities:,} entities, "
        f"{result.keys:,} folded keys; {result.shared_names:,} folded names shared by 2+ "
        f"entities; {result.queries:,} queries",
        "",
        "present: right = found the entity meant, or ambiguous with it among the candidates when",
        "'tied' (another entity is as close); ambiguous / not found: count (right one offered)",
        table(
            [
                "class",
                "n",
                "tied",
                "right",
                "found",
                "ambiguous",
                "not found",
                "FALSE",
                "| base right",
                "found",
                "ambiguous",
                "not found",
                "FALSE",
            ],
            present_rows(result),
        ),
        "",
        "absent (nothing should be found), split by distance to the nearest stored name",
        table(
            ["class", "n", "not found", "ambiguous", "FALSE", "| base not found", "ambig", "FALSE"],
            absent_rows(result),
        ),
    ]
    examples = [
        f"  {cls}: {', '.join(t.false_examples)}"
        for cls, t in result.ours.items()
        if t.false_examples and not cls.startswith(("present: all", "absent: all", "one typo: all"))
    ]
    if examples:
        out += ["", "false answers, examples (ours):", *examples]
    out += ["", speed_table(result)]
    return "\n".join(out)


def speed_table(result: Result) -> str:
    speed = result.speed
    resolve, wratio = speed["resolve"], speed["wratio"]
    complete, base_complete = speed["autocomplete"], speed["autocomplete_baseline"]
    fresh = speed["fresh_process"]
    rows = [
        [
            "resolve, all classes",
            str(resolve["n"]),
            ms(resolve["p50"]),
            ms(resolve["p99"]),
            ms(resolve["max"]),
            f"{times(resolve['p50'], wratio['p50'])} / {times(resolve['p99'], wratio['p99'])}",
            "one core, after 10 warm-up queries",
        ],
        [
            "baseline: extractOne WRatio",
            str(wratio["n"]),
            ms(wratio["p50"]),
            ms(wratio["p99"]),
            ms(wratio["max"]),
            "1.0x",
            "every folded alias"
            + (f"; a sample of {wratio['n']} queries" if speed["wratio_sampled"] else ""),
        ],
        [
            f"autocomplete search(limit={AUTOCOMPLETE_LIMIT})",
            str(complete["n"]),
            ms(complete["p50"]),
            ms(complete["p99"]),
            ms(complete["max"]),
            f"{times(complete['p50'], base_complete['p50'])} / "
            f"{times(complete['p99'], base_complete['p99'])}",
            f"prefixes of 1-9 chars; real candidates "
            f"{share(speed['autocomplete_real'], speed['autocomplete_hits'])} of "
            f"{speed['autocomplete_hits']:,} hits; name typed among hits "
            f"{share(speed['autocomplete_meant'], speed['prefixes'])}",
        ],
        [
            "baseline: extract WRatio limit=25",
            str(base_complete["n"]),
            ms(base_complete["p50"]),
            ms(base_complete["p99"]),
            ms(base_complete["max"]),
            "1.0x",
            f"real candidates "
            f"{share(speed['autocomplete_baseline_real'], speed['autocomplete_baseline_hits'])}",
        ],
        [
            "build SearchIndex(entries)",
            str(len(speed["build_runs"])),
            ms(speed["build_median_s"]),
            "",
            ms(max(speed["build_runs"])),
            "",
            f"median of runs in this process; in a fresh process {ms(fresh['build_s'])}",
        ],
        [
            "RSS (fresh process)",
            "",
            "",
            "",
            "",
            "",
            f"before build {mib(fresh['rss_before_kib'])} (entries read); peak "
            f"{mib(fresh['maxrss_after_build_kib'])} (build +"
            f"{mib(fresh['maxrss_after_build_kib'] - fresh['maxrss_before_kib'])}); after build "
            f"{mib(fresh['rss_after_build_kib'])} (index holds "
            f"{mib(fresh['rss_after_build_kib'] - fresh['rss_before_kib'])}); peak after a "
            f"query {mib(fresh['maxrss_after_first_query_kib'])}",
        ],
    ]
    updates = speed["updated"]
    if updates.get("available"):
        rows.append(
            [
                "updated(): one entity's aliases",
                str(updates["n"]),
                ms(updates["p50"]),
                ms(updates["p99"]),
                ms(updates["max"]),
                "",
                f"new alias found after {updates['new_alias_found']}/{updates['n']}",
            ]
        )
    else:
        rows.append(["updated(): one entity's aliases", "", "", "", "", "", "not available"])
    return table(
        ["measure", "n", "p50", "p99", "max", "vs baseline p50 / p99", "note"], rows, note=True
    )


def times(ours: float, base: float) -> str:
    """ours / base as a ratio: "3.8x", or "0.06x" when ours is faster."""
    ratio = ours / base if base else float("inf")
    return f"{ratio:.1f}x" if ratio >= 1 else f"{ratio:.2f}x"


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def header(args: argparse.Namespace, sizes: Sequence[str]) -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "bot/search"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        head, dirty = "", ""
    source = head or "not a git checkout"
    if dirty:
        source += ", bot/search modified"
    if args.label:
        source += f"; {args.label}"
    return (
        f"diplobot matching benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs\n"
        f"index: {SearchIndex.__module__}.SearchIndex (git {source}); data sets: "
        f"{'; '.join(sizes)}; {args.queries} queries per class, {args.prefixes} prefixes, "
        f"random seed {args.seed}"
    )


def to_json(result: Result) -> dict[str, Any]:
    return {
        "aliases": result.aliases,
        "entities": result.entities,
        "keys": result.keys,
        "queries": result.queries,
        "shared_names": result.shared_names,
        "ours": {cls: asdict(t) for cls, t in result.ours.items()},
        "baseline": {cls: asdict(t) for cls, t in result.baseline.items()},
        "speed": result.speed,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--aliases", type=int, default=DEFAULT_ALIASES, help="synthetic aliases")
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="queries per class")
    parser.add_argument(
        "--prefixes", type=int, default=DEFAULT_PREFIXES, help="autocomplete prefixes"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="random seed")
    parser.add_argument("--real-only", action="store_true", help="only the real set")
    parser.add_argument("--synthetic-only", action="store_true", help="only the synthetic set")
    parser.add_argument("--build-runs", type=int, default=0, help="builds to time (0: 3, 1 at 1M)")
    parser.add_argument("--json", type=Path, help="also save the numbers here")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--label", default="", help="a note on the index measured, for the header")
    parser.add_argument("--data", choices=("synthetic", "real"), help=argparse.SUPPRESS)
    parser.add_argument("--write-entries", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rss-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.write_entries:
        write_entries(args.data, args.aliases, args.seed, args.write_entries)
        return
    if args.rss_child:
        print(json.dumps(rss_child(args.rss_child)))
        return

    started = time.perf_counter()

    def say(line: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:6.0f} s] {line}", file=sys.stderr, flush=True)

    makers: list[tuple[str, Callable[[], DataSet]]] = []
    sizes = []
    if not args.real_only:
        makers.append(("synthetic", lambda: synthetic_set(args.aliases, args.seed)))
        sizes.append(f"synthetic, {args.aliases:,} aliases")
    if not args.synthetic_only:
        makers.append(("real", real_set))
        sizes.append("real, every pycountry country name")
    print(header(args, sizes), flush=True)
    fresh = {}
    for which, _ in makers:
        fresh[which] = fresh_process(which, args.aliases, args.seed)
        say(f"{which}: built in a fresh process in {fresh[which]['build_s']:.1f} s")
    results = []
    for which, make in makers:
        data = make()
        result = run_set(data, args, fresh[which], say)
        results.append(result)
        print()
        print(report(result), flush=True)
        del data
        gc.collect()
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "header": header(args, sizes),
                    "argv": list(sys.argv[1:] if argv is None else argv),
                    "datasets": {result.name: to_json(result) for result in results},
                },
                indent=1,
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
